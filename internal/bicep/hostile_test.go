package bicep

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileHostile: module graphs and loops that would make the compiler
// or the reader work without bound end in a clear input error, with the
// work bounded by the counts the code enforces (no clock).
func TestCompileHostile(t *testing.T) {
	chain := func(n int, fanout int) map[string]string {
		files := map[string]string{}
		for i := 0; i < n; i++ {
			var b strings.Builder
			for k := 0; k < fanout; k++ {
				fmt.Fprintf(&b, "module m%d 'f%d.bicep' = {\n  name: 'm%d'\n}\n", k, i+1, k)
			}
			name := fmt.Sprintf("f%d.bicep", i)
			if i == 0 {
				name = "main.bicep"
			}
			files[name] = b.String()
		}
		files[fmt.Sprintf("f%d.bicep", n)] = "resource aks " + aksType + " = {\n  name: 'deep'\n  properties: {}\n}\n"
		return files
	}
	cases := []struct {
		name     string
		files    map[string]string
		err      string // a message one of the errors must contain
		clusters int
	}{
		{"modules nested too deep", chain(maxModuleDepth+4, 1), fmt.Sprintf("modules nest deeper than %d calls", maxModuleDepth), 0},
		{"module calls doubling at each level", chain(12, 2), fmt.Sprintf("calls more than %d modules in all", maxModuleCalls), -1},
		{"a module calling itself", map[string]string{"main.bicep": "module self 'main.bicep' = {\n  name: 's'\n}\n"}, "it calls itself through main.bicep > main.bicep", 0},
		{"a huge resource loop", map[string]string{"main.bicep": "resource aks " + aksType + " = [for i in range(0, 9000): {\n  name: 'c${i}'\n  properties: {}\n}]\n"},
			"ARM's limit of 800 copies", 1},
		{"a huge loop of modules", map[string]string{
			"main.bicep": "module m 'c.bicep' = [for i in range(0, 5000): {\n  name: 'm${i}'\n}]\n",
			"c.bicep":    "resource aks " + aksType + " = {\n  name: 'c'\n  properties: {}\n}\n"},
			"ARM's limit of 800 copies", 1},
		{"loops of modules calling looped modules", loopChain(12), "or 1024 clusters (copy loops of nested deployments multiply)", -1},
		{"variables inlined into each other", map[string]string{
			"main.bicep": "import { v30 } from 'vars.bicep'\nresource aks " + aksType + " = {\n  name: v30\n  properties: {}\n}\n",
			"vars.bicep": varChain(40)}, "inlined more than", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			path := filepath.Join(dir, "main.bicep")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b, tm := Decode(path, src, ReadFile, nil)
			var msgs []string
			for _, e := range b.Errors {
				msgs = append(msgs, e.Message)
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tc.err) {
				t.Errorf("errors %q, want one containing %q", msgs, tc.err)
			}
			if tc.clusters >= 0 && len(b.Clusters) != tc.clusters {
				t.Errorf("%d clusters, want %d", len(b.Clusters), tc.clusters)
			}
			if len(b.Clusters) > 1024 {
				t.Errorf("%d clusters from one deployment", len(b.Clusters))
			}
			if tm != nil && len(tm.Files) > maxModuleCalls+1 {
				t.Errorf("%d files read", len(tm.Files))
			}
		})
	}
}

// loopChain is n folders whose main.bicep calls the next twice, each call
// a loop of 3, and deploys a cluster: 6^n instances.
func loopChain(n int) map[string]string {
	files := map[string]string{}
	p := ""
	for i := 0; i <= n; i++ {
		files[p+"main.bicep"] = "module m 'x/main.bicep' = [for i in range(0, 3): {\n  name: 'm${i}'\n}]\n" +
			"module k 'x/main.bicep' = [for i in range(0, 3): {\n  name: 'k${i}'\n}]\n" +
			"resource aks " + aksType + " = {\n  name: 'a'\n  properties: {}\n}\n"
		p += "x/"
	}
	return files
}

// varChain is a file whose variables each use the one before it.
func varChain(n int) string {
	var b strings.Builder
	b.WriteString("@export()\nvar v0 = 'x'\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "@export()\nvar v%d = '${v%d}${v%d}'\n", i, i-1, i-1)
	}
	return b.String()
}
