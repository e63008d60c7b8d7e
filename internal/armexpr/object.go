package armexpr

import (
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// objectFunctions: createObject, null, and union (of objects, or of
// arrays).
func objectFunctions() map[string]builtin {
	return map[string]builtin{
		"createobject": {special: fnCreateObjectLazy},
		"null":         {min: 0, max: 0, fn: fnNull},
		"union":        {min: 1, max: -1, placeholders: true, fn: fnUnion},
		"tryget":       {min: 2, max: -1, fn: fnTryGet},
		"shallowmerge": {min: 1, max: 1, fn: fnShallowMerge},
		"items":        {min: 1, max: 1, fn: fnItems},
		"objectkeys":   {min: 1, max: 1, fn: fnObjectKeys},
		"json":         {min: 1, max: 1, fn: fnJSON},
	}
}

// fnJSON is json(text): the JSON value the text holds; its strings are
// values, never expressions.
func fnJSON(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	if a == nil || a.Kind != jsontree.String {
		return nil, failf("json() takes a string")
	}
	if err := s.scan(len(a.Str), 0); err != nil {
		return nil, err
	}
	v, err := jsontree.Parse([]byte(a.Str))
	if err != nil {
		return nil, failf("json() of text that is not JSON")
	}
	s.markValue(v, false, 0)
	return s.copyTree(v, c.line, 0), nil
}

// fnTryGet is tryGet(value, key...): the member or element, null where it
// is missing (or the value is null).
func fnTryGet(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	v := args[0]
	for _, k := range args[1:] {
		if v == nil || v.Kind == jsontree.Null {
			return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
		}
		if err := s.scan(0, len(v.Members)); err != nil {
			return nil, err
		}
		switch {
		case v.Kind == jsontree.Object && k != nil && k.Kind == jsontree.String:
			m := v.Get(k.Str)
			if m == nil {
				return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
			}
			f, err := s.force(m, c.mode)
			if err != nil {
				return nil, err
			}
			v = f
		case v.Kind == jsontree.Array && k != nil && k.Kind == jsontree.Number:
			i, ok := k.AsInt()
			if !ok || i < 0 || i >= int64(len(v.Items)) {
				return &jsontree.Node{Kind: jsontree.Null, Line: c.line}, nil
			}
			f, err := s.force(v.Items[i], c.mode)
			if err != nil {
				return nil, err
			}
			v = f
		default:
			return nil, failf("tryGet() reads an object by a string or an array by an integer")
		}
	}
	return v, nil
}

// fnShallowMerge merges an array of objects, later keys winning.
func fnShallowMerge(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	its, err := s.items(c, args[0])
	if err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: c.line}
	for _, it := range its {
		if it == nil || it.Kind == jsontree.Null {
			continue
		}
		if it.Kind != jsontree.Object {
			return nil, failf("shallowMerge() takes an array of objects")
		}
		for _, m := range it.Members {
			if err := s.scan(0, len(out.Members)); err != nil {
				return nil, err
			}
			out.Members = setMember(out.Members, m.Key, m.Value)
		}
	}
	out.Reindex()
	return out, nil
}

// fnItems is items(object): [{key, value}] in key order.
func fnItems(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	o := args[0]
	if o == nil || o.Kind != jsontree.Object {
		return nil, failf("items() takes an object")
	}
	if err := s.step(len(o.Members)); err != nil {
		return nil, err
	}
	ms := append([]jsontree.Member(nil), o.Members...)
	sort.SliceStable(ms, func(i, j int) bool { return strings.ToLower(ms[i].Key) < strings.ToLower(ms[j].Key) })
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for _, m := range ms {
		k, err := s.newStr(m.Key, c.line)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, &jsontree.Node{Kind: jsontree.Object, Line: c.line, Members: []jsontree.Member{{Key: "key", Value: k}, {Key: "value", Value: m.Value}}})
	}
	return out, nil
}

func fnObjectKeys(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	o := args[0]
	if o == nil || o.Kind != jsontree.Object {
		return nil, failf("objectKeys() takes an object")
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for _, m := range o.Members {
		k, err := s.newStr(m.Key, c.line)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, k)
	}
	return out, nil
}

// fnCreateObjectLazy is createObject(): a value that cannot be evaluated
// stays its expression, evaluated (and unresolved again, with the same
// reason) only where it is read, so that one unknown member does not make
// the whole object unknown (Bicep compiles object literals with computed
// parts to createObject(); a cluster's properties are often one). Keys
// are evaluated, and names, lambda bodies and a spent budget stay eager.
func fnCreateObjectLazy(s *scope, c site) (*jsontree.Node, *evalError) {
	args := make([]*jsontree.Node, len(c.e.args))
	for i := range c.e.args {
		v, err := s.evalArg(c, i)
		if err != nil {
			if i%2 == 0 || c.mode == modeName || err == errBudget || len(s.lambdas) > 0 {
				return nil, err
			}
			n := &jsontree.Node{Kind: jsontree.String, Str: "[" + c.e.args[i].src + "]", Line: c.line}
			s.sh.bound[n] = s
			v = n
		}
		args[i] = v
	}
	return fnCreateObject(s, c, args)
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
