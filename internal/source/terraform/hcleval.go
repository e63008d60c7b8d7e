package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/aksguard/aksguard/internal/inventory"
)

// sensitiveMark marks values that come from a variable declared sensitive.
type sensitiveMark struct{}

// hclFile is one parsed .tf file.
type hclFile struct {
	name string // as reported in sources and errors
	src  []byte
	body *hclsyntax.Body
	// siblings are the files of the directory by name: an override file
	// puts its expressions into the blocks of another file.
	siblings map[string]*hclFile
}

// varFile is a terraform.tfvars or *.auto.tfvars file (HCL or JSON).
type varFile struct {
	name string
	body hcl.Body
}

// evaluator evaluates the expressions of one module directory offline:
// var.X from defaults, tfvars files and the values given (for a child
// module, the arguments of its call); local.X from the locals that evaluate
// with those; module.NAME.OUTPUT from the outputs of the modules it calls.
// Everything else (resource attributes, data sources) is unknown, and every
// unknown result says why.
type evaluator struct {
	dir    string
	prefix string                 // the module address of resources: "" or "module.aks."
	calls  []inventory.ModuleCall // the module calls from the root to this module
	// modules holds module.NAME for every module call: its outputs once
	// read, else unknown; modWhy says why module.NAME (key NAME) or one
	// output (key NAME.OUTPUT) is unknown, outRefs the resources an output
	// refers to inside the module (prefixed).
	modules map[string]cty.Value
	modWhy  map[string]string
	outRefs map[string][]string
	// modsChanged: module.NAME changed since the locals were evaluated.
	modsChanged bool
	// resDecls are the module's resource blocks by TYPE.NAME once its
	// locals and module calls are read; shapes what a reference to each
	// evaluates to (hclshape.go), shaping those being computed.
	resDecls  map[string]resDecl
	shapes    map[string]cty.Value
	shaping   map[string]bool
	vars      map[string]cty.Value
	varWhy    map[string]string // why var.X is unknown
	sensitive bool              // some variable is declared sensitive
	locals    map[string]cty.Value
	localWhy  map[string]string // why local.X is not wholly known
	localDefs map[string]exprDef
	funcs     map[string]function.Function
	budget    *budget
	// The variables and locals that feed an argument the provider marks
	// sensitive: sensitive wherever they are used (sensitiveFeeds).
	sensitiveVars, sensitiveLocals map[string]bool
	root                           *hcl.EvalContext    // ctx(), built once
	varObj                         cty.Value           // var, built once the variables are loaded
	files                          map[string]*hclFile // by name, to quote expressions over budget
	errs                           []inventory.InputError
	reported                       map[hcl.Pos]bool // expressions whose budget error is recorded
}

type exprDef struct {
	expr hclsyntax.Expression
	file *hclFile
}

func newEvaluator(dir string, b *budget) *evaluator {
	return &evaluator{
		dir:  dir,
		vars: map[string]cty.Value{}, varWhy: map[string]string{},
		locals: map[string]cty.Value{}, localWhy: map[string]string{}, localDefs: map[string]exprDef{},
		funcs: functions(b), budget: b, files: map[string]*hclFile{}, reported: map[hcl.Pos]bool{},
		modules: map[string]cty.Value{}, modWhy: map[string]string{}, outRefs: map[string][]string{},
	}
}

// ctx is the root evaluation context, once the locals are loaded.
func (e *evaluator) ctx() *hcl.EvalContext {
	if e.root == nil {
		e.root = e.ctxWith(e.locals)
	}
	return e.root
}

// ctxWith is an evaluation context with the given locals.
func (e *evaluator) ctxWith(locals map[string]cty.Value) *hcl.EvalContext {
	dir := e.dir
	if dir == "" {
		dir = "."
	}
	if e.varObj == cty.NilVal {
		e.varObj = cty.ObjectVal(e.vars)
	}
	vars := map[string]cty.Value{
		"var":       e.varObj,
		"local":     cty.ObjectVal(locals),
		"path":      cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(dir), "root": cty.StringVal(dir), "cwd": cty.StringVal(dir)}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	if len(e.modules) > 0 {
		vars["module"] = cty.ObjectVal(e.modules)
	}
	return &hcl.EvalContext{Variables: vars, Functions: e.funcs}
}

// raw evaluates an expression. Names the context lacks (resources, data
// sources, modules) evaluate to unknown values.
func (e *evaluator) raw(expr hclsyntax.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	var missing map[string]cty.Value
	trs := expr.Variables()
	for _, tr := range trs {
		root := tr.RootName()
		if _, done := missing[root]; done || hasVar(ctx, root) {
			continue
		}
		if missing == nil {
			missing = map[string]cty.Value{}
		}
		missing[root] = cty.DynamicVal
		if v, ok := e.resourceRoot(root, trs); ok {
			missing[root] = v // instances of counted resources (hclshape.go)
		}
	}
	if missing != nil {
		ctx = ctx.NewChild()
		ctx.Variables = missing
	}
	return e.budgeted(expr, ctx)
}

