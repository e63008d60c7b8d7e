package arm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// TestDecodeNestedChildren: a cluster object whose resources[] nests its
// child resources (a REST export, Get-AzResource -ExpandProperties) yields
// them as companion data bound to the cluster, as if they had been given
// in separate files.
func TestDecodeNestedChildren(t *testing.T) {
	const id1 = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1"
	cases := []struct {
		file               string
		cluster            string // the cluster's ID
		diag, maint, pools string // "name@clusterID" of each companion, comma-separated
		err                string // an input error containing this, on the resources line
	}{
		{file: "rest-nested.json", cluster: id1,
			diag: "to-law@" + id1, maint: "default@" + id1, pools: "user1@" + id1},
		// No id: the cluster gets a local one that its children join.
		{file: "get-azresource.json", cluster: "export:get-azresource.json#managedClusters/aks2",
			diag: "to-law@export:get-azresource.json#managedClusters/aks2"},
		{file: "bad-resources.json", cluster: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks3",
			err: "the cluster's resources is an object, not a list of child resources"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/exports", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			root, err := jsontree.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if IsTemplate(root) {
				t.Fatal("a resource export is read as a template")
			}
			b := Decode(root, tc.file)
			if len(b.Clusters) != 1 || b.Clusters[0].ID != tc.cluster {
				t.Fatalf("clusters %d (%v)", len(b.Clusters), b.Clusters)
			}
			var diag, maint, pools []string
			for _, d := range b.Diagnostics {
				diag = append(diag, d.Setting.Name+"@"+d.TargetID)
				if !d.Setting.HasDestination.IsKnown() || !d.Setting.HasDestination.Val {
					t.Errorf("diagnostic setting %s: destination %+v", d.Setting.Name, d.Setting.HasDestination)
				}
			}
			for _, m := range b.Maintenance {
				maint = append(maint, strings.Join(m.Data.Names, "+")+"@"+m.ClusterID)
				if m.Data.Authoritative {
					t.Errorf("nested maintenance configurations are not a complete listing")
				}
			}
			for _, p := range b.Pools {
				pools = append(pools, p.Pool.Name+"@"+p.ClusterID)
			}
			for _, c := range []struct{ what, got, want string }{
				{"diagnostic settings", strings.Join(diag, ","), tc.diag},
				{"maintenance", strings.Join(maint, ","), tc.maint},
				{"pools", strings.Join(pools, ","), tc.pools},
			} {
				if c.got != c.want {
					t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
				}
			}
			var errs []string
			for _, e := range b.Errors {
				errs = append(errs, e.Error())
			}
			if tc.err == "" && len(errs) > 0 || tc.err != "" && (len(errs) != 1 || !strings.Contains(errs[0], tc.err) || b.Errors[0].Line != 6) {
				t.Errorf("errors %v, want %q", errs, tc.err)
			}
		})
	}
}
