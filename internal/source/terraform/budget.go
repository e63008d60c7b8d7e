package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Evaluation budgets. A few lines of HCL can ask for billions of values
// (`for` expressions nested over range(1000)) or gigabytes of string (a
// local that doubles another, thirty times over), so the evaluator counts
// its work: one step per value an expression produces or walks (each
// iteration of a `for`, each element of a function's result), and the
// bytes of the strings it builds. An expression over its budget is an
// input error naming its file and line, and evaluates to nothing: the
// fields it feeds are unknown, so the controls that read them are not
// assessed. A directory has a larger total budget; once it is spent,
// every expression left is unknown.
const (
	maxExprSteps = 200_000
	maxExprBytes = 16 << 20
	maxDirSteps  = 5 * maxExprSteps
	maxDirBytes  = 4 * maxExprBytes
)

// limits are the budgets in force: the constants above, lowered by the
// fuzz targets so that an input over budget costs milliseconds, not a
// second.
var limits = struct{ exprSteps, exprBytes, dirSteps, dirBytes int64 }{maxExprSteps, maxExprBytes, maxDirSteps, maxDirBytes}

// tupleCost: a tuple or object of n elements costs n*n/tupleCost steps
// more than its elements, for the conversions it may go through.
const tupleCost = 256

// budget is the work left to one directory's evaluator, and to the
// expression it evaluates now.
type budget struct {
	steps, bytes int64 // spent by the current expression
	dirSteps     int64 // spent by the directory, earlier expressions included
	dirBytes     int64
	over         string // the limit the current expression exceeded
	dirOver      string // the limit the directory exceeded
}

// start begins a new top-level expression.
func (b *budget) start() {
	b.dirSteps += b.steps
	b.dirBytes += b.bytes
	b.steps, b.bytes, b.over = 0, 0, ""
}

// exceeded reports the limit reached, "" while there is budget left.
func (b *budget) exceeded() string {
	if b.over != "" {
		return b.over
	}
	return b.dirOver
}

// charge spends steps and bytes; false (and exceeded set) when that would
// go over a limit, which spends nothing.
func (b *budget) charge(steps, bytes int64) bool {
	return b.spend(steps, bytes, true)
}

// fits reports whether an estimate fits in what is left, without spending
// it (the result is charged once known); exceeded is set when not.
func (b *budget) fits(steps, bytes int64) bool {
	return b.spend(steps, bytes, false)
}

func (b *budget) spend(steps, bytes int64, commit bool) bool {
	if b.exceeded() != "" {
		return false
	}
	s, by := b.steps+steps, b.bytes+bytes
	switch {
	case s > limits.exprSteps:
		b.over = fmt.Sprintf("more than %d values (the limit of one expression)", limits.exprSteps)
	case by > limits.exprBytes:
		b.over = fmt.Sprintf("more than %d MiB of strings (the limit of one expression)", limits.exprBytes>>20)
	case b.dirSteps+s > limits.dirSteps:
		b.dirOver = fmt.Sprintf("more than %d values in this directory (the limit of one directory)", limits.dirSteps)
	case b.dirBytes+by > limits.dirBytes:
		b.dirOver = fmt.Sprintf("more than %d MiB of strings in this directory (the limit of one directory)", limits.dirBytes>>20)
	default:
		if commit {
			b.steps, b.bytes = s, by
		}
		return true
	}
	return false
}

// chargeValue spends one step plus the size of v.
func (b *budget) chargeValue(v cty.Value) bool {
	n, by := valueSize(v, b.left())
	return b.charge(1+n, by)
}

// left is how many steps the current expression may still take: the
// bound of a size walk.
func (b *budget) left() int64 {
	return min(limits.exprSteps-b.steps, limits.dirSteps-b.dirSteps-b.steps) + 1
}

// errBudget is the error an expression over budget evaluates to.
func (b *budget) err() error {
	return fmt.Errorf("over the evaluation budget: it produces %s", b.exceeded())
}

