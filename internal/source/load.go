// Package source turns the paths a user gives into one inventory: it walks
// directories, detects each input's kind from its content, hands it to the
// decoder for that kind, and joins companion data to its cluster. A bad input
// is recorded as an error naming the file and line; the others are still read.
package source

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/helmengine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/render"
	"github.com/aksguard/aksguard/internal/source/terraform"
)

// Options tune loading.
type Options struct {
	// Stdin is read for the path "-".
	Stdin io.Reader
	// TemplateParameters are ARM template parameter values (from
	// --parameters FILE), by parameter name.
	TemplateParameters map[string]*jsontree.Node
	// BicepModules maps Bicep registry module references to local copies
	// (--bicep-module REF=DIR; bicep.Options.RegistryModules).
	BicepModules map[string]string
	// TerraformVars override Terraform variable defaults, read like
	// `terraform -var NAME=VALUE` (strings literally; lists, maps and objects as HCL).
	TerraformVars map[string]string
	// HelmValues override the default values of Helm charts (from
	// --values FILE, see LoadHelmValues).
	HelmValues map[string]any
	// Namespace is the release namespace Helm charts are rendered in
	// ("default" when empty).
	Namespace string
	// MaxInputBytes caps the bytes read from one input, a file or stdin
	// (0: DefaultMaxInputBytes). A larger input is an input error naming
	// it; the others are still read.
	MaxInputBytes int64
	// MaxScanBytes caps the bytes read from all inputs together, files and
	// stdin (0: no cap). The input at which it is reached and those after
	// it are input errors; those before it are read.
	MaxScanBytes int64
	// budget counts the bytes read against MaxScanBytes (set by Load).
	budget *scanBudget
	// Live holds what live sources (a Kubernetes API server, Azure Resource
	// Manager) read, already decoded; it is merged with the files before
	// companion data is joined to its cluster.
	Live []*inventory.Batch
	// Audit receives every event of the audit-log inputs as they are
	// streamed (the scan fans it out to the audit controls' observers),
	// from several goroutines at once when several logs are read; nil: the
	// events are read for their coverage only.
	Audit inventory.AuditObserver
	// Progress, when set, is told how far reading has come: what is being
	// done, and done of total (0: unknown). It is called from the goroutine
	// merging the inputs and, every few thousand events, from those
	// streaming audit logs, so it must be safe for concurrent use (the
	// scan's progress line is); nil: none.
	Progress func(what string, done, total int)
	// helmLimits replaces helmengine.DefaultLimits (tests).
	helmLimits *helmengine.Limits
}

// scanExts are the file endings read when walking a directory.
// (and auditExts, read for audit logs only).
var scanExts = map[string]bool{".json": true, ".tfstate": true, ".tf": true, ".tfvars": true, ".yaml": true, ".yml": true, ".bicep": true, ".bicepparam": true}

// DefaultMaxInputBytes caps one input (a file or stdin) unless
// Options.MaxInputBytes says otherwise.
const DefaultMaxInputBytes = 1 << 30

// DefaultMaxScanBytes is the default of --max-scan-mb: the bytes all the
// inputs of one scan may read together.
const DefaultMaxScanBytes = 4 << 30

// fileKind names a file mode that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// input is one file (or stdin) to read, in the order the user gave them.
type input struct {
	path     string
	explicit bool
	// render is set for a Helm chart or kustomization directory, rendered
	// as a whole.
	render string
	// root is the tree a render may read (render.ScanRoot of the walked
	// path).
	root string
	// done is set for inputs settled before reading (a path that does not
	// exist, a Helm template).
	done *inventory.Batch
	// results
	batch *inventory.Batch
	isTF  bool
	tf    []byte // a .tf or .tfvars file, read whole
	// isBicep is set for a .bicep or .bicepparam file, read whole into
	// bicep; they are compiled after reading, once it is known which are
	// modules of others (bicep.go).
	isBicep bool
	bicep   []byte
	// reserved is the size charged to the scan's byte budget before
	// reading.
	reserved int64
	ready    chan struct{} // closed when read
}

