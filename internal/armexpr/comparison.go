package armexpr

import (
	"github.com/aksguard/aksguard/internal/jsontree"
)

// comparisonFunctions: coalesce, equals.
func comparisonFunctions() map[string]builtin {
	return map[string]builtin{
		"coalesce": {special: fnCoalesce},
		"equals":   {min: 2, max: 2, fn: fnEquals},
	}
}

// fnCoalesce evaluates its arguments until one is not null.
func fnCoalesce(s *scope, c site) (*jsontree.Node, *evalError) {
	for i := range c.e.args {
		v, err := s.evalArg(c, i)
		if err != nil {
			return nil, err
		}
		if v != nil && v.Kind != jsontree.Null {
			return v, nil
		}
	}
	return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
}

func fnEquals(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a, err := s.deep(args[0], c.mode, 0)
	if err != nil {
		return nil, err
	}
	b, err := s.deep(args[1], c.mode, 0)
	if err != nil {
		return nil, err
	}
	eq, err := s.deepEqual(a, b, 0)
	if err != nil {
		return nil, err
	}
	return newBool(eq, c.line), nil
}
