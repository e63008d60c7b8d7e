package upgrades

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

var upg002 = &check.Control{
	ID: "AKS-UPG-002", Title: "Latest patch of the minor", Severity: check.Medium, Area: kit.AreaVersions,
	Inputs:      []check.Input{check.AZ, check.AZX},
	Rationale:   "Kubernetes patch releases carry the security and critical bug fixes of a minor; AKS does not move an existing cluster to a new patch unless an auto-upgrade channel does.",
	FailsWhen:   "AKS offers a newer patch of the control plane's minor (az aks get-upgrades, else az aks get-versions, else the dataset's latest known patch). Not applicable when the minor is no longer offered (AKS-UPG-001 fails).",
	Remediation: "Upgrade the control plane to the latest patch of its minor, and set the auto-upgrade channel to patch (or stable) to stay there.",
	References:  []string{refSupportedVersions, refUpgradeCluster, "https://learn.microsoft.com/azure/aks/auto-upgrade-cluster"},
	Run:         kit.PerCluster(upgradeFix(""), evalUPG002),
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
func evalUPG002(ctx *check.Context, c *inventory.Cluster, o *kit.Out) {
	s, ok := controlPlaneSupport(ctx, c, o)
	if !ok {
		return
	}
	f, v, evs, d, st, why := s.f, s.v, s.evs, s.d, s.st, s.why
	if st == k8sversion.Platform || st == k8sversion.EndOfLife {
		o.NA(fmt.Sprintf("minor %s is no longer offered under the cluster's support plan (%s); AKS-UPG-001 reports it", v.MinorString(), why),
			append(evs, kit.Fact("versionData", d.Source()))...)
		return
	}
	if !v.HasPatch {
		ch := withPath(c.UpgradeChannel, "properties.autoUpgradeProfile.upgradeChannel")
		evs = append(evs, kit.Ev(ch, "none"))
		if ch.IsKnown() && kit.EqFold(ch.Val, "patch", "stable", "rapid") {
			o.Pass(fmt.Sprintf("kubernetesVersion is the minor alias %s and the %s auto-upgrade channel keeps the control plane on the latest %s patch", f.Val, ch.Val, v.MinorString()), evs...)
			return
		}
		o.Unknown(fmt.Sprintf("kubernetesVersion is the minor alias %s: AKS picks the latest %s patch when it creates or upgrades the cluster, but without the patch, stable or rapid auto-upgrade channel an existing cluster stays on the patch it got, and this input has no currentKubernetesVersion", f.Val, v.MinorString()), evs...)
		return
	}
	if up := c.UpgradeProfile; up != nil && up.HaveControlPlane {
		src := "az aks get-upgrades output"
		if up.Source.File != "" {
			src += " (" + up.Source.File + ")"
		}
		evs = append(evs, kit.Fact("upgradeProfile.controlPlaneProfile.upgrades", kit.Render(up.ControlPlane)), kit.Fact("versionData", src))
		var newest k8sversion.Version
		for _, u := range up.ControlPlane {
			uv, err := k8sversion.Parse(u)
			if err == nil && uv.HasPatch && uv.SameMinor(v) && v.Less(uv) && (!newest.HasPatch || newest.Less(uv)) {
				newest = uv
			}
		}
		if newest.HasPatch {
			o.Fix = upgradeFix(newest.String())
			o.Fail(fmt.Sprintf("the control plane runs %s but %s offers the newer patch %s", v, src, newest), evs...)
			return
		}
		o.Pass(fmt.Sprintf("%s offers no newer %s patch than %s", src, v.MinorString(), v), evs...)
		return
	}
	latest, src, known := d.LatestPatch(v.MinorString())
	evs = append(evs, kit.Fact("versionData", src))
	if d.Live() == nil && (st == k8sversion.LongTerm || v.IsLTSPatch()) {
		o.Unknown(fmt.Sprintf("the control plane runs %s under AKS long-term support, whose patches (≥ .100) the dataset does not list; supply az aks get-versions or az aks get-upgrades output", v), evs...)
		return
	}
	if !known {
		o.Unknown(fmt.Sprintf("the latest %s patch is not known (%s); supply az aks get-versions or az aks get-upgrades output", v.MinorString(), src), evs...)
		return
	}
	lv := k8sversion.MustParse(latest)
	evs = append(evs, kit.Fact("latestPatch", latest))
	note := staleNote(ctx, d)
	switch {
	case v.Less(lv):
		o.Fix = upgradeFix(latest)
		o.Fail(fmt.Sprintf("the control plane runs %s but %s is the latest %s patch%s", v, latest, v.MinorString(), note), evs...)
	case lv.Less(v):
		o.Pass(fmt.Sprintf("the control plane runs %s, newer than the latest %s patch the data knows (%s)%s", v, v.MinorString(), latest, note), evs...)
	default:
		o.Pass(fmt.Sprintf("the control plane runs %s, the latest %s patch%s", v, v.MinorString(), note), evs...)
	}
}
