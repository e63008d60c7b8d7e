package checks

import (
	"fmt"
	"path"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// The Kubernetes network-exposure controls: AKS-NET-005 (public load
// balancers), AKS-NET-006 (Ingress TLS) and AKS-DSH-003 (dashboard ingress
// blocked).

const azureInternalLB = "service.beta.kubernetes.io/azure-load-balancer-internal"

func init() {
	check.Register(&check.Control{
		ID: "AKS-NET-005", Title: "No public LoadBalancer services", Severity: check.Medium, Area: areaNetwork,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColServices},
		Rationale:   "A Service of type LoadBalancer gets a public IP on the Azure load balancer unless it asks for an internal one: the workload is reachable from the internet, past any firewall in front of the virtual network.",
		FailsWhen:   "A Service of type LoadBalancer lacks the annotation service.beta.kubernetes.io/azure-load-balancer-internal: \"true\", unless its namespace/name is on the allow-list (allow.publicLoadBalancers, globs).",
		Remediation: "Annotate the Service service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" and publish it through an ingress or Azure Front Door / Application Gateway; allow-list the services that must be public.",
		References:  []string{"https://learn.microsoft.com/azure/aks/internal-lb", "https://learn.microsoft.com/azure/aks/load-balancer-standard"},
		Run:         perKube(evalNET005),
	})
	check.Register(&check.Control{
		ID: "AKS-NET-006", Title: "Ingress enforces HTTPS", Severity: check.Medium, Area: areaNetwork,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColIngresses},
		Rationale:   "An Ingress without TLS serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.",
		FailsWhen:   "An Ingress has no tls section.",
		Remediation: "Add a tls section naming the hosts and a certificate Secret (for example issued by cert-manager or the Key Vault add-on).",
		References:  []string{"https://learn.microsoft.com/azure/aks/ingress-tls", "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"},
		Run:         perKube(evalNET006),
	})
	check.Register(&check.Control{
		ID: "AKS-DSH-003", Title: "Dashboard ingress blocked", Severity: check.High, Area: areaDashboard,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColNamespaces, inventory.ColWorkloads, inventory.ColNetworkPolicies, inventory.ColCiliumPolicies, inventory.ColCalicoPolicies},
		Rationale:   "A dashboard that any pod can reach hands its service account's permissions to whoever compromises one pod; a deny-all ingress policy leaves only kubectl port-forward / proxy through the API server.",
		FailsWhen:   "A dashboard workload (named kubernetes-dashboard, or running a kubernetesui/dashboard image) has no policy restricting ingress without allowing any (a NetworkPolicy with policyTypes Ingress and no ingress rules, or its Cilium or Calico equivalent) selecting its pods, or a policy selecting its pods allows ingress. Not applicable when there is no dashboard.",
		Remediation: "Add a NetworkPolicy selecting the dashboard pods with policyTypes [Ingress] and no ingress rules; reach the dashboard only through kubectl port-forward — better, remove it (AKS-DSH-001).",
		References:  []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"},
		Run:         perKube(evalDSH003),
	})
}

// lbAllowed returns the allow-list pattern matching namespace/name.
func lbAllowed(patterns []string, ns, name string) (string, bool) {
	ref := ns + "/" + name
	for _, p := range patterns {
		if ok, _ := path.Match(p, ref); ok || p == ref {
			return p, true
		}
	}
	return "", false
}

