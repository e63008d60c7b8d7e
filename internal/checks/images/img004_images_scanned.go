package images

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var img004 = &check.Control{
	ID: "AKS-IMG-004", Title: "Images scanned", Severity: check.High, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       []string{inventory.ColWorkloads, inventory.ColVulnerabilityReports},
	Rationale:   "Images carry vulnerable packages; without scanning, fixable critical CVEs run unnoticed.",
	FailsWhen:   "Vulnerability reports (Trivy Operator VulnerabilityReport objects) show fixable critical CVEs for a workload; or Defender for Containers is off and the Kubernetes input holds no vulnerability reports. Not assessed when Defender is off and there is no Kubernetes input.",
	Remediation: "Enable Defender for Containers (agentless image scanning) or deploy the Trivy Operator, and fix the critical CVEs.",
	References:  []string{"https://learn.microsoft.com/azure/defender-for-cloud/agentless-vulnerability-assessment-azure", "https://aquasecurity.github.io/trivy-operator/latest/"},
	// CIS 5.1.1 only. Not mapped: policy 17f4b1cc judges Defender
	// Vulnerability Management findings, which aksguard does not read.
	Mappings: check.Mappings{
		CIS17: []string{"5.1.1"}, CIS18: []string{"5.1.1"},
	},
	Run: kit.MixedRun(kit.Fix{
		AZ: "az aks update -g {rg} -n {name} --enable-defender",
		TF: "microsoft_defender { log_analytics_workspace_id = <workspace id> }",
	}, evalIMG004),
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
func evalIMG004(_ *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, ko *kit.KubeOut) {
	nReports, failing := 0, 0
	if k := kin.K; k != nil {
		nReports = len(k.VulnerabilityReports)
		failing = img004Workloads(k, ko)
	}
	if failing > 0 {
		return
	}
	rep := kit.Fact("vulnerabilityReports", fmt.Sprintf("%d, no fixable critical vulnerability", nReports))
	if c == nil {
		if nReports > 0 {
			o.Pass(fmt.Sprintf("images are scanned (%d Trivy vulnerability reports) and none shows a fixable critical CVE", nReports), rep)
			return
		}
		o.Unknown("the Kubernetes input holds no vulnerability reports; whether Defender for Containers scans images is a cluster setting: scan the cluster's az aks show output too",
			kit.Fact("vulnerabilityReports", "none"))
		return
	}
	d := c.Defender
	switch {
	case nReports > 0:
		o.Pass(fmt.Sprintf("images are scanned (%d Trivy vulnerability reports) and none shows a fixable critical CVE", nReports), rep, kit.Ev(d, "not enabled"))
	case d.IsUnknown():
		o.Unresolved("whether Defender is enabled", kit.Ev(d, ""))
	case kin.K == nil && d.Or(false):
		o.Unknown("Defender scans images; "+kin.Missing+" to check vulnerability reports for fixable critical CVEs", kit.Ev(d, ""))
	case kin.K == nil:
		o.Unknown("Defender is off; "+kin.Missing+" to look for vulnerability reports", kit.Ev(d, "not enabled"))
	case d.Or(false):
		o.Pass("Defender for Containers scans images (its findings are in Defender for Cloud); the Kubernetes input holds no Trivy vulnerability reports", kit.Ev(d, ""),
			kit.Fact("vulnerabilityReports", "none"))
	default:
		o.Fail("images are not scanned: Defender for Containers is off and the Kubernetes input holds no vulnerability reports", kit.Ev(d, "not enabled"),
			kit.Fact("vulnerabilityReports", "none"))
	}
}

// img004Workloads emits a fail per workload whose reports show fixable
// critical vulnerabilities and returns how many.
func img004Workloads(k *inventory.Kube, ko *kit.KubeOut) int {
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
		var evs []kit.Evidence
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
			evs = append(evs, kit.KubeEv(&r.Meta, r.Ref(), fmt.Sprintf("container %s, image %s: %d fixable critical", kit.OrPlaceholder(r.Container, "?"), img, n)))
		}
		evs = append(evs, kit.Fact("fixableCritical", kit.NamesUpTo(ids, 8)))
		m := &f.reports[0].Meta
		if w := byRef[own.kind+"/"+own.ns+"/"+own.name]; w != nil {
			m = &w.Meta
		} else {
			mm := *m
			mm.Kind, mm.Namespace, mm.Name, mm.GenerateName, mm.ClusterScoped = own.kind, own.ns, own.name, "", false
			m = &mm
		}
		msg := fmt.Sprintf("%s runs images with fixable critical vulnerabilities (%d): %s", own.kind+"/"+own.ns+"/"+own.name, len(ids), kit.NamesUpTo(ids, 5))
		fix := "rebuild or update the images to the fixed package versions (trivy reports the fixedVersion of each CVE) and redeploy " + own.kind + "/" + own.name
		r := ko.Emit(m, check.Fail, msg, fix, evs...)
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
