package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// comparisonFunctions: coalesce, equals, less, lessOrEquals, greater,
// greaterOrEquals (of integers, or of strings ordinally).
func comparisonFunctions() map[string]builtin {
	cmp := builtin{min: 2, max: 2, fn: fnCompare}
	return map[string]builtin{
		"coalesce": {special: fnCoalesce},
		"equals":   {min: 2, max: 2, fn: fnEquals},
		"less":     cmp, "lessorequals": cmp, "greater": cmp, "greaterorequals": cmp,
	}
}

func fnCompare(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a, b := args[0], args[1]
	var d int
	switch {
	case a != nil && b != nil && a.Kind == jsontree.Number && b.Kind == jsontree.Number:
		x, ok1 := a.AsInt()
		y, ok2 := b.AsInt()
		if !ok1 || !ok2 {
			return nil, failf("%s() of numbers that are not integers", c.e.name)
		}
		switch {
		case x < y:
			d = -1
		case x > y:
			d = 1
		}
	case a != nil && b != nil && a.Kind == jsontree.String && b.Kind == jsontree.String:
		d = strings.Compare(a.Str, b.Str)
	default:
		return nil, failf("%s() compares two integers or two strings", c.e.name)
	}
	var r bool
	switch c.name {
	case "less":
		r = d < 0
	case "lessorequals":
		r = d <= 0
	case "greater":
		r = d > 0
	default:
		r = d >= 0
	}
	return newBool(r, c.line), nil
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
