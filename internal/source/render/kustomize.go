package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/redact"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// DefaultKustomizeMaxFiles caps the files one kustomization build reads
// (its kustomization files, resources, patches, generator sources), so
// that bases or components included over and over (each directory
// including all the others) end in an input error instead of a build that
// never ends.
const DefaultKustomizeMaxFiles = 10000

// renderKustomization builds a kustomization as `kustomize build` does with
// default options, offline and inside root (the scanned tree): every
// reference the kustomization and the local ones it includes make is
// checked first, and a remote one (a URL, a git repository in any of the
// forms kustomize clones, a file:// path) or an absolute one is an input
// error naming the kustomization file, the field and the line; Helm chart
// inflation and plugins are refused. krusty then reads through a file
// system that refuses any path outside root (symlinks resolved), every
// write, and reads past the file and byte budgets. The output is decoded as
// one manifest named after the directory.
func renderKustomization(dir, root string, opts Options) *inventory.Batch {
	red := redact.New()
	if e := checkKustomization(dir, red); e != nil {
		return &inventory.Batch{Errors: []inventory.InputError{*e}}
	}
	fsys, err := newRootedFS(root, opts.MaxBytes, DefaultKustomizeMaxFiles)
	if err != nil {
		return inputError(dir, "building the kustomization: "+err.Error())
	}
	o := krusty.MakeDefaultOptions()
	o.LoadRestrictions = types.LoadRestrictionsRootOnly
	o.PluginConfig = types.DisabledPluginConfig()
	o.PluginConfig.HelmConfig.Enabled = false
	o.PluginConfig.HelmConfig.Command = ""
	k := krusty.MakeKustomizer(o)
	rm, err := k.Run(fsys, dir)
	if err == nil {
		var data []byte
		data, err = rm.AsYaml()
		if err == nil {
			if len(strings.TrimSpace(string(data))) == 0 {
				return &inventory.Batch{Skipped: kustomizeEmpty}
			}
			return redactBatch(manifest.Decode(data, dir), red)
		}
	}
	if e := fsys.refused(); e != nil {
		return inputError(dir, red.Text(e.Error()))
	}
	return inputError(dir, "building the kustomization: "+red.Text(err.Error()))
}

// redactBatch passes the messages of a rendered input's errors through red:
// they may quote rendered text.
func redactBatch(b *inventory.Batch, red *redact.Redactor) *inventory.Batch {
	for i := range b.Errors {
		b.Errors[i].Message = red.Text(b.Errors[i].Message)
	}
	return b
}

// ScanRoot is the tree a render may read: the top of the git working tree
// holding path (the nearest ancestor with a .git), else path itself. An
// overlay scanned on its own may then still use ../base of its repository,
// and nothing outside the repository (a runner's home, /etc) is reachable.
func ScanRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return abs
		}
		d = up
	}
}

// Kustomization fields whose values name files, directories or
// repositories; those marked true may hold inline YAML instead.
var kustomizeRefFields = map[string]bool{
	"resources": false, "bases": false, "components": false, "crds": false,
	"configurations": false, "generators": true, "transformers": true,
	"validators": true, "patchesStrategicMerge": true,
	// inside patches, patchesJson6902, replacements, openapi, generators
	"path": false, "files": false, "envs": false, "env": false,
}

// Kustomization fields refused outright: they run Helm (which kustomize
// runs as a program and lets fetch charts).
var kustomizeRefusedFields = []string{"helmCharts", "helmGlobals", "helmChartInflationGenerator"}

// Budgets of one kustomization build, checked before krusty runs: the
// kustomizations it builds (each base or component counted every time it is
// included, as krusty builds it again each time) and the patches those
// builds apply.
const (
	KustomizeMaxBuilds  = 1000
	KustomizeMaxPatches = 10000
)

// kustomizeCost is what building one kustomization costs: its builds and
// patches, its own and those of everything it includes.
type kustomizeCost struct{ builds, patches int }

