// Package upgrades holds the controls of catalog area UPG (upgrades and
// versions), one file per control: its metadata, its judge and its
// remediation.
//
// The Kubernetes version controls (AKS-UPG-001, -002, -003) judge the
// control plane's version with internal/k8sversion: the embedded, dated
// dataset, overridden by the cluster's `az aks get-versions` list (joined by
// location into UpgradeProfile.Versions) for which minors and patches are
// offered, and by `az aks get-upgrades` (UpgradeProfile.ControlPlane) for
// the patches this cluster can move to. Every result names the data and its
// date.
package upgrades

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		upg001,
		upg002,
		upg003,
		upg004,
		upg005,
		upg006,
		upg007,
		upg008,
		upg009,
		upg010,
	}
}
