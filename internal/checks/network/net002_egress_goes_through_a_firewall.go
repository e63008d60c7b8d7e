package network

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net002 = &check.Control{
	ID: "AKS-NET-002", Title: "Egress goes through a firewall", Severity: check.Medium, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "With a load balancer or NAT gateway, nodes reach the internet from public IPs without filtering; routing egress through Azure Firewall or an NVA lets you allow only what the cluster needs.",
	FailsWhen:   "outboundType is not userDefinedRouting (loadBalancer and NAT gateways egress without filtering); none passes.",
	Remediation: "Route egress through a firewall with a route table on the node subnet and outboundType userDefinedRouting.",
	References:  []string{"https://learn.microsoft.com/azure/aks/limit-egress-traffic", "https://learn.microsoft.com/azure/aks/egress-outboundtype"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --outbound-type userDefinedRouting (after adding a route table that sends 0.0.0.0/0 to your firewall on the node subnet)",
		TF:  `network_profile { outbound_type = "userDefinedRouting" }`,
		ARM: `properties.networkProfile.outboundType: "userDefinedRouting"`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		ot := c.OutboundType
		switch {
		case ot.IsUnknown():
			o.Unresolved("the outbound type", kit.Ev(ot, ""))
		case kit.EqFold(ot.Val, "userDefinedRouting"):
			o.Pass("egress is routed through user-defined routes (firewall)", kit.Ev(ot, ""))
		case kit.EqFold(ot.Val, "none"):
			o.Pass("outbound type none: the cluster has no managed egress path", kit.Ev(ot, ""))
		default:
			o.Fail("egress leaves through public IPs without filtering", kit.Ev(ot, "loadBalancer by default"))
		}
	}),
}