func evalNET005(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, s := range k.Services {
		if s.Spec.Type != corev1.ServiceTypeLoadBalancer {
			continue
		}
		m := &s.Meta
		ns := m.EffectiveNamespace()
		typ := kubeEv(m, "spec.type", "LoadBalancer")
		v, set := m.Annotations[azureInternalLB]
		ann := kubeEv(m, "metadata.annotations."+azureInternalLB, v)
		if !set {
			ann.Value = "not set (public load balancer)"
		}
		evs := []evidence{typ, ann}
		if len(s.Spec.LoadBalancerSourceRanges) > 0 {
			evs = append(evs, kubeEv(m, "spec.loadBalancerSourceRanges", render(s.Spec.LoadBalancerSourceRanges)))
		}
		if ports := servicePorts(s); ports != "" {
			evs = append(evs, kubeEv(m, "spec.ports", ports))
		}
		switch p, allowed := lbAllowed(ctx.Settings.AllowedPublicLoadBalancers, ns, m.Name); {
		case v == "true":
			o.emit(m, check.Pass, "Service "+ns+"/"+m.Name+" uses an internal load balancer", "", evs...)
		case allowed:
			o.emit(m, check.Pass, fmt.Sprintf("Service %s/%s has a public load balancer, allow-listed by configuration (%s)", ns, m.Name, p), "",
				append(evs, fact("allow.publicLoadBalancers", p))...)
		default:
			msg := "Service " + ns + "/" + m.Name + " gets a public IP on the Azure load balancer"
			if set {
				msg += fmt.Sprintf(" (%s is %q, not \"true\")", azureInternalLB, v)
			}
			if len(s.Spec.LoadBalancerSourceRanges) > 0 {
				msg += "; loadBalancerSourceRanges limit the sources, but the IP is public"
			}
			fix := fmt.Sprintf("kubectl annotate service -n %s %s %s=true --overwrite (or add %q to allow.publicLoadBalancers in .aksguard.yaml)", ns, m.Name, azureInternalLB, ns+"/"+m.Name)
			o.emit(m, check.Fail, msg, fix, evs...)
		}
	}
}

func servicePorts(s *inventory.Service) string {
	var ps []string
	for _, p := range s.Spec.Ports {
		proto := string(p.Protocol)
		if proto == "" {
			proto = "TCP"
		}
		ps = append(ps, fmt.Sprintf("%d/%s", p.Port, proto))
	}
	return strings.Join(ps, ", ")
}

func evalNET006(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, in := range k.Ingresses {
		m := &in.Meta
		var hosts []string
		for _, r := range in.Spec.Rules {
			if r.Host != "" {
				hosts = append(hosts, r.Host)
			}
		}
		he := kubeEv(m, "spec.rules[].host", render(hosts))
		if len(hosts) == 0 {
			he.Value = "none (every host)"
		}
		if len(in.Spec.TLS) == 0 {
			fix := fmt.Sprintf("add spec.tls to Ingress %s/%s: [{hosts: %s, secretName: <certificate secret>}] (cert-manager can issue it)", m.EffectiveNamespace(), m.Name, render(hosts))
			o.emit(m, check.Fail, "Ingress "+m.EffectiveNamespace()+"/"+m.Name+" has no tls section: it serves plain HTTP", fix,
				kubeEv(m, "spec.tls", "not set"), he)
			continue
		}
		covered := map[string]bool{}
		var secrets []string
		for _, t := range in.Spec.TLS {
			for _, h := range t.Hosts {
				covered[h] = true
			}
			if t.SecretName != "" {
				secrets = append(secrets, t.SecretName)
			}
		}
		var bare []string
		for _, h := range hosts {
			if !covered[h] && !coveredByWildcard(h, covered) {
				bare = append(bare, h)
			}
		}
		msg := "Ingress " + m.EffectiveNamespace() + "/" + m.Name + " terminates TLS"
		evs := []evidence{kubeEv(m, "spec.tls[].secretName", render(secrets)), he}
		if len(bare) > 0 && len(covered) > 0 {
			msg += "; hosts not listed in spec.tls (served with the controller's default certificate): " + strings.Join(bare, ", ")
		}
		o.emit(m, check.Pass, msg, "", evs...)
	}
}

func coveredByWildcard(h string, covered map[string]bool) bool {
	if i := strings.IndexByte(h, '.'); i >= 0 {
		return covered["*"+h[i:]]
	}
	return false
}

