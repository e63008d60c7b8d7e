package render

import (
	"path/filepath"
	"testing"
)

// A directory is a chart when it holds a Chart.yaml (also next to a
// kustomization), a kustomization when it holds one of kustomize's file
// names, else neither; a Chart.yaml that is a directory does not count.
func TestKind(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"chart", []string{"Chart.yaml"}, Helm},
		{"kustomization.yaml", []string{"kustomization.yaml"}, Kustomize},
		{"kustomization.yml", []string{"kustomization.yml"}, Kustomize},
		{"Kustomization", []string{"Kustomization"}, Kustomize},
		{"both: a chart", []string{"Chart.yaml", "kustomization.yaml"}, Helm},
		{"manifests only", []string{"deploy.yaml"}, ""},
		{"Chart.yaml is a directory", []string{"Chart.yaml/x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				writeFile(t, filepath.Join(dir, filepath.FromSlash(f)), "x: 1\n")
			}
			if got := Kind(dir); got != tt.want {
				t.Errorf("Kind = %q, want %q", got, tt.want)
			}
		})
	}
}
