package checks

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// The namespace- and cluster-level Kubernetes controls: AKS-NET-004
// (namespace isolation), AKS-WKL-014 (Pod Security Admission) and
// AKS-GOV-002 (admission policies).

const (
	psaEnforce = "pod-security.kubernetes.io/enforce"
)

func init() {
	check.Register(&check.Control{
		ID: "AKS-NET-004", Title: "Namespaces isolated by NetworkPolicy", Severity: check.High, Area: areaNetwork,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColNamespaces, inventory.ColNetworkPolicies, inventory.ColCiliumPolicies, inventory.ColCalicoPolicies, inventory.ColWorkloads},
		Rationale:   "Without a NetworkPolicy selecting every pod, any pod in the cluster can reach every pod of the namespace: one compromised workload can probe and attack all others.",
		FailsWhen:   "A namespace (declared, or implied by a workload) with workloads has pods that no ingress-restricting policy selects (NetworkPolicy of policyTypes Ingress, which is the default; CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy with ingress rules; Calico NetworkPolicy / GlobalNetworkPolicy with types Ingress), or pods that a selecting policy opens to any source. Policies add up: a rule admitting any source (no from; namespaceSelector {}; ipBlock 0.0.0.0/0; Cilium fromEntities world/all/cluster; a Calico Allow with an unnarrowed source) opens the pods it selects whatever else denies. A policy that cannot be read makes the namespace not assessed.",
		Remediation: "Add a default-deny ingress NetworkPolicy (podSelector: {}, policyTypes: [Ingress]) to every application namespace, then allow the traffic each workload needs.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-network-policies", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"},
		Run:         perKube(evalNET004),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-014", Title: "Pod Security Admission", Severity: check.Medium, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColNamespaces},
		Rationale:   "Pod Security Admission rejects privileged, host-namespace and hostPath pods in namespaces labelled baseline or restricted; without the label, every pod spec is admitted.",
		FailsWhen:   "A non-system namespace (declared, or implied by the objects in it) has no pod-security.kubernetes.io/enforce label of baseline or restricted (privileged fails). A namespace implied but not declared in a manifest scan fails: nothing in the input labels it.",
		Remediation: "Label every application namespace pod-security.kubernetes.io/enforce=baseline (or restricted).",
		References:  []string{"https://kubernetes.io/docs/concepts/security/pod-security-admission/", "https://learn.microsoft.com/azure/aks/use-psa"},
		Run:         perKube(evalWKL014),
	})
	check.Register(&check.Control{
		ID: "AKS-GOV-002", Title: "Admission policies enforced", Severity: check.Medium, Area: areaGovernance,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColNamespaces, inventory.ColConstraints, inventory.ColAdmissionPolicies, inventory.ColAdmissionPolicyBindings},
		Rationale:   "Admission control is the cluster's last line against a privileged pod or an image from an untrusted registry: without an enforced policy, anyone allowed to create pods can create those.",
		FailsWhen:   "Privileged containers are not denied in every non-system namespace (Pod Security Admission enforce baseline/restricted, a Gatekeeper/Azure Policy privileged-container constraint with enforcementAction deny, or a ValidatingAdmissionPolicy about privileged containers bound with the Deny action), or images are not restricted there (an allowed-repos/allowed-images constraint, or a bound ValidatingAdmissionPolicy about images).",
		Remediation: "Assign the Azure Policy initiative \"Kubernetes cluster pod security baseline standards\" and the policy \"Kubernetes cluster containers should only use allowed images\" with effect Deny (or label namespaces with Pod Security Admission and add an allowed-repos constraint).",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-azure-policy", "https://open-policy-agent.github.io/gatekeeper-library/website/validation/allowedrepos", "https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/"},
		Run:         perKube(evalGOV002),
	})
}

// netpolTypes applies the API's defaulting of policyTypes: every policy
// affects ingress unless policyTypes says otherwise; egress when it has
// egress rules.
func netpolTypes(p *inventory.NetworkPolicy) (ingress, egress bool) {
	if len(p.Spec.PolicyTypes) == 0 {
		return true, len(p.Spec.Egress) > 0
	}
	for _, t := range p.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			ingress = true
		case networkingv1.PolicyTypeEgress:
			egress = true
		}
	}
	return ingress, egress
}

