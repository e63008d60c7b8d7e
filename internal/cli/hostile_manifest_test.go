package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Hostile manifests end to end (issue 9): a privileged Pod hidden in a
// nested List or behind trailing JSON is judged (AKS-WKL-001 fails), a key
// given twice or an alias bomb is an input error at file:line (exit 2), and
// the canary file beside it is judged in every case.
func TestHostileManifests(t *testing.T) {
	pod := func(name string) string {
		return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}`
	}
	bomb := func() string {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  big: &big \"" + strings.Repeat("x", 16<<10) + "\"\n")
		for i := 0; b.Len() < 2<<20; i++ {
			fmt.Fprintf(&b, "  k%d: [%s]\n", i, strings.TrimSuffix(strings.Repeat("*big, ", 2500), ", "))
		}
		return b.String()
	}
	tests := []struct {
		name, file, data string
		code             int
		failing          []string // Pods AKS-WKL-001 fails
		errs             []string // file:line: message parts
	}{
		{"nested json list", "n.json", `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"PodList","items":[` + pod("hidden") + `]}]}`,
			ExitFindings, []string{"hidden"}, nil},
		{"nested yaml list", "n.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - " + pod("hidden") + "\n",
			ExitFindings, []string{"hidden"}, nil},
		{"json objects one after another", "s.json", pod("first") + "\n" + pod("second") + "\n",
			ExitFindings, []string{"first", "second"}, nil},
		{"json then trailing byte", "t.yaml", pod("first") + "\n\x00",
			ExitError, []string{"first"}, []string{"t.yaml:2: text after the JSON object of line 1"}},
		{"duplicate key", "d.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dup\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext:\n      privileged: true\n      privileged: false\n",
			ExitError, nil, []string{`d.yaml:12: key "privileged" is given twice (lines 11 and 12) with different values`}},
		{"alias bomb", "b.yaml", bomb(),
			ExitError, nil, []string{"b.yaml:7: its aliases expand to more than 32 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.data), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "canary.yaml"), []byte(pod("canary")), 0o644))
			code, out, _ := runCLI(t, "", "scan", "-o", "json", today, dir)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			r := decode(t, out)
			for _, name := range append(tt.failing, "canary") {
				if got := statuses(r, name)["AKS-WKL-001"]; got != "fail" {
					t.Errorf("AKS-WKL-001 of Pod %s: %q, want fail", name, got)
				}
			}
			var errs []string
			for _, e := range r.Errors {
				errs = append(errs, fmt.Sprintf("%s:%d: %s", filepath.Base(e.Input), e.Line, e.Message))
			}
			joined := strings.Join(errs, "\n")
			if len(errs) != len(tt.errs) {
				t.Errorf("errors:\n%s\nwant %d", joined, len(tt.errs))
			}
			for _, want := range tt.errs {
				if !strings.Contains(joined, want) {
					t.Errorf("errors:\n%s\nwant one with %q", joined, want)
				}
			}
		})
	}
}
