package terraform

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// TestTFJSONSameAsHCL converts every .tf fixture directory of the verdict
// matrix and of this package into Terraform's JSON syntax (tfJSON below:
// literals as JSON values, other expressions as "${...}" templates, blocks
// as lists of objects) and reads both: the inventories are the same, lines,
// file names and the quoted text of unknown expressions aside.
func TestTFJSONSameAsHCL(t *testing.T) {
	dirs := []string{
		"../../../examples/insecure/terraform", "../../../examples/hardened/terraform",
		"../../checks/testdata/forms/tfhcl/exposed", "../../checks/testdata/forms/tfhcl/legacy",
		"testdata/hcl/insecure", "testdata/hcl/hardened", "testdata/hcl/locals", "testdata/hcl/vars",
	}
	norm := []struct {
		re   *regexp.Regexp
		with string
	}{
		{regexp.MustCompile(`"(?i:line)":\d+`), `"line":0`},
		{regexp.MustCompile(`\.tf\.json\b`), ".tf"},
		{regexp.MustCompile(`"Why":"(?:[^"\\]|\\.)*"`), `"Why":""`},
		{regexp.MustCompile(`"PoolsUnknown":"(?:[^"\\]|\\.)*"`), `"PoolsUnknown":""`},
		{regexp.MustCompile(`:\d+\)`), `)`},
	}
	dump := func(v any) string {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		s := string(js)
		for _, n := range norm {
			s = n.re.ReplaceAllString(s, n.with)
		}
		return s
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			files, err := readTFDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			conv := map[string][]byte{}
			for n, src := range files {
				if !strings.HasSuffix(n, ".tf") {
					conv[n] = src
					continue
				}
				conv[n+".json"] = tfJSON(t, src, n)
			}
			want := DecodeHCLDir(dir, files, map[string]string{"sku_tier": "Standard"})
			got := DecodeHCLDir(dir, conv, map[string]string{"sku_tier": "Standard"})
			if len(want.Clusters) == 0 {
				t.Fatal("no cluster in the HCL form")
			}
			if g, w := dump(got), dump(want); g != w {
				t.Errorf("JSON and HCL differ:\n json %s\n  hcl %s", g, w)
			}
		})
	}
}

// tfJSON rewrites one .tf file in Terraform's JSON syntax.
func tfJSON(t *testing.T, src []byte, name string) []byte {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	text := func(e hclsyntax.Expression) string {
		r := e.Range()
		return string(src[r.Start.Byte:r.End.Byte])
	}
	var value func(e hclsyntax.Expression) any
	value = func(e hclsyntax.Expression) any {
		switch x := e.(type) {
		case *hclsyntax.LiteralValueExpr:
			return ctyjson.SimpleJSONValue{Value: x.Val}
		case *hclsyntax.TemplateExpr:
			if x.IsStringLiteral() {
				v, _ := x.Value(nil)
				return strings.ReplaceAll(v.AsString(), "${", "$${")
			}
		case *hclsyntax.TupleConsExpr:
			out := []any{}
			for _, it := range x.Exprs {
				out = append(out, value(it))
			}
			return out
		case *hclsyntax.ObjectConsExpr:
			out := map[string]any{}
			for _, it := range x.Items {
				k := hcl.ExprAsKeyword(it.KeyExpr)
				if k == "" {
					kv, diags := it.KeyExpr.Value(nil)
					if diags.HasErrors() {
						return "${" + text(e) + "}"
					}
					k = kv.AsString()
				}
				out[k] = value(it.ValueExpr)
			}
			return out
		}
		return "${" + text(e) + "}"
	}
	var body func(b *hclsyntax.Body, kind string) map[string]any
	body = func(b *hclsyntax.Body, kind string) map[string]any {
		out := map[string]any{}
		for n, a := range b.Attributes {
			switch {
			case kind == "variable" && n == "default":
				v, diags := a.Expr.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				out[n] = ctyjson.SimpleJSONValue{Value: v}
			case kind == "variable" && n == "type":
				out[n] = text(a.Expr)
			case kind == "variable":
				v, _ := a.Expr.Value(nil)
				out[n] = ctyjson.SimpleJSONValue{Value: v}
			default:
				out[n] = value(a.Expr)
			}
		}
		for _, blk := range b.Blocks {
			if kind == "variable" {
				continue // validation
			}
			if blk.Type == "dynamic" {
				d, _ := out["dynamic"].(map[string]any)
				if d == nil {
					d = map[string]any{}
					out["dynamic"] = d
				}
				l, _ := d[blk.Labels[0]].([]any)
				d[blk.Labels[0]] = append(l, body(blk.Body, ""))
				continue
			}
			l, _ := out[blk.Type].([]any)
			out[blk.Type] = append(l, body(blk.Body, ""))
		}
		return out
	}
	top := map[string]any{}
	nest := func(path ...string) map[string]any {
		m := top
		for _, p := range path {
			c, _ := m[p].(map[string]any)
			if c == nil {
				c = map[string]any{}
				m[p] = c
			}
			m = c
		}
		return m
	}
	for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
		switch blk.Type {
		case "resource", "data":
			nest(blk.Type, blk.Labels[0])[blk.Labels[1]] = body(blk.Body, "")
		case "variable", "output", "module":
			nest(blk.Type)[blk.Labels[0]] = body(blk.Body, blk.Type)
		case "locals":
			l, _ := top["locals"].([]any)
			top["locals"] = append(l, body(blk.Body, ""))
		}
	}
	js, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return js
}
