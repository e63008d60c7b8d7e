package source

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/source/render"
)

// totalAlloc returns the bytes f allocated (runtime.MemStats.TotalAlloc).
func totalAlloc(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Kustomizations whose builds fan out: 55 bases each including all the
// later ones (a different name prefix at each level, so nothing collides)
// would be built 2^54 times; 10,001 patches. The budgets end each before
// krusty runs, with an input error naming the kustomization file, and the
// canary beside it is still judged.
func TestKustomizeFanOutBudget(t *testing.T) {
	fanOut := func(t *testing.T, dir string) string {
		const n = 55
		for i := 0; i < n; i++ {
			var res []string
			for j := i + 1; j < n; j++ {
				res = append(res, fmt.Sprintf("../d%02d", j))
			}
			res = append(res, "cm.yaml")
			writeFile(t, filepath.Join(dir, fmt.Sprintf("d%02d", i), "kustomization.yaml"),
				fmt.Sprintf("namePrefix: p%d-\nresources: [%s]\n", i, strings.Join(res, ", ")))
			writeFile(t, filepath.Join(dir, fmt.Sprintf("d%02d", i), "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
		}
		return filepath.Join(dir, "d00")
	}
	patches := func(t *testing.T, dir string) string {
		var b strings.Builder
		b.WriteString("resources: [cm.yaml]\npatches:\n")
		for i := 0; i <= render.KustomizeMaxPatches; i++ {
			fmt.Fprintf(&b, "- {patch: '[{op: add, path: /metadata/labels/l%d, value: x}]', target: {kind: ConfigMap}}\n", i)
		}
		k := filepath.Join(dir, "patched")
		writeFile(t, filepath.Join(k, "kustomization.yaml"), b.String())
		writeFile(t, filepath.Join(k, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {a: b}}\n")
		return k
	}
	tests := []struct {
		name string
		make func(*testing.T, string) string
		want string
	}{
		{"bases included over and over", fanOut, fmt.Sprintf("more than %d times", render.KustomizeMaxBuilds)},
		{"patches", patches, fmt.Sprintf("more than %d patches", render.KustomizeMaxPatches)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
			k := tt.make(t, dir)
			canary := filepath.Join(dir, "canary")
			writeFile(t, filepath.Join(canary, "kustomization.yaml"), "resources: [deploy.yaml]\n")
			writeFile(t, filepath.Join(canary, "deploy.yaml"), canaryDeployment)
			var errs []string
			judged := false
			alloc := totalAlloc(func() {
				inv := Load([]string{k, canary}, Options{})
				for _, e := range inv.Errors {
					errs = append(errs, e.Error())
				}
				judged = inv.Kube != nil && len(inv.Kube.Workloads) == 1 && inv.Kube.Workloads[0].Name == "canary"
			})
			if len(errs) != 1 || !strings.Contains(errs[0], filepath.Join(k, "kustomization.yaml")) || !strings.Contains(errs[0], tt.want) {
				t.Errorf("errors %q, want one naming %s and %q", errs, k, tt.want)
			}
			if !judged {
				t.Errorf("the canary beside it was not judged")
			}
			if alloc > 64<<20 {
				t.Errorf("allocated %d MiB, want under 64 MiB", alloc>>20)
			}
		})
	}
}

// A chart whose templates loop, amplify or recurse past the budget is an
// input error naming the chart, the template and the limit; the canary
// beside it is still judged, and memory stays bounded.
func TestHelmBudgetThroughLoad(t *testing.T) {
	tests := []struct{ name, tpl, want string }{
		{"range until 100000000", `{{ range until 100000000 }}x{{ end }}`, "more than 100000 elements"},
		{"repeat", `{{ repeat 1000000000 "abcdefgh" }}`, "more than 256 MiB"},
		{"include recursion", `{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}`, "nest include/tpl more than 1000 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			chart := filepath.Join(dir, "loopy")
			writeFile(t, filepath.Join(chart, "Chart.yaml"), "apiVersion: v2\nname: loopy\nversion: 0.1.0\n")
			writeFile(t, filepath.Join(chart, "templates", "x.yaml"), tt.tpl)
			canary := filepath.Join(dir, "canary.yaml")
			writeFile(t, canary, canaryDeployment)
			var errs []string
			judged := false
			alloc := totalAlloc(func() {
				inv := Load([]string{chart, canary}, Options{})
				for _, e := range inv.Errors {
					errs = append(errs, e.Error())
				}
				judged = inv.Kube != nil && len(inv.Kube.Workloads) == 1
			})
			if len(errs) != 1 || !strings.HasPrefix(errs[0], chart+": rendering the Helm chart: loopy/templates/x.yaml: ") || !strings.Contains(errs[0], tt.want) {
				t.Errorf("errors %q, want one naming %s, its template and %q", errs, chart, tt.want)
			}
			if !judged {
				t.Errorf("the canary beside it was not judged")
			}
			if alloc > 1<<30 {
				t.Errorf("allocated %d MiB, want under 1 GiB", alloc>>20)
			}
		})
	}
}
