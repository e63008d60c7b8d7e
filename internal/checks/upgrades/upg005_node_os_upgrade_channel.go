package upgrades

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg005 = &check.Control{
	ID: "AKS-UPG-005", Title: "Node OS upgrade channel", Severity: check.Medium, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "With None, node OS packages are never patched; with Unmanaged, patches install nightly but nodes are never rebooted into them unless kured (or you) do it.",
	FailsWhen:   "nodeOSUpgradeChannel is None or Unmanaged.",
	Remediation: "Use the NodeImage or SecurityPatch node OS upgrade channel.",
	References:  []string{"https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"04408ca5-aa10-42ce-8536-98955cdddd4c", // Azure Kubernetes Service Clusters should enable node os auto-upgrade
			"40f1aee2-4db4-4b74-acb1-c6972e24cca8", // Configure Node OS Auto upgrade on Azure Kubernetes Cluster
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --node-os-upgrade-channel NodeImage",
		TF:  `node_os_upgrade_channel = "NodeImage"`,
		ARM: `properties.autoUpgradeProfile.nodeOSUpgradeChannel: "NodeImage"`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		ch, known, why := nodeOSChannel(c)
		switch {
		case !known:
			o.Unknown(why, kit.Ev(c.NodeOSUpgradeChannel, ""))
		case kit.EqFold(ch, "NodeImage", "SecurityPatch"):
			o.Pass("node OS upgrade channel "+ch, kit.Ev(c.NodeOSUpgradeChannel, "NodeImage by default"))
		case kit.EqFold(ch, "Unmanaged"):
			o.Fail("node OS upgrade channel Unmanaged: patches are installed but nodes are not rebooted into them", kit.Ev(c.NodeOSUpgradeChannel, ""))
		default:
			o.Fail("node OS upgrade channel "+ch+": node OS packages are not patched", kit.Ev(c.NodeOSUpgradeChannel, ""))
		}
	}),
}
