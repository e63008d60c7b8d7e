package bicep

import (
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// A .bicepparam file (`using 'main.bicep'` and `param x = value`) gives
// the parameters of the file it uses. Scanned as an input, it compiles
// that file with those values: a value without expressions is given as a
// parameter value (as from a JSON parameters file), one with expressions
// (its variables, functions) replaces the parameter's default in the
// template, compiled in the .bicepparam file.

// paramFile is a parsed .bicepparam file.
type paramFile struct {
	fc      *fileCtx
	assigns map[string]*syntax.ParamAssignment
	// literal holds the values without expressions, given as parameter
	// values rather than written into the template.
	literal map[string]*jsontree.Node
	used    map[string]bool
}

// value is the default that replaces the declared one: the compiled value
// of an assignment with expressions; nil when the parameter is not
// assigned or is given as a literal value.
func (p *paramFile) value(name string) *jsontree.Node {
	p.used[name] = true
	a := p.assigns[name]
	if a == nil {
		return nil
	}
	if _, ok := p.literal[name]; ok {
		return nil
	}
	return p.fc.value(a.Value, nil, false)
}

// hasExpression reports whether a compiled value holds an expression.
func hasExpression(n *jsontree.Node, depth int) bool {
	if n == nil || depth > 256 {
		return false
	}
	if n.Kind == jsontree.String {
		return strings.HasPrefix(n.Str, "[") && !strings.HasPrefix(n.Str, "[[")
	}
	for _, m := range n.Members {
		if hasExpression(m.Value, depth+1) {
			return true
		}
	}
	for _, it := range n.Items {
		if hasExpression(it, depth+1) {
			return true
		}
	}
	return false
}

// CompileParams compiles a .bicepparam file: the Bicep file of its using
// statement, with its parameter values. Template.Params holds the values
// to give the template's parameters (arm.DecodeTemplateWith's params).
func CompileParams(path string, src []byte, readFile func(string) ([]byte, error)) (*Template, []inventory.InputError) {
	return compileParamsWith(path, src, Options{ReadFile: readFile})
}

func compileParamsWith(path string, src []byte, o Options) (*Template, []inventory.InputError) {
	c := &compiler{readFile: o.ReadFile, registry: o.RegistryModules, repo: repoOf(path), parsed: map[string]*syntax.File{}, orig: map[*jsontree.Node]arm.Origin{}, unread: map[*jsontree.Node]string{}, imported: map[string]*fileCtx{}}
	c.bytes = len(src)
	f, err := syntax.Parse(src, path)
	if err != nil {
		c.syntaxErrors(path, err)
		return nil, c.errs
	}
	pc := c.newFile(path, f, "", 0, nil)
	pc.inline = true
	pf := &paramFile{fc: pc, assigns: map[string]*syntax.ParamAssignment{}, literal: map[string]*jsontree.Node{}, used: map[string]bool{}}
	var using *syntax.Using
	for _, st := range f.Statements {
		switch s := st.(type) {
		case *syntax.Using:
			using = s
		case *syntax.ParamAssignment:
			pf.assigns[s.Name.Name] = s
			v := pc.value(s.Value, nil, false)
			if !hasExpression(v, 0) {
				pf.literal[s.Name.Name] = v
			}
		case *syntax.Extends:
			c.errorf(path, s.Line, "extends: aksguard does not read a base parameters file, so the parameters it would give keep their defaults in the template; write them in this file")
		}
	}
	if using == nil || using.None || using.Path == nil {
		c.errorf(path, 1, "this .bicepparam file uses no Bicep file (using none, or no using statement): scan the Bicep file it is meant for with --parameters, or add using 'main.bicep'")
		return nil, c.errs
	}
	target, ok := using.Path.Value()
	if !ok {
		c.errorf(path, using.Line, "using: the path must be a string without interpolation")
		return nil, c.errs
	}
	if isRegistryRef(target) {
		c.errorf(path, using.Line, "using %q: a registry module is not downloaded by aksguard, so nothing it deploys is judged; scan a local copy of it", clip(target))
		return nil, c.errs
	}
	tpath := filepath.Join(filepath.Dir(path), filepath.FromSlash(target))
	tf, err := c.parseFile(tpath)
	if err != nil {
		c.errorf(path, using.Path.Line, "using %q not read: %v", clip(target), readErr(err))
		return nil, c.errs
	}
	t, errs := c.compileRoot(tpath, tf, pf)
	for name, a := range pf.assigns {
		if !pf.used[name] {
			c.errorf(path, a.Line, "parameter %s is not declared in %s: Azure refuses this parameters file", name, filepath.Base(tpath))
			errs = c.errs
		}
	}
	t.Params = pf.literal
	return t, errs
}
