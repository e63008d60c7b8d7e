package upgrades

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg004 = &check.Control{
	ID: "AKS-UPG-004", Title: "Cluster auto-upgrade channel", Severity: check.Medium, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Without an auto-upgrade channel, clusters drift out of the supported version window and miss security patches.",
	FailsWhen:   "upgradeChannel is none or unset.",
	Remediation: "Set an auto-upgrade channel (patch or stable) with a planned maintenance window.",
	References:  []string{"https://learn.microsoft.com/azure/aks/auto-upgrade-cluster"},
	// Not mapped: policy 5c345cdf "should enable cluster auto-upgrade"
	// accepts only rapid, stable and patch by default, and this control
	// passes node-image too (weaker, so the two can disagree).
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --auto-upgrade-channel patch",
		TF:  `automatic_upgrade_channel = "patch"`,
		ARM: `properties.autoUpgradeProfile.upgradeChannel: "patch"`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		ch := c.UpgradeChannel
		switch {
		case ch.IsUnknown():
			o.Unresolved("the auto-upgrade channel", kit.Ev(ch, ""))
		case kit.EqFold(ch.Val, "rapid", "stable", "patch", "node-image"):
			o.Pass("auto-upgrade channel "+ch.Val, kit.Ev(ch, ""))
		default:
			o.Fail("no cluster auto-upgrade channel", kit.Ev(ch, "none by default"))
		}
	}),
}
