package bicep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// Modules compile to Microsoft.Resources/deployments resources with an
// inner evaluation scope and the module's own template inline, as the
// Bicep compiler writes them: the module's params are the deployment's
// parameters (expressions of the calling file), its outputs are read
// through reference(), which is known only when deployed. A local .bicep
// module is compiled in place (its resources name their own file); a local
// .json module is an ARM template, inlined as it is; a registry module or
// template spec is an input error at the call.

// modInfo is one module declaration.
type modInfo struct {
	decl *syntax.Module
}

func (m *modInfo) body() (*syntax.ForExpr, syntax.Expr, *syntax.ObjectExpr) {
	return unwrapBody(m.decl.Body)
}

// nameTextAt is the deployment name of the module call at copy idx.
func (m *modInfo) nameTextAt(fc *fileCtx, en *env, idx string) string {
	loop, _, body := m.body()
	if ne := prop(body, "name"); ne != nil {
		return fc.expr(ne, fc.loopEnv(loop, en, idx))
	}
	sym := m.decl.Name.Name
	return call("format", quote("{0}-{1}"), quote(sym), call("uniqueString", quote(sym), call("deployment")+".name"))
}

func (m *modInfo) nameText(fc *fileCtx, en *env) string { return m.nameTextAt(fc, en, "copyIndex()") }

// moduleOf finds the module an expression names (mod, mod[i]).
func (fc *fileCtx) moduleOf(e syntax.Expr, en *env) (*modInfo, string) {
	switch x := e.(type) {
	case *syntax.Ident:
		if fc.shadowed(x.Name, en) {
			return nil, ""
		}
		return fc.modules[x.Name], ""
	case *syntax.IndexExpr:
		m, idx := fc.moduleOf(x.X, en)
		if m == nil || idx != "" || x.Safe {
			return nil, ""
		}
		return m, fc.expr(x.Index, en)
	case *syntax.ParenExpr:
		return fc.moduleOf(x.X, en)
	}
	return nil, ""
}

// module builds the deployment resource of one module call; nil when the
// module cannot be read (the error is recorded at the call).
func (fc *fileCtx) module(m *modInfo) *jsontree.Node {
	s := m.decl
	sym := s.Name.Name
	p, ok := s.Path.Value()
	if !ok {
		fc.c.errorf(fc.path, s.Path.Line, "module %s: its path must be a string without interpolation; aksguard does not read it, so nothing it deploys is judged", sym)
		return nil
	}
	loop, cond, body := m.body()
	if body == nil {
		fc.c.errorf(fc.path, s.Line, "module %s: its body is not an object; aksguard does not read it", sym)
		return nil
	}
	n := fc.obj(s.Line)
	origin := arm.Origin{File: fc.path, Address: fc.addr + "module " + sym}
	var tmpl *jsontree.Node
	switch local := fc.c.registryCopy(p); {
	case isRegistryRef(p) && local == "":
		// Reported by the template reader where the module is deployed
		// (its condition is not false).
		fc.c.unread[n] = fmt.Sprintf("registry module %q not read: aksguard does not download registry modules or template specs, so the resources module %s deploys (which may be AKS clusters) are not judged; give a local copy of its source with --bicep-module REF=DIR, or call a local copy", clip(p), sym)
	case local != "":
		if tmpl = fc.moduleTemplate(s, sym, p, local); tmpl == nil {
			return nil
		}
	default:
		if tmpl = fc.moduleTemplate(s, sym, p, filepath.Join(fc.dir, filepath.FromSlash(p))); tmpl == nil {
			return nil
		}
	}
	fc.c.orig[n] = origin
	en := fc.loopEnv(loop, nil, "copyIndex()")
	if loop != nil {
		lp := fc.obj(loop.Line)
		fc.set(lp, "name", fc.str(sym, loop.Line))
		fc.set(lp, "count", fc.exprNode(call("length", fc.expr(loop.Iterable, nil)), loop.Line))
		fc.set(n, "copy", lp)
	}
	if cond != nil {
		fc.set(n, "condition", fc.exprNode(fc.expr(cond, en), cond.Position().Line))
	}
	fc.set(n, "type", fc.str("Microsoft.Resources/deployments", s.Line))
	fc.set(n, "apiVersion", fc.str("2022-09-01", s.Line))
	fc.set(n, "name", fc.exprNode(m.nameText(fc, nil), s.Line))
	props := fc.obj(s.Line)
	eo := fc.obj(s.Line)
	fc.set(eo, "scope", fc.str("inner", s.Line))
	fc.set(props, "expressionEvaluationOptions", eo)
	fc.set(props, "mode", fc.str("Incremental", s.Line))
	params := fc.obj(s.Line)
	if pe := prop(body, "params"); pe != nil {
		fc.moduleParams(params, pe, en, sym)
	}
	fc.set(props, "parameters", params)
	fc.set(props, "template", tmpl)
	fc.set(n, "properties", props)
	return n
}

