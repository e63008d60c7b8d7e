package bicep

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
)

// Expressions compile to ARM expression text (without the brackets), the
// way the Bicep compiler writes them: operators become functions (== is
// equals, ?? coalesce, a.?b tryGet), interpolation format(), parameters
// parameters('x'), variables variables('x'), loop variables the iterable
// indexed by copyIndex(), lambdas lambda('x', ...) with lambdaVariables('x').
// A construct aksguard does not compile becomes a call the evaluator
// cannot resolve (unsupported()), so what depends on it is Unknown with
// that reason, never a default.

// env binds local names (loop variables, lambda parameters, function
// arguments) to the expression text they stand for.
type env struct {
	name, text string
	up         *env
}

func (e *env) lookup(n string) (string, bool) {
	for ; e != nil; e = e.up {
		if e.name == n {
			return e.text, true
		}
	}
	return "", false
}

func (e *env) bind(n, text string) *env { return &env{name: n, text: text, up: e} }

// quote is an ARM string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// unsupported is an expression the evaluator never resolves, naming what
// aksguard does not compile.
func unsupported(what string) string {
	return "__bicep.unsupported(" + quote(clip(what)) + ")"
}

// call writes fn(args...).
func call(fn string, args ...string) string {
	return fn + "(" + strings.Join(args, ", ") + ")"
}

// expr compiles one expression.
func (fc *fileCtx) expr(e syntax.Expr, en *env) string {
	t := fc.expr1(e, en)
	if len(t) > maxExprBytes {
		fc.c.errorf(fc.path, e.Position().Line, "an expression compiles to more than %d KiB (deeply inlined functions or imported variables): aksguard does not evaluate it", maxExprBytes>>10)
		return unsupported("an expression too large to evaluate")
	}
	return t
}

func (fc *fileCtx) expr1(e syntax.Expr, en *env) string {
	switch x := e.(type) {
	case *syntax.Ident:
		return fc.ident(x, en)
	case *syntax.StringLit:
		return fc.stringExpr(x, en)
	case *syntax.IntLit:
		return strconv.FormatInt(x.Value, 10)
	case *syntax.BoolLit:
		if x.Value {
			return "true()"
		}
		return "false()"
	case *syntax.NullLit:
		return "null()"
	case *syntax.ParenExpr:
		return fc.expr(x.X, en)
	case *syntax.NonNullExpr:
		return fc.expr(x.X, en)
	case *syntax.ArrayExpr:
		return fc.arrayExpr(x, en)
	case *syntax.ObjectExpr:
		return fc.objectExpr(x, en)
	case *syntax.UnaryExpr:
		v := fc.expr(x.X, en)
		if x.Op == "!" {
			return call("not", v)
		}
		if lit, ok := x.X.(*syntax.IntLit); ok {
			return "-" + strconv.FormatInt(lit.Value, 10)
		}
		return call("sub", "0", v)
	case *syntax.BinaryExpr:
		return fc.binary(x, en)
	case *syntax.TernaryExpr:
		return call("if", fc.expr(x.Cond, en), fc.expr(x.Then, en), fc.expr(x.Else, en))
	case *syntax.PropertyAccess:
		return fc.propertyAccess(x, en)
	case *syntax.IndexExpr:
		if s := fc.resourceIndexed(x, en); s != "" {
			return s
		}
		t := fc.expr(x.X, en)
		i := fc.expr(x.Index, en)
		if x.Safe {
			return call("tryGet", t, i)
		}
		return t + "[" + i + "]"
	case *syntax.CallExpr:
		return fc.callExpr(x, en)
	case *syntax.LambdaExpr:
		return fc.lambda(x, en)
	case *syntax.ForExpr:
		return fc.forExpr(x, en)
	case *syntax.ResourceAccess:
		if r := fc.resourceOf(x, en); r != nil {
			return r.idText(fc, en)
		}
		return unsupported("the nested resource " + exprText(x))
	}
	return unsupported("this Bicep expression")
}

