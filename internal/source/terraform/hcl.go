package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// DecodeHCLDir reads the .tf files of one Terraform directory statically
// and maps its resources like DecodePlanJSON does (Format FormatTFHCL).
//
// files maps file names to contents; nil reads dir from disk. A name
// without a directory is reported joined to dir. Besides *.tf, the
// directory's terraform.tfvars(.json) and *.auto.tfvars(.json) set
// variables, and vars (name → value, as given with terraform -var) override
// them. Expressions that cannot be evaluated offline leave their field
// Unknown with the reason. A file that does not parse is reported as an
// InputError and skipped; the others still load. Module blocks are
// followed (hclmodule.go): local sources, and the sources `terraform init`
// downloaded; a module that cannot be read is an InputError at its call.
// *.tf.json files are read like .tf files (parseJSONConfig), and override
// files (override.tf, *_override.tf, and their .tf.json forms) are merged
// into the others as Terraform merges them (mergeOverride), in every
// module.
func DecodeHCLDir(dir string, files map[string][]byte, vars map[string]string) *inventory.Batch {
	c := newCollector(inventory.FormatTFHCL)
	b := &budget{}
	if files == nil {
		var err error
		if files, err = readTFDir(dir); err != nil {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: dir, Message: "cannot read the directory: " + err.Error()})
			return c.finish()
		}
	}
	g := &graph{c: c, b: b, root: dir}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	g.module(dir, files, moduleCall{given: vars, root: true}, nil, []string{abs})
	return c.finish()
}

// parseModule parses the .tf and .tf.json files of one module directory,
// merges its override files into them (returned too: diagnostics may point
// into them), and for the root module reads its variables files.
func (g *graph) parseModule(dir string, files map[string][]byte, root bool) (tfFiles, overrides []*hclFile, varFiles []varFile) {
	c, b := g.c, g.b
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)

	var autoVars []varFile
	for _, n := range names {
		base := filepath.Base(n)
		display := displayName(dir, n)
		switch {
		case isOverride(base):
			if hf := parseTFFile(c, files[n], display, b); hf != nil {
				overrides = append(overrides, hf)
			}
		case strings.HasSuffix(base, ".tf") || strings.HasSuffix(base, ".tf.json"):
			if hf := parseTFFile(c, files[n], display, b); hf != nil {
				tfFiles = append(tfFiles, hf)
			}
		case !root:
			// Terraform reads variables files for the root module only.
		case base == "terraform.tfvars" || base == "terraform.tfvars.json":
			if vf, err := parseVarFile(files[n], display, b); err != nil {
				c.batch.Errors = append(c.batch.Errors, *err)
			} else {
				varFiles = append(varFiles, vf)
			}
		case strings.HasSuffix(base, ".auto.tfvars") || strings.HasSuffix(base, ".auto.tfvars.json"):
			if vf, err := parseVarFile(files[n], display, b); err != nil {
				c.batch.Errors = append(c.batch.Errors, *err)
			} else {
				autoVars = append(autoVars, vf)
			}
		}
	}
	for _, f := range overrides {
		c.batch.Errors = append(c.batch.Errors, mergeOverride(tfFiles, f)...)
	}
	byName := map[string]*hclFile{}
	for _, f := range append(append([]*hclFile{}, tfFiles...), overrides...) {
		byName[f.name], f.siblings = f, byName
	}
	// terraform.tfvars before terraform.tfvars.json (names sorted), then
	// the *.auto.tfvars files in lexical order.
	return tfFiles, overrides, append(varFiles, autoVars...)
}

