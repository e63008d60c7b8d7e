package network

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/netpols"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net004 = &check.Control{
	ID: "AKS-NET-004", Title: "Namespaces isolated by NetworkPolicy", Severity: check.High, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColNamespaces, inventory.ColNetworkPolicies, inventory.ColCiliumPolicies, inventory.ColCalicoPolicies, inventory.ColWorkloads},
	Rationale:   "Without a NetworkPolicy selecting every pod, any pod in the cluster can reach every pod of the namespace: one compromised workload can probe and attack all others.",
	FailsWhen:   "A namespace (declared, or implied by a workload) with workloads has pods that no ingress-restricting policy selects (NetworkPolicy of policyTypes Ingress, which is the default; CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy with ingress rules; Calico NetworkPolicy / GlobalNetworkPolicy with types Ingress), or pods that a selecting policy opens to any source. Policies add up: a rule admitting any source (no from; namespaceSelector {}; ipBlock 0.0.0.0/0; Cilium fromEntities world/all/cluster; a Calico Allow with an unnarrowed source) opens the pods it selects whatever else denies. A policy that cannot be read makes the namespace not assessed.",
	Remediation: "Add a default-deny ingress NetworkPolicy (podSelector: {}, policyTypes: [Ingress]) to every application namespace, then allow the traffic each workload needs.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-network-policies", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"},
	// CIS 4.4.2 is judged on the namespaces that run pods: a namespace
	// without pods has no traffic to isolate.
	Mappings: check.Mappings{
		CIS17: []string{"4.4.2"}, CIS18: []string{"4.4.2"},
	},
	Run: kit.PerKube(evalNET004),
}

