package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// lambdaFunctions: map, filter, reduce and toObject, whose last arguments
// are lambda('x', body) expressions evaluated once per element with
// lambdaVariables('x') bound to it (Bicep compiles its loops and lambdas
// to them). lambda() on its own is not a value.
func lambdaFunctions() map[string]builtin {
	return map[string]builtin{
		"map":             {special: fnMapFilter},
		"filter":          {special: fnMapFilter},
		"reduce":          {special: fnReduce},
		"toobject":        {special: fnToObject},
		"lambda":          {special: fnLambdaAlone},
		"lambdavariables": {special: fnLambdaVariables},
	}
}

// lambdaVar is one bound lambda parameter.
type lambdaVar struct {
	name string
	v    *jsontree.Node
}

// lambdaArg reads argument i of a call as lambda('a', ..., body) with at
// most max parameters.
func lambdaArg(c site, i, max int) ([]string, *expr, *evalError) {
	if i >= len(c.e.args) {
		return nil, nil, failf("%s() takes a lambda as argument %d", c.e.name, i+1)
	}
	l := c.e.args[i]
	if l.kind != exCall || !strings.EqualFold(l.name, "lambda") || len(l.args) < 2 {
		return nil, nil, failf("%s() takes a lambda as argument %d", c.e.name, i+1)
	}
	var names []string
	for _, a := range l.args[:len(l.args)-1] {
		if a.kind != exString {
			return nil, nil, failf("lambda() parameter names are strings")
		}
		names = append(names, a.name)
	}
	if len(names) > max {
		return nil, nil, failf("%s() takes a lambda of at most %d parameters", c.e.name, max)
	}
	return names, l.args[len(l.args)-1], nil
}

// apply evaluates a lambda body with its parameters bound to vals.
func (s *scope) apply(names []string, vals []*jsontree.Node, body *expr, c site) (*jsontree.Node, *evalError) {
	if err := s.step(1); err != nil {
		return nil, err
	}
	n := len(s.lambdas)
	for i, name := range names {
		if i < len(vals) {
			s.lambdas = append(s.lambdas, lambdaVar{name: name, v: vals[i]})
		}
	}
	v, err := s.eval(body, c.line, c.mode)
	s.lambdas = s.lambdas[:n]
	return v, err
}

// items forces the elements of an array argument.
func (s *scope) items(c site, a *jsontree.Node) ([]*jsontree.Node, *evalError) {
	if a == nil || a.Kind != jsontree.Array {
		return nil, failf("%s() takes an array", c.e.name)
	}
	out := make([]*jsontree.Node, len(a.Items))
	for i, it := range a.Items {
		v, err := s.force(it, c.mode)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func fnMapFilter(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 2 {
		return nil, failf("%s() takes 2 arguments", c.e.name)
	}
	a, err := s.evalArg(c, 0)
	if err != nil {
		return nil, err
	}
	names, body, err := lambdaArg(c, 1, 2)
	if err != nil {
		return nil, err
	}
	its, err := s.items(c, a)
	if err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for i, it := range its {
		v, err := s.apply(names, []*jsontree.Node{it, newInt(int64(i), c.line)}, body, c)
		if err != nil {
			return nil, err
		}
		if c.name == "map" {
			out.Items = append(out.Items, v)
			continue
		}
		keep, ok := asBool(v)
		if !ok {
			return nil, failf("filter()'s lambda must return a boolean")
		}
		if keep {
			out.Items = append(out.Items, it)
		}
	}
	return out, nil
}

func fnReduce(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 3 {
		return nil, failf("reduce() takes 3 arguments")
	}
	a, err := s.evalArg(c, 0)
	if err != nil {
		return nil, err
	}
	acc, err := s.evalArg(c, 1)
	if err != nil {
		return nil, err
	}
	names, body, err := lambdaArg(c, 2, 3)
	if err != nil {
		return nil, err
	}
	its, err := s.items(c, a)
	if err != nil {
		return nil, err
	}
	for i, it := range its {
		acc, err = s.apply(names, []*jsontree.Node{acc, it, newInt(int64(i), c.line)}, body, c)
		if err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func fnToObject(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 2 && len(c.e.args) != 3 {
		return nil, failf("toObject() takes 2 or 3 arguments")
	}
	a, err := s.evalArg(c, 0)
	if err != nil {
		return nil, err
	}
	kn, kb, err := lambdaArg(c, 1, 1)
	if err != nil {
		return nil, err
	}
	var vn []string
	var vb *expr
	if len(c.e.args) == 3 {
		if vn, vb, err = lambdaArg(c, 2, 1); err != nil {
			return nil, err
		}
	}
	its, err := s.items(c, a)
	if err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: c.line}
	for _, it := range its {
		k, err := s.apply(kn, []*jsontree.Node{it}, kb, c)
		if err != nil {
			return nil, err
		}
		key, ok := k.AsString()
		if !ok || k.Kind != jsontree.String {
			return nil, failf("toObject()'s key lambda must return a string")
		}
		v := it
		if vb != nil {
			if v, err = s.apply(vn, []*jsontree.Node{it}, vb, c); err != nil {
				return nil, err
			}
		}
		if err := s.scan(0, len(out.Members)); err != nil {
			return nil, err
		}
		out.Members = setMember(out.Members, key, v)
	}
	out.Reindex()
	return out, nil
}

func fnLambdaAlone(s *scope, c site) (*jsontree.Node, *evalError) {
	return nil, failf("lambda() is only an argument of map(), filter(), reduce() or toObject()")
}

func fnLambdaVariables(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 1 || c.e.args[0].kind != exString {
		return nil, failf("lambdaVariables() takes a parameter name")
	}
	name := c.e.args[0].name
	for i := len(s.lambdas) - 1; i >= 0; i-- {
		if s.lambdas[i].name == name {
			return s.lambdas[i].v, nil
		}
	}
	return nil, failf("lambdaVariables(%s) outside a lambda of that parameter", quoteName(name))
}
