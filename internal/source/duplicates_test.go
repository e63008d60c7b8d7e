package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/testcorpus"
)

// TestRealAzureJSONHasNoConflicts: the duplicate-key rule (keys that fold
// together with different values are an input error) and the wrong-type
// rule (a mapped path holding another JSON kind) must not trip on real
// Azure JSON: every az CLI recording, REST API example and compiled
// Bicep template of the shared fixtures and IaC corpus reads without one.
func TestRealAzureJSONHasNoConflicts(t *testing.T) {
	shared := testcorpus.SharedDir()
	if shared == "" {
		t.Skip("no shared/ folder beside the repository")
	}
	files := 0
	for _, root := range []string{filepath.Join(shared, "fixtures"), filepath.Join(shared, "corpus", "iac")} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n, err := jsontree.Parse(data)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return nil
			}
			files++
			for _, c := range jsontree.Conflicts(n, 0) {
				t.Errorf("%s: %s: %q (line %d) and %q (line %d)", p, c.Path, c.First.Key, c.First.Value.Line, c.Second.Key, c.Second.Value.Line)
			}
			// Neither a duplicate key nor a value of the wrong type.
			for _, e := range DecodeJSON(data, p, Options{}).Errors {
				if strings.Contains(e.Message, "keep one of them") || strings.Contains(e.Message, "fix the input to hold") {
					t.Errorf("%s", e.Error())
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 {
		t.Fatalf("read only %d JSON files of the shared fixtures and corpus", files)
	}
	t.Logf("%d real JSON files, no conflicting keys", files)
}