// Load reads every path (file, directory walked recursively, or "-" for
// stdin) and returns the joined inventory. Files are read and decoded in
// parallel; their results are merged in the order the paths and the sorted
// directory walk give, so the inventory does not depend on timing.
func Load(paths []string, opts Options) *inventory.Inventory {
	all := &inventory.Batch{}
	var roots tfRoots // what each Terraform root module gave (tfroots.go)
	skipped := map[string]int{}
	tfDirs := map[string]map[string][]byte{}
	var bicepFiles []*input
	seen := map[string]bool{}
	charts := map[string]bool{}
	templateDirs := map[string]bool{} // whether a directory is a chart's templates/ (or under it)
	var inputs []*input
	fail := func(e inventory.InputError) {
		inputs = append(inputs, &input{done: &inventory.Batch{Errors: []inventory.InputError{e}}})
	}
	addFile := func(path string, explicit bool) {
		if seen[path] {
			return
		}
		seen[path] = true
		in := &input{path: path, explicit: explicit}
		// The answer is the same for every file of a directory.
		dir := filepath.Dir(path)
		inTemplates, ok := templateDirs[dir]
		if !ok {
			inTemplates = render.InChartTemplates(path, charts)
			templateDirs[dir] = inTemplates
		}
		if inTemplates {
			in.done = &inventory.Batch{Skipped: render.TemplateSkipped}
		}
		inputs = append(inputs, in)
	}

	for _, p := range paths {
		if p == "-" {
			inputs = append(inputs, &input{path: "-", explicit: true})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			fail(readError(p, err))
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				fail(inventory.InputError{Input: p, Message: "not a regular file (" + fileKind(st.Mode()) + "): not read; give a file, a directory or - for standard input"})
				continue
			}
			addFile(p, true)
			continue
		}
		var files []string
		renders := map[string]string{}
		werr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(readError(path, err))
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules") {
					return filepath.SkipDir
				}
				// A chart or kustomization is rendered as a whole; its
				// files are not read on their own.
				if kind := render.Kind(path); kind != "" {
					files = append(files, path)
					renders[path] = kind
					return filepath.SkipDir
				}
				return nil
			}
			if ext := strings.ToLower(filepath.Ext(path)); !scanExts[ext] && !auditExts[ext] {
				return nil
			}
			// Only regular files are read from a walked directory: a
			// symlink may point at /dev/zero or outside the scanned tree,
			// a FIFO or device would block or never end.
			if !d.Type().IsRegular() {
				inputs = append(inputs, &input{path: path, done: &inventory.Batch{Skipped: "not a regular file (" + fileKind(d.Type()) + ")"}})
				return nil
			}
			files = append(files, path)
			return nil
		})
		if werr != nil {
			fail(readError(p, werr))
		}
		sort.Strings(files)
		for _, f := range files {
			if kind := renders[f]; kind != "" {
				if !seen[f] {
					seen[f] = true
					inputs = append(inputs, &input{path: f, explicit: true, render: kind, root: render.ScanRoot(p)})
				}
				continue
			}
			addFile(f, false)
		}
	}

	if opts.MaxScanBytes > 0 {
		opts.budget = &scanBudget{max: opts.MaxScanBytes}
	}
	kubes := newKubeLog(len(inputs)) // where each input's Kubernetes objects landed (attributeKube)
	readInputs(inputs, &opts, func(in *input) {
		b := in.batch
		switch {
		case in.done != nil:
			b = in.done
		case in.isTF:
			dir := filepath.Dir(in.path)
			if tfDirs[dir] == nil {
				tfDirs[dir] = map[string][]byte{}
			}
			tfDirs[dir][in.path] = in.tf
			return
		case in.isBicep:
			bicepFiles = append(bicepFiles, in)
			return
		}
		if b == nil {
			return
		}
		if b.Skipped != "" {
			skipped[b.Skipped]++
		}
		kubes.merge(all, b, in.path, in.path != "" && in.path != "-", func() { roots.merge(all, b, in.path) })
		in.batch = nil
	})

	dirs := make([]string, 0, len(tfDirs))
	for d := range tfDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for i, d := range dirs {
		opts.progress("reading Terraform modules", i, len(dirs))
		hasTF := false
		for f := range tfDirs[d] {
			if terraform.IsTFConfig(f) {
				hasTF = true
			}
		}
		if !hasTF {
			continue
		}
		roots.merge(all, terraform.DecodeHCLDir(d, tfDirs[d], opts.TerraformVars), d)
	}
	for _, b := range decodeBicep(bicepFiles, &opts) {
		if b.batch.Skipped != "" {
			skipped[b.batch.Skipped]++
		}
		roots.merge(all, b.batch, b.path)
	}
	roots.qualify(all)

	// A cluster read live supersedes the same cluster given as a file (its
	// companion files still join it by resource ID).
	liveIDs := map[string]bool{}
	for _, b := range opts.Live {
		for _, c := range b.Clusters {
			if c.ID != "" {
				liveIDs[strings.ToLower(c.ID)] = true
			}
		}
	}
	if len(liveIDs) > 0 {
		kept := all.Clusters[:0]
		for _, c := range all.Clusters {
			if c.ID != "" && liveIDs[strings.ToLower(c.ID)] {
				skipped["cluster file superseded by the live read of the same cluster"]++
				continue
			}
			kept = append(kept, c)
		}
		all.Clusters = kept
	}
	liveKube := false
	for _, b := range opts.Live {
		all.Merge(b)
		liveKube = liveKube || b.Kube != nil
	}
	inv := join(all)
	if !liveKube && len(kubes.marks) > 0 && attributable(inv) {
		attributeKube(inv, kubes.parts(all.Kube))
	}
	if len(skipped) > 0 {
		inv.Skipped = skipped
	}
	return inv
}
