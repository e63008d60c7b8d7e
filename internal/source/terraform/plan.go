package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

var bom = []byte("\xef\xbb\xbf")

// IsPlanJSON reports whether data is `terraform show -json` output: a JSON
// object with format_version and one of planned_values, resource_changes
// (a plan) or values (a state).
func IsPlanJSON(data []byte) bool {
	keys, err := topKeys(bytes.TrimPrefix(data, bom))
	return err == nil && isPlanKeys(keys)
}

// IsPlanNode is IsPlanJSON for a document already parsed.
func IsPlanNode(n *jsontree.Node) bool {
	if n == nil || n.Kind != jsontree.Object {
		return false
	}
	keys := map[string]bool{}
	for _, m := range n.Members {
		keys[m.Key] = true
	}
	return isPlanKeys(keys)
}

func isPlanKeys(k map[string]bool) bool {
	return k["format_version"] && (k["planned_values"] || k["resource_changes"] || k["values"])
}

// DecodePlanJSON maps `terraform show -json` output of a plan or a state:
// azurerm_kubernetes_cluster resources become clusters (Format
// FormatTFPlan), azurerm_kubernetes_cluster_node_pool resources join their
// cluster, azurerm_monitor_diagnostic_setting resources become
// diagnostics. Modules are walked recursively. Problems are returned as the
// batch's Errors, never as a panic.
func DecodePlanJSON(data []byte, file string) *inventory.Batch {
	data = bytes.TrimPrefix(data, bom)
	fail := func(line int, msg string) *inventory.Batch {
		return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: line, Message: msg}}}
	}
	// The depth first, then the syntax (a duplicate key in a document
	// that is not JSON is no news), then duplicate keys.
	shape := checkPlanShape(data)
	if shape != nil && shape.depth {
		return fail(shape.line, shape.msg)
	}
	keys, err := topKeys(data)
	if err != nil {
		return fail(errLine(data, err), "not valid JSON ("+errText(err)+"); give the output of `terraform show -json PLANFILE` or `terraform show -json`")
	}
	if shape != nil {
		return fail(shape.line, shape.msg)
	}
	if !keys["format_version"] {
		return fail(0, "no format_version: not `terraform show -json` output; run `terraform show -json PLANFILE > plan.json` and scan that file")
	}
	r := &planReader{data: data, file: file, c: newCollector(inventory.FormatTFPlan), ids: map[string]string{}}
	switch {
	case keys["planned_values"] || keys["resource_changes"]:
		var p tfjson.Plan
		p.UseJSONNumber(true)
		if err := json.Unmarshal(data, &p); err != nil {
			return fail(errLine(data, err), "cannot read the plan: "+errText(err)+"; regenerate it with `terraform show -json PLANFILE`")
		}
		r.readPlan(&p)
	case keys["values"]:
		var s tfjson.State
		s.UseJSONNumber(true)
		if err := json.Unmarshal(data, &s); err != nil {
			return fail(errLine(data, err), "cannot read the state: "+errText(err)+"; regenerate it with `terraform show -json`")
		}
		r.readState(&s)
	}
	// Otherwise an empty state: `terraform show -json` prints only the
	// format version.
	return r.c.finish()
}

// planReader maps the resources of one plan or state.
type planReader struct {
	data  []byte
	file  string
	c     *collector
	cfg   planConfig
	ids   map[string]string // known id of every resource and data source, by address
	lines map[string]int    // line of every address (addressLines)
	res   []planResource
}

type planResource struct {
	addr, typ string
	b         *jsonBlock
}

func (r *planReader) readPlan(p *tfjson.Plan) {
	if p.Config != nil {
		r.cfg.root = p.Config.RootModule
	}
	changes := map[string]*tfjson.Change{}
	for _, rc := range p.ResourceChanges {
		// A deposed object (create_before_destroy) shares the address of
		// the new one and is only being deleted.
		if rc != nil && rc.Change != nil && rc.DeposedKey == "" {
			changes[rc.Address] = rc.Change
		}
	}
	if p.PlannedValues != nil && p.PlannedValues.RootModule != nil {
		walkModule(p.PlannedValues.RootModule, 0, func(res *tfjson.StateResource) {
			if ch := changes[res.Address]; ch != nil {
				// A value marked sensitive anywhere (before the change,
				// after it, or in planned_values) is not read.
				r.add(res.Address, res.Mode, res.Type, res.AttributeValues, ch.AfterUnknown,
					unionMarks(unionMarks(ch.AfterSensitive, ch.BeforeSensitive), rawMarks(res.SensitiveValues)))
			} else {
				r.add(res.Address, res.Mode, res.Type, res.AttributeValues, nil, rawMarks(res.SensitiveValues))
			}
		})
	} else {
		// A plan trimmed to its resource_changes.
		for _, rc := range p.ResourceChanges {
			if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
				continue
			}
			if after, ok := rc.Change.After.(map[string]any); ok {
				r.add(rc.Address, rc.Mode, rc.Type, after, rc.Change.AfterUnknown, unionMarks(rc.Change.AfterSensitive, rc.Change.BeforeSensitive))
			}
		}
	}
	r.mapAll()
}

