package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// maxInstances bounds count and for_each expansion.
const maxInstances = 1000

// instance is one instance of a resource with count or for_each.
type instance struct {
	key     string // "[0]", `["a"]`, or "" without count/for_each
	eachKey string // each.key of a for_each instance
	ctx     *hcl.EvalContext
	// iterWhy says why count.index or each.* are unknown: the instances
	// cannot be listed, or each.value is not wholly known.
	iterWhy string
}

// instances expands count and for_each. When they cannot be resolved it
// returns one instance whose count.index / each.* are unknown, and why.
func (e *evaluator) instances(body *hclsyntax.Body, ctx *hcl.EvalContext, f *hclFile) ([]instance, string) {
	if a := body.Attributes["count"]; a != nil {
		v, why := e.eval(a.Expr, ctx, f, "")
		if why == "" {
			n, ok := wholeNumber(v)
			switch {
			case !ok:
				why = fmt.Sprintf("`%s` is not a whole number", exprText(f, a.Expr))
			case n > maxInstances:
				why = fmt.Sprintf("count %d is more than aksguard expands", n)
			default:
				out := make([]instance, 0, n)
				for i := range n {
					c := ctx.NewChild()
					c.Variables = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}
					out = append(out, instance{key: fmt.Sprintf("[%d]", i), ctx: c})
				}
				return out, ""
			}
		}
		why = "count " + why
		return []instance{e.anyInstance(ctx, why)}, why
	}
	if a := body.Attributes["for_each"]; a != nil {
		v, why := e.forEachValue(a.Expr, ctx, f)
		if why == "" {
			switch {
			case v.IsNull() || !v.CanIterateElements() || v.Type().IsListType() || v.Type().IsTupleType():
				why = fmt.Sprintf("`%s` is not a map or a set", exprText(f, a.Expr))
			case v.LengthInt() > maxInstances:
				why = fmt.Sprintf("for_each has %d elements, more than aksguard expands", v.LengthInt())
			default:
				// A map's values may be unknown (a map of resources):
				// each.value then says why.
				valueWhy := ""
				if !v.IsWhollyKnown() {
					valueWhy = "each.value is " + e.unknownWhy(a.Expr, f, exprText(f, a.Expr), "")
				}
				var out []instance
				for it := v.ElementIterator(); it.Next(); {
					k, ev := it.Element()
					if v.Type().IsSetType() {
						k = ev
					}
					if k.Type() != cty.String || k.IsNull() {
						why = "for_each set elements must be strings"
						break
					}
					c := ctx.NewChild()
					c.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev})}
					out = append(out, instance{key: formatKey(k), eachKey: k.AsString(), ctx: c, iterWhy: valueWhy})
				}
				if why == "" {
					return out, ""
				}
			}
		}
		why = "for_each " + why
		return []instance{e.anyInstance(ctx, why)}, why
	}
	return []instance{{ctx: ctx}}, ""
}

// anyInstance stands for instances that cannot be listed: count.index and
// each.* are unknown.
func (e *evaluator) anyInstance(ctx *hcl.EvalContext, why string) instance {
	c := ctx.NewChild()
	c.Variables = map[string]cty.Value{
		"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)}),
		"each":  cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal}),
	}
	return instance{ctx: c, iterWhy: why}
}

func wholeNumber(v cty.Value) (int, bool) {
	v, err := convert.Convert(v, cty.Number)
	if err != nil || v.IsNull() {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() || bf.Sign() < 0 {
		return 0, false
	}
	i, _ := bf.Int64()
	if i > maxInstances {
		return maxInstances + 1, true
	}
	return int(i), true
}

// forEachValue evaluates a for_each expression: its keys must be known (a
// set's elements wholly), a map's values need not be.
func (e *evaluator) forEachValue(expr hclsyntax.Expression, ctx *hcl.EvalContext, f *hclFile) (cty.Value, string) {
	v, diags := e.raw(expr, ctx)
	text := exprText(f, expr)
	switch {
	case diags.HasErrors():
		return cty.DynamicVal, fmt.Sprintf("`%s` does not evaluate offline: %s", text, e.diagText(diags))
	case v.ContainsMarked():
		return cty.DynamicVal, fmt.Sprintf("`%s` comes from a sensitive variable; value not read", text)
	case !v.IsKnown() || v.Type().IsSetType() && !v.IsWhollyKnown():
		return cty.DynamicVal, e.unknownWhy(expr, f, text, "")
	}
	return v, ""
}
