package upgrades

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

var upg001 = &check.Control{
	ID: "AKS-UPG-001", Title: "Kubernetes version supported", Severity: check.High, Area: kit.AreaVersions,
	Inputs:      []check.Input{check.AZ, check.AZX},
	Rationale:   "Outside the AKS support window a cluster gets no Kubernetes security fixes; N-3 platform support covers only Azure infrastructure issues, and old versions are eventually upgraded by force.",
	FailsWhen:   "The control-plane minor is outside the AKS community support window (N-2; N-3 platform support counts as unsupported), unless long-term support applies: sku.tier Premium and supportPlan AKSLongTermSupport, within the minor's LTS dates.",
	Remediation: "Upgrade the control plane (then the node pools) to a supported minor, or move the cluster to the Premium tier with the AKSLongTermSupport plan while an LTS minor is still covered.",
	References:  []string{refSupportedVersions, refLTS, refUpgradeCluster},
	Run:         kit.PerCluster(upgradeFix(""), evalUPG001),
}

func evalUPG001(ctx *check.Context, c *inventory.Cluster, o *kit.Out) {
	s, ok := controlPlaneSupport(ctx, c, o)
	if !ok {
		return
	}
	f, v, evs, d, lts, st, why := s.f, s.v, s.evs, s.d, s.lts, s.st, s.why
	evs = append(evs, kit.Fact("versionData", d.Source()), kit.Fact("communitySupportWindow", d.WindowDescription(ctx.Now)))
	if w := d.LTSWindow(ctx.Now); len(w) > 0 {
		evs = append(evs, kit.Fact("longTermSupportWindow", strings.Join(w, ", ")+" (needs sku.tier Premium and supportPlan AKSLongTermSupport)"))
	}
	evs = append(evs, lts.ev...)
	note := staleNote(ctx, d)
	switch {
	case st.Supported():
		o.Pass(fmt.Sprintf("Kubernetes %s is supported: %s%s", f.Val, why, note), evs...)
	case st == k8sversion.Unknown:
		o.Unknown(fmt.Sprintf("whether Kubernetes %s is supported cannot be decided: %s", f.Val, why), evs...)
	case lts.unresolved && !lts.on():
		if st2, why2 := d.Support(f.Val, true, true, ctx.Now); st2.Supported() {
			o.Unknown(fmt.Sprintf("Kubernetes %s is outside community support; long-term support would cover it (%s), but sku.tier or supportPlan cannot be determined from this input", f.Val, why2), evs...)
			return
		}
		fallthrough
	default:
		if st == k8sversion.Preview {
			o.Fix = kit.Fix{
				AZ: "a cluster cannot be downgraded: run production on a GA version (az aks get-versions -l <location>) and keep preview versions for test clusters",
				TF: `kubernetes_version = "<GA version>" (forces a new cluster when it is a downgrade)`,
			}
			o.Fail(fmt.Sprintf("Kubernetes %s is not supported: %s%s", f.Val, why, note), evs...)
			return
		}
		o.Fix = upgradeFix(supportTarget(ctx, c, d, v, lts.on()))
		o.Fail(fmt.Sprintf("Kubernetes %s is not supported: %s%s", f.Val, why, note), evs...)
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
