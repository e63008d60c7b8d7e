package bicep

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// resInfo is one resource declaration (a nested child resource is one of
// its own, with its parent set).
type resInfo struct {
	decl       *syntax.Resource
	symbol     string // "aks", "aks::pool" for a nested resource
	typ        string // full type
	apiVersion string
	parent     *resInfo
	nested     bool // declared inside its parent's body
	body       *syntax.ObjectExpr
	loop       *syntax.ForExpr
	cond       syntax.Expr // if (...) of a conditional or filtered loop
}

// unwrapBody splits a resource or module body into its loop, condition
// and object.
func unwrapBody(e syntax.Expr) (loop *syntax.ForExpr, cond syntax.Expr, body *syntax.ObjectExpr) {
	if f, ok := e.(*syntax.ForExpr); ok {
		loop, e = f, f.Body
	}
	if i, ok := e.(*syntax.IfExpr); ok {
		cond, e = i.Cond, i.Body
	}
	body, _ = e.(*syntax.ObjectExpr)
	return loop, cond, body
}

// splitType splits 'Microsoft.X/y@version'.
func splitType(s *syntax.StringLit) (typ, ver string) {
	v, _ := s.Value()
	typ, ver, _ = strings.Cut(v, "@")
	return typ, ver
}

func (fc *fileCtx) declareResource(s *syntax.Resource, parent *resInfo) {
	r := &resInfo{decl: s, symbol: s.Name.Name, parent: parent, nested: parent != nil}
	r.typ, r.apiVersion = splitType(s.Type)
	if parent != nil {
		r.symbol = parent.symbol + "::" + s.Name.Name
		if !strings.Contains(strings.SplitN(r.typ, "/", 2)[0], ".") {
			r.typ = parent.typ + "/" + r.typ
		}
		if r.apiVersion == "" {
			r.apiVersion = parent.apiVersion
		}
	}
	r.loop, r.cond, r.body = unwrapBody(s.Body)
	fc.resources[r.symbol] = r
	fc.order = append(fc.order, r)
	if r.body == nil {
		return
	}
	for _, it := range r.body.Items {
		if child, ok := it.(*syntax.Resource); ok {
			fc.declareResource(child, r)
		}
	}
}

// prop returns the value of a property of a body object.
func prop(body *syntax.ObjectExpr, name string) syntax.Expr {
	if body == nil {
		return nil
	}
	for _, it := range body.Items {
		if p, ok := it.(*syntax.ObjectProperty); ok {
			if k, ok := p.KeyName(); ok && k == name {
				return p.Value
			}
		}
	}
	return nil
}

// resolveParents links resources declared with a parent: property.
func (fc *fileCtx) resolveParents() {
	for _, r := range fc.order {
		if r.nested || r.body == nil {
			continue
		}
		pe := prop(r.body, "parent")
		if pe == nil {
			continue
		}
		p, _ := fc.resourceAt(pe, nil)
		if p == nil || p == r {
			fc.c.errorf(fc.path, pe.Position().Line, "parent: must name a resource of this file; aksguard cannot tell this resource's full name")
			continue
		}
		r.parent = p
	}
}

// loopEnv binds the loop variables of a resource or module loop for the
// copy whose index is the expression idx.
func (fc *fileCtx) loopEnv(loop *syntax.ForExpr, en *env, idx string) *env {
	if loop == nil {
		return en
	}
	it := fc.expr(loop.Iterable, en)
	en = en.bind(loop.Item.Name, it+"["+idx+"]")
	if loop.Index != nil {
		en = en.bind(loop.Index.Name, idx)
	}
	return en
}

// nameSegs are the segments of the resource's full name ("cluster",
// "pool") as expressions, for the copy idx (empty: the resource's own
// copyIndex()).
func (r *resInfo) nameSegs(fc *fileCtx, en *env, idx string, depth int) []string {
	if depth > 16 {
		return []string{unsupported("resources that are their own parents")}
	}
	if idx == "" {
		idx = "copyIndex()"
	}
	var segs []string
	if r.parent != nil {
		segs = r.parent.nameSegs(fc, en, "", depth+1)
	}
	ne := prop(r.body, "name")
	if ne == nil {
		return append(segs, unsupported("a resource without a name"))
	}
	return append(segs, fc.expr(ne, fc.loopEnv(r.loop, en, idx)))
}

func joinName(segs []string) string {
	if len(segs) == 1 {
		return segs[0]
	}
	f := make([]string, len(segs))
	for i := range segs {
		f[i] = "{" + strconv.Itoa(i) + "}"
	}
	return call("format", append([]string{quote(strings.Join(f, "/"))}, segs...)...)
}

func (r *resInfo) idTextAt(fc *fileCtx, en *env, idx string) string {
	return call("resourceId", append([]string{quote(r.typ)}, r.nameSegs(fc, en, idx, 0)...)...)
}

func (r *resInfo) idText(fc *fileCtx, en *env) string { return r.idTextAt(fc, en, "") }

// member is sym.name of a resource (at copy idx when indexed).
func (r *resInfo) member(fc *fileCtx, en *env, name string, safe bool, idx string) string {
	switch name {
	case "id":
		return r.idTextAt(fc, en, idx)
	case "name":
		if idx == "" {
			idx = "copyIndex()"
		}
		if ne := prop(r.body, "name"); ne != nil {
			return fc.expr(ne, fc.loopEnv(r.loop, en, idx))
		}
		return unsupported("a resource without a name")
	case "type":
		return quote(r.typ)
	case "apiVersion":
		return quote(r.apiVersion)
	}
	ref := call("reference", quote(r.symbol))
	if idx != "" {
		ref = call("reference", r.idTextAt(fc, en, idx))
	}
	if name == "properties" {
		return ref
	}
	full := call("reference", quote(r.symbol), quote(r.apiVersion), quote("full"))
	if safe {
		return call("tryGet", full, quote(name))
	}
	return member(full, name)
}

