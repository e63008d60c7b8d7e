package terraform

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// parseJSONConfig reads a *.tf.json file (Terraform's JSON configuration
// syntax) into the same native-syntax body a .tf file gives, so that one
// evaluator reads both: strings are templates ("${var.x}") where Terraform
// evaluates them, a variable's default is a literal, its type an
// expression. Ranges point into the JSON file, so evidence names its lines.
//
// Nested blocks carry no mark in JSON: a key whose value is an object or a
// list of objects is read as a block (as Terraform does through the
// provider's schema), except the map arguments of the resources aksguard
// reads (jsonMapArgs). Keys named "//" are comments.
func parseJSONConfig(src []byte, name string) (*hclsyntax.Body, hcl.Diagnostics) {
	f, diags := hcljson.Parse(src, name)
	if diags.HasErrors() {
		return nil, diags
	}
	j := &jsonConv{src: src}
	top, d := f.Body.JustAttributes()
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, diags
	}
	out := j.newBody(f.Body.MissingItemRange())
	for _, a := range sortedAttrs(top) {
		switch a.Name {
		case "resource", "data":
			for _, typ := range j.pairs(a.Expr) {
				for _, nm := range j.pairs(typ.Value) {
					for _, body := range j.bodies(nm.Value) {
						out.Blocks = append(out.Blocks, j.block(a.Name, []hcl.KeyValuePair{typ, nm}, j.body(body, bodyResource)))
					}
				}
			}
		case "variable", "output", "module", "provider":
			mode := map[string]int{"variable": bodyVariable, "output": bodyOutput, "module": bodyAttrs, "provider": bodyAttrs}[a.Name]
			for _, nm := range j.pairs(a.Expr) {
				for _, body := range j.bodies(nm.Value) {
					out.Blocks = append(out.Blocks, j.block(a.Name, []hcl.KeyValuePair{nm}, j.body(body, mode)))
				}
			}
		case "locals":
			for _, body := range j.bodies(a.Expr) {
				out.Blocks = append(out.Blocks, j.block(a.Name, nil, j.body(body, bodyAttrs)))
			}
		}
	}
	return out, append(diags, j.diags...)
}

// How the members of a JSON body are read.
const (
	bodyResource = iota // templates; objects are nested blocks
	bodyAttrs           // templates; objects are object values
	bodyVariable        // literals; type is an expression; validation is a block
	bodyOutput          // value is a template; the rest literals
)

// jsonMapArgs are the map-typed arguments of the resources aksguard reads:
// an object there is a value, not a block.
var jsonMapArgs = map[string]bool{"tags": true, "node_labels": true}

type jsonConv struct {
	src   []byte
	diags hcl.Diagnostics
}

func (j *jsonConv) newBody(r hcl.Range) *hclsyntax.Body {
	return &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: r, EndRange: r}
}

func (j *jsonConv) first(x hcl.Expression) byte {
	r := x.Range()
	if r.Start.Byte < 0 || r.Start.Byte >= len(j.src) {
		return 0
	}
	return j.src[r.Start.Byte]
}

// pairs lists an object's members in the order of the file, without
// comments; a value that is not an object is an error.
func (j *jsonConv) pairs(x hcl.Expression) []hcl.KeyValuePair {
	kvs, diags := hcl.ExprMap(x)
	if diags.HasErrors() {
		j.diags = append(j.diags, diags...)
		return nil
	}
	out := kvs[:0]
	for _, kv := range kvs {
		if key(kv) != "//" {
			out = append(out, kv)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Key.Range().Start.Byte < out[b].Key.Range().Start.Byte })
	return out
}

// bodies is one object, or the objects of an array (a block written
// several times).
func (j *jsonConv) bodies(x hcl.Expression) []hcl.Expression {
	if j.first(x) != '[' {
		return []hcl.Expression{x}
	}
	items, diags := hcl.ExprList(x)
	j.diags = append(j.diags, diags...)
	return items
}

func key(kv hcl.KeyValuePair) string {
	v, diags := kv.Key.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return ""
	}
	return v.AsString()
}

func (j *jsonConv) block(typ string, labels []hcl.KeyValuePair, body *hclsyntax.Body) *hclsyntax.Block {
	blk := &hclsyntax.Block{Type: typ, Body: body, TypeRange: body.SrcRange, OpenBraceRange: body.SrcRange, CloseBraceRange: body.EndRange}
	for _, l := range labels {
		blk.Labels = append(blk.Labels, key(l))
		blk.LabelRanges = append(blk.LabelRanges, l.Key.Range())
	}
	if len(labels) > 0 {
		// The block starts at its innermost label: the line that names it.
		blk.TypeRange = labels[len(labels)-1].Key.Range()
	}
	return blk
}

