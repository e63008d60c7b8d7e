// Package arm reads AKS managed clusters and the Azure resources around them
// from ARM-shaped JSON: `az aks show/list -o json` (flattened, az casing), ARM
// REST bodies and list responses, and ARM template exports. Keys and enum
// values are matched case-insensitively.
package arm

import (
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// Resolver turns a value that may be a template expression into a plain
// value. It returns a non-empty reason when the value cannot be resolved.
type Resolver func(n *jsontree.Node) (*jsontree.Node, string)

func identity(n *jsontree.Node) (*jsontree.Node, string) { return n, "" }

// reader reads fields below a base object, recording the path as spelled in
// the input.
type reader struct {
	resolve Resolver
}

// walk follows keys case-insensitively, resolving expressions at every step.
// It returns the node (nil when absent), the path as spelled in the input,
// and a reason when an expression on the way could not be resolved (the
// node returned with a reason is the unresolved one, for its line).
func (r reader) walk(base *jsontree.Node, basePath string, keys ...string) (*jsontree.Node, string, string) {
	cur := base
	path := basePath
	for _, k := range keys {
		if cur == nil {
			return nil, join(path, strings.Join(keys, ".")), ""
		}
		raw := cur
		var why string
		cur, why = r.resolve(cur)
		if why != "" {
			return raw, path, why
		}
		if cur == nil || cur.Kind != jsontree.Object {
			return nil, joinRest(path, keys, k), ""
		}
		found := false
		for _, m := range cur.Members {
			if m.Key == k {
				cur, path, found = m.Value, join(path, m.Key), true
				break
			}
		}
		if !found {
			for _, m := range cur.Members {
				if strings.EqualFold(m.Key, k) {
					cur, path, found = m.Value, join(path, m.Key), true
					break
				}
			}
		}
		if !found {
			return nil, joinRest(path, keys, k), ""
		}
	}
	if cur != nil {
		raw := cur
		var why string
		cur, why = r.resolve(cur)
		if why != "" {
			return raw, path, why
		}
	}
	return cur, path, ""
}

func joinRest(path string, keys []string, from string) string {
	for i, k := range keys {
		if k == from {
			return join(path, strings.Join(keys[i:], "."))
		}
	}
	return path
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func (r reader) boolField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[bool] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[bool](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[bool]{Path: path, Line: nullLine(n)}
	}
	v, ok := n.AsBool()
	if !ok {
		return inventory.Unresolved[bool]("not a boolean: "+n.Scalar(), path, n.Line)
	}
	return inventory.Set(v, path, n.Line)
}

func (r reader) stringField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[string] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[string](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[string]{Path: path, Line: nullLine(n)}
	}
	switch n.Kind {
	case jsontree.String, jsontree.Number, jsontree.Bool:
		return inventory.Set(n.Scalar(), path, n.Line)
	}
	return inventory.Unresolved[string]("not a string: "+n.Kind.String(), path, n.Line)
}

func (r reader) stringsField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[[]string] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[[]string](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[[]string]{Path: path, Line: nullLine(n)}
	}
	if n.Kind != jsontree.Array {
		return inventory.Unresolved[[]string]("not a list: "+n.Kind.String(), path, n.Line)
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		it, why := r.resolve(it)
		if why != "" {
			return inventory.Unresolved[[]string](why, path, n.Line)
		}
		s, ok := it.AsString()
		if !ok {
			return inventory.Unresolved[[]string]("list item is not a string", path, n.Line)
		}
		out = append(out, s)
	}
	return inventory.Set(out, path, n.Line)
}

func lineOf(n, base *jsontree.Node) int {
	if n != nil {
		return n.Line
	}
	if base != nil {
		return base.Line
	}
	return 0
}

// nullLine is the line of an explicit null (az prints absent settings as
// null), 0 when the key is missing altogether.
func nullLine(n *jsontree.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}
