package armexpr

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// numericFunctions: int, add, sub, mul, div, mod, min, max.
func numericFunctions() map[string]builtin {
	arith := builtin{min: 2, max: 2, fn: fnArith}
	return map[string]builtin{
		"int": {min: 1, max: 1, fn: fnInt},
		"add": arith, "sub": arith, "mul": arith, "div": arith, "mod": arith,
		"min": {min: 1, max: -1, fn: fnMinMax},
		"max": {min: 1, max: -1, fn: fnMinMax},
	}
}

// ints reads integer arguments (an array argument gives its elements).
func ints(c site, args []*jsontree.Node) ([]int64, *evalError) {
	var out []int64
	for _, a := range args {
		if a != nil && a.Kind == jsontree.Array {
			v, err := ints(c, a.Items)
			if err != nil {
				return nil, err
			}
			out = append(out, v...)
			continue
		}
		i, ok := a.AsInt()
		if !ok || a.Kind != jsontree.Number {
			return nil, failf("%s() takes integers", c.e.name)
		}
		out = append(out, i)
	}
	return out, nil
}

func fnArith(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	v, err := ints(c, args)
	if err != nil || len(v) != 2 {
		if err == nil {
			err = failf("%s() takes two integers", c.e.name)
		}
		return nil, err
	}
	a, b := v[0], v[1]
	switch c.name {
	case "add":
		return newInt(a+b, c.line), nil
	case "sub":
		return newInt(a-b, c.line), nil
	case "mul":
		return newInt(a*b, c.line), nil
	}
	if b == 0 {
		return nil, failf("%s() by zero", c.e.name)
	}
	if c.name == "div" {
		return newInt(a/b, c.line), nil
	}
	return newInt(a%b, c.line), nil
}

func fnMinMax(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	v, err := ints(c, args)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, failf("%s() of nothing", c.e.name)
	}
	m := v[0]
	for _, x := range v[1:] {
		if (c.name == "min") == (x < m) {
			m = x
		}
	}
	return newInt(m, c.line), nil
}

func fnInt(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	if a == nil || (a.Kind != jsontree.Number && a.Kind != jsontree.String) {
		return nil, failf("int() takes a string or an integer")
	}
	i, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
	if err != nil {
		return nil, failf("int() of text that is not an integer")
	}
	return newInt(i, c.line), nil
}
