package source

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// valuesBomb is a 2 MiB values file whose aliases copy a 16 KiB scalar
// past 5 GiB.
func valuesBomb() string {
	var b strings.Builder
	b.WriteString("replicaCount: 1\nbig: &big \"" + strings.Repeat("x", 16<<10) + "\"\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "k%d: [%s]\n", i, strings.TrimSuffix(strings.Repeat("*big, ", 2500), ", "))
	}
	return b.String()
}

// Helm values files (--values and a chart's values.yaml) get the manifest
// reader's YAML checks before Helm parses them: an alias bomb or a key
// given twice is an error naming the file and line, read in bounded
// memory, and the other inputs are still read.
func TestHelmValuesChecked(t *testing.T) {
	tests := []struct {
		name, values, want string
	}{
		{"alias bomb", valuesBomb(), ":3: its aliases expand to more than 32 MiB"},
		{"duplicate key", "image:\n  tag: a\n  tag: b\n", `:3: key "tag" is given twice (lines 2 and 3) with different values`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" --values", func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "v.yaml")
			writeFile(t, f, tt.values)
			var err error
			alloc := totalAlloc(func() { _, err = LoadHelmValues([]string{f}) })
			if err == nil || !strings.Contains(err.Error(), f+tt.want) {
				t.Errorf("got %v, want %s%s", err, f, tt.want)
			}
			if alloc > 200<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
		t.Run(tt.name+" chart values.yaml", func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "chart")
			writeFile(t, filepath.Join(dir, "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
			writeFile(t, filepath.Join(dir, "templates", "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n")
			writeFile(t, filepath.Join(dir, "charts", "sub", "Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 0.1.0\n")
			writeFile(t, filepath.Join(dir, "charts", "sub", "values.yaml"), tt.values)
			var inv = Load(nil, Options{})
			alloc := totalAlloc(func() { inv = Load([]string{dir, filepath.Join(kustomizeDir, "base")}, Options{}) })
			if alloc > 200<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
			if len(inv.Errors) != 1 || inv.Errors[0].Input != dir || !strings.Contains(inv.Errors[0].Message, filepath.Join(dir, "charts", "sub", "values.yaml")+tt.want) {
				t.Errorf("errors %v, want one naming the values file and %q", inv.Errors, tt.want)
			}
			if inv.Kube == nil || len(inv.Kube.Workloads) != 1 {
				t.Errorf("the other input was not read")
			}
		})
	}
}
