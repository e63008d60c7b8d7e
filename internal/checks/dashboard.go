package checks

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaDashboard = "Kubernetes Dashboard"

func init() {
	check.Register(&check.Control{
		ID: "AKS-DSH-001", Title: "Dashboard not deployed", Severity: check.High, Area: areaDashboard,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "The Kubernetes Dashboard has been the entry point of real cluster compromises: exposed with a powerful service account, it hands the cluster to whoever reaches it.",
		FailsWhen:   "The kubeDashboard add-on is enabled, or a kubernetes-dashboard Deployment exists.",
		Remediation: "Disable the add-on and delete the dashboard; use the Azure portal's Kubernetes resource view instead.",
		References:  []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal", "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security"},
		Run: mixedRun(fix{
			AZ:  "az aks disable-addons -g {rg} -n {name} -a kube-dashboard",
			ARM: "properties.addonProfiles.kubeDashboard.enabled: false",
			TF:  "addon_profile { kube_dashboard { enabled = false } } (azurerm 2.x; azurerm 3.0 and later do not manage the add-on: az aks disable-addons -g {rg} -n {name} -a kube-dashboard)",
		}, evalDSH001),
	})
}

// evalDSH001 combines the add-on (Azure half) with dashboard workloads in
// the Kubernetes input (Kubernetes half). Without Azure input a dashboard
// found fails; none found is not-assessed, because the add-on's dashboard
// (an AKS-managed kube-system Deployment) is not in manifests.
func evalDSH001(_ *check.Context, c *inventory.Cluster, kin kubeIn, o *out, _ *kubeOut) {
	var fs []kubeFinding
	if kin.K != nil {
		fs = dashboardWorkloads(kin.K)
	}
	kev := findingsEvidence("dashboard", fs)
	remedy := kubeDeleteCmds(fs) + " (or remove it from the manifests)"
	what := ""
	if len(fs) > 0 {
		what = fmt.Sprintf("the Kubernetes Dashboard is deployed: %s", ccNames(findingRefs(fs), 3))
	}
	if c == nil {
		if len(fs) > 0 {
			o.failWith(what, false, remedy, fs, kev...)
			return
		}
		o.unknown("no Kubernetes Dashboard in the Kubernetes input, but without the cluster's Azure configuration (az aks show) the kubeDashboard add-on cannot be ruled out",
			fact("workloads", fmt.Sprintf("%d read", len(kin.K.Workloads))))
		return
	}
	f := addonField(c, "kubeDashboard")
	azFail := f.Or(false)
	switch {
	case azFail && len(fs) > 0:
		o.failWith("the Kubernetes Dashboard add-on is enabled; "+what, true, remedy, fs, append([]evidence{ev(f, "")}, kev...)...)
	case azFail:
		o.fail("the Kubernetes Dashboard add-on is enabled", ev(f, ""))
	case len(fs) > 0:
		o.failWith(what, false, remedy, fs, append(kev, ev(f, "add-on not enabled"))...)
	case f.IsUnknown():
		o.unresolved("whether the dashboard add-on is enabled", ev(f, ""))
	case kin.K == nil:
		o.unknown("the dashboard add-on is off; "+kin.Missing+" to rule out a kubernetes-dashboard Deployment", ev(f, "add-on not enabled"))
	default:
		o.pass("the dashboard add-on is off and no dashboard Deployment was found", ev(f, "add-on not enabled"),
			fact("workloads", fmt.Sprintf("%d read", len(kin.K.Workloads))))
	}
}

func findingRefs(fs []kubeFinding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.m.Ref()
	}
	return out
}

// kubeDeleteCmds renders kubectl delete commands for the objects.
func kubeDeleteCmds(fs []kubeFinding) string {
	cmds := make([]string, 0, len(fs))
	for _, f := range fs {
		kind := strings.ToLower(f.m.Kind)
		if f.m.ClusterScoped {
			cmds = append(cmds, fmt.Sprintf("kubectl delete %s %s", kind, f.m.DisplayName()))
		} else {
			cmds = append(cmds, fmt.Sprintf("kubectl delete -n %s %s %s", f.m.EffectiveNamespace(), kind, f.m.DisplayName()))
		}
	}
	return strings.Join(cmds, "; ")
}
