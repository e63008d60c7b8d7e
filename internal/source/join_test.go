package source

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestSameClusterFromSeveralInputs: one cluster given by several inputs is
// linked to its first view (Primary) when the match is certain, and
// companion data joined to any view is shared.
func TestSameClusterFromSeveralInputs(t *testing.T) {
	const id = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod"
	az := func(file, sub, rg, name string) *inventory.Cluster {
		c := &inventory.Cluster{Name: name, ResourceGroup: rg, Subscription: sub, Format: inventory.FormatAzCLI, Source: inventory.Source{File: file}}
		if sub != "" {
			c.ID = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.ContainerService/managedClusters/" + name
		}
		return c
	}
	tf := func(file, rg, name string) *inventory.Cluster {
		return &inventory.Cluster{ID: "tf:azurerm_kubernetes_cluster.x", Name: name, ResourceGroup: rg, Format: inventory.FormatTFHCL, Source: inventory.Source{File: file}}
	}
	for _, tc := range []struct {
		name     string
		clusters []*inventory.Cluster
		primary  []int // index of each cluster's primary, -1 for a primary
	}{
		{"same resource ID", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), {ID: id, Name: "prod", Source: inventory.Source{File: "b.json"}}}, []int{-1, 0}},
		{"Terraform: resource group and name", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), tf("main.tf", "rg", "prod")}, []int{-1, 0}},
		{"Terraform: unresolved resource group, name", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), tf("main.tf", "", "prod")}, []int{-1, 0}},
		{"Terraform: other resource group", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), tf("main.tf", "rg-2", "prod")}, []int{-1, -1}},
		{"different subscriptions", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), az("b.json", "s2", "rg", "prod")}, []int{-1, -1}},
		{"Terraform ambiguous between two subscriptions", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), az("b.json", "s2", "rg", "prod"), tf("main.tf", "rg", "prod")}, []int{-1, -1, -1}},
		{"other name", []*inventory.Cluster{az("a.json", "s1", "rg", "prod"), tf("main.tf", "rg", "dev")}, []int{-1, -1}},
		{"two Terraform views without an ARM ID are not one", []*inventory.Cluster{tf("dev/main.tf", "", "aks"), tf("prod/main.tf", "", "aks")}, []int{-1, -1}},
		{"templates naming the cluster by a parameter", []*inventory.Cluster{{ID: "template:a.json#x", Name: "[parameters('name')]", Source: inventory.Source{File: "a.json"}}, az("b.json", "s1", "rg", "[parameters('name')]")}, []int{-1, -1}},
		{"same file: two clusters of one list are not one", []*inventory.Cluster{az("l.json", "", "rg", "prod"), az("l.json", "", "rg", "prod")}, []int{-1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := join(&inventory.Batch{Clusters: tc.clusters})
			for i, c := range inv.Clusters {
				want := (*inventory.Cluster)(nil)
				if tc.primary[i] >= 0 {
					want = tc.clusters[tc.primary[i]]
				}
				if c.Primary != want {
					t.Errorf("cluster %d (%s %s): primary %v, want %v", i, c.Source.File, c.ID, c.Primary != nil, want != nil)
				}
			}
		})
	}

	// Companion data joined by resource ID to the az view is shared with
	// the Terraform view, so both judge with it.
	a, b := az("a.json", "s1", "rg", "prod"), tf("main.tf", "rg", "prod")
	inv := join(&inventory.Batch{Clusters: []*inventory.Cluster{a, b},
		Diagnostics: []inventory.DiagnosticFor{{TargetID: a.ID, Setting: inventory.DiagnosticSetting{Name: "audit"}}}})
	if b.Primary != a || b.Diagnostics == nil || len(b.Diagnostics.Settings) != 1 || len(inv.Warnings) != 0 {
		t.Errorf("diagnostics not shared: %+v %v", b.Diagnostics, inv.Warnings)
	}
}
