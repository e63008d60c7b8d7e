package checks_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/checks"
)

const checksPath = "github.com/aksguard/aksguard/internal/checks"

// TestControlsLayout holds the layout docs/contributing.md describes: each
// control is one file of its area's package named after its ID
// (<area>/acc005_….go), every package under internal/checks is an area of
// checks.Areas() or kit, and imports go down only: an area imports kit and
// its sub-packages, never another area; kit imports no area.
func TestControlsLayout(t *testing.T) {
	areas := map[string]bool{}
	for _, a := range checks.Areas() {
		areas[a.Dir] = true
		for _, c := range a.Controls {
			parts := strings.Split(c.ID, "-")
			prefix := strings.ToLower(parts[1]) + parts[2] + "_"
			files, _ := filepath.Glob(filepath.Join(a.Dir, prefix+"*.go"))
			var own []string
			for _, f := range files {
				if !strings.HasSuffix(f, "_test.go") {
					own = append(own, f)
				}
			}
			if len(own) != 1 {
				t.Errorf("%s: want one file %s/%s<title words>.go, found %v", c.ID, a.Dir, prefix, own)
				continue
			}
			b, err := os.ReadFile(own[0])
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), strconv.Quote(c.ID)) {
				t.Errorf("%s: %s does not define the control", c.ID, own[0])
			}
		}
	}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || path == "." {
			return nil
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		goFiles, _ := filepath.Glob(filepath.Join(path, "*.go"))
		if len(goFiles) == 0 {
			return nil
		}
		path = filepath.ToSlash(path)
		isKit := path == "kit" || strings.HasPrefix(path, "kit/")
		if !isKit && !areas[path] {
			t.Errorf("%s: a package under internal/checks is an area listed in checks.Areas() or part of kit", path)
		}
		for _, f := range goFiles {
			if strings.HasSuffix(f, "_test.go") {
				continue // external tests may import internal/checks
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				if p != checksPath && !strings.HasPrefix(p, checksPath+"/") {
					continue
				}
				rel := strings.TrimPrefix(strings.TrimPrefix(p, checksPath), "/")
				if rel != "kit" && !strings.HasPrefix(rel, "kit/") {
					t.Errorf("%s imports %s: areas and kit import only kit packages", f, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
