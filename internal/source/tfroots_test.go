package source

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Two root modules that define the same address get IDs qualified by their
// root, in their clusters and in their own references only; an address no
// other root defines keeps tf:ADDRESS; a bare tf:ADDRESS several roots
// share joins no cluster.
func TestTFRootsQualify(t *testing.T) {
	const x = "tf:azurerm_kubernetes_cluster.main"
	cluster := func(file, addr string) *inventory.Cluster {
		return &inventory.Cluster{ID: "tf:" + addr, Name: "aks", TFAddress: addr, Format: inventory.FormatTFHCL, Source: inventory.Source{File: file}}
	}
	diag := func(target, file string) inventory.DiagnosticFor {
		return inventory.DiagnosticFor{TargetID: target, Setting: inventory.DiagnosticSetting{Name: file, Source: inventory.Source{File: file}}}
	}
	a := &inventory.Batch{Clusters: []*inventory.Cluster{cluster("a/main.tf", "azurerm_kubernetes_cluster.main")},
		Diagnostics: []inventory.DiagnosticFor{diag(x, "a/main.tf")},
		Pools:       []inventory.PoolFor{{ClusterID: x, Pool: &inventory.AgentPool{Name: "user"}}},
		Maintenance: []inventory.MaintenanceFor{{ClusterID: x}}}
	b := &inventory.Batch{Clusters: []*inventory.Cluster{cluster("b/main.tf", "azurerm_kubernetes_cluster.main")},
		Diagnostics: []inventory.DiagnosticFor{diag(x, "b/main.tf")}}
	c := &inventory.Batch{Clusters: []*inventory.Cluster{cluster("c/main.tf", "azurerm_kubernetes_cluster.other")}}
	// Not from a Terraform root: names the shared address, which is ambiguous.
	d := &inventory.Batch{Diagnostics: []inventory.DiagnosticFor{diag(x, "d/diag.json")}}

	all := &inventory.Batch{}
	var roots tfRoots
	roots.merge(all, d, "d/diag.json")
	roots.merge(all, a, "a")
	roots.merge(all, b, "b")
	roots.merge(all, c, "c")
	roots.qualify(all)

	wantIDs := []string{"tf:a/azurerm_kubernetes_cluster.main", "tf:b/azurerm_kubernetes_cluster.main", "tf:azurerm_kubernetes_cluster.other"}
	for i, cl := range all.Clusters {
		if cl.ID != wantIDs[i] || cl.TFAddress == "" {
			t.Errorf("cluster %d: ID %q, want %q", i, cl.ID, wantIDs[i])
		}
	}
	wantTargets := []string{x, wantIDs[0], wantIDs[1]}
	for i, dg := range all.Diagnostics {
		if dg.TargetID != wantTargets[i] {
			t.Errorf("diagnostic %d: target %q, want %q", i, dg.TargetID, wantTargets[i])
		}
	}
	if all.Pools[0].ClusterID != wantIDs[0] || all.Maintenance[0].ClusterID != wantIDs[0] {
		t.Errorf("pool/maintenance of a: %q %q", all.Pools[0].ClusterID, all.Maintenance[0].ClusterID)
	}

	inv := join(all)
	for i, cl := range inv.Clusters[:2] {
		if cl.Diagnostics == nil || len(cl.Diagnostics.Settings) != 1 || cl.Diagnostics.Settings[0].Name != []string{"a/main.tf", "b/main.tf"}[i] {
			t.Errorf("cluster %s: diagnostics %+v, want its own root's only", cl.ID, cl.Diagnostics)
		}
	}
	warned := false
	for _, w := range inv.Warnings {
		if w.Input == "d/diag.json" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("the shared bare address joined a cluster: warnings %+v", inv.Warnings)
	}
}