// resource maps one resource block.
func (e *evaluator) resource(c *collector, f *hclFile, blk *hclsyntax.Block) {
	typ, name := blk.Labels[0], blk.Labels[1]
	switch typ {
	case typeAzAPI:
		e.azapiResource(c, f, blk)
		return
	case typeAzAPIUpdate:
		e.azapiUpdate(c, f, blk)
		return
	case typeCluster, typeAutoCluster, typePool, typeDiag, typeACR, typePE:
	default:
		return
	}
	addr := e.prefix + typ + "." + name
	line := blk.DefRange().Start.Line
	src := inventory.Source{File: f.name, Line: line}
	insts, why := e.instances(blk.Body, e.ctx(), f)
	newBlock := func(in instance, p string) *hclBlock {
		return &hclBlock{e: e, f: f, body: blk.Body, ctx: in.ctx, iterWhy: in.iterWhy, p: p, ln: line, sens: sensitiveArgs[typ]}
	}
	switch typ {
	case typeCluster:
		// One cluster per instance (none for count = 0); one cluster at
		// the address without a key, its count.index and each.* unknown,
		// when the instances cannot be listed.
		for _, in := range insts {
			cl, m := mapCluster(newBlock(in, addr+in.key), inventory.FormatTFHCL, src)
			cl.ModuleCalls = e.calls
			for _, p := range cl.AgentPools {
				p.ModuleCalls = e.calls
			}
			c.addCluster(cl, m)
		}
	case typeAutoCluster:
		for _, in := range insts {
			cl := mapAutomaticCluster(newBlock(in, addr+in.key), inventory.FormatTFHCL, src)
			cl.ModuleCalls = e.calls
			c.addCluster(cl, nil)
		}
	case typePool:
		unknown := ""
		if why != "" {
			unknown = fmt.Sprintf("%s (%s:%d): %s", addr, f.name, line, why)
		}
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			pool := mapPool(b, b.p, false, f.name)
			pool.Source = src
			pool.ModuleCalls = e.calls
			c.pools = append(c.pools, pendingPool{pool: pool, to: e.link(b, argPoolCluster), key: in.key, poolsUnknown: unknown})
		}
	case typeDiag:
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			c.diags = append(c.diags, pendingDiag{setting: mapDiag(b, src), to: e.link(b, argDiagTarget), key: in.key})
		}
	case typeACR:
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			c.registries = append(c.registries, pendingRegistry{reg: mapRegistry(b, src), addr: b.p})
		}
	case typePE:
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			to, peWhy := peLinks(b, func(cb block) link {
				if h, ok := cb.(*hclBlock); ok {
					return e.linkIn(b, h, argPETarget)
				}
				return link{}
			})
			if why != "" {
				// It may make no endpoint at all.
				peWhy = "its " + why
			}
			c.pes = append(c.pes, pendingPE{addr: b.p, src: src, to: to, why: peWhy})
		}
	}
}

// link reads an argument that names a cluster: its value when it
// evaluates, else the resources its expression refers to (through locals).
func (e *evaluator) link(b *hclBlock, arg string) link { return e.linkIn(b, b, arg) }

// linkIn is link for an argument of b, a block nested in the resource res
// (private_service_connection): res's for_each and instance key apply.
func (e *evaluator) linkIn(res, b *hclBlock, arg string) link {
	a := b.body.Attributes[arg]
	if a == nil {
		return link{}
	}
	var l link
	if v := b.attr(arg); v.state == inventory.Known {
		l.id, _ = toString(v.v)
	}
	l.refs = dedupe(append(e.instanceRefs(a.Expr, b.ctx), e.refsOf(a.Expr, 0)...))
	if fe := res.body.Attributes["for_each"]; fe != nil && len(l.refs) == 0 && usesEach(a.Expr) {
		// target_resource_id = each.value.id with for_each over the
		// clusters: the for_each expression names them, and the
		// instance of the same key when it is the resource itself.
		l.refs = dedupe(e.refsOf(fe.Expr, 0))
		if ra, ok := parseAddress(res.p); ok && ra.key != "" {
			if r, whole := wholeResource(fe.Expr); whole {
				r.key = ra.key
				l.refs = append([]string{e.prefix + r.String()}, l.refs...)
			}
		}
	}
	l.text = exprText(b.f, a.Expr)
	return l
}

// instanceRefs lists the resource instances an expression indexes with a
// key known in ctx: azurerm_kubernetes_cluster.c[count.index].id in the
// instance [1] names azurerm_kubernetes_cluster.c[1].
func (e *evaluator) instanceRefs(expr hclsyntax.Expression, ctx *hcl.EvalContext) []string {
	var out []string
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		ix, ok := n.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		r, whole := wholeResource(ix.Collection)
		if !whole {
			return nil
		}
		k, diags := e.raw(ix.Key, ctx)
		if diags.HasErrors() || !k.IsWhollyKnown() || k.ContainsMarked() {
			return nil
		}
		if k.Type() == cty.Number {
			// count instances are keyed by whole numbers only.
			if _, ok := wholeNumber(k); !ok {
				return nil
			}
		}
		if r.key = formatKey(k); r.key != "" {
			out = append(out, e.prefix+r.String())
		}
		return nil
	})
	return out
}

