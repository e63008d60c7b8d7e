package checks

import (
	"fmt"
	"sort"
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
		Reads:       []string{inventory.ColWorkloads, inventory.ColVulnerabilityReports},
		Rationale:   "Images carry vulnerable packages; without scanning, fixable critical CVEs run unnoticed.",
		FailsWhen:   "Vulnerability reports (Trivy Operator VulnerabilityReport objects) show fixable critical CVEs for a workload; or Defender for Containers is off and the Kubernetes input holds no vulnerability reports. Not assessed when Defender is off and there is no Kubernetes input.",
		Remediation: "Enable Defender for Containers (agentless image scanning) or deploy the Trivy Operator, and fix the critical CVEs.",
		References:  []string{"https://learn.microsoft.com/azure/defender-for-cloud/agentless-vulnerability-assessment-azure", "https://aquasecurity.github.io/trivy-operator/latest/"},
		Run: mixedRun(fix{
			AZ: "az aks update -g {rg} -n {name} --enable-defender",
			TF: "microsoft_defender { log_analytics_workspace_id = <workspace id> }",
		}, evalIMG004),
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
				Message: absent(c, inventory.CompanionRegistries, "container registry data", "scan `az acr show -n <registry> -o json` for the registries the cluster pulls from"),
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
			res.Remediation = strings.NewReplacer("{reg}", orPlaceholder(reg.Name, "<registry>"), "{regid}", armIDOr(reg.ID, "<registry-id>")).Replace(registryFix)
		case unknownPE:
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": private endpoint connections are not in the input"
		case reg.AdminUserEnabled.IsUnknown():
			// An unresolved expression or a value of the wrong type is no
			// proof that the admin user is off.
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": whether the admin user is enabled cannot be determined: " + reg.AdminUserEnabled.Why
		default:
			res.Status = check.Pass
			res.Message = "registry " + name + " is private, without admin user"
		}
		out = append(out, res)
	}
	return out
}

// vulnOwner is the workload a VulnerabilityReport is about.
type vulnOwner struct{ kind, ns, name string }

// vulnFindings are one workload's fixable critical vulnerabilities.
type vulnFindings struct {
	owner   vulnOwner
	reports []*inventory.VulnerabilityReport
	ids     []string // fixable critical CVE IDs
}

// reportOwner resolves a report's owner to the workload in the input: Trivy
// reports on the ReplicaSet of a Deployment and on the Job of a CronJob.
func reportOwner(r *inventory.VulnerabilityReport, byRef map[string]*inventory.Workload) vulnOwner {
	o := vulnOwner{kind: r.OwnerKind, ns: r.OwnerNamespace, name: r.OwnerName}
	if o.ns == "" {
		o.ns = r.EffectiveNamespace()
	}
	if o.kind == "" || o.name == "" {
		return vulnOwner{kind: r.Kind, ns: r.EffectiveNamespace(), name: r.DisplayName()}
	}
	for i := 0; i < 2; i++ {
		w := byRef[o.kind+"/"+o.ns+"/"+o.name]
		if w == nil {
			break
		}
		ctl := w.Controller()
		if ctl == nil {
			break
		}
		o = vulnOwner{kind: ctl.Kind, ns: o.ns, name: ctl.Name}
	}
	// Without the ReplicaSet in the input, name-<pod-template-hash> names
	// the Deployment when it is in the input.
	if o.kind == "ReplicaSet" {
		if i := strings.LastIndexByte(o.name, '-'); i > 0 && byRef["Deployment/"+o.ns+"/"+o.name[:i]] != nil {
			o = vulnOwner{kind: "Deployment", ns: o.ns, name: o.name[:i]}
		}
	}
	return o
}