func (r *planReader) readState(s *tfjson.State) {
	if s.Values != nil && s.Values.RootModule != nil {
		walkModule(s.Values.RootModule, 0, func(res *tfjson.StateResource) {
			r.add(res.Address, res.Mode, res.Type, res.AttributeValues, nil, rawMarks(res.SensitiveValues))
		})
	}
	r.mapAll()
}

// maxModuleDepth bounds module nesting (Terraform itself has no limit, but
// real configurations stay far below it).
const maxModuleDepth = 64

func walkModule(m *tfjson.StateModule, depth int, fn func(*tfjson.StateResource)) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, res := range m.Resources {
		if res != nil {
			fn(res)
		}
	}
	for _, cm := range m.ChildModules {
		walkModule(cm, depth+1, fn)
	}
}

// unionMarks is a marks tree that marks what either marks.
func unionMarks(a, b any) any {
	if a == true || b == true {
		return true
	}
	mismatch := func() any {
		if anyTrue(b) {
			return true
		}
		return a
	}
	switch ta := a.(type) {
	case map[string]any:
		tb, ok := b.(map[string]any)
		if !ok {
			return mismatch()
		}
		out := make(map[string]any, len(ta)+len(tb))
		for k, v := range ta {
			out[k] = v
		}
		for k, v := range tb {
			out[k] = unionMarks(out[k], v)
		}
		return out
	case []any:
		tb, ok := b.([]any)
		if !ok {
			return mismatch()
		}
		n := max(len(ta), len(tb))
		out := make([]any, n)
		for i := range n {
			var x, y any
			if i < len(ta) {
				x = ta[i]
			}
			if i < len(tb) {
				y = tb[i]
			}
			out[i] = unionMarks(x, y)
		}
		return out
	case nil, bool: // nil or false
		return b
	}
	return mismatch()
}

func rawMarks(raw json.RawMessage) any {
	var v any
	if len(raw) > 0 && json.Unmarshal(raw, &v) == nil {
		return v
	}
	return nil
}

func (r *planReader) add(addr string, mode tfjson.ResourceMode, typ string, values map[string]any, unknown, sensitive any) {
	if id, ok := values["id"].(string); ok && id != "" && !anyTrue(child(sensitive, "id")) {
		r.ids[addr] = id
	}
	if mode != tfjson.ManagedResourceMode {
		return
	}
	switch typ {
	case typeCluster, typeAutoCluster, typePool, typeDiag, typeAzAPI, typeAzAPIUpdate, typeACR, typePE:
	default:
		return
	}
	if addr == "" {
		// terraform show -json gives every resource its address; without
		// one nothing can name the resource or join to it.
		r.c.batch.Errors = append(r.c.batch.Errors, inventory.InputError{Input: r.file,
			Message: "a " + typ + " resource has no address: regenerate the file with terraform show -json"})
		return
	}
	if r.lines == nil {
		r.lines = addressLines(r.data)
	}
	b := &jsonBlock{values: values, unknown: unknown, sensitive: sensitive, sens: sensitiveArgs[typ], p: addr, ln: r.lines[addr]}
	b.idRef = func(arg string) bool { return r.cfg.isIDRef(addr, arg) }
	r.res = append(r.res, planResource{addr: addr, typ: typ, b: b})
}

