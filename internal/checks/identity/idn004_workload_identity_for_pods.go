package identity

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn004 = &check.Control{
	ID: "AKS-IDN-004", Title: "Workload identity for pods", Severity: check.Medium, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       []string{inventory.ColAzureIdentities, inventory.ColAzureIdentityBindings},
	Rationale:   "Workload identity federates Kubernetes service accounts with Entra ID, so pods get Azure tokens without secrets; pod-managed identity (aad-pod-identity) is deprecated and intercepts IMDS traffic node-wide.",
	FailsWhen:   "Workload identity (with the OIDC issuer) is not enabled; or pod-managed identity is in use (podIdentityProfile.enabled, or AzureIdentity / AzureIdentityBinding objects in the cluster).",
	Remediation: "Enable the OIDC issuer and workload identity, and migrate pod-managed identities.",
	References:  []string{"https://learn.microsoft.com/azure/aks/workload-identity-overview", "https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"2cc2e023-0dac-4046-875b-178f683929d5", // Azure Kubernetes Service Clusters should enable workload identity
		},
	},
	Run: kit.MixedRun(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-oidc-issuer --enable-workload-identity",
		TF:  "oidc_issuer_enabled = true and workload_identity_enabled = true",
		ARM: "properties.oidcIssuerProfile.enabled: true and properties.securityProfile.workloadIdentity.enabled: true",
	}, evalIDN004),
}

// evalIDN004 combines the cluster's workload identity and pod identity
// settings (Azure half) with aad-pod-identity objects in the Kubernetes
// input (Kubernetes half). Without Azure input, aad-pod-identity objects
// fail; their absence cannot pass, since whether workload identity is
// enabled is an Azure setting.
func evalIDN004(_ *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, _ *kit.KubeOut) {
	var fs []kit.KubeFinding
	if kin.K != nil {
		for _, x := range kin.K.AzureIdentities {
			fs = append(fs, kit.KubeFinding{M: &x.Meta})
		}
		for _, x := range kin.K.AzureIdentityBindings {
			fs = append(fs, kit.KubeFinding{M: &x.Meta, What: "azureIdentity " + x.AzureIdentity + ", selector " + x.Selector})
		}
	}
	kev := kit.FindingsEvidence("aadpodidentity.k8s.io", fs)
	remedy := "migrate the pods to workload identity (az identity federated-credential create ... and the azure.workload.identity/use label), then " + kit.KubeDeleteCmds(fs)
	what := ""
	if len(fs) > 0 {
		what = fmt.Sprintf("pod-managed identity (deprecated) is in use: %d aad-pod-identity object(s) (%s)", len(fs), kit.NamesUpTo(kit.FindingRefs(fs), 3))
	}
	if c == nil {
		if len(fs) > 0 {
			o.FailWith(what, false, remedy, fs, kev...)
			return
		}
		o.Unknown("no aad-pod-identity objects in the Kubernetes input; whether workload identity is enabled is a cluster setting: scan the cluster's az aks show output too",
			kit.Fact("aadpodidentity.k8s.io", "no AzureIdentity or AzureIdentityBinding"))
		return
	}
	wi, oidc, pod := c.WorkloadIdentity, c.OIDCIssuer, c.PodIdentity
	var azFail string
	var aev []kit.Evidence
	switch {
	case pod.IsKnown() && pod.Val:
		azFail, aev = "pod-managed identity (deprecated) is enabled", []kit.Evidence{kit.Ev(pod, ""), kit.Ev(wi, "off by default")}
	case wi.IsUnknown() || pod.IsUnknown():
	case !wi.Or(false):
		azFail, aev = "workload identity is not enabled: pods need secrets or node identities to reach Azure", []kit.Evidence{kit.Ev(wi, "off by default"), kit.Ev(oidc, "")}
	case oidc.IsKnown() && !oidc.Val:
		azFail, aev = "workload identity needs the OIDC issuer, which is disabled", []kit.Evidence{kit.Ev(wi, ""), kit.Ev(oidc, "")}
	}
	switch {
	case azFail != "" && len(fs) > 0:
		o.FailWith(azFail+"; "+what, true, remedy, fs, append(aev, kev...)...)
	case azFail != "":
		o.Fail(azFail, aev...)
	case len(fs) > 0:
		o.FailWith(what, false, remedy, fs, append(kev, kit.Ev(wi, "off by default"))...)
	case wi.IsUnknown() || pod.IsUnknown():
		o.Unresolved("whether workload identity is enabled", kit.Ev(wi, ""), kit.Ev(pod, ""))
	case kin.K == nil:
		o.Unknown("workload identity is enabled on the cluster; "+kin.Missing+" to rule out aad-pod-identity objects", kit.Ev(wi, ""), kit.Ev(oidc, ""))
	default:
		o.Pass("workload identity is enabled and no pod-managed identity is in use", kit.Ev(wi, ""), kit.Ev(oidc, ""),
			kit.Fact("aadpodidentity.k8s.io", "no AzureIdentity or AzureIdentityBinding in the Kubernetes input"))
	}
}
