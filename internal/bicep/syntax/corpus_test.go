package syntax

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real infrastructure code (MIT and
// MPL-2.0 sources, see its README.md).
const corpusDir = "/work/shared/corpus/iac"

func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus not present: %v", err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".bicep") || strings.HasSuffix(path, ".bicepparam")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestCorpusParses(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < 160 {
		t.Fatalf("found %d Bicep files in the corpus, want at least 160", len(files))
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(src, path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(f.Statements) == 0 {
			t.Errorf("%s: no statements", path)
		}
	}
}