// ident resolves a name: a local binding, a parameter, a variable, an
// imported variable, a resource or a module.
func (fc *fileCtx) ident(x *syntax.Ident, en *env) string {
	n := x.Name
	if t, ok := en.lookup(n); ok {
		return t
	}
	if _, ok := fc.params[n]; ok {
		return call("parameters", quote(n))
	}
	if v, ok := fc.vars[n]; ok {
		if fc.inline {
			return fc.inlineVar(v, fc)
		}
		return call("variables", quote(n))
	}
	if im, ok := fc.imports[n]; ok {
		if im.fc == nil {
			return fc.registryValue(n, im.registry, x.Line)
		}
		return im.fc.importedVar(im.name, x.Line, fc)
	}
	if r, ok := fc.resources[n]; ok {
		return r.idText(fc, en)
	}
	if m, ok := fc.modules[n]; ok {
		return call("resourceId", quote("Microsoft.Resources/deployments"), m.nameText(fc, en))
	}
	return unsupported("the name " + n + " (not declared in " + fc.f.Name + ")")
}

// registryValue is a value imported from a registry file, which aksguard
// does not download: an input error where it is used, and unknown.
func (fc *fileCtx) registryValue(name, ref string, line int) string {
	fc.c.errorf(fc.path, line, "%s is imported from the registry file %q, which aksguard does not download: what uses it is unknown; copy the value into a local file and import it from there", name, clip(ref))
	return unsupported(name + " imported from a registry file")
}

// importedVar inlines the variable name of an imported file, compiled in
// that file.
func (fc *fileCtx) importedVar(name string, line int, from *fileCtx) string {
	v, ok := fc.vars[name]
	if !ok {
		if im, ok := fc.imports[name]; ok { // re-exported
			return im.fc.importedVar(im.name, line, from)
		}
		from.c.errorf(from.path, line, "%s is not a variable of %s: aksguard reads only imported variables (types have nothing to evaluate), so what uses it is unknown", name, fc.f.Name)
		return unsupported("the imported name " + name)
	}
	return fc.inlineVar(v, from)
}

// inlineVar compiles a variable's value where it is used.
func (fc *fileCtx) inlineVar(v *syntax.Var, from *fileCtx) string {
	if !fc.c.inlineBudget(from.path, v.Line) {
		return unsupported("too much inlining")
	}
	if fc.c.inlineDepth >= maxInlineDepth {
		from.c.errorf(from.path, v.Line, "variables and functions inline each other more than %d levels deep (or refer to themselves): aksguard does not evaluate them", maxInlineDepth)
		return unsupported("variables nested too deep")
	}
	fc.c.inlineDepth++
	defer func() { fc.c.inlineDepth-- }()
	return fc.expr(v.Value, nil)
}

// stringExpr is a string literal, or format() of an interpolated one.
func (fc *fileCtx) stringExpr(x *syntax.StringLit, en *env) string {
	if v, ok := x.Value(); ok {
		return quote(v)
	}
	var b strings.Builder
	args := []string{""}
	for i, p := range x.Parts {
		b.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(p))
		if i < len(x.Exprs) {
			b.WriteString("{" + strconv.Itoa(i) + "}")
			args = append(args, fc.expr(x.Exprs[i], en))
		}
	}
	args[0] = quote(b.String())
	return call("format", args...)
}

func (fc *fileCtx) arrayExpr(x *syntax.ArrayExpr, en *env) string {
	var groups []string
	var cur []string
	spread := false
	for _, it := range x.Items {
		if s, ok := it.(*syntax.SpreadExpr); ok {
			spread = true
			if cur != nil {
				groups = append(groups, call("createArray", cur...))
				cur = nil
			}
			groups = append(groups, fc.expr(s.X, en))
			continue
		}
		cur = append(cur, fc.expr(it, en))
	}
	if !spread {
		return call("createArray", cur...)
	}
	if cur != nil {
		groups = append(groups, call("createArray", cur...))
	}
	return call("flatten", call("createArray", groups...))
}

func (fc *fileCtx) objectExpr(x *syntax.ObjectExpr, en *env) string {
	var groups []string
	var cur []string
	spread := false
	open := false
	for _, it := range x.Items {
		switch p := it.(type) {
		case *syntax.SpreadExpr:
			spread = true
			if open {
				groups = append(groups, call("createObject", cur...))
				cur, open = nil, false
			}
			groups = append(groups, fc.expr(p.X, en))
		case *syntax.ObjectProperty:
			open = true
			cur = append(cur, fc.keyExpr(p.Key, en), fc.expr(p.Value, en))
		default:
			return unsupported("a nested resource inside an expression")
		}
	}
	if !spread {
		return call("createObject", cur...)
	}
	if open {
		groups = append(groups, call("createObject", cur...))
	}
	return call("shallowMerge", call("createArray", groups...))
}

