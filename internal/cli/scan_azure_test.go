package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/source/azure"
	"github.com/aksguard/aksguard/internal/source/azure/armtest"
)

// useARM points the CLI at a local ARM for one test.
func useARM(t *testing.T) *armtest.Server {
	t.Helper()
	srv := armtest.New(t)
	old := newAzureClient
	newAzureClient = func() (*azure.Client, error) { return srv.NewClient(t, nil), nil }
	t.Cleanup(func() { newAzureClient = old })
	return srv
}

type liveReport struct {
	Summary  struct{ Clusters int }
	Clusters []struct {
		ID, Name, Error string
		Fail            map[string]int
		NotAssessed     int
	}
	Results []struct {
		Control, Status, Message string
		Resource                 struct{ ID, Name string }
		Source                   struct{ File string }
	}
	Errors []struct{ Input, Message string }
}

func TestScanAzureCluster(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/providers/Microsoft.Insights/diagnosticSettings", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--include-passed", "--azure-cluster", armtest.ClusterID)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var r liveReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Clusters != 1 || len(r.Clusters) != 0 || len(r.Errors) != 0 {
		t.Errorf("clusters %d, fleet summary %v, errors %v", r.Summary.Clusters, r.Clusters, r.Errors)
	}
	got := map[string]string{}
	for _, res := range r.Results {
		if res.Resource.Name == "clustername1" {
			got[res.Control] = res.Status + ": " + res.Message
		}
	}
	if s := got["AKS-MON-003"]; !strings.HasPrefix(s, "not-assessed") || !strings.Contains(s, "Microsoft.Insights/diagnosticSettings/read") {
		t.Errorf("AKS-MON-003: %s", s)
	}
	if s := got["AKS-UPG-010"]; !strings.HasPrefix(s, "pass") {
		t.Errorf("AKS-UPG-010: %s", s)
	}
	if strings.Contains(out+stderr, "fake_token") {
		t.Error("the token was printed")
	}
}

func TestScanAzureByNameWithFiles(t *testing.T) {
	useARM(t)
	// A Kubernetes manifest given with the live cluster joins the same scan.
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--subscription", armtest.Subscription,
		"-g", armtest.ResourceGroup, "-n", "clustername1", "../checks/testdata/dashboard")
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"clusters": 1`) {
		t.Errorf("summary: %s", out[:min(len(out), 400)])
	}
}

func TestScanAzureClusterForbidden(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "--azure-cluster", armtest.ClusterID)
	if code != ExitError || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(stderr, "Microsoft.ContainerService/managedClusters/read") || !strings.Contains(stderr, "clustername1") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestScanAllClusters(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/managedClusters/aks-b", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--all-clusters", "--parallel", "2", "--subscription", armtest.Subscription)
	if code != ExitError {
		t.Fatalf("exit %d (want 2: one cluster could not be read), stderr %s", code, stderr)
	}
	var r liveReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(r.Clusters) != 5 || r.Summary.Clusters != 4 {
		t.Fatalf("fleet summary %+v, clusters scanned %d", r.Clusters, r.Summary.Clusters)
	}
	for _, c := range r.Clusters {
		switch {
		case c.Name == "aks-b":
			if !strings.Contains(c.Error, "Microsoft.ContainerService/managedClusters/read") {
				t.Errorf("aks-b error %q", c.Error)
			}
		case c.Error != "" || c.Fail["critical"]+c.Fail["high"]+c.Fail["medium"]+c.Fail["low"] == 0:
			t.Errorf("%s: %+v", c.Name, c)
		}
	}
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Input, "aks-b") {
		t.Errorf("errors %v", r.Errors)
	}
	if srv.MaxInflight() > 2 {
		t.Errorf("in flight %d > --parallel 2", srv.MaxInflight())
	}
	if strings.Contains(stderr, "reading clusters") || strings.Contains(stderr, "\r") {
		t.Error("progress drawn on a stderr that is not a terminal")
	}

	code, out, _ = runCLI(t, "", "scan", today, "--no-config", "--all-clusters")
	if code != ExitError || !strings.Contains(out, "Clusters:") || !strings.Contains(out, "aks-b") || !strings.Contains(out, "NOT ASSESSED") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

func TestScanAzureFlagErrors(t *testing.T) {
	useARM(t)
	for _, args := range [][]string{
		{"scan", "--name", "x"},
		{"scan", "--subscription", "s"},
		{"scan", "--all-clusters", "--azure-cluster", armtest.ClusterID},
		{"scan", "--azure-cluster", "/subscriptions/s/resourceGroups/rg"},
		{"scan", "--all-clusters", "--parallel", "0"},
		{"scan", "--registry-host", "x.azurecr.io", "."},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code != ExitError || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "", "scan"); code != ExitError || !strings.Contains(stderr, "give a PATH to scan") {
		t.Errorf("scan without PATH or live flag: %d %q", code, stderr)
	}
}

// TestScanAllClustersDiscoveryTimeout: a Resource Graph that never answers
// ends the scan with exit 2 and a reason, instead of hanging it.
func TestScanAllClustersDiscoveryTimeout(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/providers/Microsoft.ResourceGraph/resources", Delay: 15 * time.Second})
	old := discoveryTimeout
	discoveryTimeout = 2 * time.Second
	t.Cleanup(func() { discoveryTimeout = old })
	code, _, stderr := runCLI(t, "", "scan", today, "--no-config", "--all-clusters")
	if code != ExitError || !strings.Contains(stderr, "no answer from Azure Resource Graph within 2s") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}
