package source

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestKubeOwnerDecision is the join's decision table for the cluster a
// scan's Kubernetes input belongs to: each rule, and each ambiguous case
// that leaves it to no cluster with the reason the controls give.
func TestKubeOwnerDecision(t *testing.T) {
	cluster := func(file, sub, rg, name, loc string) *inventory.Cluster {
		c := &inventory.Cluster{Name: name, ResourceGroup: rg, Subscription: sub, Location: loc, Source: inventory.Source{File: file}}
		if sub != "" {
			c.ID = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.ContainerService/managedClusters/" + name
		}
		return c
	}
	tf := func(file, name string) *inventory.Cluster {
		return &inventory.Cluster{ID: "tf:azurerm_kubernetes_cluster.x", Name: name, Source: inventory.Source{File: file}}
	}
	node := func(label string) *inventory.Node {
		n := &inventory.Node{}
		n.Kind, n.Name = "Node", "n"
		if label != "" {
			n.Labels = map[string]string{"kubernetes.azure.com/cluster": label}
		}
		return n
	}
	kube := func(nodes ...*inventory.Node) *inventory.Kube { return &inventory.Kube{Nodes: nodes} }
	const (
		unattributed = "the scan holds 2 AKS clusters and Kubernetes input that cannot be attributed to one of them"
		noLabel      = " (no Node carries a kubernetes.azure.com/cluster label naming a cluster's node resource group)"
		advice       = "; scan each cluster with its own manifests or live connection"
	)
	for _, tc := range []struct {
		name     string
		clusters []*inventory.Cluster
		kube     *inventory.Kube
		owner    int   // index of the owning cluster, -1 for none
		views    []int // the clusters judged with the input
		reason   string
	}{
		{name: "no Kubernetes input", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope")},
			owner: -1, reason: "the scan holds no Kubernetes input"},
		{name: "no cluster", kube: kube(), owner: -1, reason: "the scan holds no AKS cluster"},
		{name: "the only cluster", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope")}, kube: kube(),
			owner: 0, views: []int{0}, reason: "the only cluster in the scan"},
		{name: "one cluster read from two inputs", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), tf("main.tf", "prod")}, kube: kube(),
			owner: 0, views: []int{0, 1}, reason: "the only cluster in the scan (read from 2 inputs)"},
		{name: "several views of one name", clusters: []*inventory.Cluster{tf("dev/main.tf", "aks"), tf("prod/main.tf", "AKS")}, kube: kube(),
			owner: 0, views: []int{0, 1}, reason: "every cluster of the scan is named aks: one cluster read in several forms"},
		{name: "every Node's label names one cluster",
			clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s1", "rg", "dev", "westeurope"), tf("b/main.tf", "dev")},
			kube:     kube(node("MC_rg_dev_westeurope"), node(""), node("mc_RG_dev_westeurope")),
			owner:    1, views: []int{1, 2}, reason: "every Node's kubernetes.azure.com/cluster label names the cluster's node resource group MC_rg_dev_westeurope"},
		{name: "Nodes of two clusters", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s1", "rg", "dev", "westeurope")},
			kube: kube(node("MC_rg_dev_westeurope"), node("MC_rg_prod_westeurope")), owner: -1, reason: unattributed + advice},
		{name: "a Node of a cluster not in the scan", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s1", "rg", "dev", "westeurope")},
			kube: kube(node("MC_rg_dev_westeurope"), node("MC_rg_test_westeurope")), owner: -1, reason: unattributed + advice},
		{name: "a cluster without a location cannot be named by a label", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s1", "rg", "dev", "")},
			kube: kube(node("MC_rg_dev_")), owner: -1, reason: unattributed + advice},
		{name: "no labelled Node", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s1", "rg", "dev", "westeurope")},
			kube: kube(node("")), owner: -1, reason: unattributed + noLabel + advice},
		{name: "no Node at all", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s2", "rg", "dev", "westeurope")},
			kube: kube(), owner: -1, reason: unattributed + noLabel + advice},
		// The name rule compares names only: two clusters of one name in
		// different subscriptions, not linked as views, still count as one.
		{name: "one name in two subscriptions", clusters: []*inventory.Cluster{cluster("a.json", "s1", "rg", "prod", "westeurope"), cluster("b.json", "s2", "rg", "prod", "westeurope")},
			kube: kube(), owner: 0, views: []int{0, 1}, reason: "every cluster of the scan is named prod: one cluster read in several forms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := join(&inventory.Batch{Clusters: tc.clusters, Kube: tc.kube})
			o := inv.KubeOwner
			if o.Reason != tc.reason {
				t.Errorf("reason %q, want %q", o.Reason, tc.reason)
			}
			if tc.owner < 0 {
				if o.Cluster != nil || len(o.Views) != 0 {
					t.Errorf("owner %v (%d views), want none", o.Cluster.Name, len(o.Views))
				}
				for _, c := range tc.clusters {
					if o.Owns(c) {
						t.Errorf("owns %s", c.Source.File)
					}
				}
				return
			}
			if o.Cluster != tc.clusters[tc.owner] {
				t.Errorf("owner %+v, want cluster %d", o.Cluster, tc.owner)
			}
			want := map[*inventory.Cluster]bool{}
			for _, i := range tc.views {
				want[tc.clusters[i]] = true
			}
			for i, c := range tc.clusters {
				if o.Owns(c) != want[c] {
					t.Errorf("cluster %d (%s): owned %v, want %v", i, c.Source.File, o.Owns(c), want[c])
				}
			}
		})
	}
}