// shadowed reports whether name is a loop or lambda variable, a parameter
// or a variable here: then it names no resource or module.
func (fc *fileCtx) shadowed(name string, en *env) bool {
	if _, bound := en.lookup(name); bound {
		return true
	}
	_, param := fc.params[name]
	_, v := fc.vars[name]
	return param || v
}

// resourceAt finds the resource an expression names (sym, parent::child,
// sym[i]); idx is the copy index expression when indexed.
func (fc *fileCtx) resourceAt(e syntax.Expr, en *env) (*resInfo, string) {
	switch x := e.(type) {
	case *syntax.Ident:
		if fc.shadowed(x.Name, en) {
			return nil, ""
		}
		return fc.resources[x.Name], ""
	case *syntax.ResourceAccess:
		p, _ := fc.resourceAt(x.X, en)
		if p == nil {
			return nil, ""
		}
		return fc.resources[p.symbol+"::"+x.Name.Name], ""
	case *syntax.IndexExpr:
		if x.Safe {
			return nil, ""
		}
		r, idx := fc.resourceAt(x.X, en)
		if r == nil || idx != "" || r.loop == nil {
			return nil, ""
		}
		return r, fc.expr(x.Index, en)
	case *syntax.ParenExpr:
		return fc.resourceAt(x.X, en)
	}
	return nil, ""
}

func (fc *fileCtx) resourceOf(e syntax.Expr, en *env) *resInfo {
	r, idx := fc.resourceAt(e, en)
	if idx != "" {
		return nil
	}
	return r
}

// resourceIndexed is sym[i] of a resource loop: the id of that copy.
func (fc *fileCtx) resourceIndexed(x *syntax.IndexExpr, en *env) string {
	r, idx := fc.resourceAt(x, en)
	if r == nil || idx == "" {
		return ""
	}
	return r.idTextAt(fc, en, idx)
}

// emitResources adds every resource and module of the file to the
// template's resources object, in source order.
func (fc *fileCtx) emitResources(res *jsontree.Node) {
	for _, st := range fc.f.Statements {
		switch s := st.(type) {
		case *syntax.Resource:
			for _, r := range fc.order {
				if r.decl == s || fc.within(r, s) {
					fc.set(res, r.symbol, fc.resource(r))
				}
			}
		case *syntax.Module:
			if n := fc.module(fc.modules[s.Name.Name]); n != nil {
				fc.set(res, s.Name.Name, n)
			}
		}
	}
}

// within reports whether r is a resource nested (at any depth) in s.
func (fc *fileCtx) within(r *resInfo, s *syntax.Resource) bool {
	for p := r.parent; p != nil && r.nested; p = p.parent {
		if p.decl == s {
			return true
		}
		if !p.nested {
			break
		}
	}
	return false
}

// resource builds one resource of the template.
func (fc *fileCtx) resource(r *resInfo) *jsontree.Node {
	s := r.decl
	n := fc.obj(s.Line)
	fc.c.orig[n] = arm.Origin{File: fc.path, Address: fc.addr + "resource " + r.symbol}
	en := fc.loopEnv(r.loop, nil, "copyIndex()")
	if r.loop != nil {
		loop := fc.obj(r.loop.Line)
		fc.set(loop, "name", fc.str(r.symbol, r.loop.Line))
		fc.set(loop, "count", fc.exprNode(call("length", fc.expr(r.loop.Iterable, nil)), r.loop.Line))
		fc.set(n, "copy", loop)
	}
	// A nested resource is deployed only when the resources it is nested
	// in are (the compiler ANDs their conditions).
	var conds []string
	condLine := 0
	for p := r; p != nil; p = p.parent {
		if p.cond != nil {
			conds = append(conds, fc.expr(p.cond, fc.loopEnv(p.loop, nil, "copyIndex()")))
			if condLine == 0 {
				condLine = p.cond.Position().Line
			}
		}
		if !p.nested {
			break
		}
	}
	if len(conds) > 0 {
		text := conds[0]
		for _, c := range conds[1:] {
			text = call("and", c, text)
		}
		fc.set(n, "condition", fc.exprNode(text, condLine))
	}
	if s.Existing {
		fc.set(n, "existing", fc.c.node(&jsontree.Node{Kind: jsontree.Bool, Bool: true, Line: s.Line}))
	}
	fc.set(n, "type", fc.str(r.typ, s.Type.Line))
	fc.set(n, "apiVersion", fc.str(r.apiVersion, s.Type.Line))
	if r.body == nil {
		fc.c.errorf(fc.path, s.Line, "resource %s: its body is not an object; aksguard does not read it", r.symbol)
		return n
	}
	nameLine := s.Line
	if ne := prop(r.body, "name"); ne != nil {
		nameLine = ne.Position().Line
	}
	fc.set(n, "name", fc.exprNode(joinName(r.nameSegs(fc, nil, "", 0)), nameLine))
	for _, it := range r.body.Items {
		p, ok := it.(*syntax.ObjectProperty)
		if !ok {
			if sp, ok := it.(*syntax.SpreadExpr); ok {
				fc.c.errorf(fc.path, sp.Line, "resource %s: a spread (...) at the top of a resource body is not read by aksguard; write the properties out", r.symbol)
			}
			continue
		}
		k, ok := p.KeyName()
		if !ok {
			continue
		}
		switch k {
		case "name", "parent", "dependsOn":
			continue
		case "scope":
			fc.set(n, "scope", fc.exprNode(fc.expr(p.Value, en), p.Value.Position().Line))
			continue
		}
		fc.set(n, k, fc.value(p.Value, en, k == "properties"))
	}
	return n
}
