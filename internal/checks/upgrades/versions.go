package upgrades

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

const (
	refSupportedVersions = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"
	refLTS               = "https://learn.microsoft.com/azure/aks/long-term-support"
	refCVEFeed           = "https://kubernetes.io/docs/reference/issues-security/official-cve-feed/"
	refUpgradeCluster    = "https://learn.microsoft.com/azure/aks/upgrade-aks-cluster"
	refAKSReleases       = "https://releases.aks.azure.com/"
)

// staleDays: results based on the dataset alone mention its age past this.
const staleDays = 120

// upgradeFix is the remediation with the target version filled in when it
// is known ("" leaves a placeholder).
func upgradeFix(target string) kit.Fix {
	t := target
	if t == "" {
		t = "<version>"
	}
	return kit.Fix{
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
func cpVersion(c *inventory.Cluster, o *kit.Out) (inventory.Field[string], k8sversion.Version, []kit.Evidence, bool) {
	cur := withPath(c.CurrentKubernetesVersion, "properties.currentKubernetesVersion")
	req := withPath(c.KubernetesVersion, "properties.kubernetesVersion")
	var f inventory.Field[string]
	var evs []kit.Evidence
	switch {
	case cur.IsKnown() && strings.TrimSpace(cur.Val) != "":
		f = cur
		evs = append(evs, kit.Ev(cur, ""))
		if req.IsKnown() && strings.TrimSpace(req.Val) != "" && req.Val != cur.Val {
			evs = append(evs, kit.Ev(req, ""))
		}
	case req.IsKnown() && strings.TrimSpace(req.Val) != "":
		f = req
		evs = append(evs, kit.Ev(req, ""))
		if cur.IsUnknown() {
			evs = append(evs, kit.Ev(cur, ""))
		}
	case cur.IsUnknown() || req.IsUnknown():
		o.Unresolved("the control plane's Kubernetes version", kit.Ev(req, ""), kit.Ev(cur, ""))
		return f, k8sversion.Version{}, nil, false
	default:
		o.Unknown("the input has no Kubernetes version (neither kubernetesVersion nor currentKubernetesVersion)",
			kit.Ev(req, "AKS default version, resolved at creation"), kit.Ev(cur, ""))
		return f, k8sversion.Version{}, nil, false
	}
	v, err := k8sversion.Parse(f.Val)
	if err != nil {
		o.Unknown("the Kubernetes version cannot be read: "+err.Error(), evs...)
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
	ev            []kit.Evidence
}

func clusterLTS(c *inventory.Cluster) ltsSettings {
	tier := withPath(c.SKUTier, "sku.tier")
	plan := withPath(c.SupportPlan, "properties.supportPlan")
	return ltsSettings{
		premium:    tier.IsKnown() && kit.EqFold(tier.Val, "Premium"),
		plan:       plan.IsKnown() && kit.EqFold(plan.Val, k8sversion.PlanLTS),
		unresolved: tier.IsUnknown() || plan.IsUnknown(),
		ev:         []kit.Evidence{kit.Ev(tier, "Free"), kit.Ev(plan, k8sversion.PlanCommunity)},
	}
}

func (l ltsSettings) on() bool { return l.premium && l.plan }

// unreadVersionsEv says, as evidence, that a live read could not fetch the
// versions or upgrades Azure offers the cluster, so the dataset was used.
func unreadVersionsEv(c *inventory.Cluster) []kit.Evidence {
	var out []kit.Evidence
	for _, comp := range []string{inventory.CompanionVersions, inventory.CompanionUpgrades} {
		if why := c.UnreadReason(comp); why != "" {
			out = append(out, kit.Fact(comp, "not read live ("+why+"); judged with the version dataset"))
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

// cpSupport is what UPG-001 and UPG-002 start from: the control plane's
// version, the dataset, the cluster's long-term-support settings and the
// support status of the version under them.
type cpSupport struct {
	f   inventory.Field[string]
	v   k8sversion.Version
	evs []kit.Evidence
	d   *k8sversion.Dataset
	lts ltsSettings
	st  k8sversion.Status
	why string
}

// controlPlaneSupport reads cpSupport; false when the version or the
// dataset could not be read (the result is then already out).
func controlPlaneSupport(ctx *check.Context, c *inventory.Cluster, o *kit.Out) (cpSupport, bool) {
	f, v, evs, ok := cpVersion(c, o)
	if !ok {
		return cpSupport{}, false
	}
	d, err := versionData(ctx, c)
	if err != nil {
		o.Unknown("the version data cannot be read: "+err.Error(), evs...)
		return cpSupport{}, false
	}
	evs = append(evs, unreadVersionsEv(c)...)
	lts := clusterLTS(c)
	st, why := d.Support(f.Val, lts.premium, lts.plan, ctx.Now)
	return cpSupport{f: f, v: v, evs: evs, d: d, lts: lts, st: st, why: why}, true
}
