package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// Copy loops: a resource's `copy` ({name, count}), a property's and a
// variable's `copy` ([{name, count, input}]). The reader expands them; the
// evaluator gives copyIndex() the index of the copy being read.

// MaxCopies is the most copies one loop may have: ARM's own limit (a
// template with more is refused by Azure).
const MaxCopies = 800

// copyFrame is one copy loop being expanded.
type copyFrame struct {
	name     string // the loop's name, as written
	resource bool   // a resource loop: copyIndex() without a name is its index
	index    int
	why      string // non-empty: the number of copies is unknown, and why
}

// Copy returns a scope in which copyIndex(name) (and copyIndex() when
// resource is true: a resource-level loop) is index. The scope shares this
// scope's parameters, variables, caches and budget.
func (s *Scope) Copy(name string, resource bool, index int) *Scope {
	return &Scope{sc: s.sc.with(copyFrame{name: name, resource: resource, index: index})}
}

// CopyUnknown returns a scope in which copyIndex(name) is unresolved
// because the number of copies is unknown (why); it is never taken as 0.
func (s *Scope) CopyUnknown(name string, resource bool, why string) *Scope {
	return &Scope{sc: s.sc.with(copyFrame{name: name, resource: resource, why: why})}
}

// UnknownCopies returns the value of a property built by the copy loop
// name whose number of copies is unknown (why): an expression that is
// unresolved with the reason, on line. It is made even when the budget is
// spent, so the property is never taken as absent.
func (s *Scope) UnknownCopies(name, why string, line int) *jsontree.Node {
	c := s.sc.with(copyFrame{name: name, why: why})
	n := &jsontree.Node{Kind: jsontree.String, Str: "[copyIndex('" + strings.ReplaceAll(name, "'", "''") + "')]", Line: line}
	c.sh.bound[n] = c
	return n
}

func (s *scope) with(f copyFrame) *scope {
	c := *s
	c.copies = append(append([]copyFrame(nil), s.copies...), f)
	return &c
}

// Instance returns a copy of the template value n (the input of a property
// copy loop) whose expressions are evaluated in this scope, whichever scope
// later reads them. Lines are kept. The copy is charged to the budget; ok is
// false when the budget is spent.
func (s *Scope) Instance(n *jsontree.Node) (*jsontree.Node, bool) {
	if s.sc.sh.steps > maxSteps {
		return nil, false
	}
	c := s.sc.instance(n, 0)
	return c, s.sc.sh.steps <= maxSteps
}

func (s *scope) instance(n *jsontree.Node, depth int) *jsontree.Node {
	if n == nil {
		return nil
	}
	s.sh.steps++
	c := &jsontree.Node{Kind: n.Kind, Line: n.Line, Bool: n.Bool, Str: n.Str}
	if s.sh.lit[n] {
		s.sh.lit[c] = true
	}
	s.sh.bound[c] = s
	if depth > maxDeepDepth || s.sh.steps > maxSteps {
		return c
	}
	if len(n.Members) > 0 {
		c.Members = make([]jsontree.Member, 0, len(n.Members))
		for _, m := range n.Members {
			c.Members = append(c.Members, jsontree.Member{Key: m.Key, Value: s.instance(m.Value, depth+1)})
		}
		c.Reindex()
	}
	if len(n.Items) > 0 {
		c.Items = make([]*jsontree.Node, 0, len(n.Items))
		for _, it := range n.Items {
			c.Items = append(c.Items, s.instance(it, depth+1))
		}
	}
	return c
}

// Count evaluates the count of a copy loop. why is non-empty when it cannot
// be known offline or is not a count ARM accepts (a negative number, more
// than MaxCopies); invalid is true in the second case.
func (s *Scope) Count(n *jsontree.Node) (count int, why string, invalid bool) {
	if n == nil {
		return 0, "the copy loop has no count", true
	}
	v, why := s.sc.resolver()(n)
	if why != "" {
		return 0, why, false
	}
	i, ok := v.AsInt()
	switch {
	case !ok:
		return 0, "count is not an integer", true
	case i < 0:
		return 0, "count is negative", true
	case i > MaxCopies:
		return 0, "count is more than ARM's limit of 800 copies", true
	}
	return int(i), "", false
}

// fnCopyIndex is copyIndex(), copyIndex(offset), copyIndex('name') and
// copyIndex('name', offset). Outside the loops being expanded it is known
// only at deployment.
func fnCopyIndex(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) > 2 {
		return nil, failf("copyIndex() takes at most 2 arguments")
	}
	args := make([]*jsontree.Node, len(c.e.args))
	for i := range c.e.args {
		v, err := s.evalArg(c, i)
		if err != nil {
			return nil, err
		}
		if c.mode == modeName && s.sh.opaque[v] {
			return s.newOpaque(c.e.src, c.line)
		}
		args[i] = v
	}
	name, named := "", false
	if len(args) > 0 && args[0] != nil && args[0].Kind == jsontree.String {
		name, named = args[0].Str, true
		args = args[1:]
	}
	var offset int64
	if len(args) == 1 {
		o, ok := args[0].AsInt()
		if !ok || args[0].Kind != jsontree.Number {
			return nil, failf("copyIndex(): the offset must be an integer")
		}
		offset = o
	} else if len(args) > 1 {
		return nil, failf("copyIndex() takes a loop name and an offset")
	}
	var f *copyFrame
	for i := len(s.copies) - 1; i >= 0; i-- {
		fr := &s.copies[i]
		if (named && strings.EqualFold(fr.name, name)) || (!named && fr.resource) {
			f = fr
			break
		}
	}
	if f == nil {
		if c.mode == modeName {
			return s.newOpaque(c.e.src, c.line)
		}
		if named {
			return nil, failf("copyIndex(%s) is used outside the copy loop of that name", quoteName(name))
		}
		return nil, failf("copyIndex() is used outside a resource copy loop")
	}
	if f.why != "" {
		if c.mode == modeName {
			return s.newOpaque(c.e.src, c.line)
		}
		return nil, failf("the number of copies of loop %s is unknown (%s)", quoteName(f.name), f.why)
	}
	if offset < -1<<40 || offset > 1<<40 {
		return nil, failf("copyIndex(): the offset is out of range")
	}
	return newInt(int64(f.index)+offset, c.line), nil
}

// copyVariable builds a variable of the variables' copy loops: an array of
// count instances of input.
func (s *scope) copyVariable(name string, loop *jsontree.Node, line int) (*jsontree.Node, *evalError) {
	ck := "vc:" + jsontree.Fold(name)
	if c, ok := s.cache[modeValue][ck]; ok {
		return c.v, c.err
	}
	v, err := s.buildCopyVariable(name, loop, line)
	if err != nil {
		err = &evalError{why: "variable " + quoteName(name) + ": " + err.why}
	}
	s.cache[modeValue][ck] = cachedValue{v, err}
	return v, err
}

func (s *scope) buildCopyVariable(name string, loop *jsontree.Node, line int) (*jsontree.Node, *evalError) {
	input := loop.Get("input")
	if input == nil {
		return nil, failf("its copy loop has no input")
	}
	n, why, _ := (&Scope{sc: s}).Count(loop.Get("count"))
	if why != "" {
		return nil, failf("the number of copies is unknown (%s)", why)
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: line, Items: make([]*jsontree.Node, 0, n)}
	for i := 0; i < n; i++ {
		c := s.with(copyFrame{name: name, index: i})
		out.Items = append(out.Items, c.instance(input, 0))
		if err := s.step(0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
