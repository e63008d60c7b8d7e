package armexpr

import (
	"strings"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// arrayFunctions: createArray, and length, empty and contains (of arrays,
// objects and strings). concat is in string.go, union in object.go.
func arrayFunctions() map[string]builtin {
	return map[string]builtin{
		"createarray": {min: 0, max: -1, placeholders: true, fn: fnCreateArray},
		"length":      {min: 1, max: 1, fn: fnLength},
		"empty":       {min: 1, max: 1, fn: fnEmpty},
		"contains":    {min: 2, max: 2, fn: fnContains},
		"first":       {min: 1, max: 1, fn: fnFirstLast},
		"last":        {min: 1, max: 1, fn: fnFirstLast},
		"take":        {min: 2, max: 2, fn: fnTakeSkip},
		"skip":        {min: 2, max: 2, fn: fnTakeSkip},
		"range":       {min: 2, max: 2, fn: fnRange},
		"flatten":     {min: 1, max: 1, fn: fnFlatten},
		"array":       {min: 1, max: 1, fn: fnArray},
	}
}

// fnArray is array(x): x when it is an array, else [x].
func fnArray(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	if a := args[0]; a != nil && a.Kind == jsontree.Array {
		return a, nil
	}
	return &jsontree.Node{Kind: jsontree.Array, Line: c.line, Items: []*jsontree.Node{args[0]}}, nil
}

func fnFirstLast(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	switch {
	case a != nil && a.Kind == jsontree.Array:
		if len(a.Items) == 0 {
			return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
		}
		it := a.Items[0]
		if c.name == "last" {
			it = a.Items[len(a.Items)-1]
		}
		return s.force(it, c.mode)
	case a != nil && a.Kind == jsontree.String:
		r := []rune(a.Str)
		if len(r) == 0 {
			return s.newStr("", c.line)
		}
		if c.name == "last" {
			return s.newStr(string(r[len(r)-1]), c.line)
		}
		return s.newStr(string(r[0]), c.line)
	}
	return nil, failf("%s() takes an array or a string", c.e.name)
}

func fnTakeSkip(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	n, ok := args[1].AsInt()
	if !ok || args[1].Kind != jsontree.Number {
		return nil, failf("%s() takes a count", c.e.name)
	}
	cut := func(l int) (int, int) {
		k := int(max(0, min(n, int64(l))))
		if c.name == "take" {
			return 0, k
		}
		return k, l
	}
	switch {
	case a != nil && a.Kind == jsontree.Array:
		i, j := cut(len(a.Items))
		return &jsontree.Node{Kind: jsontree.Array, Line: c.line, Items: a.Items[i:j]}, nil
	case a != nil && a.Kind == jsontree.String:
		r := []rune(a.Str)
		i, j := cut(len(r))
		return s.newStr(string(r[i:j]), c.line)
	}
	return nil, failf("%s() takes an array or a string", c.e.name)
}

func fnRange(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	start, ok1 := args[0].AsInt()
	count, ok2 := args[1].AsInt()
	if !ok1 || !ok2 || args[0].Kind != jsontree.Number || args[1].Kind != jsontree.Number || count < 0 {
		return nil, failf("range() takes a start and a non-negative count")
	}
	if count > 10000 {
		return nil, failf("range() of more than 10000 integers")
	}
	if err := s.step(int(count)); err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for i := range count {
		out.Items = append(out.Items, newInt(start+i, c.line))
	}
	return out, nil
}

func fnFlatten(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	its, err := s.items(c, args[0])
	if err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for _, it := range its {
		if it == nil || it.Kind != jsontree.Array {
			return nil, failf("flatten() takes an array of arrays")
		}
		if err := s.step(len(it.Items)); err != nil {
			return nil, err
		}
		out.Items = append(out.Items, it.Items...)
	}
	return out, nil
}

func fnCreateArray(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	if err := s.step(len(args)); err != nil {
		return nil, err
	}
	return &jsontree.Node{Kind: jsontree.Array, Line: c.line, Items: args}, nil
}

func fnEmpty(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	switch {
	case a == nil || a.Kind == jsontree.Null:
		return newBool(true, c.line), nil
	case a.Kind == jsontree.String:
		return newBool(a.Str == "", c.line), nil
	case a.Kind == jsontree.Array:
		return newBool(len(a.Items) == 0, c.line), nil
	case a.Kind == jsontree.Object:
		return newBool(len(a.Members) == 0, c.line), nil
	}
	return nil, failf("empty() takes a string, an array or an object")
}

func fnLength(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	switch {
	case a != nil && a.Kind == jsontree.String:
		if err := s.scan(len(a.Str), 0); err != nil {
			return nil, err
		}
		return newInt(int64(utf8.RuneCountInString(a.Str)), c.line), nil
	case a != nil && a.Kind == jsontree.Array:
		return newInt(int64(len(a.Items)), c.line), nil
	case a != nil && a.Kind == jsontree.Object:
		return newInt(int64(len(a.Members)), c.line), nil
	}
	return nil, failf("length() takes a string, an array or an object")
}

func fnContains(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	cont, it := args[0], args[1]
	switch {
	case cont != nil && cont.Kind == jsontree.String:
		t, err := s.text(it, "contains")
		if err != nil {
			return nil, err
		}
		if err := s.scan(len(cont.Str)+len(t), 0); err != nil {
			return nil, err
		}
		return newBool(strings.Contains(cont.Str, t), c.line), nil
	case cont != nil && cont.Kind == jsontree.Object:
		k, ok := it.AsString()
		if !ok {
			return nil, failf("contains() looks up an object key by a string")
		}
		if err := s.scan(0, len(cont.Members)); err != nil {
			return nil, err
		}
		return newBool(hasKey(cont, k), c.line), nil
	case cont != nil && cont.Kind == jsontree.Array:
		want, err := s.deep(it, c.mode, 0)
		if err != nil {
			return nil, err
		}
		for _, x := range cont.Items {
			v, err := s.deep(x, c.mode, 0)
			if err != nil {
				return nil, err
			}
			eq, err := s.deepEqual(v, want, 0)
			if err != nil {
				return nil, err
			}
			if eq {
				return newBool(true, c.line), nil
			}
		}
		return newBool(false, c.line), nil
	}
	return nil, failf("contains() takes a string, an object or an array")
}