// body converts one JSON object into a block body.
func (j *jsonConv) body(x hcl.Expression, mode int) *hclsyntax.Body {
	out := j.newBody(x.Range())
	if j.first(x) != '{' {
		j.diags = append(j.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Block body is not a JSON object", Subject: x.Range().Ptr()})
		return out
	}
	for _, kv := range j.pairs(x) {
		name := key(kv)
		switch {
		case mode == bodyResource && name == "dynamic":
			for _, lbl := range j.pairs(kv.Value) {
				for _, b := range j.bodies(lbl.Value) {
					out.Blocks = append(out.Blocks, j.block("dynamic", []hcl.KeyValuePair{lbl}, j.dynamicBody(b)))
				}
			}
			continue
		case mode == bodyResource && !jsonMapArgs[name] && j.isBlock(kv.Value),
			mode == bodyVariable && name == "validation":
			for _, b := range j.bodies(kv.Value) {
				out.Blocks = append(out.Blocks, j.block(name, []hcl.KeyValuePair{{Key: kv.Key, Value: b}}, j.body(b, bodyResource)))
				out.Blocks[len(out.Blocks)-1].Labels, out.Blocks[len(out.Blocks)-1].LabelRanges = nil, nil
			}
			continue
		}
		if _, dup := out.Attributes[name]; dup {
			j.diags = append(j.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate argument " + name, Subject: kv.Key.Range().Ptr()})
			continue
		}
		tmpl := mode == bodyResource || mode == bodyAttrs || (mode == bodyOutput && name == "value")
		var e hclsyntax.Expression
		if mode == bodyVariable && name == "type" {
			e = j.typeExpr(kv.Value)
		} else {
			e = j.expr(kv.Value, tmpl, 0)
		}
		kr := kv.Key.Range()
		out.Attributes[name] = &hclsyntax.Attribute{Name: name, Expr: e, SrcRange: hcl.RangeBetween(kr, kv.Value.Range()), NameRange: kr, EqualsRange: kr}
	}
	return out
}

// dynamicBody is a dynamic block's body: for_each, iterator, labels and a
// content block.
func (j *jsonConv) dynamicBody(x hcl.Expression) *hclsyntax.Body {
	out := j.newBody(x.Range())
	if j.first(x) != '{' {
		return out
	}
	for _, kv := range j.pairs(x) {
		name := key(kv)
		if name == "content" {
			for _, b := range j.bodies(kv.Value) {
				blk := j.block("content", nil, j.body(b, bodyResource))
				blk.TypeRange = kv.Key.Range()
				out.Blocks = append(out.Blocks, blk)
			}
			continue
		}
		kr := kv.Key.Range()
		out.Attributes[name] = &hclsyntax.Attribute{Name: name, Expr: j.expr(kv.Value, true, 0), SrcRange: hcl.RangeBetween(kr, kv.Value.Range()), NameRange: kr, EqualsRange: kr}
	}
	return out
}

// isBlock: an object, or a non-empty array of objects.
func (j *jsonConv) isBlock(x hcl.Expression) bool {
	switch j.first(x) {
	case '{':
		return true
	case '[':
		items, diags := hcl.ExprList(x)
		if diags.HasErrors() || len(items) == 0 {
			return false
		}
		for _, it := range items {
			if j.first(it) != '{' {
				return false
			}
		}
		return true
	}
	return false
}

// maxJSONDepth bounds the nesting of converted values (checkNesting bounds
// the file before; this is the converter's own guard).
const maxJSONDepth = 200

// expr converts a JSON value: strings are templates when tmpl is set,
// arrays and objects are converted member by member.
func (j *jsonConv) expr(x hcl.Expression, tmpl bool, depth int) hclsyntax.Expression {
	r := x.Range()
	if depth > maxJSONDepth {
		j.diags = append(j.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "JSON value nested too deeply", Subject: r.Ptr()})
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	switch j.first(x) {
	case '{':
		obj := &hclsyntax.ObjectConsExpr{SrcRange: r, OpenRange: r}
		for _, kv := range j.pairs(x) {
			obj.Items = append(obj.Items, hclsyntax.ObjectConsItem{
				KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: &hclsyntax.LiteralValueExpr{Val: cty.StringVal(key(kv)), SrcRange: kv.Key.Range()}},
				ValueExpr: j.expr(kv.Value, tmpl, depth+1),
			})
		}
		return obj
	case '[':
		items, diags := hcl.ExprList(x)
		j.diags = append(j.diags, diags...)
		tup := &hclsyntax.TupleConsExpr{SrcRange: r, OpenRange: r}
		for _, it := range items {
			tup.Exprs = append(tup.Exprs, j.expr(it, tmpl, depth+1))
		}
		return tup
	}
	v, diags := x.Value(nil)
	if diags.HasErrors() {
		j.diags = append(j.diags, diags...)
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	if tmpl && v.Type() == cty.String && !v.IsNull() {
		start := r.Start
		start.Byte++
		start.Column++
		t, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), r.Filename, start)
		if diags.HasErrors() {
			j.diags = append(j.diags, diags...)
			return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
		}
		return t
	}
	return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: r}
}

// typeExpr is a variable's type: an expression written as a string.
func (j *jsonConv) typeExpr(x hcl.Expression) hclsyntax.Expression {
	r := x.Range()
	v, diags := x.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	start := r.Start
	start.Byte++
	start.Column++
	e, diags := hclsyntax.ParseExpression([]byte(v.AsString()), r.Filename, start)
	if diags.HasErrors() {
		j.diags = append(j.diags, diags...)
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	return e
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Range.Start.Byte < out[b].Range.Start.Byte })
	return out
}
