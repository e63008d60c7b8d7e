// Package bicep compiles Bicep files to ARM templates the way the Bicep
// compiler does, so that the ARM template reader (internal/source/arm,
// expressions evaluated by internal/armexpr) judges them: parameters become
// template parameters, variables template variables, resources
// languageVersion 2.0 resources keyed by symbolic name, modules nested
// deployments with an inner evaluation scope and the module's template
// inline, loops copy loops, conditions conditions. Every node of the
// template carries the line of the Bicep text it came from, and each
// resource the file and address it was written at (arm.Origin).
//
// What cannot be known offline (module outputs, reference(), a registry
// module) stays an expression the evaluator cannot resolve, so the fields
// depending on it are Unknown with the reason; a module that cannot be read
// is an input error at its call. Parsing is internal/bicep/syntax.
package bicep

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// Bounds on what one root file may make the compiler read and build.
const (
	maxModuleDepth  = 16       // module calls from the root to the deepest module
	maxModuleCalls  = 256      // module calls compiled in all (a module called twice counts twice)
	maxFileBytes    = 4 << 20  // one .bicep file (module, import or loaded content)
	maxTotalBytes   = 64 << 20 // all files read for one root
	maxExprBytes    = 1 << 20  // one compiled expression's text
	maxInlineDepth  = 64       // user-defined functions and imported variables inlined into each other
	maxInlines      = 1 << 16  // inlinings of functions and imported variables for one root
	maxEmittedNodes = 1 << 20  // template nodes built for one root
)

// Template is a compiled Bicep file.
type Template struct {
	// Root is the ARM template (languageVersion 2.0).
	Root *jsontree.Node
	// Origins gives each resource node the file and address it was
	// written at.
	Origins map[*jsontree.Node]arm.Origin
	// Unread are the modules aksguard does not read (registry modules),
	// reported where deployed (arm.TemplateOptions.Unread).
	Unread map[*jsontree.Node]string
	// RootFile is the Bicep file compiled as the deployment (a
	// .bicepparam file's using target), where addresses start.
	RootFile string
	// Files are the Bicep files read (the root first), for dedupe of
	// roots: a file compiled as a module of another is not a root.
	Files []string
	// Params are parameter values given from outside the template (the
	// literal values of a .bicepparam file).
	Params map[string]*jsontree.Node
}

// compiler compiles one root file and everything it reads.
type compiler struct {
	readFile func(path string) ([]byte, error)
	// registry maps registry module references to local folders
	// (Options.RegistryModules).
	registry map[string]string
	// repo is the repository the deployment is in (the nearest folder
	// above its file holding .git, symbolic links resolved), "" when none
	// is found: loaded files must stay inside it.
	repo string
	errs []inventory.InputError
	// parsed caches the files read, by cleaned path.
	parsed map[string]*syntax.File
	bytes  int
	calls  int
	nodes  int
	files  []string
	orig   map[*jsontree.Node]arm.Origin
	unread map[*jsontree.Node]string // registry modules (arm.TemplateOptions.Unread)
	// imported are the files imported from, by cleaned path (read once).
	imported map[string]*fileCtx
	// inlineDepth is the nesting of inlined variables and functions;
	// inlines counts them all (maxInlines).
	inlineDepth, inlines int
}

func (c *compiler) errorf(file string, line int, format string, a ...any) {
	for _, e := range c.errs {
		if e.Input == file && e.Line == line && e.Message == fmt.Sprintf(format, a...) {
			return
		}
	}
	c.errs = append(c.errs, inventory.InputError{Input: file, Line: line, Message: fmt.Sprintf(format, a...)})
}

