package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/aksguard/aksguard/internal/inventory"
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
// InputError and skipped; the others still load. Module blocks are not
// followed, and override files (override.tf, *_override.tf) and JSON
// configuration (*.tf.json) are not read.
func DecodeHCLDir(dir string, files map[string][]byte, vars map[string]string) *inventory.Batch {
	c := newCollector()
	b := &budget{}
	if files == nil {
		var err error
		if files, err = readTFDir(dir); err != nil {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: dir, Message: "cannot read the directory: " + err.Error()})
			return c.finish()
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)

	var tfFiles []*hclFile
	var varFiles []varFile
	var autoVars []varFile
	for _, n := range names {
		base := filepath.Base(n)
		display := displayName(dir, n)
		switch {
		case isOverride(base):
		case strings.HasSuffix(base, ".tf"):
			if err := checkNesting(files[n], display, "this file was skipped"); err != nil {
				c.batch.Errors = append(c.batch.Errors, *err)
				continue
			}
			hf, diags := hclsyntax.ParseConfig(files[n], display, hcl.InitialPos)
			if diags.HasErrors() {
				c.batch.Errors = append(c.batch.Errors, diagError(display, diags, "fix the syntax (`terraform validate` shows the same error); this file was skipped"))
				continue
			}
			body, ok := hf.Body.(*hclsyntax.Body)
			if !ok {
				continue
			}
			addBudget(body, b)
			tfFiles = append(tfFiles, &hclFile{name: display, src: files[n], body: body})
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
	// terraform.tfvars before terraform.tfvars.json (names sorted), then
	// the *.auto.tfvars files in lexical order.
	varFiles = append(varFiles, autoVars...)

	e := newEvaluator(dir, b)
	for _, f := range tfFiles {
		e.files[f.name] = f
	}
	e.sensitiveVars, e.sensitiveLocals = sensitiveFeeds(tfFiles)
	if len(e.sensitiveVars)+len(e.sensitiveLocals) > 0 {
		e.sensitive = true // error details may quote their values
	}
	c.batch.Errors = append(c.batch.Errors, e.loadVariables(tfFiles, varFiles, vars)...)
	e.loadLocals(tfFiles)
	for _, f := range tfFiles {
		for _, blk := range f.body.Blocks {
			if blk.Type == "resource" && len(blk.Labels) == 2 {
				e.resource(c, f, blk)
			}
		}
	}
	c.batch.Errors = append(c.batch.Errors, e.errs...)
	return c.finish()
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
	case typeCluster, typePool, typeDiag:
	default:
		return
	}
	addr := typ + "." + name
	line := blk.DefRange().Start.Line
	src := inventory.Source{File: f.name, Line: line}
	insts, why := e.instances(blk.Body, e.ctx(), f)
	newBlock := func(in instance, p string) *hclBlock {
		return &hclBlock{e: e, f: f, body: blk.Body, ctx: in.ctx, iterWhy: in.iterWhy, p: p, ln: line, sens: sensitiveArgs[typ]}
	}
	switch typ {
	case typeCluster:
		// Still one cluster whatever its count or for_each; none when
		// they resolve to zero instances.
		if why == "" && len(insts) == 0 {
			return
		}
		in := insts[0]
		if len(insts) > 1 {
			in = e.anyInstance(e.ctx(), fmt.Sprintf("%s has %d instances, read as one cluster", addr, len(insts)))
		}
		c.addCluster(mapCluster(newBlock(in, addr), inventory.FormatTFHCL, src))
	case typePool:
		unknown := ""
		if why != "" {
			unknown = fmt.Sprintf("%s (%s:%d): %s", addr, f.name, line, why)
		}
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			pool := mapPool(b, b.p, false, f.name)
			pool.Source = src
			c.pools = append(c.pools, pendingPool{pool: pool, to: e.link(b, argPoolCluster), key: in.key, poolsUnknown: unknown})
		}
	case typeDiag:
		for _, in := range insts {
			b := newBlock(in, addr+in.key)
			c.diags = append(c.diags, pendingDiag{setting: mapDiag(b, src), to: e.link(b, argDiagTarget), key: in.key})
		}
	}
}

// link reads an argument that names a cluster: its value when it
// evaluates, else the resources its expression refers to (through locals).
func (e *evaluator) link(b *hclBlock, arg string) link {
	a := b.body.Attributes[arg]
	if a == nil {
		return link{}
	}
	var l link
	if v := b.attr(arg); v.state == inventory.Known {
		l.id, _ = toString(v.v)
	}
	l.refs = dedupe(e.refsOf(a.Expr, 0))
	if fe := b.body.Attributes["for_each"]; fe != nil && len(l.refs) == 0 && usesEach(a.Expr) {
		// target_resource_id = each.value.id with for_each over the
		// clusters: the for_each expression names them.
		l.refs = dedupe(e.refsOf(fe.Expr, 0))
	}
	l.text = exprText(b.f, a.Expr)
	return l
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
			out = append(out, r.res.String())
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
		if ent.IsDir() || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tfvars") || strings.HasSuffix(n, ".tfvars.json")) {
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