// valueSize counts the values in v (itself included, its elements, theirs)
// and the bytes of its strings, stopping once the count passes max: a
// value made of shared parts ([local.a, local.a]) may be far larger than
// the memory it takes.
func valueSize(v cty.Value, max int64) (n, bytes int64) {
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if n > max {
			return
		}
		n++
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			bytes += int64(len(v.AsString()))
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
			if ty.IsTupleType() || ty.IsObjectType() {
				// Converting a tuple or an object to a collection
				// (a list or map argument, a typed variable) compares
				// every pair of element types.
				l := int64(v.LengthInt())
				n += l * l / tupleCost
			}
			for it := v.ElementIterator(); it.Next() && n <= max; {
				k, ev := it.Element()
				if ty.IsMapType() || ty.IsObjectType() {
					bytes += int64(len(k.AsString()))
				}
				walk(ev)
			}
		}
	}
	walk(v)
	return n, bytes
}

// budgetExpr counts the work of one expression node that a single
// evaluation may run many times: the body of a `for`, the operand of a
// splat, a part of a string template. It wraps the node in a
// ParenthesesExpr so that walks (Variables) still see the node inside.
type budgetExpr struct {
	*hclsyntax.ParenthesesExpr
	b *budget
}

func (w *budgetExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if w.b.exceeded() != "" {
		return cty.DynamicVal, w.diag()
	}
	v, diags := w.Expression.Value(ctx)
	if !w.b.chargeValue(v) {
		return cty.DynamicVal, append(diags, w.diag()...)
	}
	return v, diags
}

// UnwrapExpression lets hcl's static analysis (hcl.ExprAsKeyword and the
// like) see the node inside.
func (w *budgetExpr) UnwrapExpression() hcl.Expression { return w.Expression }

func (w *budgetExpr) diag() hcl.Diagnostics {
	r := w.Range()
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Evaluation budget exceeded",
		Detail: w.b.err().Error(), Subject: &r}}
}

// addBudget wraps the nodes of a body whose work a single evaluation may
// repeat or multiply in budgetExprs: the body of a `for`, the operand of a
// splat, the parts of a string template, the elements of tuple and object
// constructors and the arguments of function calls (charged before the
// call converts them). A variable's type constraint is left alone: it is
// read as syntax, never evaluated.
func addBudget(body *hclsyntax.Body, b *budget) {
	wrap := func(e hclsyntax.Expression) hclsyntax.Expression {
		switch e.(type) {
		case nil, *budgetExpr, *hclsyntax.LiteralValueExpr:
			return e
		}
		return &budgetExpr{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, b: b}
	}
	var nodes []hclsyntax.Node
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.ForExpr, *hclsyntax.SplatExpr, *hclsyntax.TemplateExpr,
			*hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr, *hclsyntax.FunctionCallExpr:
			nodes = append(nodes, n)
		}
		return nil
	}
	var walk func(body *hclsyntax.Body, variable bool)
	walk = func(body *hclsyntax.Body, variable bool) {
		for name, a := range body.Attributes {
			if !(variable && name == "type") {
				_ = hclsyntax.VisitAll(a.Expr, visit)
			}
		}
		for _, blk := range body.Blocks {
			walk(blk.Body, blk.Type == "variable")
		}
	}
	walk(body, false)
	for _, n := range nodes {
		switch t := n.(type) {
		case *hclsyntax.ForExpr:
			t.KeyExpr, t.ValExpr, t.CondExpr = wrap(t.KeyExpr), wrap(t.ValExpr), wrap(t.CondExpr)
		case *hclsyntax.SplatExpr:
			t.Each = wrap(t.Each)
		case *hclsyntax.TemplateExpr:
			wrapAll(t.Parts, wrap)
		case *hclsyntax.TupleConsExpr:
			wrapAll(t.Exprs, wrap)
		case *hclsyntax.FunctionCallExpr:
			wrapAll(t.Args, wrap)
		case *hclsyntax.ObjectConsExpr:
			for i := range t.Items {
				t.Items[i].ValueExpr = wrap(t.Items[i].ValueExpr)
			}
		}
	}
}

func wrapAll(es []hclsyntax.Expression, wrap func(hclsyntax.Expression) hclsyntax.Expression) {
	for i, e := range es {
		es[i] = wrap(e)
	}
}

// budgetError is the input error of an expression over budget.
func budgetError(f *hclFile, r hcl.Range, over string) inventory.InputError {
	name, what := r.Filename, "this expression"
	if f != nil {
		name, what = f.name, "`"+rangeText(f, r)+"`"
	}
	return inventory.InputError{Input: name, Line: r.Start.Line,
		Message: fmt.Sprintf("%s is over the evaluation budget: it produces %s; it is not evaluated and the settings it feeds are not assessed (simplify the expression, or scan the plan: terraform show -json PLANFILE)", what, over)}
}