func evalNET004(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	idx := netpols.IndexFor(ctx, k)
	for _, n := range kit.Namespaces(ctx, k) {
		if len(n.Workloads) == 0 {
			continue
		}
		pols := idx.Selecting(n.Name)
		m := n.Meta()
		wl := fmt.Sprintf("%d", len(n.Workloads))
		var evs []kit.Evidence
		if !n.Declared() {
			evs = append(evs, kit.KubeEv(m, "namespace", "implied by "+n.ImpliedBy()))
		}
		// Each workload's pods: isolated by some policy, and not opened by
		// any policy selecting them (policies add up).
		var open, bare, undecided []*inventory.Workload
		openBy, undecidedBy := map[*netpols.IngressPolicy]bool{}, map[*netpols.IngressPolicy]bool{}
		var isolators []*netpols.IngressPolicy
		isoSeen := map[*netpols.IngressPolicy]bool{}
		relevant := map[*netpols.IngressPolicy]bool{}
		for _, w := range n.Workloads {
			iso, isoUnknown, openUnknown := false, false, false
			var opener *netpols.IngressPolicy
			var wIso []*netpols.IngressPolicy
			for _, p := range pols {
				sel := p.Selects(w, n)
				if sel == kit.CovNo {
					continue
				}
				relevant[p] = true
				switch {
				case sel == kit.CovYes && p.Isolates == kit.CovYes:
					iso = true
					wIso = append(wIso, p)
				case p.Isolates != kit.CovNo:
					isoUnknown = true
					undecidedBy[p] = true
				}
				switch {
				case sel == kit.CovYes && p.Open == kit.CovYes:
					opener = p
				case p.Open != kit.CovNo:
					openUnknown = true
					undecidedBy[p] = true
				}
			}
			switch {
			case opener != nil:
				open = append(open, w)
				openBy[opener] = true
			case !iso && !isoUnknown:
				bare = append(bare, w)
			case !iso || openUnknown:
				undecided = append(undecided, w)
			default:
				for _, p := range wIso {
					if !isoSeen[p] {
						isoSeen[p] = true
						isolators = append(isolators, p)
					}
				}
			}
		}
		// Policies of the namespace that matter to no workload are named
		// too, with why they do not count.
		var notes []kit.Evidence
		for _, p := range idx.In(n.Name) {
			if !relevant[p] {
				notes = append(notes, kit.KubeEv(p.M, p.Ref(), netpols.NetpolNote(p, "selects none of its workloads")))
			}
		}
		var r *check.Result
		switch {
		case len(open)+len(bare) == 0 && len(undecided) == 0:
			var pev []kit.Evidence
			for _, p := range isolators {
				pev = append(pev, kit.KubeEv(p.M, p.Ref(), p.Desc))
			}
			msg := fmt.Sprintf("namespace %s is isolated: ", n.Name)
			if len(isolators) == 1 {
				how := "selects every pod"
				if !netpolSelectsAll(isolators[0]) {
					how = "selects the pods of all " + wl + " workloads in the input"
				}
				msg += fmt.Sprintf("%s %s %s for ingress", isolators[0].M.Kind, isolators[0].M.Name, how)
			} else {
				msg += fmt.Sprintf("%d policies together select the pods of all %s workloads in the input for ingress", len(isolators), wl)
			}
			msg += ", and none admits traffic from anywhere"
			r = o.Emit(m, check.Pass, msg, "", append(append(pev, evs...), kit.Fact("workloads", wl))...)
		case len(open)+len(bare) == 0:
			var pev []kit.Evidence
			for _, p := range sortedPolicies(undecidedBy) {
				pev = append(pev, kit.KubeEv(p.M, p.Ref(), netpols.NetpolNote(p, "cannot be judged")))
			}
			r = o.Emit(m, check.NotAssessed, fmt.Sprintf("whether namespace %s is isolated cannot be told for %s: a policy selecting them cannot be read", n.Name, workloadsSome(undecided, 3)), "",
				append(append(evs, pev...), kit.Fact("workloads", wl))...)
		default:
			var msgs []string
			var pev []kit.Evidence
			if len(open) > 0 {
				var names []string
				for _, p := range sortedPolicies(openBy) {
					names = append(names, p.M.Kind+" "+p.M.Name)
					pev = append(pev, kit.KubeEv(p.M, p.Ref(), netpols.NetpolNote(p, "")))
				}
				msgs = append(msgs, fmt.Sprintf("%s admit(s) ingress from anywhere to %s", strings.Join(names, ", "), workloadsSome(open, 3)))
			}
			if len(bare) > 0 {
				msgs = append(msgs, fmt.Sprintf("no policy restricting ingress selects %s", workloadsSome(bare, 3)))
			}
			msg := fmt.Sprintf("namespace %s has %s workload(s) and no NetworkPolicy restricting ingress to all its pods: %s", n.Name, wl, strings.Join(msgs, "; "))
			if len(open) > 0 {
				msg = fmt.Sprintf("namespace %s is open: %s", n.Name, strings.Join(msgs, "; "))
			}
			if len(relevant) == 0 && len(notes) == 0 {
				msg = fmt.Sprintf("namespace %s has %s workload(s) and no NetworkPolicy: every pod accepts traffic from anywhere in the cluster", n.Name, wl)
			}
			notes = append(pev, notes...)
			if len(notes) > 5 {
				notes = append(notes[:5], kit.Fact("networkPolicies", fmt.Sprintf("%d more, none isolating every pod", len(notes)-5)))
			}
			fix := fmt.Sprintf("kubectl apply -n %s -f default-deny-ingress.yaml with {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: default-deny-ingress}, spec: {podSelector: {}, policyTypes: [Ingress]}}, remove the rules that admit every source, then allow the traffic each workload needs", n.Name)
			evs = append(evs, kit.Fact("workloads", wl+": "+workloadsSome(n.Workloads, 3)))
			r = o.Emit(m, check.Fail, msg, fix, append(evs, notes...)...)
			// The fix goes next to the namespace, not into a policy.
			r.Source = check.Location{File: m.Source.File, Line: m.Source.Line}
		}
		r.System = r.System || n.System()
	}
}

// netpolSelectsAll reports a Kubernetes policy with podSelector {}.
func netpolSelectsAll(p *netpols.IngressPolicy) bool {
	return strings.HasPrefix(p.Desc, "podSelector {}") || strings.HasPrefix(p.Desc, "spec.endpointSelector {}") || strings.HasPrefix(p.Desc, "selector all()")
}

func sortedPolicies(set map[*netpols.IngressPolicy]bool) []*netpols.IngressPolicy {
	out := make([]*netpols.IngressPolicy, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	// Two objects may share a reference (the same policy in two files):
	// they are ordered by what they say and where, never by map order.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Ref() != b.Ref() {
			return a.Ref() < b.Ref()
		}
		if a.Desc != b.Desc {
			return a.Desc < b.Desc
		}
		if a.M.Source.File != b.M.Source.File {
			return a.M.Source.File < b.M.Source.File
		}
		return a.M.Source.Line < b.M.Source.Line
	})
	return out
}

// workloadsSome names the first n workloads and counts the rest.
func workloadsSome(ws []*inventory.Workload, n int) string {
	var names []string
	for i, w := range ws {
		if i == n {
			return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(ws)-n)
		}
		names = append(names, w.Ref())
	}
	return strings.Join(names, ", ")
}
