package nodes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var nod004 = &check.Control{
	ID: "AKS-NOD-004", Title: "Virtual nodes reviewed", Severity: check.Medium, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       []string{inventory.ColNodes, inventory.ColWorkloads},
	Rationale:   "Pods on virtual nodes (ACI) run outside the cluster's network policy and node hardening; they need a deliberate review.",
	FailsWhen:   "The ACI connector (virtual nodes) is enabled, or pods are scheduled onto virtual-kubelet nodes.",
	Remediation: "Disable virtual nodes unless reviewed (and waive the control with the reason).",
	References:  []string{"https://learn.microsoft.com/azure/aks/virtual-nodes"},
	Run: kit.MixedRun(kit.Fix{
		AZ:  "az aks disable-addons -g {rg} -n {name} -a virtual-node",
		TF:  "remove the aci_connector_linux block",
		ARM: "properties.addonProfiles.aciConnectorLinux.enabled: false",
	}, evalNOD004),
}

// virtualKubeletNode reports a virtual node: label type=virtual-kubelet (AKS
// virtual nodes also carry kubernetes.io/role=agent) or the
// virtual-kubelet.io/provider taint.
func virtualKubeletNode(n *inventory.Node) (string, bool) {
	if n.Labels["type"] == "virtual-kubelet" {
		return "label type=virtual-kubelet", true
	}
	for _, t := range n.Taints {
		if t.Key == "virtual-kubelet.io/provider" {
			return "taint virtual-kubelet.io/provider", true
		}
	}
	return "", false
}

// virtualKubeletTarget says how a workload's pods land on virtual nodes:
// spec.nodeName naming a virtual node (or AKS's virtual-node-aci-linux),
// a nodeSelector or required node affinity on type=virtual-kubelet, or a
// toleration of the virtual-kubelet.io/provider taint (tolerations of every
// taint do not count: DaemonSets routinely carry them).
func virtualKubeletTarget(w *inventory.Workload, virtual map[string]bool) (string, bool) {
	sp := w.Spec
	if sp.NodeName != "" && (virtual[sp.NodeName] || strings.HasPrefix(sp.NodeName, "virtual-node-aci")) {
		return w.SpecPath + ".nodeName " + sp.NodeName, true
	}
	if sp.NodeSelector["type"] == "virtual-kubelet" {
		return w.SpecPath + ".nodeSelector type: virtual-kubelet", true
	}
	if a := sp.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, e := range t.MatchExpressions {
				if e.Key == "type" && e.Operator == "In" && slices.Contains(e.Values, "virtual-kubelet") {
					return w.SpecPath + ".affinity.nodeAffinity type In [virtual-kubelet]", true
				}
			}
		}
	}
	for _, t := range sp.Tolerations {
		if t.Key == "virtual-kubelet.io/provider" {
			return w.SpecPath + ".tolerations virtual-kubelet.io/provider", true
		}
	}
	return "", false
}

// evalNOD004 combines the ACI connector add-on with virtual-kubelet Nodes
// and workloads targeting them. Without Azure input, the Kubernetes half
// passes only when the input lists Nodes (the add-on registers a
// virtual-kubelet Node) and no workload targets a virtual node.
func evalNOD004(_ *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, _ *kit.KubeOut) {
	var fs []kit.KubeFinding
	nodes := 0
	if k := kin.K; k != nil {
		nodes = len(k.Nodes)
		virtual := map[string]bool{}
		for _, n := range k.Nodes {
			if why, ok := virtualKubeletNode(n); ok {
				virtual[n.Name] = true
				fs = append(fs, kit.KubeFinding{M: &n.Meta, What: why})
			}
		}
		for _, w := range k.Workloads {
			if kit.IsSystemObject(&w.Meta) {
				continue
			}
			if why, ok := virtualKubeletTarget(w, virtual); ok {
				fs = append(fs, kit.KubeFinding{M: &w.Meta, What: why})
			}
		}
	}
	kev := kit.FindingsEvidence("virtual-kubelet", fs)
	remedy := "review the workloads on virtual nodes (network policies do not apply there) and move them to node pools, or waive the control with the reason"
	what := ""
	if len(fs) > 0 {
		what = "pods run on virtual-kubelet nodes, outside network policy: " + kit.NamesUpTo(kit.FindingRefs(fs), 3)
	}
	if c == nil {
		switch {
		case len(fs) > 0:
			o.FailWith(what, false, remedy, fs, kev...)
		case nodes > 0:
			o.Pass(fmt.Sprintf("no virtual-kubelet node among the %d Nodes of the Kubernetes input and no workload targets one", nodes),
				kit.Fact("virtual-kubelet", fmt.Sprintf("no virtual-kubelet Node (%d Nodes read) and no workload targeting one", nodes)))
		default:
			o.Unknown("no workload in the Kubernetes input targets a virtual node, but the input lists no Nodes and the ACI connector add-on is a cluster setting: scan the cluster's az aks show output or the live cluster",
				kit.Fact("nodes", "none in the input"))
		}
		return
	}
	f := kit.AddonField(c, "aciConnectorLinux")
	azFail := f.Or(false)
	switch {
	case azFail && len(fs) > 0:
		o.FailWith("virtual nodes (ACI connector) are enabled; "+what, true, remedy, fs, append([]kit.Evidence{kit.Ev(f, "")}, kev...)...)
	case azFail:
		o.Fail("virtual nodes (ACI connector) are enabled: their pods bypass network policies", kit.Ev(f, ""))
	case len(fs) > 0:
		o.FailWith(what, false, remedy, fs, append(kev, kit.Ev(f, "add-on not enabled"))...)
	case f.IsUnknown():
		o.Unresolved("whether virtual nodes are enabled", kit.Ev(f, ""))
	case kin.K == nil:
		o.Unknown("the ACI connector is off; "+kin.Missing+" to rule out pods on virtual-kubelet nodes", kit.Ev(f, "add-on not enabled"))
	default:
		o.Pass("virtual nodes are off and no pod runs on a virtual-kubelet node", kit.Ev(f, "add-on not enabled"),
			kit.Fact("virtual-kubelet", fmt.Sprintf("no virtual-kubelet Node (%d Nodes read) and no workload targeting one", nodes)))
	}
}
