package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/testkube"
)

// The live test of this package reads a real kube-apiserver, started once
// for the test binary.
func TestMain(m *testing.M) {
	os.Exit(testkube.Main(m))
}

var testToday = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// TestRunLiveKube: a Request with live Kubernetes options and no path reads
// the API server and judges its objects, without cobra.
func TestRunLiveKube(t *testing.T) {
	kc := testkube.Kubeconfig(t)
	c := testkube.NewCluster(t, testkube.Config(t))
	defer c.Cleanup()
	c.Create(testkube.Objects(t, "../../examples/insecure/k8s/shop.yaml"))

	rep, err := Run(context.Background(), Request{Settings: check.DefaultSettings(), Now: testToday,
		Kube: &KubeOptions{Kubeconfig: kc, Timeout: time.Minute, MaxObjects: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	if k := rep.Summary.Kubernetes; k == nil || k.Server == "" || len(k.Unread) != 0 {
		t.Fatalf("kubernetes summary %+v", k)
	}
	fails := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status == check.Fail && r.Resource.Namespace == "shop" {
			fails[r.Control] = true
		}
	}
	// shop.yaml runs privileged, as root, without limits (AKS-WKL-*).
	n := 0
	for id := range fails {
		if strings.HasPrefix(id, "AKS-WKL-") {
			n++
		}
	}
	if n == 0 {
		t.Errorf("no workload control fails on the live shop namespace: %v", fails)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "only the Kubernetes API was scanned") {
		t.Errorf("no warning that the Azure half is missing: %q", rep.Warnings)
	}
}

// TestRunKubeUnusable: an API server that cannot be used at all is an error,
// not a report.
func TestRunKubeUnusable(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-kubeconfig")
	rep, err := Run(context.Background(), Request{Settings: check.DefaultSettings(), Now: testToday,
		Kube: &KubeOptions{Kubeconfig: missing, Timeout: time.Second, MaxObjects: 10}})
	var ke *KubeError
	if rep != nil || !errors.As(err, &ke) {
		t.Fatalf("report %v, error %v: want a KubeError", rep, err)
	}
}

// TestInternalErrorExit: an internal error among the input errors (a
// recovered panic) makes the scan exit 3, not 2.
func TestInternalErrorExit(t *testing.T) {
	for _, tc := range []struct {
		errs []inventory.InputError
		want bool
	}{
		{nil, false},
		{[]inventory.InputError{{Input: "a", Message: "bad"}}, false},
		{[]inventory.InputError{{Input: "a", Message: "bad"}, {Input: "b", Message: "panic", Internal: true}}, true},
	} {
		if got := InternalError(tc.errs); got != tc.want {
			t.Errorf("InternalError(%v) = %v", tc.errs, got)
		}
	}
}

// An audit log alone is something to scan: the events are read (the
// audit controls judge them), and no "found no AKS cluster" error says
// otherwise.
func TestRunAuditLogAlone(t *testing.T) {
	rep, err := Run(context.Background(), Request{Paths: []string{"../source/auditlog/testdata/events.jsonl"},
		Settings: check.DefaultSettings(), Now: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %+v", rep.Errors)
	}
}