// parseFile reads and parses one file (cached).
func (c *compiler) parseFile(path string) (*syntax.File, error) {
	key := filepath.Clean(path)
	if f, ok := c.parsed[key]; ok {
		if f == nil {
			return nil, fmt.Errorf("it could not be read (see the error at that file)")
		}
		return f, nil
	}
	c.parsed[key] = nil
	data, err := c.read(path)
	if err != nil {
		return nil, err
	}
	f, err := syntax.Parse(data, path)
	if err != nil {
		c.syntaxErrors(path, err)
		return nil, fmt.Errorf("it does not parse (see the errors at that file)")
	}
	c.parsed[key] = f
	c.files = append(c.files, key)
	return f, nil
}

// read reads one file within the byte caps.
func (c *compiler) read(path string) ([]byte, error) {
	data, err := c.readFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("it is larger than %d MiB, more than aksguard reads for one Bicep file", maxFileBytes>>20)
	}
	if c.bytes+len(data) > maxTotalBytes {
		return nil, fmt.Errorf("the files this deployment reads are larger than %d MiB together, more than aksguard reads", maxTotalBytes>>20)
	}
	c.bytes += len(data)
	return data, nil
}

// syntaxErrors records the parser's errors as input errors.
func (c *compiler) syntaxErrors(path string, err error) {
	if list, ok := err.(syntax.ErrorList); ok && len(list) > 0 {
		for i, e := range list {
			if i == 10 {
				break
			}
			c.errorf(path, e.Pos.Line, "Bicep syntax: %s; aksguard reads nothing from this file", e.Msg)
		}
		return
	}
	c.errorf(path, 0, "Bicep syntax: %v; aksguard reads nothing from this file", err)
}

// inlineBudget charges one inlining; false (said once, at file:line) past
// maxInlines.
func (c *compiler) inlineBudget(file string, line int) bool {
	c.inlines++
	if c.inlines == maxInlines+1 {
		c.errorf(file, line, "functions and imported variables are inlined more than %d times (each using the next several times): aksguard does not evaluate what uses them", maxInlines)
	}
	return c.inlines <= maxInlines
}

// node counts one template node against the budget.
func (c *compiler) node(n *jsontree.Node) *jsontree.Node {
	c.nodes++
	return n
}

func (c *compiler) over() bool { return c.nodes > maxEmittedNodes }

// Compile compiles the Bicep file path (src its text) and the local modules
// it calls to one ARM template. readFile reads the modules, imports and
// loaded files (relative paths are resolved against the file that names
// them); its errors are reported at the call. params, when non-nil, are
// the values of a .bicepparam file (already compiled): they replace the
// parameters' defaults. The errors name file:line and what to do; the
// template is returned even with errors (what could not be read is left
// out of it or unresolvable in it, never a default).
func Compile(path string, src []byte, readFile func(string) ([]byte, error)) (*Template, []inventory.InputError) {
	return compileWith(path, src, Options{ReadFile: readFile})
}

// Options tune Decode.
type Options struct {
	// ReadFile reads the modules, imports and loaded files a Bicep file
	// names (ReadFile of this package when nil).
	ReadFile func(string) ([]byte, error)
	// Params are parameter values from a JSON parameters file
	// (--parameters); they override the defaults and a .bicepparam
	// file's values.
	Params map[string]*jsontree.Node
	// RegistryModules maps a registry module reference
	// ("br/public:avm/res/container-service/managed-cluster:0.9.0", or
	// without ":tag" for every version) to a local copy: a folder holding
	// its main.bicep (or main.json), or the file itself (--bicep-module).
	RegistryModules map[string]string
}

func compileWith(path string, src []byte, o Options) (*Template, []inventory.InputError) {
	c := &compiler{readFile: o.ReadFile, registry: o.RegistryModules, repo: repoOf(path), parsed: map[string]*syntax.File{}, orig: map[*jsontree.Node]arm.Origin{}, unread: map[*jsontree.Node]string{}, imported: map[string]*fileCtx{}}
	c.bytes = len(src)
	f, err := syntax.Parse(src, path)
	if err != nil {
		c.syntaxErrors(path, err)
		return nil, c.errs
	}
	c.parsed[filepath.Clean(path)] = f
	c.files = append(c.files, filepath.Clean(path))
	return c.compileRoot(path, f, nil)
}

