package terraform

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/aksguard/aksguard/internal/inventory"
)

// variable is one variable block.
type variable struct {
	name      string
	ty        cty.Type
	defaults  *typeexpr.Defaults
	def       *cty.Value
	why       string // why the default does not evaluate
	sensitive bool
}

// argVal is the value a module call gives a variable of the module,
// evaluated in the caller's context: why says what part of it is not known
// offline (v then holds its known parts).
type argVal struct {
	v    cty.Value
	why  string
	from string // "module.aks (main.tf:12)"
	file string // where the argument is set
	line int
}

// loadVariables sets var.X: the declared default, overridden by tfvars
// files in the order Terraform reads them, overridden by given values; for
// a child module, by the arguments of its call (args).
func (e *evaluator) loadVariables(files []*hclFile, varFiles []varFile, given map[string]string, args map[string]argVal) []inventory.InputError {
	var errs []inventory.InputError
	decl := map[string]*variable{}
	var order []string
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type != "variable" || len(blk.Labels) != 1 || decl[blk.Labels[0]] != nil {
				continue
			}
			v := &variable{name: blk.Labels[0], ty: cty.DynamicPseudoType}
			if a := blk.Body.Attributes["type"]; a != nil {
				if ty, defs, diags := typeexpr.TypeConstraintWithDefaults(a.Expr); !diags.HasErrors() {
					v.ty, v.defaults = ty, defs
				}
			}
			if e.sensitiveVars[v.name] {
				v.sensitive, e.sensitive = true, true
			}
			if a := blk.Body.Attributes["sensitive"]; a != nil {
				if s, diags := a.Expr.Value(nil); !diags.HasErrors() && s.Type() == cty.Bool && s.IsKnown() && !s.IsNull() && s.True() {
					v.sensitive, e.sensitive = true, true
				}
			}
			if a := blk.Body.Attributes["default"]; a != nil {
				if d, diags := e.budgeted(a.Expr, nil); diags.HasErrors() {
					v.why = fmt.Sprintf("the default of var.%s (%s:%d) does not evaluate", v.name, f.name, a.SrcRange.Start.Line)
				} else {
					v.def = &d
				}
			}
			decl[v.name] = v
			order = append(order, v.name)
		}
	}
	set := map[string]cty.Value{}
	from := map[string]string{}
	for _, vf := range varFiles {
		attrs, diags := vf.body.JustAttributes()
		if diags.HasErrors() {
			errs = append(errs, diagError(vf.name, diags, "a variables file holds only NAME = VALUE lines"))
		}
		for name, a := range attrs {
			val, diags := e.budgeted(a.Expr, nil)
			if diags.HasErrors() {
				errs = append(errs, diagError(vf.name, diags, "tfvars values must be constants (no references or function calls)"))
				continue
			}
			set[name], from[name] = val, vf.name
		}
	}
	for name, raw := range given {
		ty := cty.DynamicPseudoType
		if v := decl[name]; v != nil {
			ty = v.ty
		}
		set[name], from[name] = givenValue(raw, ty), "the variables given"
	}
	var undeclared []string
	for name := range args {
		if decl[name] == nil {
			undeclared = append(undeclared, name)
		}
	}
	sort.Strings(undeclared)
	for _, name := range undeclared {
		a := args[name]
		errs = append(errs, inventory.InputError{Input: a.file, Line: a.line, Message: fmt.Sprintf(
			"%s sets %s, which the module (%s) does not declare as a variable; Terraform refuses the call (Unsupported argument): fix the argument's name", a.from, name, e.dir)})
	}
	for _, name := range order {
		v := decl[name]
		val, ok := set[name]
		argWhy := ""
		if a, given := args[name]; given {
			val, ok, from[name], argWhy = a.v, true, a.from, a.why
		}
		switch {
		case ok:
		case v.def != nil:
			val, from[name] = *v.def, "its default"
		case v.why != "":
			e.setUnknownVar(name, v.why)
			continue
		default:
			if len(e.calls) > 0 {
				c := e.calls[len(e.calls)-1]
				e.setUnknownVar(name, fmt.Sprintf("var.%s has no default and %s (%s:%d) does not set it", name, c.Address, c.Source.File, c.Source.Line))
				continue
			}
			e.setUnknownVar(name, fmt.Sprintf("var.%s has no default and no value (set it in terraform.tfvars, a *.auto.tfvars file or with the variables given)", name))
			continue
		}
		// A value from a sensitive argument of the caller stays
		// sensitive; defaults and conversion read it unmarked.
		val, marks := val.UnmarkDeep()
		if v.defaults != nil && val.IsWhollyKnown() {
			val = v.defaults.Apply(val)
		}
		conv, err := convert.Convert(val, v.ty)
		if err != nil {
			e.setUnknownVar(name, fmt.Sprintf("the value of var.%s from %s does not match its type: %s", name, from[name], err))
			continue
		}
		if v.sensitive || len(marks) > 0 {
			e.sensitive = true
			conv = conv.Mark(sensitiveMark{})
		}
		e.vars[name] = conv
		if argWhy != "" {
			e.varWhy[name] = fmt.Sprintf("var.%s is set by %s to %s", name, from[name], argWhy)
		}
	}
	return errs
}

