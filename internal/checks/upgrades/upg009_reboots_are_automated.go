package upgrades

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg009 = &check.Control{
	ID: "AKS-UPG-009", Title: "Reboots are automated", Severity: check.Low, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "With the Unmanaged (or None) channel, kernel patches need a reboot that nobody triggers unless kured is deployed.",
	FailsWhen:   "nodeOSUpgradeChannel is Unmanaged or None and no kured DaemonSet is deployed. Not applicable for NodeImage and SecurityPatch.",
	Remediation: "Use the NodeImage or SecurityPatch channel, or deploy kured.",
	References:  []string{"https://learn.microsoft.com/azure/aks/node-updates-kured", "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
	Run: kit.MixedRun(kit.Fix{
		AZ: "az aks update -g {rg} -n {name} --node-os-upgrade-channel NodeImage (or deploy kured: helm install kured kubereboot/kured -n kube-system)",
		TF: `node_os_upgrade_channel = "NodeImage"`,
	}, evalUPG009),
}

// evalUPG009: the fail needs both halves (a channel without reboots and no
// kured); a kured DaemonSet alone rules it out, so it passes even without
// Azure input.
func evalUPG009(_ *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, _ *kit.KubeOut) {
	var kured []kit.KubeFinding
	if kin.K != nil {
		kured = kuredDaemonSets(kin.K)
	}
	kev := kit.FindingsEvidence("kured", kured)
	if c == nil {
		if len(kured) > 0 {
			o.Pass("kured reboots nodes after OS patches: "+kit.NamesUpTo(kit.FindingRefs(kured), 2), kev...)
			return
		}
		o.Unknown("no kured DaemonSet in the Kubernetes input; whether the node OS upgrade channel reboots nodes itself (NodeImage, SecurityPatch) is a cluster setting: scan the cluster's az aks show output too",
			kit.Fact("kured", "no DaemonSet running a kured image"))
		return
	}
	ch, known, why := nodeOSChannel(c)
	switch {
	case known && kit.EqFold(ch, "NodeImage", "SecurityPatch"):
		o.NA("node OS upgrade channel "+ch+" reimages or patches nodes without kured", kit.Ev(c.NodeOSUpgradeChannel, "NodeImage by default"))
	case len(kured) > 0:
		msg := "kured reboots nodes after OS patches: " + kit.NamesUpTo(kit.FindingRefs(kured), 2)
		if known {
			msg = "node OS upgrade channel " + ch + " and " + msg
		}
		o.Pass(msg, append([]kit.Evidence{kit.Ev(c.NodeOSUpgradeChannel, "")}, kev...)...)
	case !known:
		o.Unknown(why, kit.Ev(c.NodeOSUpgradeChannel, ""))
	case kin.K == nil:
		o.Unknown("node OS upgrade channel "+ch+" needs kured for reboots; "+kin.Missing+" to look for a kured DaemonSet", kit.Ev(c.NodeOSUpgradeChannel, ""))
	default:
		o.Fail("node OS upgrade channel "+ch+" and no kured DaemonSet found: patched nodes are never rebooted into their fixes", kit.Ev(c.NodeOSUpgradeChannel, ""),
			kit.Fact("kured", fmt.Sprintf("no DaemonSet running a kured image among %d workloads", len(kin.K.Workloads))))
	}
}