func (c *compiler) compileRoot(path string, f *syntax.File, given *paramFile) (*Template, []inventory.InputError) {
	fc := c.newFile(path, f, "", 0, []string{filepath.Clean(path)})
	if given != nil {
		fc.given = given
	}
	root := fc.template()
	return &Template{Root: root, RootFile: path, Origins: c.orig, Unread: c.unread, Files: c.files}, c.errs
}

// fileCtx is one Bicep file being compiled (the root, or a module called
// from a chain of modules).
type fileCtx struct {
	c     *compiler
	path  string
	dir   string
	f     *syntax.File
	addr  string   // address prefix: "" for the root, "module aks > " below
	depth int      // module nesting
	chain []string // cleaned paths from the root to this file (cycles)

	params    map[string]*syntax.Param
	vars      map[string]*syntax.Var
	resources map[string]*resInfo
	order     []*resInfo // resources in declaration order, parents first
	modules   map[string]*modInfo
	funcs     map[string]*funcRef
	imports   map[string]*importRef // imported names (variables) by local name
	wildcards map[string]*fileCtx   // `import * as ns` namespaces
	// registryNS are `import * as ns` namespaces of registry files.
	registryNS map[string]string
	// inline is set for a file whose variables are inlined where they are
	// used (a file imported from, a .bicepparam file), rather than declared
	// in a template.
	inline bool
	// given are the values a .bicepparam file gives the root's parameters.
	given *paramFile
}

// funcRef is a user-defined function and the file it is declared in.
type funcRef struct {
	fn *syntax.Func
	fc *fileCtx
}

// importRef is an imported variable (or type, or function) and its file.
type importRef struct {
	name     string
	fc       *fileCtx
	registry string // the registry reference it is imported from (fc nil)
}

func (c *compiler) newFile(path string, f *syntax.File, addr string, depth int, chain []string) *fileCtx {
	fc := c.newFileCtx(path, f, addr, depth, chain)
	fc.declare()
	return fc
}

// newFileCtx is newFile without reading the declarations yet.
func (c *compiler) newFileCtx(path string, f *syntax.File, addr string, depth int, chain []string) *fileCtx {
	return &fileCtx{c: c, path: path, dir: filepath.Dir(path), f: f, addr: addr, depth: depth, chain: chain,
		params: map[string]*syntax.Param{}, vars: map[string]*syntax.Var{}, resources: map[string]*resInfo{},
		modules: map[string]*modInfo{}, funcs: map[string]*funcRef{}, imports: map[string]*importRef{}, wildcards: map[string]*fileCtx{}, registryNS: map[string]string{}}
}

// declare indexes the file's declarations by name.
func (fc *fileCtx) declare() {
	for _, st := range fc.f.Statements {
		switch s := st.(type) {
		case *syntax.Param:
			fc.params[s.Name.Name] = s
		case *syntax.Var:
			fc.vars[s.Name.Name] = s
		case *syntax.Func:
			fc.funcs[s.Name.Name] = &funcRef{fn: s, fc: fc}
		case *syntax.Resource:
			fc.declareResource(s, nil)
		case *syntax.Module:
			fc.modules[s.Name.Name] = &modInfo{decl: s}
		case *syntax.Import:
			fc.declareImport(s)
		}
	}
	fc.resolveParents()
}

