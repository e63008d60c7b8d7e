package check

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestAuditScopeResource: the cluster audit events belong to.
func TestAuditScopeResource(t *testing.T) {
	const armID = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod"
	az := &inventory.Cluster{ID: armID, Name: "aks-prod"}
	view := &inventory.Cluster{ID: "tf:azurerm_kubernetes_cluster.main", Name: "aks-prod", Primary: az}
	tf := &inventory.Cluster{ID: "tf:azurerm_kubernetes_cluster.main", Name: "aks-prod", TFAddress: "azurerm_kubernetes_cluster.main"}
	other := &inventory.Cluster{ID: armID + "2", Name: "aks-prod2"}
	for _, tc := range []struct {
		name      string
		inv       *inventory.Inventory
		clusterID string
		want      Resource
	}{
		{"the cluster of the ID", &inventory.Inventory{Clusters: []*inventory.Cluster{az, other}}, armID, ClusterResource(az)},
		{"case-insensitive", &inventory.Inventory{Clusters: []*inventory.Cluster{az, other}}, "/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/providers/Microsoft.ContainerService/managedClusters/AKS-PROD", ClusterResource(az)},
		{"a view of it: its primary", &inventory.Inventory{Clusters: []*inventory.Cluster{view, az}}, "tf:azurerm_kubernetes_cluster.main", ClusterResource(az)},
		{"Terraform without an ARM ID, by name", &inventory.Inventory{Clusters: []*inventory.Cluster{tf, other}}, armID, ClusterResource(tf)},
		{"an ID of no cluster of the scan", &inventory.Inventory{Clusters: []*inventory.Cluster{other}}, armID, Resource{Kind: "ManagedCluster", ID: armID, Name: "aks-prod"}},
		{"no ID, one cluster", &inventory.Inventory{Clusters: []*inventory.Cluster{az}}, "", ClusterResource(az)},
		{"no ID, two clusters", &inventory.Inventory{Clusters: []*inventory.Cluster{az, other}}, "", Resource{Kind: "Cluster", Name: AuditLogScopeName}},
		{"no ID, no cluster, manifests", &inventory.Inventory{Kubernetes: true}, "", Resource{Kind: "Cluster", Name: "kubernetes"}},
		{"no ID, nothing else", &inventory.Inventory{}, "", Resource{Kind: "Cluster", Name: AuditLogScopeName}},
	} {
		if got := AuditScopeResource(tc.inv, tc.clusterID); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
