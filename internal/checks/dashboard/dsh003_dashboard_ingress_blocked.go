package dashboard

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/netpols"
	"github.com/aksguard/aksguard/internal/inventory"
)

var dsh003 = &check.Control{
	ID: "AKS-DSH-003", Title: "Dashboard ingress blocked", Severity: check.High, Area: kit.AreaDashboard,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColNamespaces, inventory.ColWorkloads, inventory.ColNetworkPolicies, inventory.ColCiliumPolicies, inventory.ColCalicoPolicies},
	Rationale:   "A dashboard that any pod can reach hands its service account's permissions to whoever compromises one pod; a deny-all ingress policy leaves only kubectl port-forward / proxy through the API server.",
	FailsWhen:   "A dashboard workload (named kubernetes-dashboard, or running a kubernetesui/dashboard image) has no policy restricting ingress without allowing any (a NetworkPolicy with policyTypes Ingress and no ingress rules, or its Cilium or Calico equivalent) selecting its pods, or a policy selecting its pods allows ingress. Not applicable when there is no dashboard.",
	Remediation: "Add a NetworkPolicy selecting the dashboard pods with policyTypes [Ingress] and no ingress rules; reach the dashboard only through kubectl port-forward — better, remove it (AKS-DSH-001).",
	References:  []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"},
	Run:         kit.PerKube(evalDSH003),
}

func evalDSH003(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	idx := netpols.IndexFor(ctx, k)
	nss := map[string]*kit.NsEntry{}
	for _, n := range kit.Namespaces(ctx, k) {
		nss[n.Name] = n
	}
	found := false
	for _, w := range k.Workloads {
		if podOwnedByController(w) {
			continue
		}
		why, ok := dashboardWorkload(w)
		if !ok {
			continue
		}
		found = true
		m := &w.Meta
		ns := m.EffectiveNamespace()
		evs := []kit.Evidence{kit.KubeEv(m, "dashboard", why), kit.KubeEv(m, w.SpecPath+" labels", podLabelsString(w.PodLabels))}
		var deny, allow, undecided []string
		for _, p := range idx.Selecting(ns) {
			sel := p.Selects(w, nss[ns])
			switch {
			case sel == kit.CovNo:
				continue
			case sel == kit.CovYes && p.Allows == kit.CovYes:
				allow = append(allow, p.M.Name)
				evs = append(evs, kit.KubeEv(p.M, p.Ref(), "selects it and allows ingress"))
			case sel == kit.CovUnknown || p.Isolates == kit.CovUnknown || p.Open == kit.CovUnknown:
				undecided = append(undecided, p.M.Name)
				evs = append(evs, kit.KubeEv(p.M, p.Ref(), netpols.NetpolNote(p, "cannot be judged")))
			case p.Isolates == kit.CovYes:
				deny = append(deny, p.M.Name)
				evs = append(evs, kit.KubeEv(p.M, p.Ref(), "selects it, denies all ingress ("+p.Desc+", no ingress rules)"))
			}
		}
		fix := fmt.Sprintf("kubectl apply -n %s a NetworkPolicy {podSelector: {matchLabels: %s}, policyTypes: [Ingress]} without ingress rules, and remove the policies allowing ingress to it; better, delete the dashboard", ns, podLabelsString(w.PodLabels))
		var r *check.Result
		switch {
		case len(allow) > 0:
			r = o.Emit(m, check.Fail, fmt.Sprintf("dashboard %s accepts ingress: NetworkPolicy %s allows it", m.Ref(), strings.Join(allow, ", ")), fix, evs...)
		case len(undecided) > 0:
			r = o.Emit(m, check.NotAssessed, fmt.Sprintf("whether dashboard %s accepts ingress cannot be told: policy %s cannot be judged", m.Ref(), strings.Join(undecided, ", ")), "", evs...)
		case len(deny) > 0:
			r = o.Emit(m, check.Pass, fmt.Sprintf("dashboard %s is blocked by the deny-all ingress policy %s", m.Ref(), strings.Join(deny, ", ")), "", evs...)
		default:
			r = o.Emit(m, check.Fail, fmt.Sprintf("no deny-all ingress NetworkPolicy selects the pods of dashboard %s: every pod in the cluster can reach it", m.Ref()), fix, evs...)
		}
		// The dashboard is never a system object to leave out: the AKS
		// add-on put it in kube-system.
		r.System = false
	}
	if found {
		return
	}
	if c := ctx.Inv.KubeOwner.Cluster; c != nil {
		if f := kit.AddonField(c, "kubeDashboard"); f.Or(false) {
			e := kit.Ev(f, "")
			e.File = c.Source.File
			o.Scope(ctx.Inv, check.NotAssessed, "the kubeDashboard add-on is enabled but the Kubernetes input holds no dashboard workload (the add-on runs it in kube-system): scan the live cluster", "", e)
			return
		}
	}
	o.Scope(ctx.Inv, check.NotApplicable, "no Kubernetes Dashboard in the Kubernetes input", "",
		kit.Fact("workloads", fmt.Sprintf("%d read, none named kubernetes-dashboard or running a kubernetesui/dashboard image", len(k.Workloads))))
}

func podLabelsString(l map[string]string) string {
	if len(l) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + l[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
