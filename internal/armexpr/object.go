package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// objectFunctions: createObject, null, and union (of objects, or of
// arrays).
func objectFunctions() map[string]builtin {
	return map[string]builtin{
		"createobject": {min: 0, max: -1, placeholders: true, fn: fnCreateObject},
		"null":         {min: 0, max: 0, fn: fnNull},
		"union":        {min: 1, max: -1, placeholders: true, fn: fnUnion},
	}
}

func fnCreateObject(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	if len(args)%2 != 0 {
		return nil, failf("createObject() takes key/value pairs")
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: c.line}
	for i := 0; i < len(args); i += 2 {
		k, ok := args[i].AsString()
		if !ok {
			return nil, failf("createObject() keys are strings")
		}
		if err := s.scan(0, len(out.Members)); err != nil {
			return nil, err
		}
		out.Members = setMember(out.Members, k, args[i+1])
	}
	if err := s.step(len(args)); err != nil {
		return nil, err
	}
	out.Reindex()
	return out, nil
}

func fnNull(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
}

func fnUnion(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	return s.union(args, c.line, c.mode, 0)
}

// union merges objects (recursively) or arrays (without duplicates).
func (s *scope) union(args []*jsontree.Node, line int, mode evalMode, depth int) (*jsontree.Node, *evalError) {
	if depth > maxDeepDepth {
		return nil, failf("union() of values nested more than %d deep", maxDeepDepth)
	}
	first := args[0]
	if first == nil {
		return nil, failf("union() of null")
	}
	switch first.Kind {
	case jsontree.Object:
		out := &jsontree.Node{Kind: jsontree.Object, Line: line}
		for _, a := range args {
			if a == nil || a.Kind != jsontree.Object {
				return nil, failf("union() mixes objects and other values")
			}
			if err := s.step(len(a.Members)); err != nil {
				return nil, err
			}
			for _, m := range a.Members {
				if err := s.scan(0, len(out.Members)); err != nil {
					return nil, err
				}
				old := memberFold(out, m.Key)
				if old != nil {
					ov, err := s.force(old, mode)
					if err != nil {
						return nil, err
					}
					nv, err := s.force(m.Value, mode)
					if err != nil {
						return nil, err
					}
					if ov != nil && nv != nil && ov.Kind == jsontree.Object && nv.Kind == jsontree.Object {
						merged, err := s.union([]*jsontree.Node{ov, nv}, line, mode, depth+1)
						if err != nil {
							return nil, err
						}
						out.Members = setMember(out.Members, m.Key, merged)
						continue
					}
				}
				out.Members = setMember(out.Members, m.Key, m.Value)
			}
		}
		out.Reindex()
		return out, nil
	case jsontree.Array:
		out := &jsontree.Node{Kind: jsontree.Array, Line: line}
		var seen []*jsontree.Node
		for _, a := range args {
			if a == nil || a.Kind != jsontree.Array {
				return nil, failf("union() mixes arrays and other values")
			}
			for _, it := range a.Items {
				d, err := s.deep(it, mode, depth+1)
				if err != nil {
					return nil, err
				}
				dup := false
				for _, x := range seen {
					eq, err := s.deepEqual(x, d, 0)
					if err != nil {
						return nil, err
					}
					if eq {
						dup = true
						break
					}
				}
				if !dup {
					seen = append(seen, d)
					out.Items = append(out.Items, d)
				}
			}
		}
		return out, nil
	}
	return nil, failf("union() takes objects or arrays")
}

func memberFold(n *jsontree.Node, k string) *jsontree.Node {
	if m, ok := n.Lookup(k); ok {
		return m.Value
	}
	return nil
}

// setMember sets a key (case-insensitively, keeping the first spelling).
func setMember(ms []jsontree.Member, k string, v *jsontree.Node) []jsontree.Member {
	for i := range ms {
		if strings.EqualFold(ms[i].Key, k) {
			ms[i].Value = v
			return ms
		}
	}
	return append(ms, jsontree.Member{Key: k, Value: v})
}
