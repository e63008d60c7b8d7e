package upgrades

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

var upg003 = &check.Control{
	ID: "AKS-UPG-003", Title: "Known CVEs fixed", Severity: check.High, Area: kit.AreaVersions,
	Inputs:      []check.Input{check.AZ, check.AZX},
	Rationale:   "Published Kubernetes control-plane vulnerabilities (kube-apiserver, kube-controller-manager, …) are fixed in patch releases; a control plane below the fixed patch stays exposed.",
	FailsWhen:   "The control-plane version is in the affected range of a published Kubernetes control-plane CVE that is fixed in a later patch. AKS LTS patches (≥ .100) carry backports: not assessed unless the data covers them.",
	Remediation: "Upgrade the control plane to a patch that fixes the listed CVEs (the latest patch of the minor), and check the AKS CVE status for AKS-specific builds.",
	References:  []string{refCVEFeed, refSupportedVersions, refLTS, refAKSReleases},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"fb893a29-21bb-418c-a157-e99480ec364c", // Kubernetes Services should be upgraded to a non-vulnerable Kubernetes version
		},
	},
	Run: kit.PerCluster(upgradeFix(""), evalUPG003),
}

func evalUPG003(ctx *check.Context, c *inventory.Cluster, o *kit.Out) {
	f, v, evs, ok := cpVersion(c, o)
	if !ok {
		return
	}
	if !v.HasPatch {
		o.Unknown(fmt.Sprintf("kubernetesVersion is the minor alias %s; matching CVEs needs the running patch (currentKubernetesVersion), which this input does not have", f.Val), evs...)
		return
	}
	d, err := versionData(ctx, c)
	if err != nil {
		o.Unknown("the version data cannot be read: "+err.Error(), evs...)
		return
	}
	evs = append(evs, unreadVersionsEv(c)...)
	rep, err := d.CVEsAffecting(f.Val)
	if err != nil {
		o.Unknown(err.Error(), evs...)
		return
	}
	evs = append(evs, kit.Fact("cveData", fmt.Sprintf("%s (%d Kubernetes control-plane CVEs)", rep.Source, rep.Considered)))
	note := staleNote(ctx, d)
	switch {
	case len(rep.Affecting) > 0:
		for _, m := range rep.Affecting {
			evs = append(evs, cveEvidence(m))
		}
		for _, m := range rep.Uncovered {
			evs = append(evs, cveEvidence(m))
		}
		target := ""
		if t, ok := k8sversion.FixTarget(rep.Affecting); ok {
			target = t.String()
			if latest, _, ok := d.LatestPatch(t.MinorString()); ok && !k8sversion.MustParse(latest).Less(t) {
				target = latest
			}
		}
		o.Fix = upgradeFix(target)
		o.Fail(fmt.Sprintf("Kubernetes %s is affected by %s, fixed in later patches (AKS builds can carry fixes of their own: confirm on %s)%s",
			v, strings.Join(k8sversion.IDs(rep.Affecting), ", "), refAKSReleases, note), evs...)
	case rep.LTSBackports:
		for _, m := range rep.Uncovered {
			evs = append(evs, cveEvidence(m))
		}
		verb := "is"
		if len(rep.Uncovered) > 1 {
			verb = "are"
		}
		o.Unknown(fmt.Sprintf("%s is an AKS long-term-support patch; AKS backports fixes into LTS builds and the data does not say whether %s %s fixed in it (check %s)",
			v, strings.Join(k8sversion.IDs(rep.Uncovered), ", "), verb, refAKSReleases), evs...)
	case rep.BelowCoverage:
		o.Unknown(fmt.Sprintf("%s is older than every minor the CVE data covers (from %s), so its CVEs are not all known; AKS-UPG-001 reports the version itself", v, d.Minors[0].Version), evs...)
	default:
		o.Pass(fmt.Sprintf("no Kubernetes control-plane CVE in the data affects %s%s", v, note), evs...)
	}
}

func cveEvidence(m k8sversion.CVEMatch) kit.Evidence {
	c := m.CVE
	s := fmt.Sprintf("%s: %s; fixed in %s; %s", c.Component, c.Summary, m.FixedIn, c.URL)
	if c.Conditions != "" {
		s += "; exposed only when: " + strings.TrimSuffix(c.Conditions, ".")
	}
	if c.Confidence != "" && c.Confidence != "high" {
		s += "; data confidence " + c.Confidence
	}
	return kit.Fact(c.ID, s)
}