// wholeResource reports whether an expression is a reference to a whole
// managed resource (azurerm_kubernetes_cluster.c, no key, no attribute).
func wholeResource(expr hclsyntax.Expression) (resAddr, bool) {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 2 {
		return resAddr{}, false
	}
	r := parseRef(st.Traversal)
	return r.res, r.kind == "resource"
}

func usesEach(expr hclsyntax.Expression) bool {
	for _, tr := range expr.Variables() {
		if tr.RootName() == "each" {
			return true
		}
	}
	return false
}

// refsOf lists the resource addresses an expression refers to.
func (e *evaluator) refsOf(expr hclsyntax.Expression, depth int) []string {
	if depth > maxRefDepth {
		return nil
	}
	var out []string
	for _, tr := range expr.Variables() {
		r := parseRef(tr)
		switch r.kind {
		case "resource", "data":
			out = append(out, e.prefix+r.res.String())
		case "module":
			// module.aks.cluster_id: the resources the output refers to
			// inside the module (hclmodule.go).
			out = append(out, e.outRefs[r.mod.name+"."+r.name]...)
		case "local":
			if d, ok := e.localDefs[r.name]; ok {
				out = append(out, e.refsOf(d.expr, depth+1)...)
			}
		}
	}
	return out
}

func parseVarFile(src []byte, name string, b *budget) (varFile, *inventory.InputError) {
	if err := checkNesting(src, name, "the variables in this file were not used"); err != nil {
		return varFile{}, err
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		f, diags = hcljson.Parse(src, name)
	} else {
		f, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if diags.HasErrors() {
		err := diagError(name, diags, "fix the syntax; the variables in this file were not used")
		return varFile{}, &err
	}
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		addBudget(body, b)
	}
	return varFile{name: name, body: f.Body}, nil
}

// parseTFFile parses one .tf or .tf.json file; a file that does not parse
// is reported on the collector and gives nil.
func parseTFFile(c *collector, src []byte, display string, b *budget) *hclFile {
	if err := checkNesting(src, display, "this file was skipped"); err != nil {
		c.batch.Errors = append(c.batch.Errors, *err)
		return nil
	}
	var body *hclsyntax.Body
	var diags hcl.Diagnostics
	if strings.HasSuffix(display, ".json") {
		body, diags = parseJSONConfig(src, display)
	} else {
		hf, d := hclsyntax.ParseConfig(src, display, hcl.InitialPos)
		diags = d
		body, _ = hf.Body.(*hclsyntax.Body)
	}
	if diags.HasErrors() {
		c.batch.Errors = append(c.batch.Errors, diagError(display, diags, "fix the syntax (`terraform validate` shows the same error); this file was skipped"))
		return nil
	}
	if body == nil {
		return nil
	}
	addBudget(body, b)
	return &hclFile{name: display, src: src, body: body}
}

func isOverride(base string) bool {
	for _, suf := range []string{".tf", ".tf.json"} {
		if base == "override"+suf || strings.HasSuffix(base, "_override"+suf) {
			return true
		}
	}
	return false
}

func displayName(dir, name string) string {
	if dir == "" || filepath.IsAbs(name) || strings.ContainsAny(name, `/\`) {
		return name
	}
	return filepath.Join(dir, name)
}

// readTFDir reads the files of dir that DecodeHCLDir uses.
func readTFDir(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, ent := range entries {
		n := ent.Name()
		if ent.IsDir() || !IsTFFile(n) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		files[n] = data
	}
	return files, nil
}

// IsTFFile reports whether a file belongs to a Terraform directory read by
// DecodeHCLDir: .tf, .tf.json, .tfvars, .tfvars.json.
func IsTFFile(name string) bool {
	n := strings.ToLower(name)
	for _, suf := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// IsTFConfig reports whether a file is Terraform configuration (.tf,
// .tf.json), which makes its directory a Terraform directory.
func IsTFConfig(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")
}

// diagError turns HCL diagnostics into an input error that says what to fix.
func diagError(file string, diags hcl.Diagnostics, fix string) inventory.InputError {
	n := 0
	var first *hcl.Diagnostic
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if first == nil {
				first = d
			}
			n++
		}
	}
	if first == nil {
		return inventory.InputError{Input: file, Message: fix}
	}
	msg := first.Summary
	if first.Detail != "" {
		msg += ": " + first.Detail
	}
	msg = strings.TrimRight(msg, ". ")
	if n > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", n-1)
	}
	line := 0
	if first.Subject != nil {
		line = first.Subject.Start.Line
	}
	return inventory.InputError{Input: file, Line: line, Message: msg + "; " + fix}
}