// TestKubeOwnerByFolder: with several clusters, each Kubernetes input
// belongs to the cluster its nearest folder holding a cluster holds alone;
// an input whose nearest such folder holds several belongs to none. The
// decision is recorded per part, with its reason.
func TestKubeOwnerByFolder(t *testing.T) {
	p := func(s string) string { return filepath.FromSlash(s) }
	shop := &inventory.Cluster{Name: "shop", Source: inventory.Source{File: p("repo/shop/aks.json")}}
	shopTF := &inventory.Cluster{Name: "shop", Source: inventory.Source{File: p("repo/shop/tf/main.tf")}, Primary: shop}
	pay := &inventory.Cluster{Name: "pay", Source: inventory.Source{File: p("repo/pay/aks.json")}}
	idle := &inventory.Cluster{Name: "idle", Source: inventory.Source{File: p("repo/idle/aks.json")}}
	inv := &inventory.Inventory{Clusters: []*inventory.Cluster{shop, shopTF, pay, idle}}
	k := func() *inventory.Kube { return &inventory.Kube{Namespaces: []*inventory.Namespace{{}}} }
	attributeKube(inv, []kubePart{
		{path: p("repo/pay/apps/web.yaml"), kube: k()},
		{path: p("repo/shop/deploy.yaml"), kube: k()},
		{path: p("repo/shared.yaml"), kube: k()},
		{path: p("repo/shop/tf/more.yaml"), kube: k()},
	})
	type want struct {
		owner  *inventory.Cluster
		views  []*inventory.Cluster
		inputs int
		reason string
	}
	wants := []want{
		{shop, []*inventory.Cluster{shop, shopTF}, 2, "the same folder"},
		{pay, []*inventory.Cluster{pay}, 1, "the same folder"},
		{nil, nil, 1, "no folder above the input holds exactly one cluster of the scan"},
	}
	if len(inv.KubeByFolder) != len(wants) {
		t.Fatalf("%d parts, want %d", len(inv.KubeByFolder), len(wants))
	}
	for i, w := range wants {
		got := inv.KubeByFolder[i]
		if got.Owner.Cluster != w.owner || len(got.Kube.Namespaces) != w.inputs || !strings.HasPrefix(got.Owner.Reason, w.reason) {
			t.Errorf("part %d: owner %v, %d inputs, reason %q; want %v, %d, %q", i, got.Owner.Cluster, len(got.Kube.Namespaces), got.Owner.Reason, w.owner, w.inputs, w.reason)
		}
		for _, c := range inv.Clusters {
			in := false
			for _, v := range w.views {
				in = in || v == c
			}
			if got.Owner.Owns(c) != in {
				t.Errorf("part %d: owns %s %v, want %v", i, c.Source.File, got.Owner.Owns(c), in)
			}
		}
	}

	// Nothing attributed by folder: nothing recorded, the scan's input is
	// judged as a whole (Inventory.KubeOwner).
	flat := &inventory.Inventory{Clusters: []*inventory.Cluster{
		{Name: "a", Source: inventory.Source{File: "a.json"}}, {Name: "b", Source: inventory.Source{File: "b.json"}}}}
	attributeKube(flat, []kubePart{{path: "m.yaml", kube: k()}})
	if flat.KubeByFolder != nil {
		t.Errorf("flat scan partitioned: %+v", flat.KubeByFolder)
	}
}