func (r *planReader) mapAll() {
	for _, pr := range r.res {
		src := inventory.Source{File: r.file, Line: pr.b.ln}
		key := ""
		if a, ok := parseAddress(pr.addr); ok {
			key = a.key
		}
		switch pr.typ {
		case typeCluster:
			r.c.addCluster(mapCluster(pr.b, inventory.FormatTFPlan, src))
		case typeAutoCluster:
			r.c.addCluster(mapAutomaticCluster(pr.b, inventory.FormatTFPlan, src), nil)
		case typePool:
			pool := mapPool(pr.b, pr.addr, false, r.file)
			pool.Source = src
			r.c.pools = append(r.c.pools, pendingPool{pool: pool, to: r.link(pr.b, argPoolCluster), key: key})
		case typeDiag:
			r.c.diags = append(r.c.diags, pendingDiag{setting: mapDiag(pr.b, src), to: r.link(pr.b, argDiagTarget), key: key})
		case typeAzAPI:
			r.azapiPlan(pr, src, key)
		case typeAzAPIUpdate:
			r.azapiUpdatePlan(pr, src, key)
		case typeACR:
			r.c.registries = append(r.c.registries, pendingRegistry{reg: mapRegistry(pr.b, src), addr: pr.addr})
		case typePE:
			i := 0
			to, why := peLinks(pr.b, func(cb block) link {
				var l link
				if v := cb.attr(argPETarget); v.state == inventory.Known {
					l.id, _ = toString(v.v)
				}
				l.refs = r.cfg.nestedArgRefs(pr.addr, "private_service_connection", i, argPETarget)
				if l.id == "" && len(l.refs) == 0 {
					l.text = whyAfterApply
				}
				i++
				return l
			})
			r.c.pes = append(r.c.pes, pendingPE{addr: pr.addr, src: src, to: to, why: why})
		}
	}
}

// link reads an argument that names a cluster: its value when known, and
// the resources the configuration says it refers to.
func (r *planReader) link(b *jsonBlock, arg string) link {
	var l link
	if v := b.attr(arg); v.state == inventory.Known {
		l.id, _ = toString(v.v)
	}
	l.refs = r.cfg.argRefs(b.p, arg)
	if l.id == "" {
		// A reference to a data source (or to an existing resource)
		// whose id the plan already knows.
		for _, ref := range l.refs {
			if id := r.ids[ref]; id != "" && !isClusterType(resourceType(ref)) {
				l.id = id
				break
			}
		}
		l.text = r.cfg.argText(b.p, arg)
		if l.text == "" {
			l.text = whyAfterApply
		}
	}
	return l
}

// addressLines maps each address to the line of the first
// `"address": "ADDR"` in the JSON text. Terraform writes planned_values
// first, so the first is the resource object there. One pass over the
// text: searching it once per resource made large plans quadratic.
func addressLines(data []byte) map[string]int {
	out := map[string]int{}
	key := []byte(`"address"`)
	lines := lineCounter{data: data, line: 1}
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], key)
		if i < 0 {
			break
		}
		at := off + i
		off = at + len(key)
		if at > 0 && data[at-1] == '\\' {
			continue // inside a string
		}
		rest := bytes.TrimLeft(data[off:], " \t\r\n")
		if len(rest) == 0 || rest[0] != ':' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		end := stringEnd(rest)
		if end < 0 {
			continue
		}
		var addr string
		if json.Unmarshal(rest[:end], &addr) != nil {
			continue
		}
		if _, seen := out[addr]; !seen {
			out[addr] = lines.at(int64(at))
		}
	}
	return out
}

// stringEnd is the length of the JSON string at the start of b, -1 when b
// does not start with one.
func stringEnd(b []byte) int {
	if len(b) == 0 || b[0] != '"' {
		return -1
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// topKeys returns the keys of a top-level JSON object, checking the whole
// document's syntax on the way.
func topKeys(data []byte) (map[string]bool, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, &offsetError{off: 0, msg: "the document is a JSON " + te.Value + ", not an object"}
		}
		return nil, err
	}
	if top == nil {
		return nil, &offsetError{off: 0, msg: "the document is JSON null, not an object"}
	}
	keys := make(map[string]bool, len(top))
	for k := range top {
		keys[k] = true
	}
	return keys, nil
}

// offsetError is a JSON problem at a byte offset.
type offsetError struct {
	off int64
	msg string
}

func (e *offsetError) Error() string { return e.msg }

// errLine is the 1-based line of a JSON error, 0 when it has no offset.
func errLine(data []byte, err error) int {
	var off int64 = -1
	var oe *offsetError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &oe):
		off = oe.off
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return 0
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

func errText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s has the wrong type (%s, want %s)", te.Field, te.Value, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
