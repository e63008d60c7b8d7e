package scan

import (
	"context"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/progress"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
)

// readKube reads the live cluster; an error means the API server could not
// be used at all.
func readKube(ctx context.Context, k *KubeOptions, line *progress.Line) (*inventory.Batch, error) {
	o := kubeapi.Options{Kubeconfig: k.Kubeconfig, Context: k.Context, Timeout: k.Timeout, Concurrency: k.Concurrency,
		MaxObjects: k.MaxObjects, Config: k.Config}
	if line != nil {
		o.Progress = func(done, total int) { line.Update("listing Kubernetes kinds", done, total) }
	}
	conn, err := kubeapi.Connect(o)
	if err != nil {
		return nil, &KubeError{err}
	}
	b, _, err := kubeapi.Read(ctx, conn, o)
	if err != nil {
		return nil, &KubeError{err}
	}
	return b, nil
}

// imageHosts are the registries of the images the live cluster runs,
// sorted: the Azure read looks up the ACRs among them.
func imageHosts(k *inventory.Kube) []string {
	if k == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, w := range k.Workloads {
		for _, list := range [][]corev1.Container{w.Spec.Containers, w.Spec.InitContainers} {
			for _, c := range list {
				seen[checks.ImageRegistry(c.Image)] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for h := range seen {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// azureHalfMissing warns when a live Kubernetes scan has no Azure input:
// the Azure-side controls then say nothing about the cluster, and that must
// never go unnoticed. On AKS the nodes' provider IDs name the subscription
// and node resource group, which helps find the cluster.
func azureHalfMissing(inv *inventory.Inventory) string {
	if inv.Kube == nil || inv.Kube.API == nil || len(inv.Clusters) > 0 {
		return ""
	}
	msg := "only the Kubernetes API was scanned: the Azure-side controls (API server access, identity, network, upgrades, monitoring, ...) need the cluster's Azure resource: add --azure-cluster ID (or --subscription S -g RG -n NAME), or its az aks show -o json output"
	for _, n := range inv.Kube.Nodes {
		// azure:///subscriptions/SUB/resourceGroups/MC_rg_name_region/providers/...
		parts := strings.Split(strings.TrimPrefix(n.ProviderID, "azure://"), "/")
		for i := 0; i+3 < len(parts); i++ {
			if strings.EqualFold(parts[i], "subscriptions") && strings.EqualFold(parts[i+2], "resourceGroups") {
				return msg + "; the nodes run in subscription " + parts[i+1] + ", node resource group " + parts[i+3] +
					" (az aks list --query \"[?nodeResourceGroup=='" + parts[i+3] + "'].id\" -o tsv prints the cluster's ID)"
			}
		}
	}
	return msg
}
