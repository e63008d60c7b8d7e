// Package examples tests the HTML and Markdown reports of the repository's
// examples end to end: scanned as a user scans them, the Markdown compared
// with goldens, the HTML loaded in a real headless Chromium (browser_test.go).
package examples

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/scan"
	"github.com/aksguard/aksguard/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files and docs/images/report-*.png")

// The tests run from the module root, so paths in the reports read as a
// user scanning the repository sees them (examples/insecure/...).
func TestMain(m *testing.M) {
	if err := os.Chdir("../../.."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// today pins the date the examples are judged as of (as the CLI tests'
// --today does).
var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// scanExample scans an examples/ folder as `aksguard scan --today` does,
// with a fixed tool version.
func scanExample(t testing.TB, dir string, includePassed bool) *report.Report {
	t.Helper()
	rep, err := scan.Run(context.Background(), scan.Request{
		Paths:         []string{filepath.Join("examples", dir)},
		Decode:        source.Options{Namespace: "default"},
		Settings:      check.DefaultSettings(),
		IncludePassed: includePassed,
		Now:           today,
		Version:       "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("examples/%s: input errors %v", dir, rep.Errors)
	}
	return rep
}

// golden compares got with internal/report/examples/testdata/name,
// rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("internal", "report", "examples", "testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/report/examples/ -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/report/examples/ -update rewrites it; read the diff)\n--- got ---\n%s", name, got)
	}
}

func TestMarkdownExamples(t *testing.T) {
	for _, dir := range []string{"insecure", "hardened"} {
		t.Run(dir, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.WriteMarkdown(&b, scanExample(t, dir, false)); err != nil {
				t.Fatal(err)
			}
			golden(t, dir+".md", b.Bytes())
		})
	}
}
