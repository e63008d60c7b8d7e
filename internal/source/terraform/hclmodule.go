package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Bounds on the module graph of one root directory. Terraform has none,
// but real configurations stay far below them; a hostile graph (a module
// calling itself through a chain, a count of 1000 on each level) is an
// input error, not unbounded work.
const (
	maxModuleNesting   = 16  // module calls from the root to the deepest module
	maxModuleInstances = 256 // module instances read in all
	maxModuleFileBytes = 8 << 20
	maxModuleBytes     = 64 << 20 // .tf bytes read from all modules
)

// meta-arguments of a module block: not variables of the module.
var moduleMeta = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// graph reads one root module and the modules it calls, sharing the
// collector (pools and settings join to clusters across modules) and the
// evaluation budget.
type graph struct {
	c         *collector
	b         *budget
	root      string // the root module's directory
	manifest  map[string]moduleEntry
	readMan   bool
	manErr    string
	instances int
	bytes     int64
}

// moduleCall is what a module is read with: for the root, the values given
// (-var); for a child, its call's arguments and where the call is.
type moduleCall struct {
	given map[string]string
	root  bool
	args  map[string]argVal
	calls []inventory.ModuleCall // from the root to this module's call
}

// moduleOut is what a module gives its caller.
type moduleOut struct {
	val  cty.Value           // object of outputs
	why  map[string]string   // output → why it is not wholly known
	refs map[string][]string // output → resources it refers to (addresses)
}

// module reads one module: its variables, locals, the modules it calls
// (recursively), its resources, and its outputs. addr is its module path
// from the root, chain the absolute directories on that path.
func (g *graph) module(dir string, files map[string][]byte, call moduleCall, addr []modStep, chain []string) moduleOut {
	tfFiles, overrides, varFiles := g.parseModule(dir, files, call.root)
	e := newEvaluator(dir, g.b)
	e.prefix = resAddr{modules: addr}.prefix()
	e.calls = call.calls
	for _, f := range append(append([]*hclFile{}, tfFiles...), overrides...) {
		e.files[f.name] = f
	}
	e.sensitiveVars, e.sensitiveLocals = sensitiveFeeds(tfFiles)
	if len(e.sensitiveVars)+len(e.sensitiveLocals) > 0 {
		e.sensitive = true // error details may quote their values
	}
	g.c.batch.Errors = append(g.c.batch.Errors, e.loadVariables(tfFiles, varFiles, call.given, call.args)...)

	calls := moduleCalls(tfFiles)
	for _, mc := range calls {
		e.modules[mc.blk.Labels[0]] = cty.DynamicVal
	}
	e.loadLocals(tfFiles)
	for _, mc := range calls {
		g.call(e, tfFiles, mc, addr, chain)
	}
	e.reloadLocals(tfFiles)
	e.declareResources(tfFiles)
	for _, f := range tfFiles {
		for _, blk := range f.body.Blocks {
			if blk.Type == "resource" && len(blk.Labels) == 2 {
				e.resource(g.c, f, blk)
			}
		}
	}
	out := e.outputs(tfFiles)
	g.c.batch.Errors = append(g.c.batch.Errors, e.errs...)
	return out
}

type moduleBlock struct {
	f   *hclFile
	blk *hclsyntax.Block
}

// moduleCalls lists the module blocks, the first of each name, ordered so
// that a call comes after the calls its arguments refer to (directly or
// through locals) where that order exists; calls on a cycle keep file
// order, and their references to each other stay unknown.
func moduleCalls(files []*hclFile) []moduleBlock {
	byName := map[string]moduleBlock{}
	var names []string
	locals := map[string]hclsyntax.Expression{}
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			switch {
			case blk.Type == "module" && len(blk.Labels) == 1:
				if _, dup := byName[blk.Labels[0]]; !dup {
					byName[blk.Labels[0]] = moduleBlock{f: f, blk: blk}
					names = append(names, blk.Labels[0])
				}
			case blk.Type == "locals":
				for n, a := range blk.Body.Attributes {
					if _, dup := locals[n]; !dup {
						locals[n] = a.Expr
					}
				}
			}
		}
	}
	// deps: the module names an expression refers to, through locals.
	deps := func(body *hclsyntax.Body) map[string]bool {
		out := map[string]bool{}
		seen := map[string]bool{}
		var walk func(expr hclsyntax.Expression)
		walk = func(expr hclsyntax.Expression) {
			for _, tr := range expr.Variables() {
				switch r := parseRef(tr); r.kind {
				case "module":
					out[r.mod.name] = true
				case "local":
					if d, ok := locals[r.name]; ok && !seen[r.name] {
						seen[r.name] = true
						walk(d)
					}
				}
			}
		}
		for _, a := range body.Attributes {
			walk(a.Expr)
		}
		return out
	}
	var order []moduleBlock
	state := map[string]int{}
	var visit func(n string)
	visit = func(n string) {
		if state[n] != 0 {
			return
		}
		state[n] = 1
		d := deps(byName[n].blk.Body)
		ds := make([]string, 0, len(d))
		for x := range d {
			ds = append(ds, x)
		}
		sort.Strings(ds)
		for _, x := range ds {
			if _, ok := byName[x]; ok && x != n {
				visit(x)
			}
		}
		state[n] = 2
		order = append(order, byName[n])
	}
	for _, n := range names {
		visit(n)
	}
	return order
}

