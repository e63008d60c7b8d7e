package bicep

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompile compiles arbitrary Bicep (the text also serves as every
// module and loaded file it names, so module graphs are as hostile as the
// input) and reads the template: never a panic, and the files read and
// nodes built stay within the bounds the compiler enforces.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("syntax/testdata/seed/*.bicep")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"resource aks " + aksType + " = {\n  name: 'a'\n  properties: { disableLocalAccounts: true }\n}\n",
		"module m 'main.bicep' = [for i in range(0, 3): {\n  name: 'm${i}'\n}]\n",
		"param p object = {}\nvar v = [for x in p.?items ?? []: x.?name]\nresource aks " + aksType + " = if (!empty(v)) {\n  name: v[0]\n  properties: { agentPoolProfiles: [for (q, i) in v: { name: q }] }\n}\n",
		"import { a } from 'main.bicep'\n@export()\nvar a = a\nfunc f(x int) int => f(x)\noutput o int = f(1)\n",
		"var t = loadTextContent('main.bicep')\nresource r " + aksType + " = {\n  name: t\n  properties: {}\n  resource c 'agentPools' = {\n    name: 'p'\n    properties: {}\n  }\n}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		read := func(p string) ([]byte, error) {
			if filepath.Ext(p) == ".bicep" || filepath.Ext(p) == ".txt" {
				return src, nil
			}
			return nil, errors.New("no such file")
		}
		b, tm := Decode("main.bicep", src, read, nil)
		if b == nil {
			t.Fatal("no batch")
		}
		if tm != nil && len(tm.Files) > maxModuleCalls+1 {
			t.Fatalf("%d files read", len(tm.Files))
		}
	})
}
