package checks

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

// The Kubernetes version controls (AKS-UPG-001, -002, -003). They judge the
// control plane's version with internal/k8sversion: the embedded, dated
// dataset, overridden by the cluster's `az aks get-versions` list (joined by
// location into UpgradeProfile.Versions) for which minors and patches are
// offered, and by `az aks get-upgrades` (UpgradeProfile.ControlPlane) for the
// patches this cluster can move to. Every result names the data and its date.

const areaVersions = "Upgrades and nodes"

const (
	refSupportedVersions = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"
	refLTS               = "https://learn.microsoft.com/azure/aks/long-term-support"
	refCVEFeed           = "https://kubernetes.io/docs/reference/issues-security/official-cve-feed/"
	refUpgradeCluster    = "https://learn.microsoft.com/azure/aks/upgrade-aks-cluster"
	refAKSReleases       = "https://releases.aks.azure.com/"
)

// staleDays: results based on the dataset alone mention its age past this.
const staleDays = 120

func init() {
	check.Register(&check.Control{
		ID: "AKS-UPG-001", Title: "Kubernetes version supported", Severity: check.High, Area: areaVersions,
		Inputs:      []check.Input{check.AZ, check.AZX},
		Rationale:   "Outside the AKS support window a cluster gets no Kubernetes security fixes; N-3 platform support covers only Azure infrastructure issues, and old versions are eventually upgraded by force.",
		FailsWhen:   "The control-plane minor is outside the AKS community support window (N-2; N-3 platform support counts as unsupported), unless long-term support applies: sku.tier Premium and supportPlan AKSLongTermSupport, within the minor's LTS dates.",
		Remediation: "Upgrade the control plane (then the node pools) to a supported minor, or move the cluster to the Premium tier with the AKSLongTermSupport plan while an LTS minor is still covered.",
		References:  []string{refSupportedVersions, refLTS, refUpgradeCluster},
		Run:         perCluster(upgradeFix(""), evalUPG001),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-002", Title: "Latest patch of the minor", Severity: check.Medium, Area: areaVersions,
		Inputs:      []check.Input{check.AZ, check.AZX},
		Rationale:   "Kubernetes patch releases carry the security and critical bug fixes of a minor; AKS does not move an existing cluster to a new patch unless an auto-upgrade channel does.",
		FailsWhen:   "AKS offers a newer patch of the control plane's minor (az aks get-upgrades, else az aks get-versions, else the dataset's latest known patch). Not applicable when the minor is no longer offered (AKS-UPG-001 fails).",
		Remediation: "Upgrade the control plane to the latest patch of its minor, and set the auto-upgrade channel to patch (or stable) to stay there.",
		References:  []string{refSupportedVersions, refUpgradeCluster, "https://learn.microsoft.com/azure/aks/auto-upgrade-cluster"},
		Run:         perCluster(upgradeFix(""), evalUPG002),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-003", Title: "Known CVEs fixed", Severity: check.High, Area: areaVersions,
		Inputs:      []check.Input{check.AZ, check.AZX},
		Rationale:   "Published Kubernetes control-plane vulnerabilities (kube-apiserver, kube-controller-manager, …) are fixed in patch releases; a control plane below the fixed patch stays exposed.",
		FailsWhen:   "The control-plane version is in the affected range of a published Kubernetes control-plane CVE that is fixed in a later patch. AKS LTS patches (≥ .100) carry backports: not assessed unless the data covers them.",
		Remediation: "Upgrade the control plane to a patch that fixes the listed CVEs (the latest patch of the minor), and check the AKS CVE status for AKS-specific builds.",
		References:  []string{refCVEFeed, refSupportedVersions, refLTS, refAKSReleases},
		Run:         perCluster(upgradeFix(""), evalUPG003),
	})
}

// upgradeFix is the remediation with the target version filled in when it
// is known ("" leaves a placeholder).
func upgradeFix(target string) fix {
	t := target
	if t == "" {
		t = "<version>"
	}
	return fix{
		AZ:  "az aks upgrade -g {rg} -n {name} --kubernetes-version " + t,
		TF:  `kubernetes_version = "` + t + `"`,
		ARM: `properties.kubernetesVersion: "` + t + `"`,
	}
}

var (
	verOnce     sync.Once
	verEmbedded *k8sversion.Dataset
	verErr      error
)

// versionData is the dataset for one cluster: the configured
// (Settings.VersionData, from --version-data) or embedded data, merged with
// the cluster region's az aks get-versions list if any.
func versionData(ctx *check.Context, c *inventory.Cluster) (*k8sversion.Dataset, error) {
	d := ctx.Settings.VersionData
	if d == nil {
		verOnce.Do(func() { verEmbedded, verErr = k8sversion.Load() })
		if verErr != nil {
			return nil, verErr
		}
		d = verEmbedded
	}
	if c.UpgradeProfile != nil && c.UpgradeProfile.Versions != nil {
		d = d.Merge(c.UpgradeProfile.Versions)
	}
	return d, nil
}