// budgeted evaluates a top-level expression within its budget. An
// expression over budget evaluates to nothing, whatever try() or can()
// made of the error inside, and is recorded as an input error.
func (e *evaluator) budgeted(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	b := e.budget
	b.start()
	spent := b.dirOver != ""
	var v cty.Value
	var diags hcl.Diagnostics
	if !spent {
		v, diags = expr.Value(ctx)
		if b.exceeded() == "" {
			b.chargeValue(v)
		}
	}
	over := b.exceeded()
	if over == "" {
		return v, diags
	}
	r := expr.Range()
	if !spent && !e.reported[r.Start] {
		e.reported[r.Start] = true
		e.errs = append(e.errs, budgetError(e.files[r.Filename], r, over))
	}
	return cty.DynamicVal, append(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Evaluation budget exceeded",
		Detail: b.err().Error(), Subject: &r}}, diags...)
}

func hasVar(ctx *hcl.EvalContext, name string) bool {
	for c := ctx; c != nil; c = c.Parent() {
		if _, ok := c.Variables[name]; ok {
			return true
		}
	}
	return false
}

// eval evaluates an expression to a wholly known, unmarked value, or says
// why it cannot. iterWhy explains count.index and each.* when the
// resource's instances could not be resolved.
func (e *evaluator) eval(expr hclsyntax.Expression, ctx *hcl.EvalContext, f *hclFile, iterWhy string) (cty.Value, string) {
	v, diags := e.raw(expr, ctx)
	text := exprText(f, expr)
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Sprintf("`%s` does not evaluate offline: %s", text, e.diagText(diags))
	}
	if v.ContainsMarked() {
		return cty.DynamicVal, fmt.Sprintf("`%s` comes from a sensitive variable; value not read", text)
	}
	if !v.IsWhollyKnown() {
		return cty.DynamicVal, e.unknownWhy(expr, f, text, iterWhy)
	}
	return v, ""
}

// setButUnknown reports whether an expression that is not wholly known is
// nonetheless set: a list or tuple whose length is known (n), or a
// reference to a resource's id alone.
func (e *evaluator) setButUnknown(expr hclsyntax.Expression, ctx *hcl.EvalContext) (set bool, n int) {
	if isIDExpr(expr) {
		return true, 0
	}
	v, diags := e.raw(expr, ctx)
	if diags.HasErrors() {
		return false, 0
	}
	v, _ = v.UnmarkDeep()
	ty := v.Type()
	if !v.IsKnown() || v.IsNull() || !(ty.IsListType() || ty.IsTupleType()) {
		return false, 0
	}
	if l := v.LengthInt(); l > 0 {
		return true, l
	}
	return false, 0
}

// diagText is the first error. Details may quote values, so they are left
// out when the directory declares sensitive variables.
func (e *evaluator) diagText(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if e.sensitive || d.Detail == "" {
			return d.Summary
		}
		return d.Summary + ": " + d.Detail
	}
	return "error"
}

// unknownWhy names what makes an expression unknown.
func (e *evaluator) unknownWhy(expr hclsyntax.Expression, f *hclFile, text, iterWhy string) string {
	var reasons []string
	add := func(s string) {
		for _, r := range reasons {
			if r == s {
				return
			}
		}
		reasons = append(reasons, s)
	}
	for _, tr := range expr.Variables() {
		r := parseRef(tr)
		trText := rangeText(f, tr.SourceRange())
		switch r.kind {
		case "var":
			if w := e.varWhy[r.name]; w != "" {
				add(w)
			}
		case "local":
			if w := e.localWhy[r.name]; w != "" {
				add("local." + r.name + " = " + w)
			}
		case "resource":
			add(trText + " is known only after apply")
		case "data":
			add(trText + " is read from Azure at plan time")
		case "module":
			switch {
			case e.modWhy[r.mod.name+"."+r.name] != "":
				add(e.modWhy[r.mod.name+"."+r.name])
			case e.modWhy[r.mod.name] != "":
				add(e.modWhy[r.mod.name])
			default:
				add(trText + " is a module output not known offline")
			}
		default:
			if root := tr.RootName(); (root == "count" || root == "each") && iterWhy != "" {
				add(iterWhy)
			}
		}
	}
	if len(reasons) == 0 {
		reasons = []string{"cannot be evaluated offline"}
	}
	return "`" + text + "`: " + strings.Join(reasons, "; ")
}

// maxExprText bounds expression text quoted in messages.
const maxExprText = 120

func exprText(f *hclFile, expr hclsyntax.Expression) string {
	return rangeText(f, expr.Range())
}

func rangeText(f *hclFile, r hcl.Range) string {
	if f != nil && r.Filename != "" && r.Filename != f.name && f.siblings[r.Filename] != nil {
		f = f.siblings[r.Filename]
	}
	if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.src) || r.Start.Byte > r.End.Byte {
		return "?"
	}
	s := strings.Join(strings.Fields(string(f.src[r.Start.Byte:r.End.Byte])), " ")
	if len(s) > maxExprText {
		s = s[:maxExprText] + "…"
	}
	return s
}
