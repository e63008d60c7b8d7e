package source

import (
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// A Terraform cluster whose ID is not known yet is named "tf:ADDRESS"
// (terraform.mapCluster). Two root modules scanned together (two .tf
// directories, two plans or states) may both define
// azurerm_kubernetes_cluster.main: their results, waivers' matches and SARIF
// fingerprints would then share one identity, and companion data of one
// could join the other. tfRoots records which part of the merged batch
// each Terraform input gave, and qualify gives each such colliding ID its
// root module's path: "tf:ROOT/ADDRESS" (ROOT the directory of a .tf root
// module, or the plan or state file), in the cluster and in every
// reference of the same input. An ID that no other root module shares
// stays "tf:ADDRESS", so a scan of one root module names its results as
// before.
type tfRoots struct {
	roots []tfRoot
}

// tfRoot is one Terraform input's share of the merged batch.
type tfRoot struct {
	root                 string
	clusters             []*inventory.Cluster
	pools, diags, maints [2]int // index ranges in the merged batch
}

// merge merges a batch into all, recording its share when it came from a
// Terraform input (root: its directory or file).
func (t *tfRoots) merge(all, b *inventory.Batch, root string) {
	r := tfRoot{root: root,
		pools:  [2]int{len(all.Pools), len(all.Pools) + len(b.Pools)},
		diags:  [2]int{len(all.Diagnostics), len(all.Diagnostics) + len(b.Diagnostics)},
		maints: [2]int{len(all.Maintenance), len(all.Maintenance) + len(b.Maintenance)},
	}
	tf := false
	for _, c := range b.Clusters {
		if c.Format.IsTerraform() && isTFID(c.ID) {
			r.clusters = append(r.clusters, c)
			tf = true
		}
	}
	all.Merge(b)
	if tf {
		t.roots = append(t.roots, r)
	}
}

func isTFID(id string) bool { return strings.HasPrefix(id, "tf:") }

// qualify renames the "tf:" IDs that several root modules share.
func (t *tfRoots) qualify(all *inventory.Batch) {
	owners := map[string]map[string]bool{} // folded ID → roots defining it
	for _, r := range t.roots {
		for _, c := range r.clusters {
			k := strings.ToLower(c.ID)
			if owners[k] == nil {
				owners[k] = map[string]bool{}
			}
			owners[k][r.root] = true
		}
	}
	for _, r := range t.roots {
		renamed := map[string]string{} // folded old ID → new ID
		for _, c := range r.clusters {
			k := strings.ToLower(c.ID)
			if len(owners[k]) < 2 {
				continue
			}
			c.ID = "tf:" + filepath.ToSlash(r.root) + "/" + strings.TrimPrefix(c.ID, "tf:")
			renamed[k] = c.ID
		}
		if len(renamed) == 0 {
			continue
		}
		rename := func(id *string) {
			if n, ok := renamed[strings.ToLower(*id)]; ok {
				*id = n
			}
		}
		for i := r.pools[0]; i < r.pools[1]; i++ {
			rename(&all.Pools[i].ClusterID)
		}
		for i := r.diags[0]; i < r.diags[1]; i++ {
			rename(&all.Diagnostics[i].TargetID)
		}
		for i := r.maints[0]; i < r.maints[1]; i++ {
			rename(&all.Maintenance[i].ClusterID)
		}
	}
}
