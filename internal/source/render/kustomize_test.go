package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The file system krusty reads through refuses reads past its file and
// byte budgets, and anything outside its root.
func TestRootedFSBudgets(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		writeFile(t, filepath.Join(dir, "in", fmt.Sprintf("f%d", i)), strings.Repeat("x", 1000))
	}
	writeFile(t, filepath.Join(dir, "out"), "secret")
	tests := []struct {
		name     string
		maxBytes int64
		maxFiles int
		read     []string
		want     string
	}{
		{"files", 1 << 20, 2, []string{"f0", "f1", "f2"}, "reads more than 2 files"},
		{"bytes", 1500, 10, []string{"f0", "f1"}, "reads more than 0 MiB"},
		{"outside", 1 << 20, 10, []string{"../out"}, "outside the scanned tree"},
		{"within budget", 1 << 20, 3, []string{"f0", "f1", "f2"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := newRootedFS(filepath.Join(dir, "in"), tt.maxBytes, tt.maxFiles)
			if err != nil {
				t.Fatal(err)
			}
			var last error
			for _, r := range tt.read {
				if _, err := f.ReadFile(filepath.Join(dir, "in", r)); err != nil {
					last = err
				}
			}
			switch {
			case tt.want == "" && last != nil:
				t.Errorf("refused: %v", last)
			case tt.want != "" && (last == nil || !strings.Contains(last.Error(), tt.want) || f.refused() == nil):
				t.Errorf("error %v, want %q", last, tt.want)
			}
			if err := f.WriteFile(filepath.Join(dir, "in", "new"), nil); err == nil {
				t.Errorf("a write was allowed")
			}
		})
	}
}

func TestLooksRemote(t *testing.T) {
	for r, want := range map[string]bool{
		"../base":                         false,
		"deployment.yaml":                 false,
		"./local.dir/x":                   false,
		"https://example.com/a.yaml":      true,
		"github.com/org/repo/base?ref=v1": true,
		"git@github.com:org/repo.git":     true,
		"github.com/org/repo":             true,
	} {
		if got := looksRemote(r); got != want {
			t.Errorf("looksRemote(%q) = %v, want %v", r, got, want)
		}
	}
}

// FuzzKustomizeRefs: any kustomization text is searched for references
// without a panic or a stack overflow (inline YAML nests).
func FuzzKustomizeRefs(f *testing.F) {
	f.Add("resources: [a, ../b, 'git@h:o/r']\npatches: [{path: p.yaml}]\n")
	f.Add("generators:\n- |\n  files: [k=https://x/y]\n")
	f.Add(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))
	f.Add("resources: " + strings.Repeat("{a: ", 5000) + "x" + strings.Repeat("}", 5000))
	f.Fuzz(func(t *testing.T, data string) {
		var k map[string]any
		if yaml.Unmarshal([]byte(data), &k) != nil {
			return
		}
		for _, r := range kustomizeRefs(k, "", nil) {
			_ = nonLocal(r.value, t.TempDir())
		}
	})
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
