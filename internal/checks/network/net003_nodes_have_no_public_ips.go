package network

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net003 = &check.Control{
	ID: "AKS-NET-003", Title: "Nodes have no public IPs", Severity: check.High, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "A node with a public IP is directly reachable from the internet, around the load balancer and firewall.",
	FailsWhen:   "Any agent pool has enableNodePublicIP.",
	Remediation: "Replace the pool with one without node public IPs (the setting cannot be changed on an existing pool).",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-node-public-ips"},
	Mappings: check.Mappings{
		CIS17: []string{"5.4.3"}, CIS18: []string{"5.4.3"},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:     "az aks nodepool add -g {rg} --cluster-name {name} -n <new-pool> (without --enable-node-public-ip), then az aks nodepool delete -g {rg} --cluster-name {name} -n {pool}",
		TF:     "node_public_ip_enabled = false",
		TFPool: true,
		ARM:    "properties.agentPoolProfiles[].enableNodePublicIP: false",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		pools, ok := o.Pools()
		if !ok {
			return
		}
		bad, unknown := 0, 0
		for _, p := range pools {
			f := p.EnableNodePublicIP
			switch {
			case f.IsUnknown():
				unknown++
				o.EmitPool(p, check.NotAssessed, "whether the pool's nodes get public IPs cannot be determined from this input", kit.Ev(f, ""))
			case f.Or(false):
				bad++
				o.EmitPool(p, check.Fail, "nodes of pool "+p.Name+" get public IPs", kit.Ev(f, ""))
			}
		}
		if bad == 0 && unknown == 0 {
			o.Pass("no pool gives its nodes public IPs", kit.PoolsEvidence(pools, func(p *inventory.AgentPool) kit.Evidence { return kit.Ev(p.EnableNodePublicIP, "false by default") })...)
		}
	}),
}