// moduleParams fills a deployment's parameters from a module's params.
func (fc *fileCtx) moduleParams(params *jsontree.Node, pe syntax.Expr, en *env, sym string) {
	obj, ok := pe.(*syntax.ObjectExpr)
	if !ok {
		fc.c.errorf(fc.path, pe.Position().Line, "module %s: params must be an object literal; aksguard does not read these params, so the module's parameters keep no value it can evaluate", sym)
		return
	}
	for _, it := range obj.Items {
		p, ok := it.(*syntax.ObjectProperty)
		if !ok {
			fc.c.errorf(fc.path, it.Position().Line, "module %s: a spread (...) in params is not read by aksguard; write the parameters out", sym)
			continue
		}
		k, ok := p.KeyName()
		if !ok {
			continue
		}
		w := fc.obj(p.Line)
		if c, ok := p.Value.(*syntax.CallExpr); ok && c.Name.Name == "getSecret" && c.Recv != nil {
			// A Key Vault reference: given, never read.
			ref := fc.obj(p.Line)
			fc.set(ref, "secretName", fc.value(firstArg(c), en, false))
			fc.set(w, "reference", ref)
		} else {
			fc.set(w, "value", fc.value(p.Value, en, false))
		}
		fc.set(params, k, w)
	}
}

func firstArg(c *syntax.CallExpr) syntax.Expr {
	if len(c.Args) == 0 {
		return &syntax.NullLit{Pos: c.Pos}
	}
	return c.Args[0]
}

// moduleTemplate compiles (or reads) the template of a local module.
func (fc *fileCtx) moduleTemplate(s *syntax.Module, sym, p, path string) *jsontree.Node {
	key := filepath.Clean(path)
	fail := func(format string, a ...any) *jsontree.Node {
		fc.c.errorf(fc.path, s.Path.Line, "module %s (%q) not read: %s; nothing it deploys is judged", sym, clip(p), fmt.Sprintf(format, a...))
		return nil
	}
	for i, c := range fc.chain {
		if c == key {
			return fail("it calls itself through %s (a module cycle, which Bicep refuses)", strings.Join(chainNames(append(fc.chain[i:], key)), " > "))
		}
	}
	if fc.depth+1 > maxModuleDepth {
		return fail("modules nest deeper than %d calls", maxModuleDepth)
	}
	if fc.c.calls+1 > maxModuleCalls {
		return fail("this deployment calls more than %d modules in all", maxModuleCalls)
	}
	fc.c.calls++
	if strings.EqualFold(filepath.Ext(path), ".json") {
		data, err := fc.c.read(path)
		if err != nil {
			return fail("%v", readErr(err))
		}
		root, err := jsontree.Parse(data)
		if err != nil || !arm.IsTemplate(root) {
			return fail("it is not an ARM template")
		}
		if t := root.Get("template"); t != nil && t.Kind == jsontree.Object {
			root = t
		}
		fc.c.originAll(root.Get("resources"), path, fc.addr+"module "+sym+" > ", 0)
		return root
	}
	f, err := fc.c.parseFile(path)
	if err != nil {
		return fail("%v", readErr(err))
	}
	sub := fc.c.newFile(path, f, fc.addr+"module "+sym+" > ", fc.depth+1, append(append([]string{}, fc.chain...), key))
	return sub.template()
}

// originAll names the file of every resource of an ARM template module.
func (c *compiler) originAll(res *jsontree.Node, file, addr string, depth int) {
	if res == nil || depth > maxModuleDepth {
		return
	}
	each := func(sym string, r *jsontree.Node) {
		c.orig[r] = arm.Origin{File: file, Address: addr + sym}
		c.originAll(r.Get("resources"), file, addr, depth+1)
		c.originAll(r.Get("properties", "template", "resources"), file, addr, depth+1)
	}
	for _, m := range res.Members {
		each("resource "+m.Key, m.Value)
	}
	for i, it := range res.Items {
		each("resources["+strconv.Itoa(i)+"]", it)
	}
}

func chainNames(chain []string) []string {
	out := make([]string, 0, len(chain))
	for _, c := range chain {
		out = append(out, filepath.Base(c))
	}
	return out
}

// readErr words a read error without the OS's path prefix.
func readErr(err error) error {
	var pe interface{ Unwrap() error }
	if errors.As(err, &pe) {
		if u := pe.Unwrap(); u != nil {
			return fmt.Errorf("it cannot be read (%v)", u)
		}
	}
	return err
}

// registryCopy is the local copy given for a registry module reference
// (Options.RegistryModules): the file itself, or the main.bicep (else
// main.json) of the folder; "" when none is given.
func (c *compiler) registryCopy(ref string) string {
	if !isRegistryRef(ref) || len(c.registry) == 0 {
		return ""
	}
	dir, ok := c.registry[ref]
	if !ok {
		if i := strings.LastIndex(ref, ":"); i > strings.Index(ref, ":") {
			dir, ok = c.registry[ref[:i]]
		}
	}
	if !ok || dir == "" {
		return ""
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return dir
	}
	main := filepath.Join(dir, "main.bicep")
	if _, err := os.Stat(main); err != nil {
		if _, err := os.Stat(filepath.Join(dir, "main.json")); err == nil {
			return filepath.Join(dir, "main.json")
		}
	}
	return main
}
