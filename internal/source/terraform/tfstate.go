package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// IsStateNode reports whether a parsed JSON document is a raw Terraform
// state file (terraform.tfstate, as the backend stores it): version and
// terraform_version at the top level, with resources, modules (format 3)
// or lineage, and no format_version (which `terraform show -json` output
// has, and IsPlanNode claims).
func IsStateNode(n *jsontree.Node) bool {
	if n == nil || n.Kind != jsontree.Object {
		return false
	}
	keys := map[string]bool{}
	for _, m := range n.Members {
		keys[m.Key] = true
	}
	return keys["version"] && keys["terraform_version"] && !keys["format_version"] &&
		(keys["resources"] || keys["modules"] || keys["lineage"])
}

// stateVersion is the state format aksguard reads (Terraform 0.12 and
// later, OpenTofu).
const stateVersion = 4

// DecodeStateJSON maps a raw state file (format version 4) as observed
// state, like the state `terraform show -json` prints (Format
// FormatTFPlan): each instance's attributes go through the same argument
// table as plan values; the paths in an instance's sensitive_attributes
// are never read. Deposed objects are skipped; an instance in the legacy
// flat form (attributes_flat) is an error naming its line, never read as
// empty.
func DecodeStateJSON(data []byte, root *jsontree.Node, file string) *inventory.Batch {
	data = bytes.TrimPrefix(data, bom)
	fail := func(line int, msg string) *inventory.Batch {
		return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: line, Message: msg}}}
	}
	// Depth and duplicate keys: the plan reader's pre-pass.
	if shape := checkPlanShape(data); shape != nil {
		return fail(shape.line, shape.msg)
	}
	if v := exact(root, "version"); v == nil || v.Kind != jsontree.Number || v.Str != strconv.Itoa(stateVersion) {
		line := 0
		if v != nil {
			line = v.Line
		}
		return fail(line, fmt.Sprintf("state format version %s: aksguard reads format %d (Terraform 0.12 and later); run `terraform show -json > state.json` and scan that file", text(v), stateVersion))
	}
	r := &planReader{data: data, file: file, c: newCollector(inventory.FormatTFPlan), ids: map[string]string{}}
	res := exact(root, "resources")
	if res != nil && res.Kind != jsontree.Array {
		return fail(res.Line, "resources is not a list: not a Terraform state file; run `terraform show -json > state.json` and scan that file")
	}
	if res != nil {
		for _, rs := range res.Items {
			r.addStateResource(rs)
		}
	}
	r.mapAll()
	return r.c.finish()
}

// addStateResource adds the instances of one resource of the state.
func (r *planReader) addStateResource(rs *jsontree.Node) {
	if rs.Kind != jsontree.Object {
		r.stateError(rs.Line, "a resource is not an object")
		return
	}
	mode, typ, name := str(exact(rs, "mode")), str(exact(rs, "type")), str(exact(rs, "name"))
	if typ == "" || name == "" {
		r.stateError(rs.Line, "a resource has no type or name")
		return
	}
	switch mode {
	case "managed":
	case "data":
		typ = "data." + typ
	default:
		r.stateError(rs.Line, fmt.Sprintf("resource %s.%s has mode %q", typ, name, mode))
		return
	}
	base := typ + "." + name
	if mod := str(exact(rs, "module")); mod != "" {
		base = mod + "." + base
	}
	insts := exact(rs, "instances")
	if insts == nil || insts.Kind != jsontree.Array {
		r.stateError(rs.Line, base+" has no list of instances")
		return
	}
	for _, in := range insts.Items {
		if in.Kind != jsontree.Object {
			r.stateError(in.Line, base+": an instance is not an object")
			continue
		}
		if exact(in, "deposed") != nil {
			continue // being replaced (create_before_destroy): not the live object
		}
		addr := base + indexKey(exact(in, "index_key"))
		attrs := exact(in, "attributes")
		if attrs == nil || attrs.Kind != jsontree.Object {
			if watched(typ) {
				r.stateError(in.Line, addr+" has no attributes object (a state in the legacy flat form?): not read; run `terraform show -json > state.json` and scan that file")
			}
			continue
		}
		values, _ := goValue(attrs).(map[string]any)
		if r.lines == nil {
			r.lines = map[string]int{}
		}
		r.lines[addr] = in.Line
		if mode == "data" {
			// A data source's id is what references to it resolve to.
			if id, ok := values["id"].(string); ok && id != "" && !anyTrue(child(stateMarks(exact(in, "sensitive_attributes")), "id")) {
				r.ids[addr] = id
			}
			continue
		}
		r.add(addr, tfjson.ManagedResourceMode, typ, values, nil, stateMarks(exact(in, "sensitive_attributes")))
	}
}

