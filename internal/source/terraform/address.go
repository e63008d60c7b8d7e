package terraform

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// modStep is one module call on the way to a resource: module.NAME[KEY].
type modStep struct{ name, key string }

// resAddr is a resource instance address:
// module.aks["x"].azurerm_kubernetes_cluster.main[0].
type resAddr struct {
	modules []modStep
	data    bool
	typ     string
	name    string
	key     string // "[0]", `["a"]` or ""
}

func (a resAddr) prefix() string {
	var b strings.Builder
	for _, m := range a.modules {
		b.WriteString("module." + m.name + m.key + ".")
	}
	return b.String()
}

func (a resAddr) String() string {
	s := a.prefix()
	if a.data {
		s += "data."
	}
	return s + a.typ + "." + a.name + a.key
}

// ref is what a reference in an expression points at.
type ref struct {
	kind string  // "resource", "data", "module", "var", "local" or "other"
	res  resAddr // resource and data references (relative to the module)
	mod  modStep // module references
	name string  // the variable, local or module output name
}

// steps reads a traversal step by step.
type steps struct {
	tr hcl.Traversal
	i  int
}

func (s *steps) attr() (string, bool) {
	if s.i >= len(s.tr) {
		return "", false
	}
	switch t := s.tr[s.i].(type) {
	case hcl.TraverseRoot:
		s.i++
		return t.Name, true
	case hcl.TraverseAttr:
		s.i++
		return t.Name, true
	}
	return "", false
}

// key reads an optional instance key.
func (s *steps) key() string {
	if s.i >= len(s.tr) {
		return ""
	}
	t, ok := s.tr[s.i].(hcl.TraverseIndex)
	if !ok {
		return ""
	}
	s.i++
	return formatKey(t.Key)
}

func formatKey(k cty.Value) string {
	if k.IsNull() || !k.IsKnown() || k.IsMarked() {
		return ""
	}
	switch k.Type() {
	case cty.Number:
		return "[" + k.AsBigFloat().Text('f', -1) + "]"
	case cty.String:
		return "[" + strconv.Quote(k.AsString()) + "]"
	}
	return ""
}

// parseRef reads a traversal as a reference.
func parseRef(tr hcl.Traversal) ref {
	s := &steps{tr: tr}
	root, ok := s.attr()
	if !ok {
		return ref{kind: "other"}
	}
	switch root {
	case "var", "local":
		name, ok := s.attr()
		if !ok {
			return ref{kind: "other"}
		}
		return ref{kind: root, name: name}
	case "module":
		m, ok := s.attr()
		if !ok {
			return ref{kind: "other"}
		}
		step := modStep{name: m, key: s.key()}
		out, _ := s.attr()
		return ref{kind: "module", mod: step, name: out}
	case "count", "each", "path", "terraform", "self":
		return ref{kind: "other"}
	case "data":
		typ, ok1 := s.attr()
		name, ok2 := s.attr()
		if !ok1 || !ok2 {
			return ref{kind: "other"}
		}
		return ref{kind: "data", res: resAddr{data: true, typ: typ, name: name, key: s.key()}}
	}
	name, ok := s.attr()
	if !ok {
		return ref{kind: "other"}
	}
	return ref{kind: "resource", res: resAddr{typ: root, name: name, key: s.key()}}
}

// parseAddress reads an absolute resource instance address as printed in
// plan JSON.
func parseAddress(addr string) (resAddr, bool) {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(addr), "", hcl.InitialPos)
	if diags.HasErrors() {
		return resAddr{}, false
	}
	s := &steps{tr: tr}
	var a resAddr
	for {
		n, ok := s.attr()
		if !ok {
			return resAddr{}, false
		}
		if n == "module" {
			m, ok := s.attr()
			if !ok {
				return resAddr{}, false
			}
			a.modules = append(a.modules, modStep{name: m, key: s.key()})
			continue
		}
		if n == "data" {
			a.data = true
			if n, ok = s.attr(); !ok {
				return resAddr{}, false
			}
		}
		a.typ = n
		if a.name, ok = s.attr(); !ok {
			return resAddr{}, false
		}
		a.key = s.key()
		return a, s.i == len(tr)
	}
}

// stripKeys drops every instance key from an address.
func stripKeys(addr string) string {
	a, ok := parseAddress(addr)
	if !ok {
		return addr
	}
	for i := range a.modules {
		a.modules[i].key = ""
	}
	a.key = ""
	return a.String()
}

// resourceType is the resource type of an address, "" when it is none.
func resourceType(addr string) string {
	a, ok := parseAddress(addr)
	if !ok || a.data {
		return ""
	}
	return a.typ
}

// refAttr is the attribute a resource or data-source reference reads
// ("id" in azurerm_x.y.id or data.t.n[0].id), "" when it names the whole
// resource, and "-" when it reads deeper (azurerm_x.y.identity[0].principal_id).
func refAttr(tr hcl.Traversal) string {
	var names []string
	for _, st := range tr {
		switch t := st.(type) {
		case hcl.TraverseRoot:
			names = append(names, t.Name)
		case hcl.TraverseAttr:
			names = append(names, t.Name)
		}
	}
	head := 2
	if len(names) > 0 && names[0] == "data" {
		head = 3
	}
	switch {
	case len(names) == head:
		return ""
	case len(names) == head+1:
		return names[head]
	}
	return "-"
}

// isIDExpr reports whether an HCL expression is nothing but a reference to
// a resource's or data source's id ("${azurerm_x.y.id}" included).
func isIDExpr(expr hclsyntax.Expression) bool {
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		expr = w.Wrapped
	}
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return false
	}
	r := parseRef(st.Traversal)
	if r.kind != "resource" && r.kind != "data" {
		return false
	}
	a := refAttr(st.Traversal)
	return a == "id" || a == "object_id"
}
