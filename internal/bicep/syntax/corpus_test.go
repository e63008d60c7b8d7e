package syntax

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testcorpus"
)

// corpusDir is the shared corpus of real infrastructure code (MIT and
// MPL-2.0 sources, see its README.md).
var corpusDir = testcorpus.IaCDir()

func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus not present: %v", err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".bicep") || strings.HasSuffix(path, ".bicepparam")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestCorpusParses(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < 160 {
		t.Fatalf("found %d Bicep files in the corpus, want at least 160", len(files))
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(src, path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(f.Statements) == 0 {
			t.Errorf("%s: no statements", path)
		}
	}
}

// TestCorpusFacts checks what the corpus README states about its Bicep
// files: the AVM managed-cluster module's parameters and cluster resource,
// and every Bicep row of clusters.tsv (a resource or module of that name
// declared at that line, with that type, module path or existing flag).
func TestCorpusFacts(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	avm := parseCorpusFile(t, "Azure__bicep-registry-modules/avm/res/container-service/managed-cluster/main.bicep")
	params := 0
	for _, s := range avm.Statements {
		if _, ok := s.(*Param); ok {
			params++
		}
	}
	if params != 87 {
		t.Errorf("AVM managed-cluster main.bicep: %d params, want 87", params)
	}
	r, ok := findDecl(avm, "managedCluster", 409).(*Resource)
	if !ok {
		t.Fatalf("AVM managed-cluster main.bicep: no resource managedCluster at line 409")
	}
	if typ, _ := r.Type.Value(); typ != "Microsoft.ContainerService/managedClusters@2025-10-01" {
		t.Errorf("managedCluster type %q", typ)
	}

	tsv, err := os.ReadFile(filepath.Join(corpusDir, "clusters.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(tsv), "\n") {
		col := strings.Split(line, "\t")
		if len(col) < 7 || col[3] != "bicep" {
			continue
		}
		rows++
		role, file, name, how, detail := col[0], col[1], col[4], col[5], col[6]
		lineNo, err := strconv.Atoi(col[2])
		if err != nil {
			t.Fatalf("clusters.tsv: %q: %v", line, err)
		}
		f := parseCorpusFile(t, file)
		d := findDecl(f, name, lineNo)
		switch {
		case strings.Contains(how, "module"):
			m, ok := d.(*Module)
			if !ok {
				t.Errorf("%s:%d: no module %s", file, lineNo, name)
				continue
			}
			path, _ := m.Path.Value()
			if want := strings.SplitN(detail, "'", 3)[1]; path != want {
				t.Errorf("%s:%d: module %s path %q, want %q", file, lineNo, name, path, want)
			}
		default:
			r, ok := d.(*Resource)
			if !ok {
				t.Errorf("%s:%d: no resource %s", file, lineNo, name)
				continue
			}
			typ, _ := r.Type.Value()
			if want := strings.TrimSuffix(strings.Fields(detail)[0], ";"); typ != want {
				t.Errorf("%s:%d: resource %s type %q, want %q", file, lineNo, name, typ, want)
			}
			if r.Existing != (role == "reference") {
				t.Errorf("%s:%d: resource %s existing=%t for a %s row", file, lineNo, name, r.Existing, role)
			}
		}
	}
	if rows < 50 {
		t.Errorf("clusters.tsv: %d Bicep rows, want at least 50", rows)
	}
}

func parseCorpusFile(t *testing.T, rel string) *File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(src, rel)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// findDecl returns the resource or module (nested resources included) of
// that name declared at that line.
func findDecl(f *File, name string, line int) Node {
	var found Node
	Inspect(f, func(n Node) bool {
		switch d := n.(type) {
		case *Resource:
			if d.Name.Name == name && d.Line == line {
				found = d
			}
		case *Module:
			if d.Name.Name == name && d.Line == line {
				found = d
			}
		}
		return found == nil
	})
	return found
}

// TestCorpusPositions checks that every node of every corpus file has a
// position inside its file.
func TestCorpusPositions(t *testing.T) {
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(src, path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(string(src), "\n") + 1
		Inspect(f, func(n Node) bool {
			p := n.Position()
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Errorf("%s: %T at %d:%d, outside the file's %d lines", path, n, p.Line, p.Col, lines)
			}
			return true
		})
	}
}

func BenchmarkParseCorpus(b *testing.B) {
	var srcs [][]byte
	size := 0
	for _, path := range corpusFiles(b) {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := Parse(src, "x.bicep"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
