package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
)

// kubeFlags select a live Kubernetes API server.
type kubeFlags struct {
	kube        bool
	kubeconfig  string
	context     string
	timeout     time.Duration
	concurrency int
	maxObjects  int
}

func (k *kubeFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&k.kube, "kube", false, "also scan the live cluster of the current kubeconfig context (or the pod's service account in a cluster)")
	fl.StringVar(&k.kubeconfig, "kubeconfig", "", "kubeconfig file for --kube (default: KUBECONFIG, else ~/.kube/config); implies --kube")
	fl.StringVar(&k.context, "context", "", "kubeconfig context for --kube (default: the current one); implies --kube")
	fl.DurationVar(&k.timeout, "kube-timeout", 2*time.Minute, "give up reading the Kubernetes API after this long; what was not read is reported, never passed")
	fl.IntVar(&k.concurrency, "kube-concurrency", 8, "kinds listed at once from the Kubernetes API")
	fl.IntVar(&k.maxObjects, "kube-max-objects", kubeapi.DefaultMaxObjects, "read at most this many objects of one kind; a kind with more is reported as not read (its controls not-assessed), never judged from a part")
}

func (k *kubeFlags) enabled() bool { return k.kube || k.kubeconfig != "" || k.context != "" }

// kubeConfigOverride lets tests point --kube at a test server without a
// kubeconfig file; nil in the shipped binary.
var kubeConfigOverride *kubeapi.Options

// read reads the live cluster; an error means the API server could not be
// used at all (exit 2).
func (k *kubeFlags) read(ctx context.Context) (*inventory.Batch, error) {
	if k.maxObjects < 1 {
		return nil, fmt.Errorf("--kube-max-objects %d: want at least 1", k.maxObjects)
	}
	o := kubeapi.Options{Kubeconfig: k.kubeconfig, Context: k.context, Timeout: k.timeout, Concurrency: k.concurrency, MaxObjects: k.maxObjects}
	if kubeConfigOverride != nil {
		o.Config = kubeConfigOverride.Config
	}
	conn, err := kubeapi.Connect(o)
	if err != nil {
		return nil, fmt.Errorf("--kube: %w", err)
	}
	b, _, err := kubeapi.Read(ctx, conn, o)
	if err != nil {
		return nil, fmt.Errorf("--kube: %w", err)
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