// call reads the instances of one module call and sets module.NAME.
func (g *graph) call(e *evaluator, files []*hclFile, mc moduleBlock, addr []modStep, chain []string) {
	name := mc.blk.Labels[0]
	line := mc.blk.DefRange().Start.Line
	at := fmt.Sprintf("%s:%d", mc.f.name, line)
	full := resAddr{modules: append(append([]modStep(nil), addr...), modStep{name: name})}.prefix()
	full = strings.TrimSuffix(full, ".")
	fail := func(msg string) {
		e.modWhy[name] = fmt.Sprintf("%s (%s) is not read: %s", full, at, msg)
		g.c.batch.Errors = append(g.c.batch.Errors, inventory.InputError{Input: mc.f.name, Line: line,
			Message: fmt.Sprintf("%s: %s; the resources it declares (an AKS cluster among them, perhaps) are not assessed", full, msg)})
	}

	// Locals that refer to modules read earlier are evaluated again.
	e.reloadLocals(files)

	src := ""
	if a := mc.blk.Body.Attributes["source"]; a != nil {
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			src = v.AsString()
		}
	}
	if src == "" {
		fail("its source is not a literal string")
		return
	}
	// count = 0 (or an empty for_each) reads nothing, whether or not the
	// source is at hand.
	insts, instWhy := e.instances(mc.blk.Body, e.ctx(), mc.f)
	if instWhy == "" && len(insts) == 0 {
		e.modules[name] = cty.EmptyObjectVal
		if mc.blk.Body.Attributes["count"] != nil {
			e.modules[name] = cty.EmptyTupleVal
		}
		e.modsChanged = true
		return
	}
	dir, why := g.resolve(e.dir, moduleKey(addr, name), src)
	if why != "" {
		fail(why)
		return
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	for _, c := range chain {
		if c == abs {
			fail(fmt.Sprintf("its source %q is a module already being read on this path (a cycle); not followed", src))
			return
		}
	}
	if len(addr)+1 > maxModuleNesting {
		fail(fmt.Sprintf("modules nest deeper than %d calls; not followed", maxModuleNesting))
		return
	}
	files2, why := g.readModule(dir)
	if why != "" {
		fail(why)
		return
	}

	if g.instances+len(insts) > maxModuleInstances {
		fail(fmt.Sprintf("more than %d module instances in this configuration; not followed", maxModuleInstances))
		return
	}
	g.instances += len(insts)
	if instWhy != "" {
		e.modWhy[name] = fmt.Sprintf("the instances of %s (%s) are not known: %s", full, at, instWhy)
	}

	counted := mc.blk.Body.Attributes["count"] != nil
	var outs []cty.Value
	keyed := map[string]cty.Value{}
	outWhy := map[string]string{}
	for _, in := range insts {
		step := modStep{name: name, key: in.key}
		args := map[string]argVal{}
		for an, a := range mc.blk.Body.Attributes {
			if moduleMeta[an] {
				continue
			}
			from := fmt.Sprintf("%s%s (%s)", full, in.key, at)
			v, diags := e.raw(a.Expr, in.ctx)
			v, marks := v.UnmarkDeep()
			if len(marks) > 0 {
				v = v.Mark(sensitiveMark{}) // the module's variable is sensitive
				args[an] = argVal{v: v, from: from, file: mc.f.name, line: a.SrcRange.Start.Line}
				if !v.IsKnown() || diags.HasErrors() {
					args[an] = argVal{v: cty.DynamicVal, why: fmt.Sprintf("`%s`, which comes from a sensitive value", exprText(mc.f, a.Expr)), from: from, file: mc.f.name, line: a.SrcRange.Start.Line}
				}
				continue
			}
			switch {
			case diags.HasErrors():
				args[an] = argVal{v: cty.DynamicVal, why: fmt.Sprintf("`%s`, which does not evaluate offline: %s", exprText(mc.f, a.Expr), e.diagText(diags)), from: from, file: mc.f.name, line: a.SrcRange.Start.Line}
			case !v.IsWhollyKnown():
				args[an] = argVal{v: v, why: e.unknownWhy(a.Expr, mc.f, exprText(mc.f, a.Expr), in.iterWhy), from: from, file: mc.f.name, line: a.SrcRange.Start.Line}
			default:
				args[an] = argVal{v: v, from: from, file: mc.f.name, line: a.SrcRange.Start.Line}
			}
		}
		path := append(append([]modStep(nil), addr...), step)
		calls := append(append([]inventory.ModuleCall(nil), e.calls...), inventory.ModuleCall{Address: full + in.key, Source: inventory.Source{File: mc.f.name, Line: line}})
		out := g.module(dir, files2, moduleCall{args: args, calls: calls}, path, append(append([]string(nil), chain...), abs))
		for k, w := range out.why {
			outWhy[k] = w
		}
		for k, r := range out.refs {
			e.outRefs[name+"."+k] = append(e.outRefs[name+"."+k], r...)
		}
		outs = append(outs, out.val)
		if k, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(in.key, "["), "]")); err == nil && !counted {
			keyed[k] = out.val
		}
	}
	for k, w := range outWhy {
		e.modWhy[name+"."+k] = w
	}
	switch {
	case instWhy != "":
		e.modules[name] = cty.DynamicVal
	case counted:
		e.modules[name] = cty.TupleVal(outs)
		if len(outs) == 0 {
			e.modules[name] = cty.EmptyTupleVal
		}
	case mc.blk.Body.Attributes["for_each"] != nil:
		e.modules[name] = cty.ObjectVal(keyed)
	default:
		e.modules[name] = outs[0]
	}
	e.modsChanged = true
}