// declareImport reads the file an import names and binds its names.
func (fc *fileCtx) declareImport(s *syntax.Import) {
	if s.From == nil {
		return
	}
	p, ok := s.From.Value()
	if !ok {
		fc.c.errorf(fc.path, s.Line, "import: the file must be a string without interpolation")
		return
	}
	if isRegistryRef(p) {
		// Types have nothing to evaluate: only a value used from it is
		// an error (where it is used).
		if s.Wildcard != nil {
			fc.registryNS[s.Wildcard.Name] = p
		}
		for _, it := range s.Items {
			name := importName(it)
			local := name
			if it.Alias != nil {
				local = it.Alias.Name
			}
			fc.imports[local] = &importRef{name: name, registry: p}
		}
		return
	}
	path := filepath.Join(fc.dir, filepath.FromSlash(p))
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return // an ARM template's exported types: nothing to evaluate
	}
	sub := fc.c.imported[filepath.Clean(path)]
	if sub == nil {
		f, err := fc.c.parseFile(path)
		if err != nil {
			fc.c.errorf(fc.path, s.From.Line, "import from %q not read: %v", clip(p), err)
			return
		}
		// Registered before its own imports are read, so that files
		// importing each other end.
		sub = fc.c.newFileCtx(path, f, fc.addr, fc.depth, fc.chain)
		sub.inline = true
		fc.c.imported[filepath.Clean(path)] = sub
		sub.declare()
	}
	if s.Wildcard != nil {
		fc.wildcards[s.Wildcard.Name] = sub
		return
	}
	for _, it := range s.Items {
		name := importName(it)
		local := name
		if it.Alias != nil {
			local = it.Alias.Name
		}
		if f := sub.funcs[name]; f != nil {
			fc.funcs[local] = f
			continue
		}
		fc.imports[local] = &importRef{name: name, fc: sub}
	}
}

func importName(it *syntax.ImportItem) string {
	switch n := it.Name.(type) {
	case *syntax.Ident:
		return n.Name
	case *syntax.StringLit:
		v, _ := n.Value()
		return v
	}
	return ""
}

// template builds the ARM template of the file.
func (fc *fileCtx) template() *jsontree.Node {
	line := 1
	t := fc.obj(line)
	fc.set(t, "$schema", fc.str("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", line))
	fc.set(t, "languageVersion", fc.str("2.0", line))
	fc.set(t, "contentVersion", fc.str("1.0.0.0", line))
	params := fc.obj(line)
	vars := fc.obj(line)
	for _, st := range fc.f.Statements {
		switch s := st.(type) {
		case *syntax.Param:
			fc.set(params, s.Name.Name, fc.paramDecl(s))
		case *syntax.Var:
			fc.varDecl(vars, s)
		}
	}
	fc.set(t, "parameters", params)
	fc.set(t, "variables", vars)
	res := fc.obj(line)
	fc.emitResources(res)
	fc.set(t, "resources", res)
	return t
}

// Node builders: every node carries its Bicep line.

func (fc *fileCtx) obj(line int) *jsontree.Node {
	return fc.c.node(&jsontree.Node{Kind: jsontree.Object, Line: line})
}

func (fc *fileCtx) arr(line int) *jsontree.Node {
	return fc.c.node(&jsontree.Node{Kind: jsontree.Array, Line: line})
}

func (fc *fileCtx) str(s string, line int) *jsontree.Node {
	return fc.c.node(&jsontree.Node{Kind: jsontree.String, Str: s, Line: line})
}

// lit is a literal string value, escaped so that it is never read as an
// expression.
func (fc *fileCtx) lit(s string, line int) *jsontree.Node {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = "[" + s
	}
	return fc.str(s, line)
}

// exprNode is an expression value "[text]".
func (fc *fileCtx) exprNode(text string, line int) *jsontree.Node {
	return fc.str("["+text+"]", line)
}

func (fc *fileCtx) set(o *jsontree.Node, key string, v *jsontree.Node) {
	if v == nil {
		return
	}
	for i, m := range o.Members {
		if m.Key == key {
			o.Members[i].Value = v
			return
		}
	}
	o.Members = append(o.Members, jsontree.Member{Key: key, Value: v})
	if len(o.Members) >= 16 {
		o.Reindex()
	}
}

// isRegistryRef reports whether a module or import path names a registry
// module or template spec rather than a local file.
func isRegistryRef(p string) bool {
	l := strings.ToLower(p)
	return strings.HasPrefix(l, "br:") || strings.HasPrefix(l, "br/") || strings.HasPrefix(l, "ts:") || strings.HasPrefix(l, "ts/")
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
