package checks

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaNetwork = "Network"

func init() {
	check.Register(&check.Control{
		ID: "AKS-NET-001", Title: "Network policy engine enabled", Severity: check.High, Area: areaNetwork,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Without a network policy engine, NetworkPolicy objects are accepted but not enforced: every pod can reach every other pod.",
		FailsWhen:   "networkPolicy is empty or none (azure, calico or cilium are needed).",
		Remediation: "Enable a network policy engine (Azure CNI: azure or cilium; kubenet clusters: calico at creation).",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-network-policies"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --network-policy azure (Azure CNI) or --network-dataplane cilium --network-policy cilium",
			TF:  `network_profile { network_policy = "azure" }`,
			ARM: `properties.networkProfile.networkPolicy: "azure"`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			np := c.NetworkPolicy
			switch {
			case np.IsUnknown():
				o.unresolved("the network policy engine", ev(np, ""))
			case eqFold(np.Val, "azure", "calico", "cilium"):
				o.pass("network policies are enforced by "+np.Val, ev(np, ""), ev(c.NetworkPlugin, ""))
			default:
				o.fail("no network policy engine: NetworkPolicy objects are not enforced", ev(np, "none"), ev(c.NetworkPlugin, ""))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-NET-002", Title: "Egress goes through a firewall", Severity: check.Medium, Area: areaNetwork,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "With a load balancer or NAT gateway, nodes reach the internet from public IPs without filtering; routing egress through Azure Firewall or an NVA lets you allow only what the cluster needs.",
		FailsWhen:   "outboundType is not userDefinedRouting (loadBalancer and NAT gateways egress without filtering); none passes.",
		Remediation: "Route egress through a firewall with a route table on the node subnet and outboundType userDefinedRouting.",
		References:  []string{"https://learn.microsoft.com/azure/aks/limit-egress-traffic", "https://learn.microsoft.com/azure/aks/egress-outboundtype"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --outbound-type userDefinedRouting (after adding a route table that sends 0.0.0.0/0 to your firewall on the node subnet)",
			TF:  `network_profile { outbound_type = "userDefinedRouting" }`,
			ARM: `properties.networkProfile.outboundType: "userDefinedRouting"`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			ot := c.OutboundType
			switch {
			case ot.IsUnknown():
				o.unresolved("the outbound type", ev(ot, ""))
			case eqFold(ot.Val, "userDefinedRouting"):
				o.pass("egress is routed through user-defined routes (firewall)", ev(ot, ""))
			case eqFold(ot.Val, "none"):
				o.pass("outbound type none: the cluster has no managed egress path", ev(ot, ""))
			default:
				o.fail("egress leaves through public IPs without filtering", ev(ot, "loadBalancer by default"))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-NET-003", Title: "Nodes have no public IPs", Severity: check.High, Area: areaNetwork,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "A node with a public IP is directly reachable from the internet, around the load balancer and firewall.",
		FailsWhen:   "Any agent pool has enableNodePublicIP.",
		Remediation: "Replace the pool with one without node public IPs (the setting cannot be changed on an existing pool).",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-node-public-ips"},
		Run: perCluster(fix{
			AZ:     "az aks nodepool add -g {rg} --cluster-name {name} -n <new-pool> (without --enable-node-public-ip), then az aks nodepool delete -g {rg} --cluster-name {name} -n {pool}",
			TF:     "node_public_ip_enabled = false",
			TFPool: true,
			ARM:    "properties.agentPoolProfiles[].enableNodePublicIP: false",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			pools, ok := o.pools()
			if !ok {
				return
			}
			bad, unknown := 0, 0
			for _, p := range pools {
				f := p.EnableNodePublicIP
				switch {
				case f.IsUnknown():
					unknown++
					o.emitPool(p, check.NotAssessed, "whether the pool's nodes get public IPs cannot be determined from this input", ev(f, ""))
				case f.Or(false):
					bad++
					o.emitPool(p, check.Fail, "nodes of pool "+p.Name+" get public IPs", ev(f, ""))
				}
			}
			if bad == 0 && unknown == 0 {
				o.pass("no pool gives its nodes public IPs", poolsEvidence(pools, func(p *inventory.AgentPool) evidence { return ev(p.EnableNodePublicIP, "false by default") })...)
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-NET-007", Title: "HTTP application routing add-on off", Severity: check.Medium, Area: areaNetwork,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "The HTTP application routing add-on creates public DNS records and an unauthenticated ingress; it was never meant for production and is retired.",
		FailsWhen:   "The httpApplicationRouting add-on is enabled.",
		Remediation: "Disable the add-on and use the application routing add-on (web app routing) or your own ingress controller.",
		References:  []string{"https://learn.microsoft.com/azure/aks/http-application-routing", "https://learn.microsoft.com/azure/aks/app-routing"},
		Run: perCluster(fix{
			AZ:  "az aks disable-addons -g {rg} -n {name} -a http_application_routing",
			TF:  "http_application_routing_enabled = false",
			ARM: "properties.addonProfiles.httpApplicationRouting.enabled: false",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: addonField(c, "httpApplicationRouting"), want: false, def: false, defNote: "add-on not enabled",
				passMsg: "the HTTP application routing add-on is off", failMsg: "the HTTP application routing add-on is enabled", what: "whether the HTTP application routing add-on is enabled"})
		}),
	})
}

// addonField returns an add-on's enabled field, with a path naming the add-on
// when the input does not list it.
func addonField(c *inventory.Cluster, name string) inventory.Field[bool] {
	f := c.AddonEnabled(name)
	if f.Path == "" {
		if c.Format.IsTerraform() {
			f.Path = c.TFAddress + " (" + name + ")"
		} else {
			f.Path = "addonProfiles." + name + ".enabled"
		}
	}
	return f
}

func poolsEvidence(pools []*inventory.AgentPool, f func(*inventory.AgentPool) evidence) []evidence {
	out := make([]evidence, 0, len(pools))
	for _, p := range pools {
		e := f(p)
		if !strings.Contains(e.Path, p.Name) && p.Name != "" {
			e.Path = p.Name + ": " + e.Path
		}
		out = append(out, e)
	}
	return out
}
