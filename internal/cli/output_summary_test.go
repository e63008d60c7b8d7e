package cli

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOutputFileSummaryLine: with --output-file, standard error still gets
// the one-line totals (the same numbers as the report) and where the report
// went, in every format; without it, standard error has no such line.
func TestOutputFileSummaryLine(t *testing.T) {
	example := "../../examples/insecure/aks-shop-prod.json"
	_, out, _ := runCLI(t, "", "scan", "-o", "json", "--no-config", today, example)
	r := decode(t, out)
	s := r.Summary
	want := "aksguard: " + strconv.Itoa(s.Fail) + " failed (critical " + strconv.Itoa(s.BySeverity["critical"]) +
		", high " + strconv.Itoa(s.BySeverity["high"]) + ", medium " + strconv.Itoa(s.BySeverity["medium"]) +
		", low " + strconv.Itoa(s.BySeverity["low"]) + "), " + strconv.Itoa(s.Pass) + " passed, " +
		strconv.Itoa(s.NotApplicable) + " not applicable, " + strconv.Itoa(s.NotAssessed) + " not assessed, " +
		strconv.Itoa(s.Waived) + " waived across 1 cluster; report written to "
	for _, format := range []string{"table", "json", "sarif", "junit"} {
		path := filepath.Join(t.TempDir(), "report."+format)
		code, stdout, stderr := runCLI(t, "", "scan", "-o", format, "--output-file", path, "--no-config", today, example)
		if code != ExitFindings || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q", format, code, stdout)
		}
		if stderr != want+path+"\n" {
			t.Errorf("%s: stderr\n got %q\nwant %q", format, stderr, want+path+"\n")
		}
	}
	for _, format := range []string{"table", "json"} {
		_, stdout, stderr := runCLI(t, "", "scan", "-o", format, "--no-config", today, example)
		if strings.Contains(stderr, "report written") || stdout == "" {
			t.Errorf("%s to stdout: stderr %q", format, stderr)
		}
		if format == "json" && !json.Valid([]byte(stdout)) {
			t.Error("stdout is not only the JSON report")
		}
	}
}
