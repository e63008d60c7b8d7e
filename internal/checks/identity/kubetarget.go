package identity

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// liveTarget returns the cluster the live connection belongs to, the
// resource to report on and the az arguments naming the cluster.
func liveTarget(inv *inventory.Inventory) (*inventory.Cluster, check.Resource, string) {
	target := inv.KubeOwner.Cluster
	res := kit.KubeScopeResource(inv)
	rgName := "-g <resource-group> -n <cluster>"
	if target != nil {
		rgName = "-g " + kit.OrPlaceholder(target.ResourceGroup, "<resource-group>") + " -n " + kit.OrPlaceholder(target.Name, "<cluster>")
	}
	return target, res, rgName
}

// kubeconfigTarget is the cluster of the scan a kubeconfig cluster entry
// belongs to: the scan's cluster of the same name (az aks get-credentials
// names the entry after the cluster), else the only cluster of the scan
// (or several of one name), else none.
func kubeconfigTarget(inv *inventory.Inventory, entry string) *inventory.Cluster {
	var named []*inventory.Cluster
	for _, c := range inv.Clusters {
		if entry != "" && c.Name == entry {
			named = append(named, c)
		}
	}
	switch {
	case len(named) == 1:
		return named[0]
	case len(inv.Clusters) == 1 || len(inv.Clusters) > 1 && inventory.SameName(inv.Clusters):
		return inv.Clusters[0]
	}
	return nil
}

// kubeconfigResource is the resource a kubeconfig result is about: its
// cluster of the scan, else a Cluster named after the kubeconfig entry.
func kubeconfigResource(inv *inventory.Inventory, entry string) (check.Resource, *inventory.Cluster, string) {
	if c := kubeconfigTarget(inv, entry); c != nil {
		return kit.ClusterResource(c), c, "-g " + kit.OrPlaceholder(c.ResourceGroup, "<resource-group>") + " -n " + kit.OrPlaceholder(c.Name, "<cluster>")
	}
	return check.Resource{Kind: "Cluster", Name: kit.OrPlaceholder(entry, kit.ScopeKubeName)}, nil, "-g <resource-group> -n " + kit.OrPlaceholder(entry, "<cluster>")
}
