package scan_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/cli"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/scan"
)

// TestRunInsecureExample scans the shipped insecure example through
// scan.Run, without cobra, and gets the report the CLI writes for
// `aksguard scan -o json --no-config --today 2026-11-24 examples/insecure`,
// byte for byte.
func TestRunInsecureExample(t *testing.T) {
	const dir = "../../examples/insecure"
	rep, err := scan.Run(context.Background(), scan.Request{Paths: []string{dir}, Settings: check.DefaultSettings(),
		Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 || scan.InternalError(rep.Errors) {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	if rep.Summary.Clusters != 1 {
		t.Errorf("clusters = %d, want 1 (the same cluster as az JSON and as Terraform)", rep.Summary.Clusters)
	}
	fails := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status == check.Fail {
			fails[r.Control] = true
		}
	}
	for _, id := range []string{"AKS-ACC-001", "AKS-ACC-005", "AKS-NET-001", "AKS-UPG-001", "AKS-MON-001", "AKS-GOV-001",
		"AKS-IMG-003", "AKS-SEC-002", "AKS-IDN-002", "AKS-NOD-001"} {
		if !fails[id] {
			t.Errorf("%s does not fail", id)
		}
	}

	var got bytes.Buffer
	if err := report.WriteJSON(&got, rep); err != nil {
		t.Fatal(err)
	}
	var want, stderr bytes.Buffer
	cli.Version = "test"
	defer func() { cli.Version = "" }()
	if code := cli.Main([]string{"scan", "-o", "json", "--no-config", "--today=2026-11-24", dir}, strings.NewReader(""), &want, &stderr); code != cli.ExitFindings {
		t.Fatalf("CLI exit %d: %s", code, stderr.String())
	}
	if got.String() != want.String() {
		t.Errorf("scan.Run's report differs from the CLI's\n--- Run ---\n%.2000s\n--- CLI ---\n%.2000s", got.String(), want.String())
	}
}
