package netpols

import (
	"fmt"
	"testing"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// indexKube holds policies of every engine, readable and not, namespaced
// and clusterwide, in namespaces a and b (and the unset namespace, which
// is default), and a workload in each namespace.
func indexKube() *inventory.Kube {
	meta := func(kind, ns, name string, cluster bool) inventory.Meta {
		return inventory.Meta{Kind: kind, Namespace: ns, Name: name, ClusterScoped: cluster}
	}
	k := &inventory.Kube{}
	for _, ns := range []string{"a", "b", ""} {
		k.NetworkPolicies = append(k.NetworkPolicies, &inventory.NetworkPolicy{
			Meta: meta("NetworkPolicy", ns, "deny-"+ns, false),
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}},
		})
		k.CiliumPolicies = append(k.CiliumPolicies,
			&inventory.EnginePolicy{Meta: meta("CiliumNetworkPolicy", ns, "cnp-"+ns, false), Rules: []map[string]any{{"endpointSelector": map[string]any{}}}},
			&inventory.EnginePolicy{Meta: meta("CiliumNetworkPolicy", ns, "cnp-broken-"+ns, false), Rules: []map[string]any{{"endpointSelector": "not a selector"}}},
		)
		k.CalicoPolicies = append(k.CalicoPolicies,
			&inventory.EnginePolicy{Meta: meta("NetworkPolicy", ns, "calico-"+ns, false), Rules: []map[string]any{{"selector": "all()"}}},
			&inventory.EnginePolicy{Meta: meta("NetworkPolicy", ns, "calico-broken-"+ns, false), Rules: []map[string]any{{"selector": "app =="}}},
		)
		k.Workloads = append(k.Workloads, &inventory.Workload{Meta: meta("Deployment", ns, "web", false), PodLabels: map[string]string{"app": "web"}, Spec: &corev1.PodSpec{}})
	}
	k.CiliumPolicies = append(k.CiliumPolicies,
		&inventory.EnginePolicy{Meta: meta("CiliumClusterwideNetworkPolicy", "", "ccnp", true), ClusterWide: true, Rules: []map[string]any{{"endpointSelector": map[string]any{"matchLabels": map[string]any{"app": "web"}}}}},
		&inventory.EnginePolicy{Meta: meta("CiliumClusterwideNetworkPolicy", "", "ccnp-broken", true), ClusterWide: true, Rules: []map[string]any{{"endpointSelector": 7}}},
	)
	k.CalicoPolicies = append(k.CalicoPolicies,
		&inventory.EnginePolicy{Meta: meta("GlobalNetworkPolicy", "", "gnp", true), ClusterWide: true, Rules: []map[string]any{{"selector": "app == 'web'"}}},
	)
	return k
}

// Index leaves out of Selecting(ns) only policies that select no pod of
// ns, keeps For's order, and In(ns) is every policy whose object lives
// in ns.
func TestIndex(t *testing.T) {
	k := indexKube()
	pols := IngressPolicies(k)
	x := NewIndex(pols)
	pos := map[*IngressPolicy]int{}
	for i, p := range pols {
		pos[p] = i
	}
	for _, w := range k.Workloads {
		ns := w.EffectiveNamespace()
		n := &kit.NsEntry{Name: ns, Workloads: []*inventory.Workload{w}}
		sel := x.Selecting(ns)
		in := map[*IngressPolicy]bool{}
		for i, p := range sel {
			in[p] = true
			if i > 0 && pos[sel[i-1]] >= pos[p] {
				t.Errorf("Selecting(%q): %s after %s, not in For's order", ns, p.Ref(), sel[i-1].Ref())
			}
		}
		for _, p := range pols {
			got := p.Selects(w, n)
			if !in[p] && got != kit.CovNo {
				t.Errorf("Selecting(%q) leaves out %s %s, which selects %s: %v", ns, p.M.Kind, p.Ref(), w.Ref(), got)
			}
		}
		// Each namespace: its Kubernetes policy, two Cilium and two
		// Calico ones; clusterwide: two Cilium and one Calico.
		if len(sel) != 8 {
			t.Errorf("Selecting(%q) = %d policies, want 8: %s", ns, len(sel), refs(sel))
		}
		var want []*IngressPolicy
		for _, p := range pols {
			if p.M.EffectiveNamespace() == ns {
				want = append(want, p)
			}
		}
		if got := refs(x.In(ns)); got != refs(want) {
			t.Errorf("In(%q) = %s, want %s", ns, got, refs(want))
		}
	}
}

// A namespaced Cilium or Calico policy whose selector cannot be read may
// select any pod of its namespace (unknown), and none of another; a
// clusterwide one may select any pod.
func TestUnreadableSelectorScope(t *testing.T) {
	k := indexKube()
	wa, wb := k.Workloads[0], k.Workloads[1]
	na, nb := &kit.NsEntry{Name: "a"}, &kit.NsEntry{Name: "b"}
	for _, p := range IngressPolicies(k) {
		switch p.M.Name {
		case "cnp-broken-a", "calico-broken-a":
			if got := p.Selects(wa, na); got != kit.CovUnknown {
				t.Errorf("%s selects %s: %v, want unknown", p.M.Name, wa.Ref(), got)
			}
			if got := p.Selects(wb, nb); got != kit.CovNo {
				t.Errorf("%s selects %s of another namespace: %v, want no", p.M.Name, wb.Ref(), got)
			}
		case "ccnp-broken":
			if got := p.Selects(wb, nb); got != kit.CovUnknown {
				t.Errorf("%s selects %s: %v, want unknown", p.M.Name, wb.Ref(), got)
			}
		}
	}
}

func refs(ps []*IngressPolicy) string {
	s := ""
	for _, p := range ps {
		s += fmt.Sprintf("%s/%s ", p.M.Kind, p.Ref())
	}
	return s
}
