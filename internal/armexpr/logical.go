package armexpr

import (
	"github.com/aksguard/aksguard/internal/jsontree"
)

// logicalFunctions: if, and, or, not, true, false, bool.
func logicalFunctions() map[string]builtin {
	return map[string]builtin{
		"if":    {special: fnIf},
		"and":   {special: fnAndOr},
		"or":    {special: fnAndOr},
		"not":   {min: 1, max: 1, fn: fnNot},
		"true":  {min: 0, max: 0, fn: fnBoolConst},
		"false": {min: 0, max: 0, fn: fnBoolConst},
		"bool":  {min: 1, max: 1, fn: fnBool},
	}
}

// fnIf evaluates only the branch the condition picks.
func fnIf(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 3 {
		return nil, failf("if() takes 3 arguments")
	}
	cond, err := s.evalArg(c, 0)
	if err != nil {
		return nil, err
	}
	if c.mode == modeName && s.sh.opaque[cond] {
		return s.newOpaque(c.e.src, c.line)
	}
	b, ok := asBool(cond)
	if !ok {
		return nil, failf("the condition of if() is not a boolean")
	}
	if b {
		return s.evalArg(c, 1)
	}
	return s.evalArg(c, 2)
}

// fnAndOr evaluates its arguments until the result is decided.
func fnAndOr(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) == 0 {
		return nil, failf("%s() needs arguments", c.e.name)
	}
	for i := range c.e.args {
		v, err := s.evalArg(c, i)
		if err != nil {
			return nil, err
		}
		if c.mode == modeName && s.sh.opaque[v] {
			return s.newOpaque(c.e.src, c.line)
		}
		b, ok := asBool(v)
		if !ok {
			return nil, failf("an argument of %s() is not a boolean", c.e.name)
		}
		if c.name == "and" && !b {
			return newBool(false, c.line), nil
		}
		if c.name == "or" && b {
			return newBool(true, c.line), nil
		}
	}
	return newBool(c.name == "and", c.line), nil
}

func fnNot(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	b, ok := asBool(args[0])
	if !ok {
		return nil, failf("not() takes a boolean")
	}
	return newBool(!b, c.line), nil
}

func fnBoolConst(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	return newBool(c.name == "true", c.line), nil
}

func fnBool(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	switch {
	case a != nil && a.Kind == jsontree.Number:
		i, ok := a.AsInt()
		if !ok {
			return nil, failf("bool() of a number that is not an integer")
		}
		return newBool(i != 0, c.line), nil
	}
	b, ok := asBool(a)
	if !ok {
		if a != nil && a.Kind == jsontree.String {
			b, ok = a.AsBool()
		}
		if !ok {
			return nil, failf("bool() takes 'true', 'false', an integer or a boolean")
		}
	}
	return newBool(b, c.line), nil
}
