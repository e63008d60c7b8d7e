package nodes

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var nod002 = &check.Control{
	ID: "AKS-NOD-002", Title: "System and user pools separated", Severity: check.Low, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Application pods on system nodes compete with CoreDNS, metrics-server and konnectivity; a compromised app pod there sits next to privileged system components.",
	FailsWhen:   "There is no User-mode pool, or a User pool exists but no System pool carries the CriticalAddonsOnly taint.",
	Remediation: "Add a User pool and taint the System pools with CriticalAddonsOnly=true:NoSchedule.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-system-pools"},
	Run: kit.PerCluster(kit.Fix{
		AZ: "az aks nodepool add -g {rg} --cluster-name {name} -n userpool --mode User; az aks nodepool update -g {rg} --cluster-name {name} -n <system-pool> --node-taints CriticalAddonsOnly=true:NoSchedule",
		TF: "default_node_pool { only_critical_addons_enabled = true } and an azurerm_kubernetes_cluster_node_pool with mode = \"User\"",
	}, evalNOD002),
}

func evalNOD002(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	pools, ok := o.Pools()
	if !ok {
		return
	}
	var users, systems []*inventory.AgentPool
	for _, p := range pools {
		if p.Mode.IsUnknown() {
			o.Unresolved("the mode of pool "+p.Name, kit.Ev(p.Mode, ""))
			return
		}
		// An unset mode is System: AKS creates the pools of agentPoolProfiles
		// as System unless told otherwise.
		if kit.EqFold(p.Mode.Val, "User") {
			users = append(users, p)
		} else if p.Mode.Val == "" || kit.EqFold(p.Mode.Val, "System") {
			systems = append(systems, p)
		}
	}
	evs := kit.PoolsEvidence(pools, func(p *inventory.AgentPool) kit.Evidence { return kit.Ev(p.Mode, "System") })
	if len(users) == 0 {
		o.Fail("no User-mode pool: applications run on the system pool", evs...)
		return
	}
	for _, p := range systems {
		if p.OnlyCriticalAddons.Or(false) {
			o.Pass("system pool "+p.Name+" only runs critical add-ons", append(evs, kit.Ev(p.OnlyCriticalAddons, ""))...)
			return
		}
		for _, t := range p.NodeTaints.Val {
			if strings.HasPrefix(t, "CriticalAddonsOnly") {
				o.Pass("system pool "+p.Name+" is tainted "+t, append(evs, kit.Ev(p.NodeTaints, ""))...)
				return
			}
		}
	}
	for _, p := range systems {
		if p.NodeTaints.IsUnknown() || p.OnlyCriticalAddons.IsUnknown() {
			o.Unresolved("the taints of system pool "+p.Name, kit.Ev(p.NodeTaints, ""))
			return
		}
	}
	o.Fail("no system pool carries the CriticalAddonsOnly taint: application pods can land on system nodes", evs...)
}
