package checks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaIdentity = "Cluster identity and credentials"

func init() {
	check.Register(&check.Control{
		ID: "AKS-IDN-001", Title: "Managed identity instead of service principal", Severity: check.Medium, Area: areaIdentity,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "A service principal's secret must be rotated by hand and can leak; a managed identity has no secret to manage.",
		FailsWhen:   "The cluster uses a service principal (servicePrincipalProfile.clientId is not \"msi\").",
		Remediation: "Move the cluster to a managed identity.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-managed-identity"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-managed-identity",
			TF:  `identity { type = "UserAssigned" identity_ids = [<identity-id>] } (remove service_principal)`,
			ARM: `identity: {type: "UserAssigned", ...} and remove properties.servicePrincipalProfile`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			switch usesServicePrincipal(c) {
			case spUnknown:
				o.unresolved("the cluster identity", ev(c.ServicePrincipalClientID, ""), ev(c.IdentityType, ""))
			case spYes:
				o.fail("the cluster authenticates to Azure with a service principal", ev(c.ServicePrincipalClientID, ""))
			case spNo:
				o.pass("the cluster uses a managed identity", ev(c.IdentityType, ""), ev(c.ServicePrincipalClientID, ""))
			default:
				o.unknown("the input names neither a managed identity nor a service principal", ev(c.IdentityType, ""), ev(c.ServicePrincipalClientID, ""))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-IDN-002", Title: "User-assigned control-plane identity", Severity: check.Low, Area: areaIdentity,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "A system-assigned identity dies with the cluster, so role assignments must be recreated when the cluster is rebuilt; a user-assigned identity is managed and pre-authorised independently.",
		FailsWhen:   "The control plane uses a system-assigned identity. Not applicable with a service principal.",
		Remediation: "Assign a user-assigned managed identity to the control plane.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-user-assigned-managed-identity"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-managed-identity --assign-identity <user-assigned-identity-resource-id>",
			TF:  `identity { type = "UserAssigned" identity_ids = [<identity-id>] }`,
			ARM: `identity: {type: "UserAssigned", userAssignedIdentities: {"<identity-id>": {}}}`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			switch usesServicePrincipal(c) {
			case spYes:
				o.na("the cluster uses a service principal (AKS-IDN-001 reports it)", ev(c.ServicePrincipalClientID, ""))
				return
			case spUnknown:
				o.unresolved("the cluster identity", ev(c.IdentityType, ""), ev(c.ServicePrincipalClientID, ""))
				return
			}
			t := c.IdentityType
			switch {
			case t.IsUnknown():
				o.unresolved("the identity type", ev(t, ""))
			case eqFold(t.Val, "UserAssigned"):
				o.pass("user-assigned control-plane identity", ev(t, ""))
			case eqFold(t.Val, "SystemAssigned"):
				o.fail("system-assigned control-plane identity: it cannot be reused when the cluster is recreated", ev(t, ""))
			default:
				o.unknown("the identity type is not stated", ev(t, ""))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-IDN-003", Title: "Service principal credential expiry", Severity: check.High, Area: areaIdentity,
		Inputs:      []check.Input{check.AZ, check.AZX},
		Rationale:   "When the cluster's service-principal secret expires, the cluster can no longer manage load balancers, disks or scale nodes.",
		FailsWhen:   "A service principal is used and its secret expires within the configured window (default 30 days) or has expired. Not assessed when the expiry is unknown; not applicable with a managed identity.",
		Remediation: "Reset the service principal credentials before they expire, or move to a managed identity.",
		References:  []string{"https://learn.microsoft.com/azure/aks/update-credentials"},
		Run: perCluster(fix{
			AZ: "az aks update-credentials -g {rg} -n {name} --reset-service-principal --service-principal <app-id> --client-secret <new-secret> (or az aks update -g {rg} -n {name} --enable-managed-identity)",
			TF: "service_principal { client_secret = <new secret> } or move to identity { }",
		}, evalIDN003),
	})
	check.Register(&check.Control{
		ID: "AKS-IDN-004", Title: "Workload identity for pods", Severity: check.Medium, Area: areaIdentity,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Reads:       []string{inventory.ColAzureIdentities, inventory.ColAzureIdentityBindings},
		Rationale:   "Workload identity federates Kubernetes service accounts with Entra ID, so pods get Azure tokens without secrets; pod-managed identity (aad-pod-identity) is deprecated and intercepts IMDS traffic node-wide.",
		FailsWhen:   "Workload identity (with the OIDC issuer) is not enabled; or pod-managed identity is in use (podIdentityProfile.enabled, or AzureIdentity / AzureIdentityBinding objects in the cluster).",
		Remediation: "Enable the OIDC issuer and workload identity, and migrate pod-managed identities.",
		References:  []string{"https://learn.microsoft.com/azure/aks/workload-identity-overview", "https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity"},
		Run: mixedRun(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-oidc-issuer --enable-workload-identity",
			TF:  "oidc_issuer_enabled = true and workload_identity_enabled = true",
			ARM: "properties.oidcIssuerProfile.enabled: true and properties.securityProfile.workloadIdentity.enabled: true",
		}, evalIDN004),
	})
}

type spState int

const (
	spNone spState = iota
	spYes
	spNo
	spUnknown
)

// usesServicePrincipal decides whether the cluster runs with a service
// principal: clientId "msi" (or an identity block) means managed identity.
func usesServicePrincipal(c *inventory.Cluster) spState {
	// An identity block means a managed identity, whatever clientId says:
	// recorded az responses sanitise "msi" into a GUID.
	t, sp := c.IdentityType, c.ServicePrincipalClientID
	switch {
	case t.IsUnknown():
		return spUnknown
	case t.IsKnown() && eqFold(t.Val, "SystemAssigned", "UserAssigned"):
		return spNo
	case sp.IsUnknown():
		return spUnknown
	case sp.IsKnown() && strings.EqualFold(sp.Val, "msi"):
		return spNo
	case sp.IsKnown() && sp.Val != "":
		return spYes
	}
	return spNone
}

func evalIDN003(ctx *check.Context, c *inventory.Cluster, o *out) {
	switch usesServicePrincipal(c) {
	case spNo:
		o.na("the cluster uses a managed identity: no secret expires", ev(c.IdentityType, ""))
		return
	case spUnknown, spNone:
		o.unresolved("the cluster identity", ev(c.ServicePrincipalClientID, ""), ev(c.IdentityType, ""))
		return
	}
	appID := c.ServicePrincipalClientID.Val
	if c.Credentials == nil {
		o.unknown(fmt.Sprintf("the service principal's secret expiry is unknown: scan `az ad app show --id %s -o json` with the cluster", appID),
			ev(c.ServicePrincipalClientID, ""))
		return
	}
	if len(c.Credentials.Credentials) == 0 {
		o.unknown("the credential listing holds no credentials for the service principal", ev(c.ServicePrincipalClientID, ""),
			fact(c.Credentials.Source.File, "no credentials"))
		return
	}
	window := ctx.Settings.CredentialExpiryWindow
	var bad, unparsed []string
	var latest time.Time
	creds := append([]inventory.Credential(nil), c.Credentials.Credentials...)
	sort.Slice(creds, func(i, j int) bool { return creds[i].EndDateTime < creds[j].EndDateTime })
	for _, cr := range creds {
		end, err := parseTime(cr.EndDateTime)
		label := cr.DisplayName
		if label == "" {
			label = cr.KeyID
		}
		if err != nil {
			unparsed = append(unparsed, label)
			continue
		}
		if end.After(latest) {
			latest = end
		}
		switch {
		case !end.After(ctx.Now):
			bad = append(bad, fmt.Sprintf("%s expired %s", label, end.Format("2006-01-02")))
		case end.Sub(ctx.Now) < window:
			bad = append(bad, fmt.Sprintf("%s expires %s (in %d days)", label, end.Format("2006-01-02"), int(end.Sub(ctx.Now).Hours()/24)))
		}
	}
	src := fact(c.Credentials.Source.File, fmt.Sprintf("%d credential(s)", len(creds)))
	// The cluster keeps working while any secret is valid beyond the window;
	// but it uses exactly one, so every near-expiry secret is reported.
	switch {
	case len(bad) > 0 && latest.Sub(ctx.Now) < window:
		o.fail("service principal secret expiring: "+strings.Join(bad, "; "), ev(c.ServicePrincipalClientID, ""), src)
	case len(bad) > 0:
		o.fail("some service principal secrets expire soon ("+strings.Join(bad, "; ")+"); make sure the cluster uses the one valid until "+latest.Format("2006-01-02"),
			ev(c.ServicePrincipalClientID, ""), src)
	case len(unparsed) > 0:
		o.unknown("credential end dates could not be read: "+strings.Join(unparsed, ", "), src)
	default:
		o.pass(fmt.Sprintf("service principal secrets valid beyond %d days (latest until %s)", int(window.Hours()/24), latest.Format("2006-01-02")),
			ev(c.ServicePrincipalClientID, ""), src)
	}
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}

// evalIDN004 combines the cluster's workload identity and pod identity
// settings (Azure half) with aad-pod-identity objects in the Kubernetes
// input (Kubernetes half). Without Azure input, aad-pod-identity objects
// fail; their absence cannot pass, since whether workload identity is
// enabled is an Azure setting.
func evalIDN004(_ *check.Context, c *inventory.Cluster, kin kubeIn, o *out, _ *kubeOut) {
	var fs []kubeFinding
	if kin.K != nil {
		for _, x := range kin.K.AzureIdentities {
			fs = append(fs, kubeFinding{m: &x.Meta})
		}
		for _, x := range kin.K.AzureIdentityBindings {
			fs = append(fs, kubeFinding{m: &x.Meta, what: "azureIdentity " + x.AzureIdentity + ", selector " + x.Selector})
		}
	}
	kev := findingsEvidence("aadpodidentity.k8s.io", fs)
	remedy := "migrate the pods to workload identity (az identity federated-credential create ... and the azure.workload.identity/use label), then " + kubeDeleteCmds(fs)
	what := ""
	if len(fs) > 0 {
		what = fmt.Sprintf("pod-managed identity (deprecated) is in use: %d aad-pod-identity object(s) (%s)", len(fs), ccNames(findingRefs(fs), 3))
	}
	if c == nil {
		if len(fs) > 0 {
			o.failWith(what, false, remedy, fs, kev...)
			return
		}
		o.unknown("no aad-pod-identity objects in the Kubernetes input; whether workload identity is enabled is a cluster setting: scan the cluster's az aks show output too",
			fact("aadpodidentity.k8s.io", "no AzureIdentity or AzureIdentityBinding"))
		return
	}
	wi, oidc, pod := c.WorkloadIdentity, c.OIDCIssuer, c.PodIdentity
	var azFail string
	var aev []evidence
	switch {
	case pod.IsKnown() && pod.Val:
		azFail, aev = "pod-managed identity (deprecated) is enabled", []evidence{ev(pod, ""), ev(wi, "off by default")}
	case wi.IsUnknown() || pod.IsUnknown():
	case !wi.Or(false):
		azFail, aev = "workload identity is not enabled: pods need secrets or node identities to reach Azure", []evidence{ev(wi, "off by default"), ev(oidc, "")}
	case oidc.IsKnown() && !oidc.Val:
		azFail, aev = "workload identity needs the OIDC issuer, which is disabled", []evidence{ev(wi, ""), ev(oidc, "")}
	}
	switch {
	case azFail != "" && len(fs) > 0:
		o.failWith(azFail+"; "+what, true, remedy, fs, append(aev, kev...)...)
	case azFail != "":
		o.fail(azFail, aev...)
	case len(fs) > 0:
		o.failWith(what, false, remedy, fs, append(kev, ev(wi, "off by default"))...)
	case wi.IsUnknown() || pod.IsUnknown():
		o.unresolved("whether workload identity is enabled", ev(wi, ""), ev(pod, ""))
	case kin.K == nil:
		o.unknown("workload identity is enabled on the cluster; "+kin.Missing+" to rule out aad-pod-identity objects", ev(wi, ""), ev(oidc, ""))
	default:
		o.pass("workload identity is enabled and no pod-managed identity is in use", ev(wi, ""), ev(oidc, ""),
			fact("aadpodidentity.k8s.io", "no AzureIdentity or AzureIdentityBinding in the Kubernetes input"))
	}
}
