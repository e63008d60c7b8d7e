package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/source/azure/armtest"
	"github.com/aksguard/aksguard/internal/testkube"
)

// TestScanBothPlanes: --azure-cluster with --kube reads the managed cluster
// from ARM and the objects from the API server into one inventory: the
// mixed controls judge both halves on the managed cluster, and one report
// carries both.
func TestScanBothPlanes(t *testing.T) {
	useARM(t)
	kc := testkube.Kubeconfig(t)
	c := testkube.NewCluster(t, testkube.Config(t))
	defer c.Cleanup()
	c.Create(testkube.Objects(t, "../checks/testdata/mixed/dashboard.yaml", "../../examples/insecure/k8s/shop.yaml"))

	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--include-passed",
		"--azure-cluster", armtest.ClusterID, "--kubeconfig", kc)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Summary struct {
			Clusters   int
			Kubernetes *struct{ Server string }
		}
		Results []struct {
			Control, Status, Message string
			Resource                 struct{ Kind, Name, Namespace string }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Clusters != 1 || r.Summary.Kubernetes == nil {
		t.Fatalf("summary: clusters %d, kubernetes %v", r.Summary.Clusters, r.Summary.Kubernetes)
	}
	byKey := map[string]string{}
	for _, res := range r.Results {
		byKey[res.Control+" "+res.Resource.Kind+"/"+res.Resource.Name] = res.Status + ": " + res.Message
	}
	// The dashboard Deployment read live fails the mixed dashboard control
	// on the managed cluster read from ARM (not on a kube-only "Cluster").
	if s := byKey["AKS-DSH-001 ManagedCluster/clustername1"]; len(s) < 4 || s[:4] != "fail" {
		t.Errorf("AKS-DSH-001 on the managed cluster: %q", s)
	}
	if _, ok := byKey["AKS-DSH-001 Cluster/kubernetes"]; ok {
		t.Error("the Kubernetes half was not joined to the managed cluster")
	}
	// Kubernetes-only controls judge the live objects in the same report.
	wkl := 0
	for _, res := range r.Results {
		if res.Control == "AKS-WKL-001" && res.Resource.Kind == "Deployment" && res.Resource.Namespace == "shop" {
			wkl++
		}
	}
	if wkl == 0 {
		t.Errorf("no AKS-WKL-001 result on the live Deployments")
	}
	if s := byKey["AKS-IDN-007 ManagedCluster/clustername1"]; len(s) < 4 || s[:4] != "fail" {
		t.Errorf("AKS-IDN-007 on the managed cluster: %q", s)
	}
}

// TestLiveSupersedesFile: the same cluster given as a file and read live is
// scanned once, from the live read, and the summary says so.
func TestLiveSupersedesFile(t *testing.T) {
	useARM(t)
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json",
		"--azure-cluster", armtest.ClusterID, "../source/azure/armtest/testdata/managedcluster.json")
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Summary struct {
			Clusters int
			Skipped  map[string]int
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Clusters != 1 || r.Summary.Skipped["cluster file superseded by the live read of the same cluster"] != 1 {
		t.Errorf("summary: %+v", r.Summary)
	}
}

// TestUnreadVersionsNamed: when the identity may not read the versions
// Azure offers, the version controls judge with the dataset and say why.
func TestUnreadVersionsNamed(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/kubernetesVersions", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	_, out, _ := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--include-passed", "--control", "AKS-UPG-001", "--azure-cluster", armtest.ClusterID)
	if !strings.Contains(out, "kubernetesVersions") || !strings.Contains(out, "judged with the version dataset") {
		t.Errorf("AKS-UPG-001 does not say the offered versions were not read:\n%s", out)
	}
}