func (fc *fileCtx) keyExpr(k syntax.Expr, en *env) string {
	if id, ok := k.(*syntax.Ident); ok {
		return quote(id.Name)
	}
	return fc.expr(k, en)
}

func (fc *fileCtx) binary(x *syntax.BinaryExpr, en *env) string {
	a, b := fc.expr(x.X, en), fc.expr(x.Y, en)
	switch x.Op {
	case "??":
		return call("coalesce", a, b)
	case "||":
		return call("or", a, b)
	case "&&":
		return call("and", a, b)
	case "==":
		return call("equals", a, b)
	case "!=":
		return call("not", call("equals", a, b))
	case "=~":
		return call("equals", call("toLower", a), call("toLower", b))
	case "!~":
		return call("not", call("equals", call("toLower", a), call("toLower", b)))
	case "<":
		return call("less", a, b)
	case "<=":
		return call("lessOrEquals", a, b)
	case ">":
		return call("greater", a, b)
	case ">=":
		return call("greaterOrEquals", a, b)
	case "+":
		return call("add", a, b)
	case "-":
		return call("sub", a, b)
	case "*":
		return call("mul", a, b)
	case "/":
		return call("div", a, b)
	case "%":
		return call("mod", a, b)
	}
	return unsupported("the operator " + x.Op)
}

// isSimpleName reports whether a property name can be written .name in an
// ARM expression.
func isSimpleName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func member(t, name string) string {
	if isSimpleName(name) {
		return t + "." + name
	}
	return t + "[" + quote(name) + "]"
}

func (fc *fileCtx) propertyAccess(x *syntax.PropertyAccess, en *env) string {
	name := x.Name.Name
	// A resource or module symbol: its id, name, type, properties or
	// outputs.
	if r, idx := fc.resourceAt(x.X, en); r != nil {
		return r.member(fc, en, name, x.Safe, idx)
	}
	if pa, ok := x.X.(*syntax.PropertyAccess); ok && pa.Name.Name == "outputs" {
		if m, idx := fc.moduleOf(pa.X, en); m != nil {
			ref := call("reference", quote(m.decl.Name.Name))
			if idx != "" {
				ref = call("reference", call("resourceId", quote("Microsoft.Resources/deployments"), m.nameTextAt(fc, en, idx)))
			}
			return member(member(ref+".outputs", name), "value")
		}
	}
	if m, idx := fc.moduleOf(x.X, en); m != nil {
		if name == "name" {
			if idx != "" {
				return m.nameTextAt(fc, en, idx)
			}
			return m.nameText(fc, en)
		}
		return call("reference", quote(m.decl.Name.Name)) + "." + name
	}
	if id, ok := x.X.(*syntax.Ident); ok {
		if _, bound := en.lookup(id.Name); !bound {
			if sub := fc.wildcards[id.Name]; sub != nil {
				return sub.importedVar(name, x.Line, fc)
			}
			if ref, ok := fc.registryNS[id.Name]; ok {
				return fc.registryValue(id.Name+"."+name, ref, x.Line)
			}
		}
	}
	t := fc.expr(x.X, en)
	if x.Safe {
		return call("tryGet", t, quote(name))
	}
	return member(t, name)
}

// callExpr compiles a function call: a user-defined function (inlined),
// a compile-time function (load*Content), a resource method, or a
// template function of the same name.
func (fc *fileCtx) callExpr(x *syntax.CallExpr, en *env) string {
	name := x.Name.Name
	if x.Recv != nil {
		if id, ok := x.Recv.(*syntax.Ident); ok {
			if _, bound := en.lookup(id.Name); !bound {
				switch {
				case id.Name == "az" || id.Name == "sys":
					return fc.builtinCall(x, name, en)
				case fc.wildcards[id.Name] != nil:
					if f := fc.wildcards[id.Name].funcs[name]; f != nil {
						return fc.inlineFunc(f, x, en)
					}
					return unsupported("the function " + id.Name + "." + name)
				}
			}
		}
		if r := fc.resourceOf(x.Recv, en); r != nil {
			if strings.HasPrefix(strings.ToLower(name), "list") {
				args := []string{r.idText(fc, en), quote(r.apiVersion)}
				for _, a := range x.Args {
					args = append(args, fc.expr(a, en))
				}
				return call(name, args...)
			}
			return unsupported("the resource function " + r.symbol + "." + name + "()")
		}
		return unsupported("the function " + exprText(x.Recv) + "." + name + "()")
	}
	if _, bound := en.lookup(name); !bound {
		if f := fc.funcs[name]; f != nil {
			return fc.inlineFunc(f, x, en)
		}
	}
	return fc.builtinCall(x, name, en)
}

