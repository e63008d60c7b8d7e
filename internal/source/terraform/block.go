package terraform

import (
	"encoding/json"
	"strconv"

	"github.com/aksguard/aksguard/internal/inventory"
)

// block is one resource, or one nested block of it, as either reader sees
// it. The mapping in mapping.go reads every argument through it, so plan
// JSON and HCL are mapped by the same code.
type block interface {
	// path is the Terraform address of the block:
	// azurerm_kubernetes_cluster.main, or ...main.default_node_pool[0].
	path() string
	// line is the 1-based line of the block in its file, 0 when unknown.
	line() int
	// attr reads one argument. An argument that is not set (or set to
	// null) is Absent; one that cannot be known offline is Unknown.
	attr(name string) val
	// blocks lists the nested blocks of a type in order. why is non-empty
	// when some of them cannot be listed offline (a dynamic block over an
	// unresolvable collection, a block known only after apply); the blocks
	// that could be listed are still returned.
	blocks(name string) (bs []block, why string)
	// names lists the arguments and nested block types the block sets,
	// with the line of each (the block's line when the input has none).
	// An argument set to null, or a block type with no block, is not
	// listed.
	names() []nameAt
}

// nameAt is an argument or block type set in a block, and its line.
type nameAt struct {
	name string
	line int
}

// val is one argument value as read from a block. v holds plain Go values:
// bool, string, json.Number, []any, map[string]any.
type val struct {
	state inventory.State
	v     any
	why   string
	path  string
	line  int
	// set and n: an Unknown value that is certainly set (see
	// inventory.Field.Set), and the length of such a list.
	set bool
	n   int
}

func absentVal(path string, line int) val { return val{path: path, line: line} }

func unknownVal(why, path string, line int) val {
	return val{state: inventory.Unknown, why: why, path: path, line: line}
}

// first returns the first Known value, else the first Unknown one, else the
// first (Absent) one. It reads an argument that has an old name next to its
// current one: both may appear in a plan of a provider that kept the old
// name as deprecated.
func first(vs ...val) val {
	for _, v := range vs {
		if v.state == inventory.Known {
			return v
		}
	}
	for _, v := range vs {
		if v.state == inventory.Unknown {
			return v
		}
	}
	return vs[0]
}

// field turns a value into a typed field.
func field[T any](v val, conv func(any) (T, bool), what string) inventory.Field[T] {
	switch v.state {
	case inventory.Absent:
		return inventory.Field[T]{Path: v.path, Line: v.line}
	case inventory.Unknown:
		if v.set {
			return inventory.SetUnknown[T](v.why, v.path, v.line, v.n)
		}
		return inventory.Unresolved[T](v.why, v.path, v.line)
	}
	t, ok := conv(v.v)
	if !ok {
		return inventory.Unresolved[T]("not "+what, v.path, v.line)
	}
	return inventory.Set(t, v.path, v.line)
}

func boolOf(v val) inventory.Field[bool]        { return field(v, toBool, "a boolean") }
func stringOf(v val) inventory.Field[string]    { return field(v, toString, "a string") }
func stringsOf(v val) inventory.Field[[]string] { return field(v, toStrings, "a list of strings") }

func toBool(x any) (bool, bool) {
	switch t := x.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(t)
		return b, err == nil
	}
	return false, false
}

func toString(x any) (string, bool) {
	switch t := x.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

func toStrings(x any) ([]string, bool) {
	items, ok := x.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := toString(it)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// nested is the first block of a type inside a parent: present, absent, or
// unknown. Arguments read through it carry the path parent.name[0].arg.
type nested struct {
	b    block
	why  string
	name string // parent path + "." + block type
	line int
}

func sub(parent block, name string) nested {
	n := nested{name: parent.path() + "." + name, line: parent.line()}
	bs, why := parent.blocks(name)
	switch {
	case len(bs) > 0:
		n.b, n.line = bs[0], bs[0].line()
	case why != "":
		n.why = why
	}
	return n
}

// subOf is the first block of a type inside a nested block (provider 2.x's
// role_based_access_control.azure_active_directory).
func subOf(n nested, name string) nested {
	if n.b != nil {
		return sub(n.b, name)
	}
	return nested{why: n.why, name: n.name + "[0]." + name, line: n.line}
}

// attr reads an argument of the nested block.
func (n nested) attr(name string) val {
	if n.b != nil {
		return n.b.attr(name)
	}
	p := n.name + "[0]." + name
	if n.why != "" {
		return unknownVal(n.why, p, n.line)
	}
	return absentVal(p, n.line)
}

// present is a Known true field when the block is there, Absent when not.
func (n nested) present() inventory.Field[bool] {
	switch {
	case n.b != nil:
		return inventory.Set(true, n.name, n.line)
	case n.why != "":
		return inventory.Unresolved[bool](n.why, n.name, n.line)
	}
	return inventory.Field[bool]{Path: n.name, Line: n.line}
}

// count is the number of blocks of a type inside the nested block.
func (n nested) count(name string) inventory.Field[int] {
	p := n.name + "[0]." + name
	if n.b == nil {
		if n.why != "" {
			return inventory.Unresolved[int](n.why, p, n.line)
		}
		return inventory.Field[int]{Path: p, Line: n.line}
	}
	bs, why := n.b.blocks(name)
	p = n.b.path() + "." + name
	if why != "" {
		return inventory.Unresolved[int](why, p, n.b.line())
	}
	if len(bs) == 0 {
		return inventory.Field[int]{Path: p, Line: n.b.line()}
	}
	return inventory.Set(len(bs), p, bs[0].line())
}
