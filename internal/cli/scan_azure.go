package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/aksguard/aksguard/internal/scan"
	"github.com/aksguard/aksguard/internal/source/azure"
)

// azureFlags select clusters to read live from Azure Resource Manager.
type azureFlags struct {
	clusters      []string // --azure-cluster ID (repeatable)
	subscriptions []string // --subscription
	resourceGroup string
	name          string
	allClusters   bool
	parallel      int
	registryHosts []string
}

func addAzureFlags(fl *pflag.FlagSet, a *azureFlags) {
	fl.StringArrayVar(&a.clusters, "azure-cluster", nil, "read this AKS cluster live from Azure by resource ID (repeatable; authenticates like az: environment, workload or managed identity, az login)")
	fl.StringArrayVar(&a.subscriptions, "subscription", nil, "subscription of --resource-group/--name, or the subscriptions --all-clusters searches (repeatable)")
	fl.StringVarP(&a.resourceGroup, "resource-group", "g", "", "resource group of the cluster to read live (with --name and --subscription)")
	fl.StringVarP(&a.name, "name", "n", "", "name of the cluster to read live (with --resource-group and --subscription)")
	fl.BoolVar(&a.allClusters, "all-clusters", false, "read every AKS cluster the identity can see (Azure Resource Graph), limited by --subscription")
	fl.IntVar(&a.parallel, "parallel", 4, "clusters read at once with --all-clusters or several --azure-cluster")
	fl.StringArrayVar(&a.registryHosts, "registry-host", nil, "registry host the cluster's images come from (e.g. contoso.azurecr.io): read that registry of the subscription instead of the registries in the cluster's resource group (repeatable)")
}

// live reports whether any Azure flag asks for a live read.
func (a *azureFlags) live() bool {
	return len(a.clusters) > 0 || a.name != "" || a.resourceGroup != "" || a.allClusters
}

// newAzureClient builds the ARM client. Tests point it at a local ARM; there
// is deliberately no flag that changes the endpoint or skips authentication.
var newAzureClient = azure.NewDefaultClient

// clusterTimeout bounds the live read of one cluster.
var clusterTimeout = 5 * time.Minute

// discoveryTimeout bounds the Resource Graph query of --all-clusters.
var discoveryTimeout = 5 * time.Minute

// validate checks the combination of Azure flags.
func (a *azureFlags) validate() error {
	switch {
	case a.parallel < 1:
		return fmt.Errorf("--parallel %d: want at least 1", a.parallel)
	case a.allClusters && (len(a.clusters) > 0 || a.name != "" || a.resourceGroup != ""):
		return errors.New("--all-clusters reads every cluster: do not combine it with --azure-cluster, --resource-group or --name")
	case (a.name == "") != (a.resourceGroup == ""):
		return errors.New("--resource-group and --name go together (and need --subscription): or give --azure-cluster ID")
	case a.name != "" && len(a.subscriptions) != 1:
		return errors.New("--resource-group/--name need exactly one --subscription (az account show --query id -o tsv prints the current one)")
	case len(a.subscriptions) > 0 && a.name == "" && !a.allClusters:
		return errors.New("--subscription needs --resource-group and --name, or --all-clusters")
	case !a.live() && len(a.registryHosts) > 0:
		return errors.New("--registry-host needs a live Azure read (--azure-cluster, --name or --all-clusters)")
	}
	for _, id := range a.clusters {
		if _, _, _, err := azure.ParseClusterID(id); err != nil {
			return fmt.Errorf("--azure-cluster: %w", err)
		}
	}
	return nil
}

// options are the live read the flags ask for (after validate).
func (a *azureFlags) options() *scan.AzureOptions {
	ids := append([]string(nil), a.clusters...)
	if a.name != "" {
		ids = append(ids, azure.ClusterID(a.subscriptions[0], a.resourceGroup, a.name))
	}
	return &scan.AzureOptions{Clusters: ids, AllClusters: a.allClusters, Subscriptions: a.subscriptions, Parallel: a.parallel,
		RegistryHosts: a.registryHosts, NewClient: newAzureClient, ClusterTimeout: clusterTimeout, DiscoveryTimeout: discoveryTimeout}
}