// cpVersion picks the control-plane version to judge: the running
// currentKubernetesVersion when the input has it, else the requested
// kubernetesVersion (which may be a minor alias such as "1.34"). When
// neither is usable it reports not-assessed on o and returns ok false.
func cpVersion(c *inventory.Cluster, o *out) (inventory.Field[string], k8sversion.Version, []evidence, bool) {
	cur := withPath(c.CurrentKubernetesVersion, "properties.currentKubernetesVersion")
	req := withPath(c.KubernetesVersion, "properties.kubernetesVersion")
	var f inventory.Field[string]
	var evs []evidence
	switch {
	case cur.IsKnown() && strings.TrimSpace(cur.Val) != "":
		f = cur
		evs = append(evs, ev(cur, ""))
		if req.IsKnown() && strings.TrimSpace(req.Val) != "" && req.Val != cur.Val {
			evs = append(evs, ev(req, ""))
		}
	case req.IsKnown() && strings.TrimSpace(req.Val) != "":
		f = req
		evs = append(evs, ev(req, ""))
		if cur.IsUnknown() {
			evs = append(evs, ev(cur, ""))
		}
	case cur.IsUnknown() || req.IsUnknown():
		o.unresolved("the control plane's Kubernetes version", ev(req, ""), ev(cur, ""))
		return f, k8sversion.Version{}, nil, false
	default:
		o.unknown("the input has no Kubernetes version (neither kubernetesVersion nor currentKubernetesVersion)",
			ev(req, "AKS default version, resolved at creation"), ev(cur, ""))
		return f, k8sversion.Version{}, nil, false
	}
	v, err := k8sversion.Parse(f.Val)
	if err != nil {
		o.unknown("the Kubernetes version cannot be read: "+err.Error(), evs...)
		return f, k8sversion.Version{}, nil, false
	}
	return f, v, evs, true
}

func withPath(f inventory.Field[string], path string) inventory.Field[string] {
	if f.Path == "" {
		f.Path = path
	}
	return f
}

// ltsSettings reads sku.tier and supportPlan. Absent means the Azure
// defaults (Free tier, KubernetesOfficial plan).
type ltsSettings struct {
	premium, plan bool
	unresolved    bool // one of the two is an unresolvable expression
	ev            []evidence
}

func clusterLTS(c *inventory.Cluster) ltsSettings {
	tier := withPath(c.SKUTier, "sku.tier")
	plan := withPath(c.SupportPlan, "properties.supportPlan")
	return ltsSettings{
		premium:    tier.IsKnown() && eqFold(tier.Val, "Premium"),
		plan:       plan.IsKnown() && eqFold(plan.Val, k8sversion.PlanLTS),
		unresolved: tier.IsUnknown() || plan.IsUnknown(),
		ev:         []evidence{ev(tier, "Free"), ev(plan, k8sversion.PlanCommunity)},
	}
}

func (l ltsSettings) on() bool { return l.premium && l.plan }

// unreadVersionsEv says, as evidence, that a live read could not fetch the
// versions or upgrades Azure offers the cluster, so the dataset was used.
func unreadVersionsEv(c *inventory.Cluster) []evidence {
	var out []evidence
	for _, comp := range []string{inventory.CompanionVersions, inventory.CompanionUpgrades} {
		if why := c.UnreadReason(comp); why != "" {
			out = append(out, fact(comp, "not read live ("+why+"); judged with the version dataset"))
		}
	}
	return out
}

// staleNote warns when a dataset-only judgement rests on old data.
func staleNote(ctx *check.Context, d *k8sversion.Dataset) string {
	if d.Live() != nil {
		return ""
	}
	if age := d.AgeDays(ctx.Now); age > staleDays {
		return fmt.Sprintf(" (the version data is %d days old: refresh it or supply az aks get-versions output)", age)
	}
	return ""
}

