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
	}
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
