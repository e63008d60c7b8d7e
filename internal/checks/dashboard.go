package checks

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaDashboard = "Kubernetes Dashboard"

func init() {
	check.Register(&check.Control{
		ID: "AKS-DSH-001", Title: "Dashboard not deployed", Severity: check.High, Area: areaDashboard,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Rationale:   "The Kubernetes Dashboard has been the entry point of real cluster compromises: exposed with a powerful service account, it hands the cluster to whoever reaches it.",
		FailsWhen:   "The kubeDashboard add-on is enabled, or a kubernetes-dashboard Deployment exists.",
		Remediation: "Disable the add-on and delete the dashboard; use the Azure portal's Kubernetes resource view instead.",
		References:  []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal", "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security"},
		Run: perCluster(fix{
			AZ:  "az aks disable-addons -g {rg} -n {name} -a kube-dashboard",
			ARM: "properties.addonProfiles.kubeDashboard.enabled: false",
			TF:  "(the kubeDashboard add-on is not managed by azurerm ≥ 3.0: run az aks disable-addons -a kube-dashboard)",
		}, func(ctx *check.Context, c *inventory.Cluster, o *out) {
			f := addonField(c, "kubeDashboard")
			switch {
			case f.IsUnknown():
				o.unresolved("whether the dashboard add-on is enabled", ev(f, ""))
			case f.Or(false):
				o.fail("the Kubernetes Dashboard add-on is enabled", ev(f, ""))
			case !ctx.Inv.Kubernetes:
				o.unknown("the dashboard add-on is off; "+k8sMissing+" to rule out a kubernetes-dashboard Deployment", ev(f, "add-on not enabled"))
			default:
				o.pass("the dashboard add-on is off and no dashboard Deployment was found", ev(f, "add-on not enabled"))
			}
		}),
	})
}