func evalUPG001(ctx *check.Context, c *inventory.Cluster, o *out) {
	f, v, evs, ok := cpVersion(c, o)
	if !ok {
		return
	}
	d, err := versionData(ctx, c)
	if err != nil {
		o.unknown("the version data cannot be read: "+err.Error(), evs...)
		return
	}
	evs = append(evs, unreadVersionsEv(c)...)
	lts := clusterLTS(c)
	st, why := d.Support(f.Val, lts.premium, lts.plan, ctx.Now)
	evs = append(evs, fact("versionData", d.Source()), fact("communitySupportWindow", d.WindowDescription(ctx.Now)))
	if w := d.LTSWindow(ctx.Now); len(w) > 0 {
		evs = append(evs, fact("longTermSupportWindow", strings.Join(w, ", ")+" (needs sku.tier Premium and supportPlan AKSLongTermSupport)"))
	}
	evs = append(evs, lts.ev...)
	note := staleNote(ctx, d)
	switch {
	case st.Supported():
		o.pass(fmt.Sprintf("Kubernetes %s is supported: %s%s", f.Val, why, note), evs...)
	case st == k8sversion.Unknown:
		o.unknown(fmt.Sprintf("whether Kubernetes %s is supported cannot be decided: %s", f.Val, why), evs...)
	case lts.unresolved && !lts.on():
		if st2, why2 := d.Support(f.Val, true, true, ctx.Now); st2.Supported() {
			o.unknown(fmt.Sprintf("Kubernetes %s is outside community support; long-term support would cover it (%s), but sku.tier or supportPlan cannot be determined from this input", f.Val, why2), evs...)
			return
		}
		fallthrough
	default:
		if st == k8sversion.Preview {
			o.fix = fix{
				AZ: "a cluster cannot be downgraded: run production on a GA version (az aks get-versions -l <location>) and keep preview versions for test clusters",
				TF: `kubernetes_version = "<GA version>" (forces a new cluster when it is a downgrade)`,
			}
			o.fail(fmt.Sprintf("Kubernetes %s is not supported: %s%s", f.Val, why, note), evs...)
			return
		}
		o.fix = upgradeFix(supportTarget(ctx, c, d, v, lts.on()))
		o.fail(fmt.Sprintf("Kubernetes %s is not supported: %s%s", f.Val, why, note), evs...)
	}
}

// supportTarget is the version to upgrade an unsupported control plane to:
// the lowest supported version az aks get-upgrades offers, else the oldest
// supported minor above the current one.
func supportTarget(ctx *check.Context, c *inventory.Cluster, d *k8sversion.Dataset, v k8sversion.Version, lts bool) string {
	if up := c.UpgradeProfile; up != nil && up.HaveControlPlane {
		var best k8sversion.Version
		for _, u := range up.ControlPlane {
			uv, err := k8sversion.Parse(u)
			if err != nil || !v.Less(uv) {
				continue
			}
			if st, _ := d.Support(u, lts, lts, ctx.Now); !st.Supported() {
				continue
			}
			if !best.HasPatch || uv.Less(best) {
				best = uv
			}
		}
		if best.HasPatch {
			return best.String()
		}
	}
	t, _ := d.UpgradeTarget(v.String(), lts, ctx.Now)
	return t
}

// evalUPG002 judges the patch level.
//
// A kubernetesVersion given only as a minor alias ("1.34") with no
// currentKubernetesVersion in the input (templates, Terraform plans before
// apply) is a decision point. AKS resolves an alias to the minor's latest GA
// patch when it creates or upgrades the cluster, but it does not move an
// existing cluster to later patches by itself: only the auto-upgrade
// channels patch, stable and rapid do. So the alias passes only together
// with one of those channels; otherwise the running patch is unknown and the
// result is not-assessed (never pass), naming the missing input.
func evalUPG002(ctx *check.Context, c *inventory.Cluster, o *out) {
	f, v, evs, ok := cpVersion(c, o)
	if !ok {
		return
	}
	d, err := versionData(ctx, c)
	if err != nil {
		o.unknown("the version data cannot be read: "+err.Error(), evs...)
		return
	}
	evs = append(evs, unreadVersionsEv(c)...)
	lts := clusterLTS(c)
	st, why := d.Support(f.Val, lts.premium, lts.plan, ctx.Now)
	if st == k8sversion.Platform || st == k8sversion.EndOfLife {
		o.na(fmt.Sprintf("minor %s is no longer offered under the cluster's support plan (%s); AKS-UPG-001 reports it", v.MinorString(), why),
			append(evs, fact("versionData", d.Source()))...)
		return
	}
	if !v.HasPatch {
		ch := withPath(c.UpgradeChannel, "properties.autoUpgradeProfile.upgradeChannel")
		evs = append(evs, ev(ch, "none"))
		if ch.IsKnown() && eqFold(ch.Val, "patch", "stable", "rapid") {
			o.pass(fmt.Sprintf("kubernetesVersion is the minor alias %s and the %s auto-upgrade channel keeps the control plane on the latest %s patch", f.Val, ch.Val, v.MinorString()), evs...)
			return
		}
		o.unknown(fmt.Sprintf("kubernetesVersion is the minor alias %s: AKS picks the latest %s patch when it creates or upgrades the cluster, but without the patch, stable or rapid auto-upgrade channel an existing cluster stays on the patch it got, and this input has no currentKubernetesVersion", f.Val, v.MinorString()), evs...)
		return
	}
	if up := c.UpgradeProfile; up != nil && up.HaveControlPlane {
		src := "az aks get-upgrades output"
		if up.Source.File != "" {
			src += " (" + up.Source.File + ")"
		}
		evs = append(evs, fact("upgradeProfile.controlPlaneProfile.upgrades", render(up.ControlPlane)), fact("versionData", src))
		var newest k8sversion.Version
		for _, u := range up.ControlPlane {
			uv, err := k8sversion.Parse(u)
			if err == nil && uv.HasPatch && uv.SameMinor(v) && v.Less(uv) && (!newest.HasPatch || newest.Less(uv)) {
				newest = uv
			}
		}
		if newest.HasPatch {
			o.fix = upgradeFix(newest.String())
			o.fail(fmt.Sprintf("the control plane runs %s but %s offers the newer patch %s", v, src, newest), evs...)
			return
		}
		o.pass(fmt.Sprintf("%s offers no newer %s patch than %s", src, v.MinorString(), v), evs...)
		return
	}
	latest, src, known := d.LatestPatch(v.MinorString())
	evs = append(evs, fact("versionData", src))
	if d.Live() == nil && (st == k8sversion.LongTerm || v.IsLTSPatch()) {
		o.unknown(fmt.Sprintf("the control plane runs %s under AKS long-term support, whose patches (≥ .100) the dataset does not list; supply az aks get-versions or az aks get-upgrades output", v), evs...)
		return
	}
	if !known {
		o.unknown(fmt.Sprintf("the latest %s patch is not known (%s); supply az aks get-versions or az aks get-upgrades output", v.MinorString(), src), evs...)
		return
	}
	lv := k8sversion.MustParse(latest)
	evs = append(evs, fact("latestPatch", latest))
	note := staleNote(ctx, d)
	switch {
	case v.Less(lv):
		o.fix = upgradeFix(latest)
		o.fail(fmt.Sprintf("the control plane runs %s but %s is the latest %s patch%s", v, latest, v.MinorString(), note), evs...)
	case lv.Less(v):
		o.pass(fmt.Sprintf("the control plane runs %s, newer than the latest %s patch the data knows (%s)%s", v, v.MinorString(), latest, note), evs...)
	default:
		o.pass(fmt.Sprintf("the control plane runs %s, the latest %s patch%s", v, v.MinorString(), note), evs...)
	}
}