// podSelectorOf compiles a policy's podSelector once; nil when it does not
// parse (the API server rejects it: it selects nothing).
func podSelectorOf(p *inventory.NetworkPolicy) labels.Selector {
	s, err := metav1.LabelSelectorAsSelector(&p.Spec.PodSelector)
	if err != nil {
		return nil
	}
	return s
}

func evalNET004(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	pols := ingressPolicies(k)
	for _, n := range kubeNamespaces(k) {
		if len(n.Workloads) == 0 {
			continue
		}
		m := n.Meta()
		wl := fmt.Sprintf("%d", len(n.Workloads))
		var evs []evidence
		if !n.Declared() {
			evs = append(evs, kubeEv(m, "namespace", "implied by "+n.impliedBy()))
		}
		// Each workload's pods: isolated by some policy, and not opened by
		// any policy selecting them (policies add up).
		var open, bare, undecided []*inventory.Workload
		openBy, undecidedBy := map[*ingressPolicy]bool{}, map[*ingressPolicy]bool{}
		var isolators []*ingressPolicy
		isoSeen := map[*ingressPolicy]bool{}
		relevant := map[*ingressPolicy]bool{}
		for _, w := range n.Workloads {
			iso, isoUnknown, openUnknown := false, false, false
			var opener *ingressPolicy
			var wIso []*ingressPolicy
			for _, p := range pols {
				sel := p.selects(w, n)
				if sel == covNo {
					continue
				}
				relevant[p] = true
				switch {
				case sel == covYes && p.isolates == covYes:
					iso = true
					wIso = append(wIso, p)
				case p.isolates != covNo:
					isoUnknown = true
					undecidedBy[p] = true
				}
				switch {
				case sel == covYes && p.open == covYes:
					opener = p
				case p.open != covNo:
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
		var notes []evidence
		for _, p := range pols {
			if p.m.EffectiveNamespace() == n.Name && !relevant[p] {
				notes = append(notes, kubeEv(p.m, p.ref(), netpolNote(p, "selects none of its workloads")))
			}
		}
		var r *check.Result
		switch {
		case len(open)+len(bare) == 0 && len(undecided) == 0:
			var pev []evidence
			for _, p := range isolators {
				pev = append(pev, kubeEv(p.m, p.ref(), p.desc))
			}
			msg := fmt.Sprintf("namespace %s is isolated: ", n.Name)
			if len(isolators) == 1 {
				how := "selects every pod"
				if !netpolSelectsAll(isolators[0]) {
					how = "selects the pods of all " + wl + " workloads in the input"
				}
				msg += fmt.Sprintf("%s %s %s for ingress", isolators[0].m.Kind, isolators[0].m.Name, how)
			} else {
				msg += fmt.Sprintf("%d policies together select the pods of all %s workloads in the input for ingress", len(isolators), wl)
			}
			msg += ", and none admits traffic from anywhere"
			r = o.emit(m, check.Pass, msg, "", append(append(pev, evs...), fact("workloads", wl))...)
		case len(open)+len(bare) == 0:
			var pev []evidence
			for _, p := range sortedPolicies(undecidedBy) {
				pev = append(pev, kubeEv(p.m, p.ref(), netpolNote(p, "cannot be judged")))
			}
			r = o.emit(m, check.NotAssessed, fmt.Sprintf("whether namespace %s is isolated cannot be told for %s: a policy selecting them cannot be read", n.Name, workloadsSome(undecided, 3)), "",
				append(append(evs, pev...), fact("workloads", wl))...)
		default:
			var msgs []string
			var pev []evidence
			if len(open) > 0 {
				var names []string
				for _, p := range sortedPolicies(openBy) {
					names = append(names, p.m.Kind+" "+p.m.Name)
					pev = append(pev, kubeEv(p.m, p.ref(), netpolNote(p, "")))
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
				notes = append(notes[:5], fact("networkPolicies", fmt.Sprintf("%d more, none isolating every pod", len(notes)-5)))
			}
			fix := fmt.Sprintf("kubectl apply -n %s -f default-deny-ingress.yaml with {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: default-deny-ingress}, spec: {podSelector: {}, policyTypes: [Ingress]}}, remove the rules that admit every source, then allow the traffic each workload needs", n.Name)
			evs = append(evs, fact("workloads", wl+": "+workloadsSome(n.Workloads, 3)))
			r = o.emit(m, check.Fail, msg, fix, append(evs, notes...)...)
			// The fix goes next to the namespace, not into a policy.
			r.Source = check.Location{File: m.Source.File, Line: m.Source.Line}
		}
		r.System = r.System || n.System()
	}
}

// netpolNote is a policy's evidence: what it is and why it counts or not.
func netpolNote(p *ingressPolicy, dflt string) string {
	why := p.why
	if why == "" {
		why = dflt
	}
	if p.desc == "" {
		return why
	}
	if why == "" {
		return p.desc
	}
	return p.desc + ": " + why
}

// netpolSelectsAll reports a Kubernetes policy with podSelector {}.
func netpolSelectsAll(p *ingressPolicy) bool {
	return strings.HasPrefix(p.desc, "podSelector {}") || strings.HasPrefix(p.desc, "spec.endpointSelector {}") || strings.HasPrefix(p.desc, "selector all()")
}

func sortedPolicies(set map[*ingressPolicy]bool) []*ingressPolicy {
	out := make([]*ingressPolicy, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ref() < out[j].ref() })
	return out
}

func policyTypesString(p *inventory.NetworkPolicy) string {
	if len(p.Spec.PolicyTypes) == 0 {
		ing, eg := netpolTypes(p)
		var t []string
		if ing {
			t = append(t, "Ingress")
		}
		if eg {
			t = append(t, "Egress")
		}
		return "[" + strings.Join(t, ", ") + "] (by default)"
	}
	t := make([]string, len(p.Spec.PolicyTypes))
	for i, x := range p.Spec.PolicyTypes {
		t[i] = string(x)
	}
	return "[" + strings.Join(t, ", ") + "]"
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

// psaLevelOK reports an enforce level that denies privileged pods.
func psaLevelOK(level string) bool { return level == "baseline" || level == "restricted" }

func evalWKL014(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, n := range kubeNamespaces(k) {
		m := n.Meta()
		fix := fmt.Sprintf("kubectl label namespace %s %s=baseline --overwrite (restricted where the workloads allow it)", n.Name, psaEnforce)
		var r *check.Result
		if !n.Declared() {
			// Catalog: declared or implied. The input deploys into a
			// namespace it does not declare: nothing in it sets the label
			// (kubectl create namespace and helm --create-namespace do not).
			e := kubeEv(m, "metadata.labels."+psaEnforce, "not set: the namespace is not declared in the input (implied by "+n.impliedBy()+")")
			r = o.emit(m, check.Fail, fmt.Sprintf("namespace %s is not declared in the input, so nothing in it sets a Pod Security level (implied by %s)", n.Name, n.impliedBy()),
				fmt.Sprintf("declare the namespace in the input with the label: {apiVersion: v1, kind: Namespace, metadata: {name: %s, labels: {%s: baseline}}} (or %s)", n.Name, psaEnforce, fix), e)
		} else {
			level, set := n.Obj.Labels[psaEnforce]
			e := kubeEv(m, "metadata.labels."+psaEnforce, level)
			switch {
			case !set:
				e.Value = "not set (privileged: every pod is admitted)"
				r = o.emit(m, check.Fail, "namespace "+n.Name+" does not enforce a Pod Security level", fix, e)
			case psaLevelOK(level):
				r = o.emit(m, check.Pass, "namespace "+n.Name+" enforces the "+level+" Pod Security level", "", e)
			case level == "privileged":
				r = o.emit(m, check.Fail, "namespace "+n.Name+" enforces the privileged Pod Security level: every pod is admitted", fix, e)
			default:
				r = o.emit(m, check.Fail, fmt.Sprintf("namespace %s: %q is not a Pod Security level (baseline or restricted)", n.Name, level), fix, e)
			}
		}
		r.System = r.System || n.System()
	}
}

// gkMatch is a Gatekeeper constraint's spec.match.
type gkMatch struct {
	Kinds []struct {
		APIGroups []string `json:"apiGroups"`
		Kinds     []string `json:"kinds"`
	} `json:"kinds"`
	Scope              string                `json:"scope"`
	Namespaces         []string              `json:"namespaces"`
	ExcludedNamespaces []string              `json:"excludedNamespaces"`
	LabelSelector      *metav1.LabelSelector `json:"labelSelector"`
	NamespaceSelector  *metav1.LabelSelector `json:"namespaceSelector"`
	Name               string                `json:"name"`
}

// admissionRule is one admission object that can deny privileged pods or
// restrict images, with the namespaces it covers.
type admissionRule struct {
	m      *inventory.Meta
	what   string // for evidence
	covers func(n *nsEntry) cover
}

// constraintIsPrivileged matches the privileged-container constraint kinds
// (K8sPSPPrivilegedContainer, K8sAzureV2NoPrivilege, ...), not the
// privilege-escalation ones.
func constraintIsPrivileged(kind string) bool {
	k := strings.ToLower(kind)
	return strings.Contains(k, "privilege") && !strings.Contains(k, "escalation")
}

// constraintIsImages matches allowed-repositories / allowed-images kinds
// (K8sAllowedRepos, K8sAzureV2ContainerAllowedImages, ...).
func constraintIsImages(kind string) bool {
	k := strings.ToLower(kind)
	return strings.Contains(k, "allowedrepos") || strings.Contains(k, "allowedimages") || strings.Contains(k, "allowedregistr")
}

// constraintRule turns a constraint into a rule; ok is false (with the
// reason) for constraints that deny nothing or only some pods.
func constraintRule(c *inventory.Constraint) (admissionRule, string) {
	act := c.EnforcementAction
	if act != "" && !strings.EqualFold(act, "deny") {
		return admissionRule{}, "enforcementAction " + act + " does not deny"
	}
	var m gkMatch
	if c.Match != nil {
		b, err := json.Marshal(c.Match)
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			return admissionRule{}, "spec.match cannot be read: " + err.Error()
		}
	}
	if len(m.Kinds) > 0 {
		pods := false
		for _, k := range m.Kinds {
			g := len(k.APIGroups) == 0 || ccContains(k.APIGroups, "") || ccContains(k.APIGroups, "*")
			kd := len(k.Kinds) == 0 || ccContains(k.Kinds, "Pod") || ccContains(k.Kinds, "*")
			pods = pods || (g && kd)
		}
		if !pods {
			return admissionRule{}, "spec.match.kinds does not include Pod"
		}
	}
	switch {
	case strings.EqualFold(m.Scope, "Cluster"):
		return admissionRule{}, "spec.match.scope Cluster excludes namespaced pods"
	case m.Name != "":
		return admissionRule{}, "spec.match.name limits it to pods named " + m.Name
	case m.LabelSelector != nil && (len(m.LabelSelector.MatchLabels)+len(m.LabelSelector.MatchExpressions)) > 0:
		return admissionRule{}, "spec.match.labelSelector limits it to some pods"
	}
	what := "enforcementAction " + orPlaceholder(act, "deny (default)")
	if len(m.ExcludedNamespaces) > 0 {
		what += ", excludes " + strings.Join(m.ExcludedNamespaces, ", ")
	}
	if len(m.Namespaces) > 0 {
		what += ", only " + strings.Join(m.Namespaces, ", ")
	}
	if m.NamespaceSelector != nil {
		what += ", namespaceSelector " + selectorString(m.NamespaceSelector)
	}
	return admissionRule{m: &c.Meta, what: what, covers: func(n *nsEntry) cover {
		if len(m.Namespaces) > 0 && !ccGlobAny(m.Namespaces, n.Name) {
			return covNo
		}
		if ccGlobAny(m.ExcludedNamespaces, n.Name) {
			return covNo
		}
		return nsSelect(m.NamespaceSelector, n)
	}}, ""
}

func ccContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ccGlobAny matches a namespace against Gatekeeper namespace patterns (a
// trailing or leading * is a wildcard).
func ccGlobAny(patterns []string, ns string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, ns); ok || p == ns {
			return true
		}
	}
	return false
}

// vapRules returns, for the ValidatingAdmissionPolicies whose expressions
// mention keyword, one rule per binding with the Deny action.
func vapRules(k *inventory.Kube, keyword string) ([]admissionRule, []evidence) {
	var rules []admissionRule
	var notes []evidence
	for _, p := range k.AdmissionPolicies {
		if !vapMentions(p, keyword) {
			continue
		}
		bound := false
		for _, b := range k.AdmissionPolicyBindings {
			if b.Spec.PolicyName != p.Name {
				continue
			}
			bound = true
			deny := false
			for _, a := range b.Spec.ValidationActions {
				deny = deny || a == admissionv1.Deny
			}
			if !deny {
				notes = append(notes, kubeEv(&b.Meta, b.Ref(), "binds "+p.Name+" without the Deny action"))
				continue
			}
			if why := vapPartial(p.Spec.MatchConstraints, true); why != "" {
				notes = append(notes, kubeEv(&p.Meta, p.Ref(), why))
				continue
			}
			if why := vapPartial(b.Spec.MatchResources, false); why != "" {
				notes = append(notes, kubeEv(&b.Meta, b.Ref(), why))
				continue
			}
			pc, bc := p.Spec.MatchConstraints, b.Spec.MatchResources
			rules = append(rules, admissionRule{m: &b.Meta, what: "binds " + p.Name + " with Deny", covers: func(n *nsEntry) cover {
				var ps, bs *metav1.LabelSelector
				if pc != nil {
					ps = pc.NamespaceSelector
				}
				if bc != nil {
					bs = bc.NamespaceSelector
				}
				a, c := nsSelect(ps, n), nsSelect(bs, n)
				switch {
				case a == covNo || c == covNo:
					return covNo
				case a == covUnknown || c == covUnknown:
					return covUnknown
				}
				return covYes
			}})
		}
		if !bound {
			notes = append(notes, kubeEv(&p.Meta, p.Ref(), "no ValidatingAdmissionPolicyBinding binds it"))
		}
	}
	return rules, notes
}

// vapMentions reports a policy whose validation or variable expressions
// mention keyword (e.g. "privileged", "image").
func vapMentions(p *inventory.AdmissionPolicy, keyword string) bool {
	for _, v := range p.Spec.Validations {
		if strings.Contains(strings.ToLower(v.Expression), keyword) {
			return true
		}
	}
	for _, v := range p.Spec.Variables {
		if strings.Contains(strings.ToLower(v.Expression), keyword) {
			return true
		}
	}
	return false
}

// vapPartial says why match resources do not cover every pod creation
// ("" when they do). A binding without resource rules inherits the
// policy's.
func vapPartial(mr *admissionv1.MatchResources, policy bool) string {
	if mr == nil {
		if policy {
			return "spec.matchConstraints is not set: the policy matches nothing"
		}
		return ""
	}
	if s := mr.ObjectSelector; s != nil && len(s.MatchLabels)+len(s.MatchExpressions) > 0 {
		return "objectSelector limits it to some pods"
	}
	if len(mr.ResourceRules) == 0 {
		if policy {
			return "spec.matchConstraints.resourceRules match no resource"
		}
		return ""
	}
	for _, r := range mr.ResourceRules {
		if len(r.ResourceNames) > 0 {
			continue
		}
		g := ccContains(r.APIGroups, "") || ccContains(r.APIGroups, "*")
		res := ccContains(r.Resources, "pods") || ccContains(r.Resources, "*") || ccContains(r.Resources, "*/*")
		op := false
		for _, x := range r.Operations {
			op = op || x == admissionv1.Create || x == admissionv1.OperationAll
		}
		if g && res && op {
			return ""
		}
	}
	return "its resource rules do not cover pod creation"
}

// nsCoverage is how one namespace is covered for one concern.
func nsCoverage(n *nsEntry, rules []admissionRule, psa bool) cover {
	res := covNo
	if psa {
		if !n.Declared() {
			res = covUnknown
		} else if psaLevelOK(n.Obj.Labels[psaEnforce]) {
			return covYes
		}
	}
	for _, r := range rules {
		switch r.covers(n) {
		case covYes:
			return covYes
		case covUnknown:
			res = covUnknown
		}
	}
	return res
}

func evalGOV002(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
	var privRules, imgRules []admissionRule
	var evs []evidence
	for _, c := range k.Constraints {
		priv, img := constraintIsPrivileged(c.Kind), constraintIsImages(c.Kind)
		if !priv && !img {
			continue
		}
		r, why := constraintRule(c)
		if why != "" {
			evs = append(evs, kubeEv(&c.Meta, c.Ref(), why))
			continue
		}
		evs = append(evs, kubeEv(&c.Meta, c.Ref(), r.what))
		if priv {
			privRules = append(privRules, r)
		}
		if img {
			imgRules = append(imgRules, r)
		}
	}
	vp, notes := vapRules(k, "privileged")
	privRules = append(privRules, vp...)
	evs = append(evs, notes...)
	vi, notes := vapRules(k, "image")
	imgRules = append(imgRules, vi...)
	evs = append(evs, notes...)
	for _, r := range append(vp, vi...) {
		evs = append(evs, kubeEv(r.m, r.m.Ref(), r.what))
	}

	var privNo, privUnknown, imgNo, imgUnknown, judged []string
	byName := map[string]*nsEntry{}
	for _, n := range kubeNamespaces(k) {
		if n.System() {
			continue
		}
		byName[n.Name] = n
		judged = append(judged, n.Name)
		switch nsCoverage(n, privRules, true) {
		case covNo:
			privNo = append(privNo, n.Name)
		case covUnknown:
			privUnknown = append(privUnknown, n.Name+" (not declared: labels unknown)")
		}
		switch nsCoverage(n, imgRules, false) {
		case covNo:
			imgNo = append(imgNo, n.Name)
		case covUnknown:
			imgUnknown = append(imgUnknown, n.Name+" (not declared: labels unknown)")
		}
	}
	sort.Strings(judged)
	if len(judged) == 0 {
		o.scope(ctx.Inv, check.NotAssessed, "the Kubernetes input holds no non-system namespace to judge", "",
			append([]evidence{fact("namespaces", "none outside the system namespaces")}, evs...)...)
		return
	}
	head := []evidence{fact("namespaces", fmt.Sprintf("%d non-system: %s", len(judged), ccNames(judged, 8)))}
	if len(privNo) > 0 {
		head = append([]evidence{nsEvidence(byName[privNo[0]], "privilegedNotDenied", ccNames(privNo, 10))}, head...)
	}
	if len(imgNo) > 0 {
		e := nsEvidence(byName[imgNo[0]], "imagesNotRestricted", ccNames(imgNo, 10))
		if len(privNo) > 0 {
			head = append(head, e)
		} else {
			head = append([]evidence{e}, head...)
		}
	}
	if len(privUnknown)+len(imgUnknown) > 0 {
		head = append(head, fact("undecided", ccNames(append(append([]string{}, privUnknown...), imgUnknown...), 10)))
	}
	all := append(head, evs...)
	var problems []string
	if len(privNo) > 0 {
		problems = append(problems, fmt.Sprintf("privileged containers are not denied in %d namespace(s): %s", len(privNo), ccNames(privNo, 5)))
	}
	if len(imgNo) > 0 {
		if len(imgRules) == 0 {
			problems = append(problems, "no enforced allowed-images policy restricts images")
		} else {
			problems = append(problems, fmt.Sprintf("images are not restricted in %d namespace(s): %s", len(imgNo), ccNames(imgNo, 5)))
		}
	}
	fix := "Assign the Azure Policy initiative \"Kubernetes cluster pod security baseline standards for Linux-based workloads\" and \"Kubernetes cluster containers should only use allowed images\" with effect Deny, or label the namespaces pod-security.kubernetes.io/enforce=baseline and add a K8sAllowedRepos constraint (enforcementAction deny)"
	switch {
	case len(problems) > 0:
		o.scope(ctx.Inv, check.Fail, strings.Join(problems, "; "), fix, all...)
	case len(privUnknown)+len(imgUnknown) > 0:
		o.scope(ctx.Inv, check.NotAssessed, "whether admission policies cover "+ccNames(append(append([]string{}, privUnknown...), imgUnknown...), 5)+" depends on labels of namespaces the input does not declare", "", all...)
	default:
		o.scope(ctx.Inv, check.Pass, fmt.Sprintf("privileged containers are denied and images restricted in all %d non-system namespaces", len(judged)), "", all...)
	}
}

// nsEvidence is a fact located at a namespace's object (or the first object
// implying it).
func nsEvidence(n *nsEntry, path, value string) evidence {
	return kubeEv(n.Meta(), path, value)
}
