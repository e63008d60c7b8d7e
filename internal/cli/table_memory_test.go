package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testproc"
)

// TestTableStreamsLikeJSON: the table report is written as it is laid out,
// never built whole, so on many objects its peak memory stays within that
// of the streamed JSON report (issue 13). Both run in a child process
// (testproc) and write to /dev/null; the bound is a share of the JSON's
// peak, not a time.
func TestTableStreamsLikeJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 10,000 objects twice")
	}
	const n = 10000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: ns-%d\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n        securityContext:\n          privileged: true\n", i, i%100)
	}
	in := filepath.Join(t.TempDir(), "many.yaml")
	must(t, os.WriteFile(in, []byte(b.String()), 0o644))
	peak := map[string]int64{}
	for _, format := range []string{"json", "table"} {
		r := testproc.Run(t, testproc.Cmd{Args: []string{"scan", "-o", format, "--output-file", os.DevNull, "--no-config", today, in}})
		if r.Code != ExitFindings {
			t.Fatalf("-o %s: exit %d\n%s", format, r.Code, r.Stderr)
		}
		if r.PeakRSS == 0 {
			t.Skip("the system does not report peak memory")
		}
		peak[format] = r.PeakRSS
		t.Logf("-o %s: peak RSS %d MiB", format, r.PeakRSS>>20)
	}
	if peak["table"] > peak["json"]+peak["json"]/10 {
		t.Errorf("-o table peaked at %d MiB, -o json at %d MiB: the table is held in memory", peak["table"]>>20, peak["json"]>>20)
	}
}
