package bicep

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// compareDiffs are the known differences between reading a main.bicep and
// reading the main.json the Bicep compiler built from it, by subtest name
// (the folder below corpusIaC, "with" its parameters file) and flattened
// field ("cluster[0].KubernetesVersion.State"),
// each with its reason. A listed difference that disappears fails the
// test, so the list only shrinks.
var compareDiffs = map[string]map[string]string{}

// TestCompareCompiled reads, for every main.bicep of the corpus with the
// compiler's main.json beside it, both files — the JSON through the ARM
// template reader, the Bicep through this compiler and the same reader —
// and proves that the same clusters, pools, diagnostic settings,
// maintenance configurations and registries come out with the same field
// values and states (Known, Unknown, Absent), or lists each difference
// with its reason in compareDiffs.
func TestCompareCompiled(t *testing.T) {
	var dirs []string
	err := filepath.WalkDir(corpusIaC, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == "main.bicep" {
			if _, err := os.Stat(filepath.Join(filepath.Dir(p), "main.json")); err == nil {
				rel, _ := filepath.Rel(corpusIaC, filepath.Dir(p))
				dirs = append(dirs, rel)
			}
		}
		return nil
	})
	if os.IsNotExist(err) {
		t.Skipf("the IaC corpus is not here (%s)", corpusIaC)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("only %d main.bicep files with a main.json", len(dirs))
	}
	sort.Strings(dirs)
	params := 0
	for _, d := range dirs {
		compareDir(t, d, "")
		pf := filepath.Join("testdata", "compare", strings.ReplaceAll(d, "/", "_")+".parameters.json")
		if _, err := os.Stat(pf); err == nil {
			params++
			compareDir(t, d, pf)
		}
	}
	if params < 2 {
		t.Errorf("only %d parameters files in testdata/compare", params)
	}
}

// compareDir compares the reads of one folder, with the parameters file pf
// given to both (none when empty).
func compareDir(t *testing.T, d, pf string) {
	name := d
	var given map[string]*jsontree.Node
	if pf != "" {
		name += " with " + filepath.Base(pf)
		data, err := os.ReadFile(pf)
		if err != nil {
			t.Fatal(err)
		}
		given, err = arm.LoadParameters(data, pf)
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Run(name, func(t *testing.T) {
		dir := filepath.Join(corpusIaC, d)
		data, err := os.ReadFile(filepath.Join(dir, "main.json"))
		if err != nil {
			t.Fatal(err)
		}
		root, err := jsontree.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		fromJSON := arm.DecodeTemplate(root, filepath.Join(dir, "main.json"), given)
		src, err := os.ReadFile(filepath.Join(dir, "main.bicep"))
		if err != nil {
			t.Fatal(err)
		}
		fromBicep, _ := Decode(filepath.Join(dir, "main.bicep"), src, ReadFile, given)
		for _, e := range fromBicep.Errors {
			if !strings.HasPrefix(e.Message, "registry module ") {
				t.Errorf("input error %s:%d: %s", e.Input, e.Line, e.Message)
			}
		}
		a, b := flatBatch(t, fromJSON), flatBatch(t, fromBicep)
		states := map[string]int{}
		for k, v := range b {
			if strings.HasSuffix(k, ".State") {
				states[v]++
			}
		}
		t.Logf("%d clusters, %d pools, %d diagnostic settings, %d maintenance, %d registries; %d fields, states %v", len(fromJSON.Clusters), len(fromJSON.Pools), len(fromJSON.Diagnostics), len(fromJSON.Maintenance), len(fromJSON.Registries), len(a), states)
		known := compareDiffs[name]
		seen := map[string]bool{}
		var keys []string
		for k := range a {
			keys = append(keys, k)
		}
		for k := range b {
			if _, ok := a[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			va, okA := a[k]
			vb, okB := b[k]
			if okA && okB && va == vb {
				continue
			}
			if _, ok := known[k]; ok {
				seen[k] = true
				continue
			}
			t.Errorf("%s: main.json %s, main.bicep %s", k, show(va, okA), show(vb, okB))
		}
		for k, why := range known {
			if !seen[k] {
				t.Errorf("listed difference %s (%s) is gone: remove it from compareDiffs", k, why)
			}
		}
	})
}

func show(v string, ok bool) string {
	if !ok {
		return "(none)"
	}
	return v
}

// flatBatch flattens what a batch read into "kind[i].Field.Sub" → value,
// leaving out what names the file or line (sources, IDs, lines, paths)
// and the wording of reasons (the expressions differ in spelling).
func flatBatch(t *testing.T, b *inventory.Batch) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(kind string, i int, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var x any
		if err := json.Unmarshal(data, &x); err != nil {
			t.Fatal(err)
		}
		flatten(fmt.Sprintf("%s[%d]", kind, i), x, out)
	}
	for i, c := range b.Clusters {
		add("cluster", i, c)
	}
	for i, p := range b.Pools {
		add("pool", i, p.Pool)
	}
	for i, d := range b.Diagnostics {
		add("diagnostic", i, d.Setting)
	}
	for i, m := range b.Maintenance {
		add("maintenance", i, m.Data)
	}
	for i, r := range b.Registries {
		add("registry", i, r)
	}
	return out
}

var dropKeys = map[string]bool{"Line": true, "Why": true, "Source": true, "File": true, "ID": true, "ClusterID": true, "TargetID": true, "Format": true, "Path": true, "BicepAddress": true, "BicepFile": true}

func flatten(prefix string, x any, out map[string]string) {
	switch v := x.(type) {
	case map[string]any:
		for k, e := range v {
			if dropKeys[k] {
				continue
			}
			flatten(prefix+"."+k, e, out)
		}
	case []any:
		for i, e := range v {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	default:
		out[prefix] = fmt.Sprint(v)
	}
}
