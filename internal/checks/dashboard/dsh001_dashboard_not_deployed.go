package dashboard

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var dsh001 = &check.Control{
	ID: "AKS-DSH-001", Title: "Dashboard not deployed", Severity: check.High, Area: kit.AreaDashboard,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "The Kubernetes Dashboard has been the entry point of real cluster compromises: exposed with a powerful service account, it hands the cluster to whoever reaches it.",
	FailsWhen:   "The kubeDashboard add-on is enabled, or a kubernetes-dashboard Deployment exists.",
	Remediation: "Disable the add-on and delete the dashboard; use the Azure portal's Kubernetes resource view instead.",
	References:  []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal", "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security"},
	Run: kit.MixedRun(kit.Fix{
		AZ:  "az aks disable-addons -g {rg} -n {name} -a kube-dashboard",
		ARM: "properties.addonProfiles.kubeDashboard.enabled: false",
		TF:  "addon_profile { kube_dashboard { enabled = false } } (azurerm 2.x; azurerm 3.0 and later do not manage the add-on: az aks disable-addons -g {rg} -n {name} -a kube-dashboard)",
	}, evalDSH001),
}

// evalDSH001 combines the add-on (Azure half) with dashboard workloads in
// the Kubernetes input (Kubernetes half). Without Azure input a dashboard
// found fails; none found is not-assessed, because the add-on's dashboard
// (an AKS-managed kube-system Deployment) is not in manifests.
func evalDSH001(_ *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, _ *kit.KubeOut) {
	var fs []kit.KubeFinding
	if kin.K != nil {
		fs = dashboardWorkloads(kin.K)
	}
	kev := kit.FindingsEvidence("dashboard", fs)
	remedy := kit.KubeDeleteCmds(fs) + " (or remove it from the manifests)"
	what := ""
	if len(fs) > 0 {
		what = fmt.Sprintf("the Kubernetes Dashboard is deployed: %s", kit.NamesUpTo(kit.FindingRefs(fs), 3))
	}
	if c == nil {
		if len(fs) > 0 {
			o.FailWith(what, false, remedy, fs, kev...)
			return
		}
		o.Unknown("no Kubernetes Dashboard in the Kubernetes input, but without the cluster's Azure configuration (az aks show) the kubeDashboard add-on cannot be ruled out",
			kit.Fact("workloads", fmt.Sprintf("%d read", len(kin.K.Workloads))))
		return
	}
	f := kit.AddonField(c, "kubeDashboard")
	azFail := f.Or(false)
	switch {
	case azFail && len(fs) > 0:
		o.FailWith("the Kubernetes Dashboard add-on is enabled; "+what, true, remedy, fs, append([]kit.Evidence{kit.Ev(f, "")}, kev...)...)
	case azFail:
		o.Fail("the Kubernetes Dashboard add-on is enabled", kit.Ev(f, ""))
	case len(fs) > 0:
		o.FailWith(what, false, remedy, fs, append(kev, kit.Ev(f, "add-on not enabled"))...)
	case f.IsUnknown():
		o.Unresolved("whether the dashboard add-on is enabled", kit.Ev(f, ""))
	case kin.K == nil:
		o.Unknown("the dashboard add-on is off; "+kin.Missing+" to rule out a kubernetes-dashboard Deployment", kit.Ev(f, "add-on not enabled"))
	default:
		o.Pass("the dashboard add-on is off and no dashboard Deployment was found", kit.Ev(f, "add-on not enabled"),
			kit.Fact("workloads", fmt.Sprintf("%d read", len(kin.K.Workloads))))
	}
}

// dashboardWorkloads returns the dashboard workloads (Pods created by a controller
// are judged through it).
func dashboardWorkloads(k *inventory.Kube) []kit.KubeFinding {
	var out []kit.KubeFinding
	for _, w := range k.Workloads {
		if podOwnedByController(w) {
			continue
		}
		if why, ok := dashboardWorkload(w); ok {
			out = append(out, kit.KubeFinding{M: &w.Meta, What: why})
		}
	}
	return out
}
