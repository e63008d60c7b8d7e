package terraform

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/aksguard/aksguard/internal/inventory"
)

// hclBlock is a resource block, or a block nested in one, of a .tf file,
// evaluated in the context of its resource instance (and of the dynamic
// block iterators above it).
type hclBlock struct {
	e       *evaluator
	f       *hclFile
	body    *hclsyntax.Body
	ctx     *hcl.EvalContext
	iterWhy string
	p       string
	ln      int
	sens    schema // what the provider marks sensitive here (sensitiveArgs)
}

func (h *hclBlock) path() string { return h.p }
func (h *hclBlock) line() int    { return h.ln }

func (h *hclBlock) attr(name string) val {
	p := h.p + "." + name
	a := h.body.Attributes[name]
	if a == nil {
		return absentVal(p, h.ln)
	}
	ln := a.SrcRange.Start.Line
	if a.SrcRange.Filename != h.f.name {
		// Set by an override file: a line of another file than the
		// resource's (Field has no file of its own).
		ln = 0
	}
	if s, _ := isSensitiveArg(h.sens, name); s {
		return unknownVal(whySensitive, p, ln)
	}
	v, why := h.e.eval(a.Expr, h.ctx, h.f, h.iterWhy)
	if why != "" {
		u := unknownVal(why, p, ln)
		u.set, u.n = h.e.setButUnknown(a.Expr, h.ctx)
		return u
	}
	if v.IsNull() {
		return absentVal(p, ln)
	}
	return val{state: inventory.Known, v: toGo(v), path: p, line: ln}
}

func (h *hclBlock) blocks(name string) ([]block, string) {
	var out []block
	why := ""
	if s, _ := isSensitiveArg(h.sens, name); s {
		return nil, whySensitive
	}
	for _, blk := range h.body.Blocks {
		switch {
		case blk.Type == name:
			out = append(out, h.child(name, blk.Body, h.ctx, len(out), blk.DefRange().Start.Line))
		case blk.Type == "dynamic" && len(blk.Labels) == 1 && blk.Labels[0] == name:
			bs, w := h.dynamic(blk, name, len(out))
			out = append(out, bs...)
			if w != "" && why == "" {
				why = w
			}
		}
	}
	return out, why
}

func (h *hclBlock) names() []nameAt {
	var out []nameAt
	for n, a := range h.body.Attributes {
		out = append(out, nameAt{n, a.SrcRange.Start.Line})
	}
	for _, blk := range h.body.Blocks {
		n := blk.Type
		if n == "dynamic" && len(blk.Labels) == 1 {
			n = blk.Labels[0]
		}
		out = append(out, nameAt{n, blk.DefRange().Start.Line})
	}
	return out
}

func (h *hclBlock) child(name string, body *hclsyntax.Body, ctx *hcl.EvalContext, i, line int) *hclBlock {
	_, sens := isSensitiveArg(h.sens, name)
	return &hclBlock{e: h.e, f: h.f, body: body, ctx: ctx, iterWhy: h.iterWhy, sens: sens,
		p: h.p + "." + name + "[" + strconv.Itoa(i) + "]", ln: line}
}

// dynamic expands a dynamic block when its for_each evaluates; otherwise it
// says why the blocks it makes cannot be listed.
func (h *hclBlock) dynamic(blk *hclsyntax.Block, name string, start int) ([]block, string) {
	where := fmt.Sprintf("dynamic %q block at %s:%d", name, h.f.name, blk.DefRange().Start.Line)
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
			break
		}
	}
	fe := blk.Body.Attributes["for_each"]
	if content == nil || fe == nil {
		return nil, where + " has no for_each or no content block"
	}
	iter := name
	if a := blk.Body.Attributes["iterator"]; a != nil {
		if tr, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() {
			iter = tr.RootName()
		}
	}
	v, why := h.e.eval(fe.Expr, h.ctx, h.f, h.iterWhy)
	if why != "" {
		return nil, where + ": for_each " + why
	}
	if v.IsNull() || !v.CanIterateElements() {
		return nil, where + ": for_each is not a collection"
	}
	if v.LengthInt() > maxInstances {
		return nil, where + ": for_each has more elements than aksguard expands"
	}
	var out []block
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		if v.Type().IsSetType() {
			k = ev
		}
		c := h.ctx.NewChild()
		c.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev})}
		out = append(out, h.child(name, content.Body, c, start+len(out), content.DefRange().Start.Line))
	}
	return out, ""
}

// toGo converts a wholly known, unmarked value to the plain Go values the
// mapping reads (the shapes encoding/json produces).
func toGo(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1))
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			out = append(out, toGo(ev))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			out[k.AsString()] = toGo(ev)
		}
		return out
	}
	return nil
}
