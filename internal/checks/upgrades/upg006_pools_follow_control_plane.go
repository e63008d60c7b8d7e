package upgrades

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

var upg006 = &check.Control{
	ID: "AKS-UPG-006", Title: "Node pools follow the control plane", Severity: check.Medium, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Node pools left on an older Kubernetes version miss kubelet fixes and drift toward the unsupported skew.",
	FailsWhen:   "An agent pool's Kubernetes version lags the control plane's.",
	Remediation: "Upgrade the lagging pools to the control plane's version.",
	References:  []string{"https://learn.microsoft.com/azure/aks/upgrade-aks-cluster", "https://learn.microsoft.com/azure/aks/manage-node-pools#upgrade-a-single-node-pool"},
	Run: kit.PerCluster(kit.Fix{
		AZ:     "az aks nodepool upgrade -g {rg} --cluster-name {name} -n {pool} --kubernetes-version <control-plane-version>",
		TF:     `orchestrator_version = "<control-plane-version>"`,
		TFPool: true,
		ARM:    "properties.agentPoolProfiles[].orchestratorVersion: <control-plane-version>",
	}, evalUPG006),
}

// lags reports whether pool version p is behind control-plane version cp;
// a minor alias ("1.34") compares by minor only.
func lags(p, cp k8sversion.Version) bool {
	if !p.HasPatch || !cp.HasPatch {
		return p.CompareMinor(cp) < 0
	}
	return p.Less(cp)
}

func firstKnown(fs ...inventory.Field[string]) inventory.Field[string] {
	for _, f := range fs {
		if f.IsKnown() && f.Val != "" {
			return f
		}
	}
	for _, f := range fs {
		if f.IsUnknown() {
			return f
		}
	}
	return fs[0]
}

func evalUPG006(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	cpF := firstKnown(c.CurrentKubernetesVersion, c.KubernetesVersion)
	if !cpF.IsKnown() {
		if cpF.IsUnknown() {
			o.Unresolved("the control-plane version", kit.Ev(cpF, ""))
		} else {
			o.Unknown("the control-plane version is not stated", kit.Ev(cpF, ""))
		}
		return
	}
	cp, err := k8sversion.Parse(cpF.Val)
	if err != nil {
		o.Unknown("the control-plane version "+cpF.Val+" is not a Kubernetes version", kit.Ev(cpF, ""))
		return
	}
	pools, ok := o.Pools()
	if !ok {
		return
	}
	lag := 0
	var evs []kit.Evidence
	for _, p := range pools {
		pf := firstKnown(p.CurrentOrchestratorVersion, p.OrchestratorVersion)
		switch {
		case pf.IsUnknown():
			lag++
			o.EmitPool(p, check.NotAssessed, "the pool's version cannot be determined from this input", kit.Ev(pf, ""))
		case !pf.IsKnown():
			// Unset: the pool is created at (and follows) the control plane's version.
			evs = append(evs, kit.Ev(pf, "follows the control plane"))
		default:
			pv, err := k8sversion.Parse(pf.Val)
			if err != nil {
				lag++
				o.EmitPool(p, check.NotAssessed, "the pool's version "+pf.Val+" is not a Kubernetes version", kit.Ev(pf, ""))
				continue
			}
			if lags(pv, cp) {
				lag++
				o.EmitPool(p, check.Fail, fmt.Sprintf("pool %s runs %s, behind the control plane's %s", p.Name, pf.Val, cpF.Val), kit.Ev(pf, ""), kit.Ev(cpF, ""))
				o.Results[len(o.Results)-1].Remediation = strings.ReplaceAll(o.Results[len(o.Results)-1].Remediation, "<control-plane-version>", cpF.Val)
				continue
			}
			evs = append(evs, kit.Ev(pf, ""))
		}
	}
	if lag == 0 {
		o.Pass("every pool runs the control plane's version "+cpF.Val, append([]kit.Evidence{kit.Ev(cpF, "")}, evs...)...)
	}
}
