package source

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/aksguard/aksguard"

// TestImportsGoDown: no package under internal/source imports
// internal/source (its parent), directly or through another package of
// the module, in its code or its internal tests. The parent walks paths,
// reads inputs and hands them to the leaves (detect, arm, manifest,
// terraform, render); the live readers (azure, kubeapi) return batches for
// Load. External test packages (package x_test) may use Load: they are
// consumers, as the CLI is.
func TestImportsGoDown(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, bad, err := upwardImports(root, "internal/source")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 8 {
		t.Fatalf("found only %v under internal/source", pkgs)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// The layout test finds a direct and an indirect upward import, in code
// and in internal tests, and lets an external test package through.
func TestImportsGoDownDetects(t *testing.T) {
	root := t.TempDir()
	write := func(p, src string) {
		t.Helper()
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("internal/source/s.go", "package source\n")
	write("internal/source/up/up.go", "package up\nimport _ \""+module+"/internal/source\"\n")
	write("internal/source/via/via.go", "package via\nimport _ \""+module+"/internal/other\"\n")
	write("internal/other/o.go", "package other\nimport _ \""+module+"/internal/source/up\"\n")
	write("internal/source/tests/t.go", "package tests\n")
	write("internal/source/tests/t_test.go", "package tests\nimport _ \""+module+"/internal/source\"\n")
	write("internal/source/consumer/c.go", "package consumer\n")
	write("internal/source/consumer/c_test.go", "package consumer_test\nimport _ \""+module+"/internal/source\"\n")
	write("internal/source/leaf/l.go", "package leaf\nimport _ \""+module+"/internal/source/consumer\"\n")
	_, bad, err := upwardImports(root, "internal/source")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(bad, "\n")
	want := strings.Join([]string{
		module + "/internal/source/tests imports its parent: " + module + "/internal/source",
		module + "/internal/source/up imports its parent: " + module + "/internal/source",
		module + "/internal/source/via imports its parent: " + module + "/internal/other -> " + module + "/internal/source/up -> " + module + "/internal/source",
	}, "\n")
	if got != want {
		t.Errorf("found\n%s\nwant\n%s", got, want)
	}
}

// upwardImports lists the packages under dir (a directory of the module
// rooted at root, slash-separated) and, for each that reaches dir's own
// package through the imports of its code or internal tests (following
// the module's packages), the chain by which it does.
func upwardImports(root, dir string) (pkgs, bad []string, err error) {
	parent := module + "/" + dir
	type key struct {
		path  string
		tests bool
	}
	cache := map[key][]string{}
	imports := func(path string, tests bool) ([]string, error) {
		if l, ok := cache[key{path, tests}]; ok {
			return l, nil
		}
		var l []string
		rel, ok := strings.CutPrefix(path, module+"/")
		if ok {
			p, err := build.ImportDir(filepath.Join(root, filepath.FromSlash(rel)), 0)
			if _, nogo := err.(*build.NoGoError); err != nil && !nogo {
				return nil, err
			}
			if p != nil {
				l = append(l, p.Imports...)
				if tests {
					l = append(l, p.TestImports...)
				}
			}
		}
		cache[key{path, tests}] = l
		return l, nil
	}
	var reaches func(path string, tests bool, seen map[string]bool) ([]string, error)
	reaches = func(path string, tests bool, seen map[string]bool) ([]string, error) {
		l, err := imports(path, tests)
		if err != nil {
			return nil, err
		}
		for _, imp := range l {
			if imp == parent {
				return []string{imp}, nil
			}
			if !strings.HasPrefix(imp, module+"/") || seen[imp] {
				continue
			}
			seen[imp] = true
			chain, err := reaches(imp, false, seen)
			if err != nil {
				return nil, err
			}
			if chain != nil {
				return append([]string{imp}, chain...), nil
			}
		}
		return nil, nil
	}
	base := filepath.Join(root, filepath.FromSlash(dir))
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || p == base {
			return nil
		}
		if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if m, _ := filepath.Glob(filepath.Join(p, "*.go")); len(m) > 0 {
			rel, _ := filepath.Rel(root, p)
			pkgs = append(pkgs, module+"/"+filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		chain, err := reaches(p, true, map[string]bool{})
		if err != nil {
			return nil, nil, err
		}
		if chain != nil {
			bad = append(bad, p+" imports its parent: "+strings.Join(chain, " -> "))
		}
	}
	return pkgs, bad, nil
}