// dashboardWorkload recognises the Kubernetes Dashboard: a workload named
// kubernetes-dashboard or one running a kubernetesui/dashboard image (the
// dashboard-web, -api and -auth images of the v7 chart included).
func dashboardWorkload(w *inventory.Workload) (string, bool) {
	if w.Name == "kubernetes-dashboard" {
		return "named kubernetes-dashboard", true
	}
	for _, img := range wlImages(w) {
		if strings.Contains(strings.ToLower(img), "kubernetesui/dashboard") {
			return "image " + img, true
		}
	}
	return "", false
}

// dashboardWorkloads returns the dashboard workloads (Pods created by a controller
// are judged through it).
func dashboardWorkloads(k *inventory.Kube) []kubeFinding {
	var out []kubeFinding
	for _, w := range k.Workloads {
		if podOwnedByController(w) {
			continue
		}
		if why, ok := dashboardWorkload(w); ok {
			out = append(out, kubeFinding{m: &w.Meta, what: why})
		}
	}
	return out
}

func evalDSH003(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
	pols := ingressPolicies(k)
	nss := map[string]*nsEntry{}
	for _, n := range kubeNamespaces(k) {
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
		evs := []evidence{kubeEv(m, "dashboard", why), kubeEv(m, w.SpecPath+" labels", podLabelsString(w.PodLabels))}
		var deny, allow, undecided []string
		for _, p := range pols {
			sel := p.selects(w, nss[ns])
			switch {
			case sel == covNo:
				continue
			case sel == covYes && p.allows == covYes:
				allow = append(allow, p.m.Name)
				evs = append(evs, kubeEv(p.m, p.ref(), "selects it and allows ingress"))
			case sel == covUnknown || p.isolates == covUnknown || p.open == covUnknown:
				undecided = append(undecided, p.m.Name)
				evs = append(evs, kubeEv(p.m, p.ref(), netpolNote(p, "cannot be judged")))
			case p.isolates == covYes:
				deny = append(deny, p.m.Name)
				evs = append(evs, kubeEv(p.m, p.ref(), "selects it, denies all ingress ("+p.desc+", no ingress rules)"))
			}
		}
		fix := fmt.Sprintf("kubectl apply -n %s a NetworkPolicy {podSelector: {matchLabels: %s}, policyTypes: [Ingress]} without ingress rules, and remove the policies allowing ingress to it; better, delete the dashboard", ns, podLabelsString(w.PodLabels))
		var r *check.Result
		switch {
		case len(allow) > 0:
			r = o.emit(m, check.Fail, fmt.Sprintf("dashboard %s accepts ingress: NetworkPolicy %s allows it", m.Ref(), strings.Join(allow, ", ")), fix, evs...)
		case len(undecided) > 0:
			r = o.emit(m, check.NotAssessed, fmt.Sprintf("whether dashboard %s accepts ingress cannot be told: policy %s cannot be judged", m.Ref(), strings.Join(undecided, ", ")), "", evs...)
		case len(deny) > 0:
			r = o.emit(m, check.Pass, fmt.Sprintf("dashboard %s is blocked by the deny-all ingress policy %s", m.Ref(), strings.Join(deny, ", ")), "", evs...)
		default:
			r = o.emit(m, check.Fail, fmt.Sprintf("no deny-all ingress NetworkPolicy selects the pods of dashboard %s: every pod in the cluster can reach it", m.Ref()), fix, evs...)
		}
		// The dashboard is never a system object to leave out: the AKS
		// add-on put it in kube-system.
		r.System = false
	}
	if found {
		return
	}
	if c, _ := kubeTarget(ctx.Inv); c != nil {
		if f := addonField(c, "kubeDashboard"); f.Or(false) {
			e := ev(f, "")
			e.file = c.Source.File
			o.scope(ctx.Inv, check.NotAssessed, "the kubeDashboard add-on is enabled but the Kubernetes input holds no dashboard workload (the add-on runs it in kube-system): scan the live cluster", "", e)
			return
		}
	}
	o.scope(ctx.Inv, check.NotApplicable, "no Kubernetes Dashboard in the Kubernetes input", "",
		fact("workloads", fmt.Sprintf("%d read, none named kubernetes-dashboard or running a kubernetesui/dashboard image", len(k.Workloads))))
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