// moduleKey is the key `terraform init` records a module call under in
// modules.json: the call names from the root, joined by dots.
func moduleKey(addr []modStep, name string) string {
	parts := make([]string, 0, len(addr)+1)
	for _, s := range addr {
		parts = append(parts, s.name)
	}
	return strings.Join(append(parts, name), ".")
}

// moduleEntry is one module of .terraform/modules/modules.json.
type moduleEntry struct {
	Key    string `json:"Key"`
	Source string `json:"Source"`
	Dir    string `json:"Dir"`
}

// isLocalSource reports a local path source, which Terraform reads in
// place (not downloaded).
func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") ||
		strings.HasPrefix(src, `.\`) || strings.HasPrefix(src, `..\`)
}

// resolve finds the directory of a module source: a local path relative
// to the calling module, else the directory `terraform init` downloaded it
// to, as .terraform/modules/modules.json of the root module records it.
func (g *graph) resolve(callerDir, key, src string) (string, string) {
	if isLocalSource(src) {
		dir := filepath.Clean(filepath.Join(callerDir, filepath.FromSlash(src)))
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return "", fmt.Sprintf("its source %q is no directory here (%s)", src, dir)
		}
		return dir, ""
	}
	if !g.readMan {
		g.readMan = true
		g.manifest, g.manErr = readManifest(g.root)
	}
	ent, ok := g.manifest[key]
	if !ok {
		msg := fmt.Sprintf("its source %q is not available locally (no entry %q in .terraform/modules/modules.json", src, key)
		if g.manErr != "" {
			msg = fmt.Sprintf("its source %q is not available locally (%s", src, g.manErr)
		}
		return "", msg + "); run `terraform init` in " + rootName(g.root) + " to download it, then scan again"
	}
	dir := filepath.Join(g.root, filepath.FromSlash(ent.Dir))
	if filepath.IsAbs(ent.Dir) {
		dir = filepath.Clean(ent.Dir)
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return "", fmt.Sprintf("its source %q was downloaded to %s, which is missing; run `terraform init` in %s again", src, ent.Dir, rootName(g.root))
	}
	return dir, ""
}

func rootName(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// readManifest reads .terraform/modules/modules.json of a root module.
func readManifest(root string) (map[string]moduleEntry, string) {
	p := filepath.Join(root, ".terraform", "modules", "modules.json")
	st, err := os.Stat(p)
	if err != nil {
		return nil, "no .terraform/modules/modules.json"
	}
	if st.Size() > maxModuleFileBytes {
		return nil, ".terraform/modules/modules.json is too large to read"
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, "cannot read .terraform/modules/modules.json: " + err.Error()
	}
	var m struct{ Modules []moduleEntry }
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, ".terraform/modules/modules.json does not parse: " + err.Error()
	}
	out := make(map[string]moduleEntry, len(m.Modules))
	for _, ent := range m.Modules {
		out[ent.Key] = ent
	}
	return out, ""
}

// readModule reads the .tf and .tf.json files (override files among them)
// of a module directory (regular files
// only, within the byte bounds).
func (g *graph) readModule(dir string) (map[string][]byte, string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "cannot read its directory: " + err.Error()
	}
	files := map[string][]byte{}
	for _, ent := range entries {
		n := ent.Name()
		if !ent.Type().IsRegular() || !IsTFConfig(n) {
			continue
		}
		info, err := ent.Info()
		if err != nil {
			return nil, "cannot read " + filepath.Join(dir, n) + ": " + err.Error()
		}
		if info.Size() > maxModuleFileBytes || g.bytes+info.Size() > maxModuleBytes {
			return nil, fmt.Sprintf("its files are larger than aksguard reads (%d MiB a file, %d MiB for all modules)", maxModuleFileBytes>>20, maxModuleBytes>>20)
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, "cannot read " + filepath.Join(dir, n) + ": " + err.Error()
		}
		g.bytes += int64(len(data))
		files[n] = data
	}
	if len(files) == 0 {
		return nil, "its directory " + dir + " holds no .tf file"
	}
	return files, ""
}

// reloadLocals evaluates the locals again, with the module outputs read
// so far.
func (e *evaluator) reloadLocals(files []*hclFile) {
	if !e.modsChanged {
		return
	}
	e.modsChanged = false
	e.locals, e.localWhy, e.localDefs = map[string]cty.Value{}, map[string]string{}, map[string]exprDef{}
	e.root = nil
	e.loadLocals(files)
}

// outputs evaluates the module's output blocks for its caller.
func (e *evaluator) outputs(files []*hclFile) moduleOut {
	out := moduleOut{why: map[string]string{}, refs: map[string][]string{}}
	vals := map[string]cty.Value{}
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type != "output" || len(blk.Labels) != 1 {
				continue
			}
			name := blk.Labels[0]
			if _, dup := vals[name]; dup {
				continue
			}
			a := blk.Body.Attributes["value"]
			if a == nil {
				vals[name] = cty.NullVal(cty.DynamicPseudoType)
				continue
			}
			out.refs[name] = dedupe(e.refsOf(a.Expr, 0))
			v, diags := e.raw(a.Expr, e.ctx())
			v, marks := v.UnmarkDeep()
			switch {
			case diags.HasErrors():
				v = cty.DynamicVal
				out.why[name] = fmt.Sprintf("output %q of %s (%s:%d) does not evaluate offline: %s", name, strings.TrimSuffix(e.prefix, "."), f.name, a.SrcRange.Start.Line, e.diagText(diags))
			case !v.IsWhollyKnown():
				out.why[name] = fmt.Sprintf("output %q of %s is %s", name, strings.TrimSuffix(e.prefix, "."), e.unknownWhy(a.Expr, f, exprText(f, a.Expr), ""))
			}
			if s := blk.Body.Attributes["sensitive"]; s != nil {
				if sv, d := s.Expr.Value(nil); !d.HasErrors() && sv.Type() == cty.Bool && sv.IsKnown() && !sv.IsNull() && sv.True() {
					marks = cty.NewValueMarks(sensitiveMark{})
				}
			}
			if len(marks) > 0 {
				v = v.Mark(sensitiveMark{})
			}
			vals[name] = v
		}
	}
	out.val = cty.ObjectVal(vals)
	return out
}
