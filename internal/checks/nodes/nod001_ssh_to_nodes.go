package nodes

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var nod001 = &check.Control{
	ID: "AKS-NOD-001", Title: "SSH to nodes", Severity: check.Low, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "SSH keys on nodes are long-lived credentials that bypass Kubernetes RBAC and audit; disable SSH and use kubectl debug node/... when a node must be inspected.",
	FailsWhen:   "A public key is set in linuxProfile and a pool does not set securityProfile.sshAccess Disabled (waive it when justified).",
	Remediation: "Disable SSH on every pool.",
	References:  []string{"https://learn.microsoft.com/azure/aks/manage-ssh-node-access"},
	// Not mapped: policy 28257686 "should disable SSH" flags every pool whose
	// sshAccess is unset or LocalUser, even without a public key; this control
	// passes those (weaker).
	Run: kit.PerCluster(kit.Fix{
		AZ:     "az aks nodepool update -g {rg} --cluster-name {name} -n {pool} --ssh-access disabled",
		TF:     "remove linux_profile { ssh_key } (sshAccess is not exposed by azurerm: az aks nodepool update --ssh-access disabled)",
		ARM:    `properties.agentPoolProfiles[].securityProfile.sshAccess: "Disabled"`,
		TFPool: false,
	}, evalNOD001),
}

// evalNOD001: a key in linuxProfile reaches every Linux node whose pool does
// not disable SSH. It passes only when at least one Linux pool is listed and
// every listed Linux pool disables SSH. An input that lists no Linux pool
// (agentPoolProfiles: [], or only Windows pools, although AKS always runs a
// Linux system pool) shows no pool disabling SSH: that fails, as the catalog
// row says; pools that cannot be enumerated are not-assessed.
func evalNOD001(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	keys := c.SSHPublicKeys
	switch {
	case keys.IsUnknown():
		o.Unresolved("whether an SSH key is configured", kit.Ev(keys, ""))
		return
	case keys.Or(0) == 0:
		o.Pass("no SSH public key is configured for the nodes", kit.Ev(keys, "no linuxProfile key"))
		return
	}
	if !c.PoolsKnown {
		o.Pools() // reports the pools that cannot be enumerated
		return
	}
	open, linux := 0, 0
	for _, p := range c.AgentPools {
		if kit.EqFold(p.OSType.Val, "Windows") {
			continue
		}
		linux++
		a := p.SSHAccess
		switch {
		case a.IsUnknown():
			open++
			o.EmitPool(p, check.NotAssessed, "the pool's SSH access mode cannot be determined from this input", kit.Ev(a, ""))
		case kit.EqFold(a.Val, "Disabled"):
		default:
			open++
			o.EmitPool(p, check.Fail, "nodes of pool "+p.Name+" accept SSH with the cluster's key", kit.Ev(keys, ""), kit.Ev(a, "LocalUser by default"))
		}
	}
	switch {
	case linux == 0:
		o.Fail("an SSH public key is configured and the input lists no Linux pool that disables SSH (AKS always runs a Linux system pool)",
			kit.Ev(keys, ""), kit.Fact(kit.PoolsPath(c), fmt.Sprintf("%d pools listed, none of them Linux", len(c.AgentPools))))
	case open == 0:
		o.Pass("an SSH key is configured but every Linux pool disables SSH", kit.Ev(keys, ""))
	}
}
