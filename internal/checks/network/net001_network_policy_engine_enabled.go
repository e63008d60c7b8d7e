package network

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net001 = &check.Control{
	ID: "AKS-NET-001", Title: "Network policy engine enabled", Severity: check.High, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Without a network policy engine, NetworkPolicy objects are accepted but not enforced: every pod can reach every other pod.",
	FailsWhen:   "networkPolicy is empty or none (azure, calico or cilium are needed).",
	Remediation: "Enable a network policy engine (Azure CNI: azure or cilium; kubenet clusters: calico at creation).",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-network-policies"},
	Mappings: check.Mappings{
		CIS17: []string{"5.4.4"}, CIS18: []string{"5.4.4"},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --network-policy azure (Azure CNI) or --network-dataplane cilium --network-policy cilium",
		TF:  `network_profile { network_policy = "azure" }`,
		ARM: `properties.networkProfile.networkPolicy: "azure"`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		np := c.NetworkPolicy
		switch {
		case np.IsUnknown():
			o.Unresolved("the network policy engine", kit.Ev(np, ""))
		case kit.EqFold(np.Val, "azure", "calico", "cilium"):
			o.Pass("network policies are enforced by "+np.Val, kit.Ev(np, ""), kit.Ev(c.NetworkPlugin, ""))
		default:
			o.Fail("no network policy engine: NetworkPolicy objects are not enforced", kit.Ev(np, "none"), kit.Ev(c.NetworkPlugin, ""))
		}
	}),
}