func (e *evaluator) setUnknownVar(name, why string) {
	e.vars[name] = cty.DynamicVal
	e.varWhy[name] = why
}

// givenValue reads a value given on the command line as Terraform reads
// -var: literally for primitive types, as an HCL expression otherwise.
func givenValue(raw string, ty cty.Type) cty.Value {
	if ty == cty.DynamicPseudoType || ty.IsPrimitiveType() {
		return cty.StringVal(raw)
	}
	if checkNesting([]byte(raw), "<value>", "") != nil {
		return cty.StringVal(raw) // never handed to the recursive parser
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	return v
}

// loadLocals evaluates each local once, after the locals it refers to, so
// that locals may refer to locals in any order. A local that stays partly
// unknown keeps its known parts and records why; a local on a cycle is
// unknown.
func (e *evaluator) loadLocals(files []*hclFile) {
	var names []string
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type != "locals" {
				continue
			}
			for name, a := range blk.Body.Attributes {
				if _, dup := e.localDefs[name]; !dup {
					e.localDefs[name] = exprDef{expr: a.Expr, file: f}
					e.locals[name] = cty.DynamicVal
					names = append(names, name)
				}
			}
		}
	}
	sort.Strings(names)
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[string]int, len(names))
	var visit func(n string)
	visit = func(n string) {
		if state[n] != 0 {
			if state[n] == visiting {
				e.localWhy[n] = "local." + n + " refers to itself through other locals"
			}
			return
		}
		state[n] = visiting
		d := e.localDefs[n]
		// The context holds only the locals the expression refers to:
		// building it from all of them for each would be quadratic.
		refs := map[string]cty.Value{}
		for _, tr := range d.expr.Variables() {
			r := parseRef(tr)
			if r.kind != "local" {
				continue
			}
			if _, ok := e.localDefs[r.name]; ok {
				visit(r.name)
				refs[r.name] = e.locals[r.name]
			}
		}
		state[n] = done
		if e.localWhy[n] != "" { // on a cycle
			return
		}
		ctx := e.ctxWith(refs)
		v, diags := e.raw(d.expr, ctx)
		if e.sensitiveLocals[n] {
			e.sensitive = true
			v = v.Mark(sensitiveMark{})
		}
		switch {
		case diags.HasErrors():
			e.locals[n] = cty.DynamicVal
			e.localWhy[n] = fmt.Sprintf("`%s` does not evaluate offline: %s", exprText(d.file, d.expr), e.diagText(diags))
		case v.IsWhollyKnown():
			e.locals[n] = v
		default:
			e.locals[n] = v
			e.localWhy[n] = e.unknownWhy(d.expr, d.file, exprText(d.file, d.expr), "")
		}
	}
	for _, n := range names {
		visit(n)
	}
}

// sensitiveFeeds lists the variables and locals that an argument the
// provider marks sensitive refers to, directly or through locals: a
// client_secret = var.sp_secret makes var.sp_secret sensitive even when
// its declaration does not say so, as its value is a secret wherever else
// it appears.
func sensitiveFeeds(files []*hclFile) (vars, locals map[string]bool) {
	vars, locals = map[string]bool{}, map[string]bool{}
	defs := map[string]hclsyntax.Expression{}
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type == "locals" {
				for name, a := range blk.Body.Attributes {
					if _, dup := defs[name]; !dup {
						defs[name] = a.Expr
					}
				}
			}
		}
	}
	var refer func(expr hclsyntax.Expression)
	refer = func(expr hclsyntax.Expression) {
		for _, tr := range expr.Variables() {
			switch r := parseRef(tr); r.kind {
			case "var":
				vars[r.name] = true
			case "local":
				if d, ok := defs[r.name]; ok && !locals[r.name] {
					locals[r.name] = true
					refer(d)
				}
			}
		}
	}
	var walk func(body *hclsyntax.Body, s schema)
	walk = func(body *hclsyntax.Body, s schema) {
		for name, a := range body.Attributes {
			if sens, _ := isSensitiveArg(s, name); sens {
				refer(a.Expr)
			}
		}
		for _, blk := range body.Blocks {
			name, inner := blk.Type, blk.Body
			if blk.Type == "dynamic" && len(blk.Labels) == 1 {
				name, inner = blk.Labels[0], nil
				for _, c := range blk.Body.Blocks {
					if c.Type == "content" {
						inner = c.Body
					}
				}
				if fe := blk.Body.Attributes["for_each"]; fe != nil {
					if sens, sub := isSensitiveArg(s, name); sens || sub != nil {
						refer(fe.Expr) // the iterator carries its values
					}
				}
			}
			sens, sub := isSensitiveArg(s, name)
			switch {
			case inner == nil:
			case sens:
				_ = hclsyntax.VisitAll(inner, func(n hclsyntax.Node) hcl.Diagnostics {
					if a, ok := n.(*hclsyntax.Attribute); ok {
						refer(a.Expr)
					}
					return nil
				})
			case sub != nil:
				walk(inner, sub)
			}
		}
	}
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type == "resource" && len(blk.Labels) == 2 {
				if s := sensitiveArgs[blk.Labels[0]]; s != nil {
					walk(blk.Body, s)
				}
			}
		}
	}
	return vars, locals
}
