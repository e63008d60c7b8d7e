package checks_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

// TestTerraformInstanceResults: each instance of a counted cluster is a
// cluster of its own, judged on its own values, and a node pool whose
// cluster is not in the scan is judged under a stand-in of that cluster
// (pool results named cluster/pool; the cluster itself not assessed).
func TestTerraformInstanceResults(t *testing.T) {
	const standIn = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop"
	inv := source.Load([]string{filepath.Join("testdata/terraform/instances")}, source.Options{})
	if len(inv.Errors)+len(inv.Warnings) > 0 {
		t.Fatalf("errors %v warnings %v", inv.Errors, inv.Warnings)
	}
	rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
	got := map[string]string{} // control resource-ID → status
	for _, r := range rs {
		if r.Control == "AKS-ACC-005" || r.Control == "AKS-NET-003" {
			k := r.Control + " " + r.Resource.ID
			got[k] = string(r.Status)
		}
	}
	want := map[string]string{
		"AKS-ACC-005 tf:azurerm_kubernetes_cluster.c[0]": "pass",
		"AKS-ACC-005 tf:azurerm_kubernetes_cluster.c[1]": "fail",
		"AKS-ACC-005 " + standIn:                         "not-assessed",
		"AKS-NET-003 tf:azurerm_kubernetes_cluster.c[0]": "pass",
		"AKS-NET-003 tf:azurerm_kubernetes_cluster.c[1]": "pass",
		"AKS-NET-003 " + standIn + "/agentPools/edge":    "fail",
	}
	var diff []string
	for k, v := range want {
		if got[k] != v {
			diff = append(diff, k+": "+got[k]+", want "+v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diff = append(diff, k+": unexpected "+got[k])
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("results:\n%s", strings.Join(diff, "\n"))
	}
	for _, r := range rs {
		if r.Control == "AKS-ACC-005" && r.Resource.ID == standIn {
			if m := messages([]check.Result{r}, r.Control); !strings.Contains(m, "is not in this scan") {
				t.Errorf("stand-in result %q, want it to say the cluster is not in this scan", m)
			}
		}
	}
}