// evalIMG004 reports fixable critical CVEs per workload; the cluster-level
// result says whether images are scanned at all and is emitted only when no
// workload fails (each failing workload is its own result).
func evalIMG004(_ *check.Context, c *inventory.Cluster, kin kubeIn, o *out, ko *kubeOut) {
	nReports, failing := 0, 0
	if k := kin.K; k != nil {
		nReports = len(k.VulnerabilityReports)
		failing = img004Workloads(k, ko)
	}
	if failing > 0 {
		return
	}
	rep := fact("vulnerabilityReports", fmt.Sprintf("%d, no fixable critical vulnerability", nReports))
	if c == nil {
		if nReports > 0 {
			o.pass(fmt.Sprintf("images are scanned (%d Trivy vulnerability reports) and none shows a fixable critical CVE", nReports), rep)
			return
		}
		o.unknown("the Kubernetes input holds no vulnerability reports; whether Defender for Containers scans images is a cluster setting: scan the cluster's az aks show output too",
			fact("vulnerabilityReports", "none"))
		return
	}
	d := c.Defender
	switch {
	case nReports > 0:
		o.pass(fmt.Sprintf("images are scanned (%d Trivy vulnerability reports) and none shows a fixable critical CVE", nReports), rep, ev(d, "not enabled"))
	case d.IsUnknown():
		o.unresolved("whether Defender is enabled", ev(d, ""))
	case kin.K == nil && d.Or(false):
		o.unknown("Defender scans images; "+kin.Missing+" to check vulnerability reports for fixable critical CVEs", ev(d, ""))
	case kin.K == nil:
		o.unknown("Defender is off; "+kin.Missing+" to look for vulnerability reports", ev(d, "not enabled"))
	case d.Or(false):
		o.pass("Defender for Containers scans images (its findings are in Defender for Cloud); the Kubernetes input holds no Trivy vulnerability reports", ev(d, ""),
			fact("vulnerabilityReports", "none"))
	default:
		o.fail("images are not scanned: Defender for Containers is off and the Kubernetes input holds no vulnerability reports", ev(d, "not enabled"),
			fact("vulnerabilityReports", "none"))
	}
}

// img004Workloads emits a fail per workload whose reports show fixable
// critical vulnerabilities and returns how many.
func img004Workloads(k *inventory.Kube, ko *kubeOut) int {
	byRef := map[string]*inventory.Workload{}
	for _, w := range k.Workloads {
		byRef[w.Kind+"/"+w.EffectiveNamespace()+"/"+w.Name] = w
	}
	var order []vulnOwner
	by := map[vulnOwner]*vulnFindings{}
	for _, r := range k.VulnerabilityReports {
		var ids []string
		for _, v := range r.Vulnerabilities {
			if strings.EqualFold(v.Severity, "CRITICAL") && v.FixedVersion != "" {
				ids = append(ids, v.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		own := reportOwner(r, byRef)
		f := by[own]
		if f == nil {
			f = &vulnFindings{owner: own}
			by[own] = f
			order = append(order, own)
		}
		f.reports = append(f.reports, r)
		f.ids = append(f.ids, ids...)
	}
	for _, own := range order {
		f := by[own]
		ids := img004Dedup(f.ids)
		var evs []evidence
		for _, r := range f.reports {
			n := 0
			for _, v := range r.Vulnerabilities {
				if strings.EqualFold(v.Severity, "CRITICAL") && v.FixedVersion != "" {
					n++
				}
			}
			img := r.Repository
			if r.Tag != "" {
				img += ":" + r.Tag
			}
			evs = append(evs, kubeEv(&r.Meta, r.Ref(), fmt.Sprintf("container %s, image %s: %d fixable critical", orPlaceholder(r.Container, "?"), img, n)))
		}
		evs = append(evs, fact("fixableCritical", ccNames(ids, 8)))
		m := &f.reports[0].Meta
		if w := byRef[own.kind+"/"+own.ns+"/"+own.name]; w != nil {
			m = &w.Meta
		} else {
			mm := *m
			mm.Kind, mm.Namespace, mm.Name, mm.GenerateName, mm.ClusterScoped = own.kind, own.ns, own.name, "", false
			m = &mm
		}
		msg := fmt.Sprintf("%s runs images with fixable critical vulnerabilities (%d): %s", own.kind+"/"+own.ns+"/"+own.name, len(ids), ccNames(ids, 5))
		fix := "rebuild or update the images to the fixed package versions (trivy reports the fixedVersion of each CVE) and redeploy " + own.kind + "/" + own.name
		r := ko.emit(m, check.Fail, msg, fix, evs...)
		// The fix is in the workload's manifest (its image), not the report.
		r.Source = check.Location{File: m.Source.File, Line: m.Source.Line}
	}
	return len(order)
}

func img004Dedup(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
