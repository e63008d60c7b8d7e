package cli

import (
	"strings"
	"testing"
)

// TestPluginName: run as kubectl-aksguard (how krew installs it and kubectl
// runs it), the usage lines and examples say `kubectl aksguard`; under any
// other name they say `aksguard`. cmd/aksguard's TestRunAsKubectlPlugin runs
// the real executable under that name.
func TestPluginName(t *testing.T) {
	for _, tc := range []struct {
		argv0, want, notWant string
	}{
		{argv0: "/home/u/.krew/bin/kubectl-aksguard", want: "kubectl aksguard scan [PATH...]"},
		{argv0: `kubectl-aksguard.exe`, want: "kubectl aksguard scan [PATH...]"},
		{argv0: "/usr/local/bin/aksguard", want: "\n  aksguard scan [PATH...]", notWant: "kubectl"},
		{argv0: "./aksguard-linux-amd64", want: "\n  aksguard scan [PATH...]", notWant: "kubectl"},
		{argv0: "", want: "\n  aksguard scan [PATH...]", notWant: "kubectl"},
	} {
		t.Run(tc.argv0, func(t *testing.T) {
			saved := programName
			programName = func() string { return tc.argv0 }
			t.Cleanup(func() { programName = saved })
			code, out, _ := runCLI(t, "", "scan", "--help")
			if code != 0 || !strings.Contains(out, tc.want) {
				t.Fatalf("scan --help as %q: %d, want %q in\n%s", tc.argv0, code, tc.want, out)
			}
			if tc.notWant != "" && strings.Contains(out, tc.notWant) {
				t.Errorf("scan --help as %q says %q:\n%s", tc.argv0, tc.notWant, out)
			}
			if strings.HasPrefix(tc.want, "kubectl") {
				for _, ex := range []string{"  kubectl aksguard scan examples/insecure\n", "| kubectl aksguard scan -\n"} {
					if !strings.Contains(out, ex) {
						t.Errorf("example %q not rewritten:\n%s", ex, out)
					}
				}
				if strings.Contains(strings.ReplaceAll(out, "kubectl aksguard", ""), "aksguard scan") {
					t.Errorf("an example still says aksguard scan:\n%s", out)
				}
			}
		})
	}
}
