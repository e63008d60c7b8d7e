package checks

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaGovernance = "Governance and images"

func init() {
	check.Register(&check.Control{
		ID: "AKS-GOV-001", Title: "Azure Policy add-on", Severity: check.Medium, Area: areaGovernance,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "The Azure Policy add-on runs Gatekeeper with Azure's built-in pod security and image policies, audited centrally across clusters.",
		FailsWhen:   "The azurepolicy add-on is disabled.",
		Remediation: "Enable the Azure Policy add-on and assign the Kubernetes pod security baseline initiative.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-azure-policy", "https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes"},
		Run: perCluster(fix{
			AZ:  "az aks enable-addons -g {rg} -n {name} -a azure-policy",
			TF:  "azure_policy_enabled = true",
			ARM: "properties.addonProfiles.azurepolicy.enabled: true",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: addonField(c, "azurepolicy"), want: true, def: false, defNote: "add-on not enabled",
				passMsg: "the Azure Policy add-on is enabled", failMsg: "the Azure Policy add-on is not enabled", what: "whether the Azure Policy add-on is enabled"})
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-IMG-003", Title: "Registry locked down", Severity: check.Medium, Area: areaGovernance,
		Inputs:      []check.Input{check.AZX},
		Rationale:   "A registry reachable from the internet with an admin user (a shared, static password) lets a leaked password push images your clusters will run.",
		FailsWhen:   "A container registry has public network access enabled, the admin user enabled, or no private endpoint connection.",
		Remediation: "Disable the admin user and public network access, and reach the registry through a private endpoint.",
		References:  []string{"https://learn.microsoft.com/azure/container-registry/container-registry-private-link", "https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account"},
		Run:         runIMG003,
	})
	check.Register(&check.Control{
		ID: "AKS-IMG-004", Title: "Images scanned", Severity: check.High, Area: areaGovernance,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Rationale:   "Images carry vulnerable packages; without scanning, fixable critical CVEs run unnoticed.",
		FailsWhen:   "Vulnerability reports (Trivy Operator VulnerabilityReport objects) show fixable critical CVEs for a workload; or Defender for Containers is off and the Kubernetes input holds no vulnerability reports. Not assessed when Defender is off and there is no Kubernetes input.",
		Remediation: "Enable Defender for Containers (agentless image scanning) or deploy the Trivy Operator, and fix the critical CVEs.",
		References:  []string{"https://learn.microsoft.com/azure/defender-for-cloud/agentless-vulnerability-assessment-azure", "https://aquasecurity.github.io/trivy-operator/latest/"},
		Run: perCluster(fix{
			AZ: "az aks update -g {rg} -n {name} --enable-defender",
			TF: "microsoft_defender { log_analytics_workspace_id = <workspace id> }",
		}, func(ctx *check.Context, c *inventory.Cluster, o *out) {
			d := c.Defender
			switch {
			case d.IsUnknown():
				o.unresolved("whether Defender is enabled", ev(d, ""))
			case !ctx.Inv.Kubernetes && d.Or(false):
				o.unknown("Defender scans images; "+k8sMissing+" to check vulnerability reports for fixable critical CVEs", ev(d, ""))
			case !ctx.Inv.Kubernetes:
				o.unknown("Defender is off; "+k8sMissing+" to look for vulnerability reports", ev(d, "not enabled"))
			default:
				o.unknown("vulnerability reports in the Kubernetes input are not evaluated by this build", ev(d, "not enabled"))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-IMG-005", Title: "Image cleaner", Severity: check.Low, Area: areaGovernance,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Unused images stay on nodes with their vulnerabilities; Image Cleaner removes them.",
		FailsWhen:   "Image Cleaner is disabled.",
		Remediation: "Enable Image Cleaner.",
		References:  []string{"https://learn.microsoft.com/azure/aks/image-cleaner"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-image-cleaner",
			TF:  "image_cleaner_enabled = true",
			ARM: "properties.securityProfile.imageCleaner.enabled: true",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: c.ImageCleaner, want: true, def: false, defNote: "disabled by default",
				passMsg: "Image Cleaner removes unused images", failMsg: "Image Cleaner is disabled", what: "whether Image Cleaner is enabled"})
		}),
	})
}

var registryFix = "az acr update -n {reg} --admin-enabled false --public-network-enabled false; add a private endpoint: az network private-endpoint create --group-id registry --private-connection-resource-id {regid} ..."

func runIMG003(ctx *check.Context) []check.Result {
	var out []check.Result
	if len(ctx.Inv.Registries) == 0 {
		for _, c := range ctx.Inv.Clusters {
			r := check.Result{Status: check.NotAssessed, Resource: clusterResource(c),
				Message: "no container registry data: scan `az acr show -n <registry> -o json` for the registries the cluster pulls from",
				Source:  check.Location{File: c.Source.File, Line: c.Source.Line}}
			out = append(out, r)
		}
		return out
	}
	for _, reg := range ctx.Inv.Registries {
		var problems []string
		var evs []evidence
		pna := reg.PublicNetworkAccess
		evs = append(evs, ev(pna, "Enabled by default"))
		if !pna.IsKnown() || !eqFold(pna.Val, "Disabled") {
			problems = append(problems, "public network access is enabled")
		}
		evs = append(evs, ev(reg.AdminUserEnabled, "disabled by default"))
		if reg.AdminUserEnabled.Or(false) {
			problems = append(problems, "the admin user is enabled")
		}
		pe := reg.PrivateEndpoints
		evs = append(evs, ev(pe, "none"))
		unknownPE := !pe.IsKnown()
		if pe.IsKnown() && pe.Val == 0 {
			problems = append(problems, "no private endpoint connection")
		}
		name := reg.Name
		if name == "" {
			name = reg.LoginServer
		}
		res := check.Result{Resource: check.Resource{Kind: "ContainerRegistry", ID: reg.ID, Name: name},
			Source: check.Location{File: reg.Source.File, Line: reg.Source.Line}}
		res.Evidence, _ = flatten(evs)
		switch {
		case len(problems) > 0:
			res.Status = check.Fail
			res.Message = "registry " + name + ": " + strings.Join(problems, "; ")
			res.Remediation = strings.NewReplacer("{reg}", orPlaceholder(reg.Name, "<registry>"), "{regid}", orPlaceholder(reg.ID, "<registry-id>")).Replace(registryFix)
		case unknownPE:
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": private endpoint connections are not in the input"
		default:
			res.Status = check.Pass
			res.Message = "registry " + name + " is private, without admin user"
		}
		out = append(out, res)
	}
	return out
}
