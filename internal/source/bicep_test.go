package source

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestLoadBicepDeployments: in a walked folder, a Bicep file another file
// uses as a module (directly or through a chain) gives no cluster of its
// own; a file named explicitly does; of files that only call each other in
// a cycle, the first by path is read (reading the others as its modules),
// with the cycle reported once.
func TestLoadBicepDeployments(t *testing.T) {
	dir := t.TempDir()
	cluster := func(name string) string {
		return "resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {\n  name: '" + name + "'\n  properties: {}\n}\n"
	}
	files := map[string]string{
		"app/main.bicep":      "module mid '../lib/mid.bicep' = {\n  name: 'mid'\n}\n",
		"lib/mid.bicep":       "module leaf 'leaf.bicep' = {\n  name: 'leaf'\n}\n",
		"lib/leaf.bicep":      cluster("from-leaf"),
		"solo/solo.bicep":     cluster("solo"),
		"cycle/one.bicep":     "module two 'two.bicep' = {\n  name: 'two'\n}\n" + cluster("one"),
		"cycle/two.bicep":     "module one 'one.bicep' = {\n  name: 'one'\n}\n" + cluster("two"),
		"params/p.bicepparam": "using '../solo/solo.bicep'\n",
	}
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := func(paths ...string) (string, []string) {
		inv := Load(paths, Options{})
		var out, errs []string
		for _, c := range inv.Clusters {
			rel, _ := filepath.Rel(dir, c.Source.File)
			out = append(out, c.Name+"@"+filepath.ToSlash(rel))
		}
		for _, e := range inv.Errors {
			rel, _ := filepath.Rel(dir, e.Input)
			errs = append(errs, filepath.ToSlash(rel))
		}
		sort.Strings(out)
		sort.Strings(errs)
		return strings.Join(out, " "), errs
	}
	got, errs := names(dir)
	// solo.bicep is the using target of p.bicepparam: read through it.
	want := "from-leaf@lib/leaf.bicep one@cycle/one.bicep solo@solo/solo.bicep two@cycle/two.bicep"
	if got != want {
		t.Errorf("walked folder: clusters\n  %s\nwant\n  %s", got, want)
	}
	if strings.Join(errs, " ") != "cycle/two.bicep" {
		t.Errorf("walked folder: errors in %v, want the cycle's, at two.bicep's call of one.bicep", errs)
	}
	if got, _ := names(filepath.Join(dir, "lib/leaf.bicep"), filepath.Join(dir, "app")); got != "from-leaf@lib/leaf.bicep from-leaf@lib/leaf.bicep" {
		t.Errorf("explicit module file and its caller: %s, want the cluster from each", got)
	}
}
