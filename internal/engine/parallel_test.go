package engine

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/source"
)

func TestParallelKeepsOrder(t *testing.T) {
	items := make([]int, 1000)
	for i := range items {
		items[i] = i
	}
	for _, workers := range []int{0, 1, 2, 7, 2000} {
		got := parallel(items, workers, func(i int) int { return i * i })
		for i, v := range got {
			if v != i*i {
				t.Fatalf("workers %d: item %d = %d, want %d", workers, i, v, i*i)
			}
		}
	}
}

func TestParallelRaisesPanicInCaller(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			defer func() {
				if v := recover(); v != "item 3" {
					t.Fatalf("recovered %v, want the first panicking item's", v)
				}
			}()
			parallel([]int{0, 1, 2, 3, 4, 5, 6, 7}, workers, func(i int) int {
				if i == 3 || i == 6 {
					panic(fmt.Sprintf("item %d", i))
				}
				return i
			})
			t.Fatal("no panic")
		})
	}
}

// equivalenceInputs are the scans the parallel engine must report byte for
// byte like the sequential one: the shared corpus of real objects, the
// examples, and every form and variant of the verdict matrix.
func equivalenceInputs(t *testing.T) [][]string {
	t.Helper()
	ins := [][]string{
		{"../../examples/insecure"}, {"../../examples/hardened"},
		{"../../examples/insecure", "../../examples/hardened"},
		{"../checks/testdata/mixed"}, {"../checks/testdata/namespaces"},
		{"../checks/testdata/workloads"}, {"../checks/testdata/rbac"},
	}
	if _, err := os.Stat("../../../shared/corpus/real"); err == nil {
		ins = append(ins, []string{"../../../shared/corpus/real"})
	} else {
		t.Logf("no shared corpus beside the repository (%v): scanning the repository's inputs only", err)
	}
	forms, err := filepath.Glob("../checks/testdata/forms/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		if st, err := os.Stat(f); err == nil && st.IsDir() {
			ins = append(ins, []string{f})
			variants, _ := filepath.Glob(f + "/*")
			for _, v := range variants {
				ins = append(ins, []string{v})
			}
		}
	}
	return ins
}

// render evaluates inv with the given workers and writes every report
// format, with and without passed results; count has the engine count the
// results a report without passed results does not list, as a scan does.
func render(t *testing.T, inv *inventory.Inventory, workers int, count bool) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, passed := range []bool{false, true} {
		o := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now, Workers: workers, CountPassed: count && !passed})
		rep := Build(inv, o, "test", now, passed)
		writers := map[string]func(*bytes.Buffer) error{
			"json":  func(b *bytes.Buffer) error { return report.WriteJSON(b, rep) },
			"table": func(b *bytes.Buffer) error { return report.WriteTable(b, rep, false) },
			"color": func(b *bytes.Buffer) error { return report.WriteTable(b, rep, true) },
			"sarif": func(b *bytes.Buffer) error { return report.WriteSARIF(b, rep, check.All()) },
			"junit": func(b *bytes.Buffer) error { return report.WriteJUnit(b, rep) },
		}
		for name, w := range writers {
			var b bytes.Buffer
			if err := w(&b); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[fmt.Sprintf("%s passed=%v", name, passed)] = b.Bytes()
		}
	}
	return out
}

// TestParallelReportsIdentical scans each input with the controls one after
// another keeping every result (the engine before it ran controls at once
// and counted passes), and on several workers counting the results a report
// does not list, and compares every report format byte for byte.
func TestParallelReportsIdentical(t *testing.T) {
	for _, in := range equivalenceInputs(t) {
		t.Run(filepath.Join(in...), func(t *testing.T) {
			inv := source.Load(in, source.Options{})
			want := render(t, inv, 1, false)
			if len(want["json passed=true"]) == 0 {
				t.Fatal("no JSON report")
			}
			for _, workers := range []int{1, 2, 8} {
				got := render(t, inv, workers, true)
				for name, w := range want {
					if !bytes.Equal(got[name], w) {
						t.Errorf("%d workers: the %s report differs from the sequential one", workers, name)
					}
				}
			}
		})
	}
}

func TestCountPassed(t *testing.T) {
	inv := source.Load([]string{"../../examples/insecure", "../../examples/hardened"}, source.Options{})
	all := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now})
	counted := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now, CountPassed: true})
	want := report.Summarise(all.Results)
	if want.Pass == 0 || want.NotApplicable == 0 {
		t.Fatalf("the examples give %d pass and %d not-applicable results: nothing to count", want.Pass, want.NotApplicable)
	}
	if counted.Passed != want.Pass || counted.NotApplicable != want.NotApplicable {
		t.Errorf("counted %d pass, %d not-applicable; want %d, %d", counted.Passed, counted.NotApplicable, want.Pass, want.NotApplicable)
	}
	for _, r := range counted.Results {
		if r.Status == check.Pass || r.Status == check.NotApplicable {
			t.Fatalf("a counted outcome keeps a %s result", r.Status)
		}
	}
	if n := len(all.Results) - want.Pass - want.NotApplicable; len(counted.Results) != n {
		t.Errorf("kept %d results, want %d", len(counted.Results), n)
	}
	defer func() {
		if recover() == nil {
			t.Error("a report listing passed results was built from a counted outcome")
		}
	}()
	Build(inv, counted, "test", now, true)
}