// checkKustomization checks every reference of the kustomization in dir
// and of the local kustomizations it includes (resources, bases,
// components), counts the builds and patches krusty would make, and
// records the generator literals in red.
func checkKustomization(dir string, red *redact.Redactor) *inventory.InputError {
	memo := map[string]*kustomizeCost{}
	var walk func(dir string) (kustomizeCost, *inventory.InputError)
	walk = func(dir string) (kustomizeCost, *inventory.InputError) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return kustomizeCost{}, nil
		}
		if c, ok := memo[abs]; ok {
			if c == nil {
				return kustomizeCost{}, nil // a cycle: krusty reports it
			}
			return *c, nil
		}
		memo[abs] = nil
		file, data := kustomizationFile(dir)
		if data == nil {
			return kustomizeCost{}, nil
		}
		var k map[string]any
		if yaml.Unmarshal(data, &k) != nil {
			return kustomizeCost{}, nil // krusty reports it
		}
		collectLiterals(k, red)
		for _, f := range kustomizeRefusedFields {
			if _, ok := k[f]; ok {
				return kustomizeCost{}, &inventory.InputError{Input: file, Line: lineOf(data, f+":"), Message: fmt.Sprintf(
					"field %q: Helm chart inflation is disabled (kustomize runs helm, which may download charts; aksguard never goes to the network): render the chart separately and scan its directory", f)}
			}
		}
		refs := kustomizeRefs(k, "", nil)
		for _, r := range refs {
			if why := nonLocal(r.value, dir); why != "" {
				return kustomizeCost{}, &inventory.InputError{Input: file, Line: lineOf(data, r.value), Message: fmt.Sprintf(
					"field %q: %q is %s: aksguard never fetches anything nor reads outside the scanned tree; vendor it into the repository and refer to it by a relative path", r.field, r.value, why)}
			}
		}
		cost := kustomizeCost{builds: 1}
		for _, f := range []string{"patches", "patchesStrategicMerge", "patchesJson6902", "replacements"} {
			if l, ok := k[f].([]any); ok {
				cost.patches += len(l)
			}
		}
		for _, r := range refs {
			switch r.field {
			case "resources", "bases", "components":
				local := filepath.Join(dir, filepath.FromSlash(r.value))
				if st, err := os.Stat(local); err == nil && st.IsDir() {
					c, e := walk(local)
					if e != nil {
						return kustomizeCost{}, e
					}
					// Saturating: 2^54 builds must not wrap around.
					cost.builds = min(cost.builds+c.builds, KustomizeMaxBuilds+1)
					cost.patches = min(cost.patches+c.patches, KustomizeMaxPatches+1)
				}
			}
		}
		memo[abs] = &cost
		return cost, nil
	}
	cost, e := walk(dir)
	if e != nil {
		return e
	}
	file, _ := kustomizationFile(dir)
	switch {
	case cost.builds > KustomizeMaxBuilds:
		return &inventory.InputError{Input: file, Message: fmt.Sprintf(
			"the kustomization builds its bases and components more than %d times (each is built again wherever it is included): not built; include each base once", KustomizeMaxBuilds)}
	case cost.patches > KustomizeMaxPatches:
		return &inventory.InputError{Input: file, Message: fmt.Sprintf(
			"the kustomization applies more than %d patches over all the builds of its bases and components: not built", KustomizeMaxPatches)}
	}
	return nil
}

func kustomizationFile(dir string) (string, []byte) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() || st.Size() > 16<<20 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return p, b
		}
	}
	return "", nil
}

type kustomizeRef struct{ field, value string }

// kustomizeRefs collects the references of a parsed kustomization (or of
// an inline generator, transformer or patch): every string under a field of
// kustomizeRefFields, at any depth, with `key=` of generator files
// removed; inline YAML is parsed and searched the same way.
func kustomizeRefs(v any, field string, out []kustomizeRef) []kustomizeRef {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := kustomizeRefFields[k]; ok {
				out = kustomizeRefs(t[k], k, out)
			} else if m, ok := t[k].(map[string]any); ok {
				out = kustomizeRefs(m, "", out)
			} else if l, ok := t[k].([]any); ok {
				for _, x := range l {
					if m, ok := x.(map[string]any); ok {
						out = kustomizeRefs(m, "", out)
					}
				}
			}
		}
	case []any:
		for _, x := range t {
			out = kustomizeRefs(x, field, out)
		}
	case string:
		if field == "" {
			return out
		}
		if kustomizeRefFields[field] {
			// Inline YAML (a patch, a generator's configuration), on
			// several lines or as a one-line flow map: searched itself.
			var inline map[string]any
			if strings.Contains(t, "\n") || strings.HasPrefix(strings.TrimSpace(t), "{") {
				if yaml.Unmarshal([]byte(t), &inline) == nil {
					return kustomizeRefs(inline, "", out)
				}
			}
		}
		if strings.Contains(t, "\n") {
			return out
		}
		if field == "files" {
			if _, p, ok := strings.Cut(t, "="); ok {
				t = p
			}
		}
		if s := strings.TrimSpace(t); s != "" {
			out = append(out, kustomizeRef{field, s})
		}
	}
	return out
}

