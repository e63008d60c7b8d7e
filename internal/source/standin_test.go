package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestTerraformPoolOfClusterNotInScan: a Terraform node pool whose cluster
// is in no input is judged under a stand-in of that cluster (one per
// cluster, named by its ID), not reported as a warning; with the cluster in
// the scan it joins the cluster, and no stand-in is made.
func TestTerraformPoolOfClusterNotInScan(t *testing.T) {
	const id = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourcegroups/rg-shop-prod/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod"
	pools := `
resource "azurerm_kubernetes_cluster_node_pool" "edge" {
  name                   = "edge"
  kubernetes_cluster_id  = "` + id + `"
  node_public_ip_enabled = true
}
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name                  = "gpu"
  kubernetes_cluster_id = "` + strings.ToUpper(id[:14]) + id[14:] + `"
}`
	cluster, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name         string
		withCluster  bool
		wantStandIn  bool
		wantClusters int
	}{
		{"alone", false, true, 1},
		{"with its cluster's az JSON", true, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tf := filepath.Join(dir, "pools")
			if err := os.MkdirAll(tf, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(tf, "main.tf"), []byte(pools), 0o644); err != nil {
				t.Fatal(err)
			}
			paths := []string{tf}
			if tc.withCluster {
				p := filepath.Join(dir, "aks.json")
				if err := os.WriteFile(p, cluster, 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			inv := Load(paths, Options{})
			if len(inv.Errors)+len(inv.Warnings) != 0 {
				t.Fatalf("errors %v warnings %v", inv.Errors, inv.Warnings)
			}
			if len(inv.Clusters) != tc.wantClusters {
				t.Fatalf("%d clusters, want %d", len(inv.Clusters), tc.wantClusters)
			}
			c := inv.Clusters[0]
			if (c.StandIn != "") != tc.wantStandIn {
				t.Fatalf("stand-in %q, want %v", c.StandIn, tc.wantStandIn)
			}
			var names []string
			for _, p := range c.AgentPools {
				names = append(names, p.Name)
			}
			if !strings.Contains(strings.Join(names, ","), "edge,gpu") {
				t.Errorf("pools %v, want edge and gpu joined", names)
			}
			if !tc.wantStandIn {
				return
			}
			if c.ID != id || c.Name != "aks-shop-prod" || c.Subscription != "3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24" || c.Format != inventory.FormatTFHCL {
				t.Errorf("stand-in %q %q %q %q", c.ID, c.Name, c.Subscription, c.Format)
			}
			if !c.DisableLocalAccounts.IsUnknown() || !strings.Contains(c.DisableLocalAccounts.Why, "is not in this scan") {
				t.Errorf("cluster field %+v, want unknown: not in this scan", c.DisableLocalAccounts)
			}
		})
	}
}
