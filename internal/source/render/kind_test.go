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

// A file anywhere under the templates/ folder of a chart is a template; a
// templates/ folder with no Chart.yaml beside it is not a chart's.
func TestInChartTemplates(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "chart", "Chart.yaml"), "name: c\n")
	tests := []struct {
		path string
		want bool
	}{
		{"chart/templates/deploy.yaml", true},
		{"chart/templates/sub/deploy.yaml", true},
		{"chart/values.yaml", false},
		{"plain/templates/deploy.yaml", false},
		{"chart/charts/sub/templates/deploy.yaml", false}, // sub has no Chart.yaml
	}
	charts := map[string]bool{}
	for _, tt := range tests {
		if got := InChartTemplates(filepath.Join(dir, filepath.FromSlash(tt.path)), charts); got != tt.want {
			t.Errorf("InChartTemplates(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}