// nonLocal says why a reference is not a local relative path ("" when it
// is one): a URL, a git repository in any form kustomize clones (git::,
// user@host:path, github.com/org/repo), an absolute path.
func nonLocal(r, dir string) string {
	low := strings.ToLower(r)
	switch {
	case strings.HasPrefix(low, "file:"):
		return "a file:// URL (a path outside the scanned tree)"
	case strings.Contains(r, "://"):
		return "a remote URL"
	case strings.HasPrefix(low, "git::"):
		return "a remote git repository"
	case strings.Contains(r, "@") || strings.Contains(r, ":"):
		return "a remote git repository (scp-style host:path)"
	case strings.HasPrefix(low, "github.com/") || strings.HasPrefix(low, "gitlab.com/") || strings.HasPrefix(low, "bitbucket.org/"):
		return "a remote git repository"
	case filepath.IsAbs(r) || strings.HasPrefix(r, "/") || strings.HasPrefix(r, `\`):
		return "an absolute path"
	}
	if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(r))); err != nil && looksRemote(r) {
		return "a remote reference"
	}
	return ""
}

// looksRemote tells a remote kustomize resource (https://..., git@...,
// github.com/org/repo/path?ref=v1) from a local path.
func looksRemote(r string) bool {
	if strings.Contains(r, "://") || strings.HasPrefix(r, "git@") || strings.Contains(r, "?ref=") || strings.Contains(r, "?version=") {
		return true
	}
	first, _, dir := strings.Cut(r, "/")
	return dir && strings.Contains(first, ".") && !strings.HasPrefix(first, ".")
}

// collectLiterals records the literals of configMapGenerator and
// secretGenerator (kustomize quotes a malformed one in its error) and the
// values of their inline envs as secrets.
func collectLiterals(k map[string]any, red *redact.Redactor) {
	for _, gen := range []string{"secretGenerator", "configMapGenerator"} {
		list, _ := k[gen].([]any)
		for _, g := range list {
			m, _ := g.(map[string]any)
			lits, _ := m["literals"].([]any)
			for _, l := range lits {
				s, _ := l.(string)
				red.AddSecret(s)
				if _, v, ok := strings.Cut(s, "="); ok {
					red.AddSecret(v)
				}
			}
		}
	}
}

// lineOf is the 1-based line of the first occurrence of s in data, or 0.
func lineOf(data []byte, s string) int {
	i := strings.Index(string(data), s)
	if i < 0 {
		return 0
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

// rootedFS is the file system krusty builds with: the disk, read-only,
// confined to root (symlinks resolved, so a link cannot lead out of it),
// and within a budget of files and bytes read. The first refusal is kept,
// so that the error names it whatever krusty wraps it in.
type rootedFS struct {
	disk     filesys.FileSystem
	root     string
	maxBytes int64
	maxFiles int

	mu      sync.Mutex
	files   int
	bytes   int64
	refusal error
}

// errRefused is a path or read the rooted file system refused.
type errRefused struct{ msg string }

func (e *errRefused) Error() string { return e.msg }

func newRootedFS(root string, maxBytes int64, maxFiles int) (*rootedFS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	return &rootedFS{disk: filesys.MakeFsOnDisk(), root: abs, maxBytes: maxBytes, maxFiles: maxFiles}, nil
}

func (f *rootedFS) refuse(msg string) error {
	e := &errRefused{msg}
	f.mu.Lock()
	if f.refusal == nil {
		f.refusal = e
	}
	f.mu.Unlock()
	return e
}

func (f *rootedFS) refused() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refusal
}

// inside returns the absolute path of p when it lies inside the root once
// symlinks are resolved (a path that does not exist yet is resolved
// through its nearest existing ancestor), else a refusal.
func (f *rootedFS) inside(p string) (string, error) {
	if strings.Contains(p, "://") || strings.HasPrefix(strings.ToLower(p), "git::") {
		return "", f.refuse(fmt.Sprintf("%q is not a local path: aksguard never fetches anything", p))
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", f.refuse(fmt.Sprintf("%q is not a local path", p))
	}
	resolved := abs
	rest := ""
	for {
		r, err := filepath.EvalSymlinks(resolved)
		if err == nil {
			resolved = filepath.Join(r, rest)
			break
		}
		up := filepath.Dir(resolved)
		if up == resolved {
			break
		}
		rest = filepath.Join(filepath.Base(resolved), rest)
		resolved = up
	}
	if resolved != f.root && !strings.HasPrefix(resolved, f.root+string(filepath.Separator)) {
		return "", f.refuse(fmt.Sprintf("%s is outside the scanned tree %s (symlinks resolved): not read; a kustomization may only read files of the git repository it is in, or of the directory scanned when it is in none (scan a directory that holds its bases too)", p, f.root))
	}
	return abs, nil
}

func (f *rootedFS) count(n int64) error {
	f.mu.Lock()
	f.files++
	f.bytes += n
	files, bytes := f.files, f.bytes
	f.mu.Unlock()
	if files > f.maxFiles {
		return f.refuse(fmt.Sprintf("the kustomization reads more than %d files (bases or components included over and over?): not built", f.maxFiles))
	}
	if bytes > f.maxBytes {
		return f.refuse(fmt.Sprintf("the kustomization reads more than %d MiB in all (bases or components included over and over?): not built; --max-input-mb raises the limit", f.maxBytes>>20))
	}
	return nil
}

func (f *rootedFS) readOnly(p string) error {
	return f.refuse(fmt.Sprintf("kustomize tried to write %s: refused (a scan writes nothing)", p))
}

func (f *rootedFS) Create(p string) (filesys.File, error) { return nil, f.readOnly(p) }
func (f *rootedFS) Mkdir(p string) error                  { return f.readOnly(p) }
func (f *rootedFS) MkdirAll(p string) error               { return f.readOnly(p) }
func (f *rootedFS) RemoveAll(p string) error              { return f.readOnly(p) }
func (f *rootedFS) WriteFile(p string, _ []byte) error    { return f.readOnly(p) }

func (f *rootedFS) Open(p string) (filesys.File, error) {
	abs, err := f.inside(p)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return nil, f.refuse(fmt.Sprintf("%s is not a regular file: not read", p))
	}
	if err := f.count(st.Size()); err != nil {
		return nil, err
	}
	return f.disk.Open(abs)
}

func (f *rootedFS) ReadFile(p string) ([]byte, error) {
	abs, err := f.inside(p)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", p)
		}
		return nil, f.refuse(fmt.Sprintf("%s is not a regular file: not read", p))
	}
	if err := f.count(st.Size()); err != nil {
		return nil, err
	}
	return f.disk.ReadFile(abs)
}

func (f *rootedFS) IsDir(p string) bool {
	abs, err := f.inside(p)
	return err == nil && f.disk.IsDir(abs)
}

func (f *rootedFS) Exists(p string) bool {
	abs, err := f.inside(p)
	return err == nil && f.disk.Exists(abs)
}

func (f *rootedFS) ReadDir(p string) ([]string, error) {
	abs, err := f.inside(p)
	if err != nil {
		return nil, err
	}
	return f.disk.ReadDir(abs)
}

func (f *rootedFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	if _, err := f.inside(p); err != nil {
		return "", "", err
	}
	d, name, err := f.disk.CleanedAbs(p)
	if err != nil {
		return d, name, err
	}
	if _, err := f.inside(d.String()); err != nil {
		return "", "", err
	}
	return d, name, nil
}

func (f *rootedFS) Glob(pattern string) ([]string, error) {
	if _, err := f.inside(pattern); err != nil {
		return nil, err
	}
	matches, err := f.disk.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var in []string
	for _, m := range matches {
		if _, err := f.inside(m); err == nil {
			in = append(in, m)
		}
	}
	return in, nil
}

func (f *rootedFS) Walk(p string, fn filepath.WalkFunc) error {
	if _, err := f.inside(p); err != nil {
		return err
	}
	return f.disk.Walk(p, func(path string, info os.FileInfo, err error) error {
		if err == nil {
			if _, ierr := f.inside(path); ierr != nil {
				if info != nil && info.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		return fn(path, info, err)
	})
}

var _ filesys.FileSystem = (*rootedFS)(nil)
