package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLAndMarkdownOutput: -o html and -o markdown write to standard
// output and to --output-file alike, and keep the exit code of the findings.
func TestHTMLAndMarkdownOutput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ format, want string }{
		{"html", "<!DOCTYPE html>"},
		{"markdown", "## aksguard: "},
		{"md", "| Severity | Control | Resource | Message | Location |"},
	} {
		code, out, _ := runCLI(t, "", "scan", "-o", tc.format, today, "../../examples/insecure/aks-shop-prod.json")
		if code != ExitFindings || !strings.Contains(out, tc.want) || !strings.Contains(out, "AKS-ACC-005") {
			t.Errorf("-o %s: exit %d, stdout lacks %q or AKS-ACC-005", tc.format, code, tc.want)
		}
		path := filepath.Join(dir, "report."+tc.format)
		code, fileOut, _ := runCLI(t, "", "scan", "-o", tc.format, "--output-file", path, today, "../../examples/insecure/aks-shop-prod.json")
		data, err := os.ReadFile(path)
		must(t, err)
		if code != ExitFindings || fileOut != "" || string(data) != out {
			t.Errorf("-o %s --output-file: exit %d, stdout %q, file differs from standard output: %v", tc.format, code, fileOut, string(data) != out)
		}
	}
	code, _, stderr := runCLI(t, "", "scan", "-o", "pdf", "../../examples/insecure/aks-shop-prod.json")
	if code == 0 || !strings.Contains(stderr, "html or markdown") {
		t.Errorf("-o pdf: exit %d, %q", code, stderr)
	}
}

// reportFormats are every -o format: the tests that plant secrets search
// each of them.
var reportFormats = []string{"table", "json", "sarif", "junit", "html", "markdown"}