func watched(typ string) bool {
	return isClusterType(typ) || typ == typePool || typ == typeDiag || typ == typeACR || typ == typePE
}

func (r *planReader) stateError(line int, msg string) {
	r.c.batch.Errors = append(r.c.batch.Errors, inventory.InputError{Input: r.file, Line: line,
		Message: msg + "; fix the state file or scan `terraform show -json` output instead"})
}

// indexKey is an instance's address suffix: [0] for count, ["k"] for
// for_each, nothing without either.
func indexKey(n *jsontree.Node) string {
	switch {
	case n == nil || n.Kind == jsontree.Null:
		return ""
	case n.Kind == jsontree.Number:
		return "[" + n.Str + "]"
	case n.Kind == jsontree.String:
		return "[" + strconv.Quote(n.Str) + "]"
	}
	return "[?]"
}

// stateMarks turns an instance's sensitive_attributes (a list of paths,
// each a list of steps {"type": "get_attr", "value": NAME} or {"type":
// "index", "value": {"value": KEY, "type": "number"|"string"}}) into a
// marks tree like a plan's after_sensitive. A path aksguard cannot read
// marks its parent, and sensitive_attributes it cannot read at all mark
// the whole instance: a value is never read past a mark it did not
// understand.
func stateMarks(n *jsontree.Node) any {
	if n == nil || n.Kind == jsontree.Null {
		return nil
	}
	if n.Kind != jsontree.Array {
		return true
	}
	var root any
	for _, p := range n.Items {
		if p.Kind != jsontree.Array || len(p.Items) == 0 {
			return true
		}
		root = markPath(root, p.Items)
	}
	return root
}

func markPath(t any, steps []*jsontree.Node) any {
	if t == true {
		return true
	}
	if len(steps) == 0 {
		return true
	}
	st := steps[0]
	kind, v := str(exact(st, "type")), exact(st, "value")
	switch {
	case kind == "get_attr" && v != nil && v.Kind == jsontree.String:
		m, ok := t.(map[string]any)
		if !ok {
			if t != nil {
				return true // a list here before: mark the whole
			}
			m = map[string]any{}
		}
		m[v.Str] = markPath(m[v.Str], steps[1:])
		return m
	case kind == "index" && v != nil:
		k := exact(v, "value")
		if k != nil && k.Kind == jsontree.Number {
			i, err := strconv.Atoi(k.Str)
			if err != nil || i < 0 || i > maxInstances {
				return true
			}
			l, ok := t.([]any)
			if !ok {
				if t != nil {
					return true
				}
				l = nil
			}
			for len(l) <= i {
				l = append(l, nil)
			}
			l[i] = markPath(l[i], steps[1:])
			return l
		}
		if k != nil && k.Kind == jsontree.String {
			m, ok := t.(map[string]any)
			if !ok {
				if t != nil {
					return true
				}
				m = map[string]any{}
			}
			m[k.Str] = markPath(m[k.Str], steps[1:])
			return m
		}
	}
	return true
}

// exact is a member looked up by its exact key (state keys never fold).
func exact(n *jsontree.Node, key string) *jsontree.Node {
	if n == nil || n.Kind != jsontree.Object {
		return nil
	}
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

func str(n *jsontree.Node) string {
	if n == nil || n.Kind != jsontree.String {
		return ""
	}
	return n.Str
}

func text(n *jsontree.Node) string {
	if n == nil {
		return "missing"
	}
	if n.Kind == jsontree.String {
		return strconv.Quote(n.Str)
	}
	if n.Str != "" {
		return n.Str
	}
	return n.Kind.String()
}

// goValue converts a JSON value to the plain Go values the mapping reads
// (the shapes encoding/json produces with UseNumber).
func goValue(n *jsontree.Node) any {
	switch n.Kind {
	case jsontree.Bool:
		return n.Bool
	case jsontree.Number:
		return json.Number(n.Str)
	case jsontree.String:
		return n.Str
	case jsontree.Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = goValue(it)
		}
		return out
	case jsontree.Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			out[m.Key] = goValue(m.Value)
		}
		return out
	}
	return nil
}
