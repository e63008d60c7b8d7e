package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

// complete asks the CLI for completions the way the shell scripts do
// (cobra's hidden __complete command) and returns the candidates (without
// descriptions) and the directive line.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: %d %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var got []string
	for _, l := range lines[:len(lines)-1] {
		id, _, _ := strings.Cut(l, "\t")
		got = append(got, id)
	}
	return got, lines[len(lines)-1]
}

// TestCompletion: the flags with a few values and the control IDs complete
// to exactly those; paths stay file completion.
func TestCompletion(t *testing.T) {
	var allIDs, accIDs []string
	for _, c := range check.All() {
		allIDs = append(allIDs, c.ID)
		if strings.HasPrefix(c.ID, "AKS-ACC-") {
			accIDs = append(accIDs, c.ID)
		}
	}
	withPrefix := func(p string, ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = p + id
		}
		return out
	}
	for _, tc := range []struct {
		args      []string
		want      []string
		directive string
	}{
		{args: []string{"scan", "-o", ""}, want: []string{"table", "json", "sarif", "junit", "html", "markdown"}, directive: ":4"},
		{args: []string{"scan", "--output", "j"}, want: []string{"table", "json", "sarif", "junit", "html", "markdown"}, directive: ":4"}, // the shell filters
		{args: []string{"diff", "-o", ""}, want: []string{"table", "json", "sarif", "junit", "html", "markdown"}, directive: ":4"},
		{args: []string{"diff", "--fail-on", ""}, want: []string{"critical", "high", "medium", "low", "none"}, directive: ":4"},
		{args: []string{"scan", "--fail-on", ""}, want: []string{"critical", "high", "medium", "low", "none"}, directive: ":4"},
		{args: []string{"scan", "--control", "aks-acc-"}, want: accIDs, directive: ":6"},
		{args: []string{"scan", "--control", "AKS-NET-001,AKS-ACC-"}, want: withPrefix("AKS-NET-001,", accIDs), directive: ":6"},
		{args: []string{"explain", ""}, want: allIDs, directive: ":4"},
		{args: []string{"explain", "AKS-ACC-005", ""}, want: nil, directive: ":4"},
		{args: []string{"checks", "-o", ""}, want: []string{"table", "json"}, directive: ":4"},
		{args: []string{"version", "-o", ""}, want: []string{"text", "json"}, directive: ":4"},
		{args: []string{"scan", ""}, want: nil, directive: ":0"}, // files
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got, directive := complete(t, tc.args...)
			if !slices.Equal(got, tc.want) || directive != tc.directive {
				t.Errorf("got %v %s, want %v %s", got, directive, tc.want, tc.directive)
			}
		})
	}
	if len(accIDs) == 0 {
		t.Fatal("no AKS-ACC controls registered")
	}
}

// TestCompletionValues: every value completion offers is accepted, and
// every value the commands accept is offered.
func TestCompletionValues(t *testing.T) {
	for _, f := range scanOutputFormats {
		if _, err := writerFor(f); err != nil {
			t.Errorf("completion offers -o %s, which scan refuses: %v", f, err)
		}
	}
	// ("md", an alias of markdown, is accepted and not offered.)
	for _, f := range []string{"markdown", "html", "csv", "yaml", "text", "xml", "cyclonedx", "sarif2"} {
		if _, err := writerFor(f); err == nil && !slices.Contains(scanOutputFormats, f) {
			t.Errorf("scan accepts -o %s but completion does not offer it: add it to scanOutputFormats", f)
		}
	}
	for _, f := range scanOutputFormats {
		if _, err := diffWriterFor(f); err != nil {
			t.Errorf("completion offers diff -o %s, which diff refuses: %v", f, err)
		}
	}
	for _, s := range severityNames() {
		if _, err := check.ParseSeverity(s); err != nil {
			t.Errorf("completion offers --fail-on %s: %v", s, err)
		}
	}
	if len(severityNames()) != 5 {
		t.Errorf("severities %v", severityNames())
	}
}