func evalUPG003(ctx *check.Context, c *inventory.Cluster, o *out) {
	f, v, evs, ok := cpVersion(c, o)
	if !ok {
		return
	}
	if !v.HasPatch {
		o.unknown(fmt.Sprintf("kubernetesVersion is the minor alias %s; matching CVEs needs the running patch (currentKubernetesVersion), which this input does not have", f.Val), evs...)
		return
	}
	d, err := versionData(ctx, c)
	if err != nil {
		o.unknown("the version data cannot be read: "+err.Error(), evs...)
		return
	}
	evs = append(evs, unreadVersionsEv(c)...)
	rep, err := d.CVEsAffecting(f.Val)
	if err != nil {
		o.unknown(err.Error(), evs...)
		return
	}
	evs = append(evs, fact("cveData", fmt.Sprintf("%s (%d Kubernetes control-plane CVEs)", rep.Source, rep.Considered)))
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
		o.fix = upgradeFix(target)
		o.fail(fmt.Sprintf("Kubernetes %s is affected by %s, fixed in later patches (AKS builds can carry fixes of their own: confirm on %s)%s",
			v, strings.Join(k8sversion.IDs(rep.Affecting), ", "), refAKSReleases, note), evs...)
	case rep.LTSBackports:
		for _, m := range rep.Uncovered {
			evs = append(evs, cveEvidence(m))
		}
		verb := "is"
		if len(rep.Uncovered) > 1 {
			verb = "are"
		}
		o.unknown(fmt.Sprintf("%s is an AKS long-term-support patch; AKS backports fixes into LTS builds and the data does not say whether %s %s fixed in it (check %s)",
			v, strings.Join(k8sversion.IDs(rep.Uncovered), ", "), verb, refAKSReleases), evs...)
	case rep.BelowCoverage:
		o.unknown(fmt.Sprintf("%s is older than every minor the CVE data covers (from %s), so its CVEs are not all known; AKS-UPG-001 reports the version itself", v, d.Minors[0].Version), evs...)
	default:
		o.pass(fmt.Sprintf("no Kubernetes control-plane CVE in the data affects %s%s", v, note), evs...)
	}
}

func cveEvidence(m k8sversion.CVEMatch) evidence {
	c := m.CVE
	s := fmt.Sprintf("%s: %s; fixed in %s; %s", c.Component, c.Summary, m.FixedIn, c.URL)
	if c.Conditions != "" {
		s += "; exposed only when: " + strings.TrimSuffix(c.Conditions, ".")
	}
	if c.Confidence != "" && c.Confidence != "high" {
		s += "; data confidence " + c.Confidence
	}
	return fact(c.ID, s)
}
