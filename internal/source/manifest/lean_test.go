package manifest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/testcorpus"
)

// leanCompare decodes every document of a YAML input that has a lean
// decoder both ways: whenever the lean decoder answers, its object must be
// deeply equal (reflect.DeepEqual, every field of the inventory object)
// to the full path's, and the full path must not have found an error.
// It returns how many documents had a lean decoder and how many it
// answered.
func leanCompare(t *testing.T, data []byte, file string) (total, answered int) {
	t.Helper()
	if tr := bytes.TrimSpace(data); len(tr) > 0 && tr[0] == '{' {
		return 0, 0 // JSON input: never the lean decoder
	}
	s := newSplitterBytes(bytes.Clone(data))
	for d := s.next(); d != nil; d = s.next() {
		if d.state != stateKnown || d.class.lean == nil || d.data == nil || d.class.reject != "" || d.class.skip != "" {
			continue
		}
		total++
		src := inventory.Source{File: file, Line: max(d.first, d.line)}
		obj, ok := leanDecode(bytes.Clone(d.data), d.item, d.class, src, d.apiVersion, d.kind)
		useLean = false
		full := process(d, file)
		useLean = true
		if !ok {
			continue
		}
		answered++
		if len(full.errs) > 0 {
			t.Errorf("%s:%d: the lean decoder answered where the full path reports %v", file, src.Line, full.errs)
			continue
		}
		if !reflect.DeepEqual(obj, full.obj) {
			a, _ := json.Marshal(obj)
			b, _ := json.Marshal(full.obj)
			t.Errorf("%s:%d: lean and full decoding differ:\nlean %s\nfull %s", file, src.Line, a, b)
		}
	}
	return total, answered
}

// leanInputs are the YAML inputs of the package's testdata and the shared
// corpus of real objects (../shared/corpus/real, when it is there).
func leanInputs(t testing.TB) map[string][]byte {
	inputs := map[string][]byte{}
	dirs := []string{"testdata"}
	if sh := testcorpus.SharedDir(); sh != "" {
		dirs = append(dirs, filepath.Join(sh, "corpus", "real"))
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" && ext != ".json" && ext != "" {
				return nil
			}
			data, err := os.ReadFile(p)
			inputs[p] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return inputs
}

// TestLeanEquivalent: on the testdata and every object of the shared
// corpus, the lean decoder's objects equal the full path's, and whole
// inputs decode to the same batch (objects, counts, skips, errors and
// their messages) with and without it. It also checks that the lean
// decoder answers for most documents of its kinds, so that it cannot
// silently stop working.
func TestLeanEquivalent(t *testing.T) {
	inputs := leanInputs(t)
	total, answered := 0, 0
	for p, data := range inputs {
		n, a := leanCompare(t, data, p)
		total += n
		answered += a
		lean := Decode(bytes.Clone(data), p)
		useLean = false
		full := Decode(bytes.Clone(data), p)
		useLean = true
		if !reflect.DeepEqual(lean, full) {
			t.Errorf("%s: Decode differs with the lean decoder", p)
		}
	}
	t.Logf("%d inputs: the lean decoder answered %d of %d documents of its kinds", len(inputs), answered, total)
	if total == 0 || answered*10 < total*9 {
		t.Errorf("the lean decoder answered only %d of %d documents of its kinds (want at least 90%%)", answered, total)
	}
}

// TestLeanFallback: what the lean decoder is not sure of goes to the
// full path, whose answer (an error, a skip) stays; what it reads, it
// reads as the full path does.
func TestLeanFallback(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
	for _, tc := range []struct {
		name string
		doc  string
		lean bool // the lean decoder answers
	}{
		{"plain pod", pod + "  containers:\n  - name: c\n    image: nginx\n", true},
		{"unknown keys are skipped as encoding/json does", pod + "  notAField: [1, 2]\n  containers: []\n", true},
		{"empty map and list stay non-nil", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\ndata: {}\n", true},
		{"null values", pod + "  containers:\n  - name: c\n    resources:\n      limits:\n        cpu: null\n    securityContext:\n", true},
		{"a number where a string goes", pod + "  serviceAccountName: 12\n", false},
		{"a string where a number goes", pod + "  terminationGracePeriodSeconds: \"30\"\n", false},
		{"a float for an integer", pod + "  terminationGracePeriodSeconds: 1.5\n", false},
		{"an integer out of range", pod + "  containers:\n  - name: c\n    ports:\n    - containerPort: 4294967296\n", false},
		{"a list where a map goes", pod + "  nodeSelector: [a]\n", false},
		{"a quantity that does not parse", pod + "  containers:\n  - name: c\n    resources:\n      limits:\n        cpu: lots\n", false},
		{"a ConfigMap value that is not a string", "apiVersion: v1\nkind: ConfigMap\ndata:\n  port: 8080\n", false},
		{"outside the subset (an anchor)", pod + "  containers: &c []\n", false},
		{"a duplicate key", pod + "  hostNetwork: true\n  hostNetwork: false\n", false},
		{"kind misread by the scanner", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n\"kind\": Service\n", false},
		{"top level is not a mapping", "--- []\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			total, answered := leanCompare(t, data, "f.yaml")
			if got := answered > 0; got != tc.lean {
				t.Errorf("lean decoder answered %d of %d documents, want answer=%v", answered, total, tc.lean)
			}
			lean := Decode(bytes.Clone(data), "f.yaml")
			useLean = false
			full := Decode(bytes.Clone(data), "f.yaml")
			useLean = true
			if !reflect.DeepEqual(lean, full) {
				t.Errorf("Decode differs with the lean decoder:\n%#v\n%#v", lean, full)
			}
		})
	}
}

// FuzzLeanEquivalent: whenever the lean decoder answers, its object equals
// the full path's; the seeds are the testdata, the fuzz seeds of the
// other targets and objects of the shared corpus.
func FuzzLeanEquivalent(f *testing.F) {
	seeds(f)
	n := 0
	for p, data := range leanInputs(f) {
		if strings.Contains(p, "corpus") && n < 200 && len(data) < 32<<10 {
			f.Add(data)
			n++
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		leanCompare(t, data, "f.yaml")
	})
}
