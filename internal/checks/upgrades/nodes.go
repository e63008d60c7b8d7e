package upgrades

import (
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// kuredDaemonSets returns the DaemonSets (any namespace) running an image
// whose repository contains "kured", or carrying kured's lock annotation (a
// kured built into another image).
func kuredDaemonSets(k *inventory.Kube) []kit.KubeFinding {
	var out []kit.KubeFinding
	for _, w := range k.Workloads {
		if w.Kind != "DaemonSet" {
			continue
		}
		if _, ok := w.Annotations[kuredLock]; ok {
			out = append(out, kit.KubeFinding{M: &w.Meta, What: "annotation " + kuredLock})
			continue
		}
		for _, img := range kit.WorkloadImages(w) {
			if strings.Contains(strings.ToLower(imageRepoNoTag(img)), "kured") {
				out = append(out, kit.KubeFinding{M: &w.Meta, What: "image " + img})
				break
			}
		}
	}
	return out
}

// nodeOSChannel returns the effective node OS channel. Terraform's provider
// defaults it to NodeImage; for ARM inputs the default depends on the API
// version, so an unset channel is not assessed.
func nodeOSChannel(c *inventory.Cluster) (string, bool, string) {
	f := c.NodeOSUpgradeChannel
	switch {
	case f.IsUnknown():
		return "", false, "the node OS upgrade channel cannot be determined from this input: " + f.Why
	case f.IsKnown():
		return f.Val, true, ""
	case c.IsAzAPI() && c.APIVersion >= "2023-06-01":
		// The body's API version names the default: NodeImage since
		// 2023-06-01 (the azurerm default below is not azapi's).
		return "NodeImage", true, ""
	case c.Format.IsTerraform() && !c.IsAzAPI():
		return "NodeImage", true, ""
	case kit.EqFold(c.UpgradeChannel.Val, "node-image"):
		// upgradeChannel node-image requires (and sets) NodeImage.
		return "NodeImage", true, ""
	}
	return "", false, "nodeOSUpgradeChannel is not set: its default depends on the API version the cluster was created with (NodeImage since 2023-06-01); set it explicitly"
}
