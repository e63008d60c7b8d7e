package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// builtin is one function of the template language that aksguard
// evaluates.
type builtin struct {
	// min and max bound the number of arguments (max -1: no upper bound),
	// checked after the arguments are evaluated; 0, -1 checks nothing
	// (the function says what is wrong with its arguments itself).
	min, max int
	// placeholders: the function builds strings (or arrays and objects)
	// from its arguments, so in modeName it takes a placeholder as an
	// ordinary string. Any other function of a placeholder is a
	// placeholder itself.
	placeholders bool
	// fn evaluates the function on its evaluated arguments.
	fn func(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError)
	// special, when set, replaces fn and evaluates the arguments itself
	// (if, and, or, coalesce evaluate only what they need; parameters and
	// variables look names up).
	special func(s *scope, c site) (*jsontree.Node, *evalError)
}

// site is one call being evaluated.
type site struct {
	e    *expr
	name string // lower-cased function name
	line int
	mode evalMode
}

// builtins are the template functions by lower-cased name. Each family's
// file lists its own (stringFunctions in string.go, ...); a name is in
// exactly one family (TestBuiltinTable).
var builtins map[string]builtin

// init assembles the table. It cannot be a variable initialiser: the
// functions evaluate their arguments through call, which reads the table.
func init() {
	builtins = map[string]builtin{}
	for _, family := range []map[string]builtin{
		logicalFunctions(), comparisonFunctions(), stringFunctions(), arrayFunctions(),
		objectFunctions(), numericFunctions(), resourceFunctions(), deploymentValueFunctions(), lambdaFunctions(),
	} {
		for name, b := range family {
			builtins[name] = b
		}
	}
}

// call evaluates a function call: a special form, a deployment-time
// function (a placeholder in modeName, else unresolved), or a builtin on
// its evaluated arguments. A function aksguard does not know is
// unresolved (a placeholder in modeName).
func (s *scope) call(e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	c := site{e: e, name: strings.ToLower(e.name), line: line, mode: mode}
	b, known := builtins[c.name]
	if known && b.special != nil {
		return b.special(s, c)
	}

	if deploymentFunctions[c.name] || strings.HasPrefix(c.name, "list") {
		if mode == modeName {
			return s.newOpaque(e.src, line)
		}
		return nil, failf("%s() is known only when the template is deployed", e.name)
	}

	args := make([]*jsontree.Node, len(e.args))
	for i, a := range e.args {
		v, err := s.eval(a, line, mode)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if mode == modeName && !b.placeholders {
		for _, a := range args {
			if s.sh.opaque[a] {
				return s.newOpaque(e.src, line)
			}
		}
	}
	if !known {
		if mode == modeName {
			return s.newOpaque(e.src, line)
		}
		return nil, failf("function %s() is not evaluated by aksguard", e.name)
	}
	if err := c.argc(len(args), b.min, b.max); err != nil {
		return nil, err
	}
	return b.fn(s, c, args)
}

// argc checks the number of arguments against lo..hi (hi -1: no bound).
func (c site) argc(n, lo, hi int) *evalError {
	if n < lo || (hi >= 0 && n > hi) {
		switch {
		case lo == hi:
			return failf("%s() takes %d argument(s)", c.e.name, lo)
		case hi < 0:
			return failf("%s() takes at least %d argument(s)", c.e.name, lo)
		}
		return failf("%s() takes %d to %d arguments", c.e.name, lo, hi)
	}
	return nil
}

// evalArg evaluates argument i of a special form.
func (s *scope) evalArg(c site, i int) (*jsontree.Node, *evalError) {
	return s.eval(c.e.args[i], c.line, c.mode)
}