// builtinCall compiles a call of a Bicep built-in function.
func (fc *fileCtx) builtinCall(x *syntax.CallExpr, name string, en *env) string {
	switch strings.ToLower(name) {
	case "any":
		if len(x.Args) == 1 {
			return fc.expr(x.Args[0], en)
		}
	case "loadtextcontent", "loadfileasbase64", "loadjsoncontent", "loadyamlcontent":
		return fc.loadContent(x, en)
	case "getsecret":
		return unsupported("a Key Vault secret")
	}
	args := make([]string, len(x.Args))
	for i, a := range x.Args {
		args[i] = fc.expr(a, en)
	}
	return call(name, args...)
}

// inlineFunc inlines a user-defined function: its body, compiled in its
// own file with its parameters bound to the arguments.
func (fc *fileCtx) inlineFunc(f *funcRef, x *syntax.CallExpr, en *env) string {
	if len(x.Args) != len(f.fn.Params) {
		fc.c.errorf(fc.path, x.Line, "%s() takes %d arguments, not %d", f.fn.Name.Name, len(f.fn.Params), len(x.Args))
		return unsupported("a call of " + f.fn.Name.Name + "() with the wrong number of arguments")
	}
	if !fc.c.inlineBudget(fc.path, x.Line) {
		return unsupported("too much inlining")
	}
	if fc.c.inlineDepth >= maxInlineDepth {
		fc.c.errorf(fc.path, x.Line, "functions and variables inline each other more than %d levels deep (or call themselves): aksguard does not evaluate them", maxInlineDepth)
		return unsupported("functions nested too deep")
	}
	var fe *env
	for i, p := range f.fn.Params {
		fe = fe.bind(p.Name.Name, fc.expr(x.Args[i], en))
	}
	fc.c.inlineDepth++
	defer func() { fc.c.inlineDepth-- }()
	return f.fc.expr(f.fn.Body, fe)
}

// lambda compiles x => body as lambda('x', body).
func (fc *fileCtx) lambda(x *syntax.LambdaExpr, en *env) string {
	args := make([]string, 0, len(x.Params)+1)
	for _, p := range x.Params {
		args = append(args, quote(p.Name.Name))
		en = en.bind(p.Name.Name, call("lambdaVariables", quote(p.Name.Name)))
	}
	return call("lambda", append(args, fc.expr(x.Body, en))...)
}

// forExpr compiles a loop inside an expression to map() (and filter()).
func (fc *fileCtx) forExpr(x *syntax.ForExpr, en *env) string {
	it := fc.expr(x.Iterable, en)
	body := x.Body
	var cond syntax.Expr
	if ife, ok := body.(*syntax.IfExpr); ok {
		cond, body = ife.Cond, ife.Body
	}
	if x.Index == nil {
		item := x.Item.Name
		be := en.bind(item, call("lambdaVariables", quote(item)))
		if cond != nil {
			it = call("filter", it, call("lambda", quote(item), fc.expr(cond, be)))
		}
		return call("map", it, call("lambda", quote(item), fc.expr(body, be)))
	}
	idx := x.Index.Name
	iv := call("lambdaVariables", quote(idx))
	be := en.bind(x.Item.Name, it+"["+iv+"]").bind(idx, iv)
	rng := call("range", "0", call("length", it))
	if cond != nil {
		rng = call("filter", rng, call("lambda", quote(idx), fc.expr(cond, be)))
	}
	return call("map", rng, call("lambda", quote(idx), fc.expr(body, be)))
}

// exprText is a short rendering of an expression for messages.
func exprText(e syntax.Expr) string {
	switch x := e.(type) {
	case *syntax.Ident:
		return x.Name
	case *syntax.PropertyAccess:
		return exprText(x.X) + "." + x.Name.Name
	case *syntax.ResourceAccess:
		return exprText(x.X) + "::" + x.Name.Name
	case *syntax.IndexExpr:
		return exprText(x.X) + "[…]"
	case *syntax.CallExpr:
		if x.Recv != nil {
			return exprText(x.Recv) + "." + x.Name.Name + "()"
		}
		return x.Name.Name + "()"
	}
	return "an expression"
}
