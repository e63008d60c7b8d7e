package access

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc003 = &check.Control{
	ID: "AKS-ACC-003", Title: "Private cluster", Severity: check.Medium, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "A private cluster's API server has no public endpoint; it is reachable only from the virtual network and peered networks.",
	FailsWhen:   "The API server is public (even with authorized IP ranges). A private cluster whose public FQDN is still enabled fails at low severity.",
	Remediation: "Create the cluster as private (or enable it on a cluster with API Server VNet Integration) and disable the public FQDN.",
	References:  []string{"https://learn.microsoft.com/azure/aks/private-clusters", "https://learn.microsoft.com/azure/aks/api-server-vnet-integration"},
	Mappings: check.Mappings{
		CIS17: []string{"5.4.2"}, CIS18: []string{"5.4.2"},
		AzurePolicy: []string{
			"040732e8-d947-40b8-95d6-854c95024bf8", // Azure Kubernetes Service Private Clusters should be enabled
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-private-cluster (requires API Server VNet Integration; otherwise recreate with az aks create --enable-private-cluster)",
		TF:  "private_cluster_enabled = true (forces a new cluster)",
		ARM: "properties.apiServerAccessProfile.enablePrivateCluster: true",
	}, evalACC003),
}

func evalACC003(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.Unresolved("whether the cluster is private", kit.Ev(priv, ""))
	case !priv.Or(false):
		o.Fail("the API server is public", kit.Ev(priv, "public by default"), kit.Ev(c.AuthorizedIPRanges, "no ranges"))
	case c.PrivateClusterPublicFQDN.IsUnknown():
		o.Unresolved("whether the private cluster's public FQDN is enabled", kit.Ev(priv, ""), kit.Ev(c.PrivateClusterPublicFQDN, ""))
	case c.PrivateClusterPublicFQDN.Or(false):
		o.Fail("private cluster with its public FQDN still enabled: the API server's private address is resolvable from public DNS",
			kit.Ev(priv, ""), kit.Ev(c.PrivateClusterPublicFQDN, ""))
		res := &o.Results[len(o.Results)-1]
		res.Severity = check.Low
		res.Remediation = publicFQDNFix.Render(c, nil)
	default:
		o.Pass("private cluster without a public FQDN", kit.Ev(priv, ""), kit.Ev(c.PrivateClusterPublicFQDN, "disabled by default"))
	}
}

var publicFQDNFix = kit.Fix{
	AZ:  "az aks update -g {rg} -n {name} --disable-public-fqdn",
	TF:  "private_cluster_public_fqdn_enabled = false",
	ARM: "properties.apiServerAccessProfile.enablePrivateClusterPublicFQDN: false",
}
