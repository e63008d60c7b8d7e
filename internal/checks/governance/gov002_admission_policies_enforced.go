package governance

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var gov002 = &check.Control{
	ID: "AKS-GOV-002", Title: "Admission policies enforced", Severity: check.Medium, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColNamespaces, inventory.ColConstraints, inventory.ColAdmissionPolicies, inventory.ColAdmissionPolicyBindings},
	Rationale:   "Admission control is the cluster's last line against a privileged pod or an image from an untrusted registry: without an enforced policy, anyone allowed to create pods can create those.",
	FailsWhen:   "Privileged containers are not denied in every non-system namespace (Pod Security Admission enforce baseline/restricted, a Gatekeeper/Azure Policy privileged-container constraint with enforcementAction deny, or a ValidatingAdmissionPolicy about privileged containers bound with the Deny action), or images are not restricted there (an allowed-repos/allowed-images constraint, or a bound ValidatingAdmissionPolicy about images).",
	Remediation: "Assign the Azure Policy initiative \"Kubernetes cluster pod security baseline standards\" and the policy \"Kubernetes cluster containers should only use allowed images\" with effect Deny (or label namespaces with Pod Security Admission and add an allowed-repos constraint).",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-azure-policy", "https://open-policy-agent.github.io/gatekeeper-library/website/validation/allowedrepos", "https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/"},
	Run:         kit.PerKube(evalGOV002),
}

// selectorAll matches an optional selector where "not given" means all.
func selectorAll(sel *metav1.LabelSelector, l map[string]string, partial map[string]bool) kit.Cover {
	if sel == nil {
		return kit.CovYes
	}
	return kit.LabelSelectorMatch(sel, l, partial)
}

// nsSelect matches a namespace selector against a namespace of the input:
// exactly for a declared namespace, only on kubernetes.io/metadata.name for
// an implied one.
func nsSelect(sel *metav1.LabelSelector, n *kit.NsEntry) kit.Cover {
	if n.Declared() {
		return selectorAll(sel, n.Labels(), nil)
	}
	return selectorAll(sel, n.Labels(), map[string]bool{"kubernetes.io/metadata.name": true})
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
	covers func(n *kit.NsEntry) kit.Cover
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
			g := len(k.APIGroups) == 0 || slices.Contains(k.APIGroups, "") || slices.Contains(k.APIGroups, "*")
			kd := len(k.Kinds) == 0 || slices.Contains(k.Kinds, "Pod") || slices.Contains(k.Kinds, "*")
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
	what := "enforcementAction " + kit.OrPlaceholder(act, "deny (default)")
	if len(m.ExcludedNamespaces) > 0 {
		what += ", excludes " + strings.Join(m.ExcludedNamespaces, ", ")
	}
	if len(m.Namespaces) > 0 {
		what += ", only " + strings.Join(m.Namespaces, ", ")
	}
	if m.NamespaceSelector != nil {
		what += ", namespaceSelector " + kit.SelectorString(m.NamespaceSelector)
	}
	return admissionRule{m: &c.Meta, what: what, covers: func(n *kit.NsEntry) kit.Cover {
		if len(m.Namespaces) > 0 && !ccGlobAny(m.Namespaces, n.Name) {
			return kit.CovNo
		}
		if ccGlobAny(m.ExcludedNamespaces, n.Name) {
			return kit.CovNo
		}
		return nsSelect(m.NamespaceSelector, n)
	}}, ""
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
func vapRules(k *inventory.Kube, keyword string) ([]admissionRule, []kit.Evidence) {
	var rules []admissionRule
	var notes []kit.Evidence
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
				notes = append(notes, kit.KubeEv(&b.Meta, b.Ref(), "binds "+p.Name+" without the Deny action"))
				continue
			}
			if why := vapPartial(p.Spec.MatchConstraints, true); why != "" {
				notes = append(notes, kit.KubeEv(&p.Meta, p.Ref(), why))
				continue
			}
			if why := vapPartial(b.Spec.MatchResources, false); why != "" {
				notes = append(notes, kit.KubeEv(&b.Meta, b.Ref(), why))
				continue
			}
			pc, bc := p.Spec.MatchConstraints, b.Spec.MatchResources
			rules = append(rules, admissionRule{m: &b.Meta, what: "binds " + p.Name + " with Deny", covers: func(n *kit.NsEntry) kit.Cover {
				var ps, bs *metav1.LabelSelector
				if pc != nil {
					ps = pc.NamespaceSelector
				}
				if bc != nil {
					bs = bc.NamespaceSelector
				}
				a, c := nsSelect(ps, n), nsSelect(bs, n)
				switch {
				case a == kit.CovNo || c == kit.CovNo:
					return kit.CovNo
				case a == kit.CovUnknown || c == kit.CovUnknown:
					return kit.CovUnknown
				}
				return kit.CovYes
			}})
		}
		if !bound {
			notes = append(notes, kit.KubeEv(&p.Meta, p.Ref(), "no ValidatingAdmissionPolicyBinding binds it"))
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
		g := slices.Contains(r.APIGroups, "") || slices.Contains(r.APIGroups, "*")
		res := slices.Contains(r.Resources, "pods") || slices.Contains(r.Resources, "*") || slices.Contains(r.Resources, "*/*")
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
func nsCoverage(n *kit.NsEntry, rules []admissionRule, psa bool) kit.Cover {
	res := kit.CovNo
	if psa {
		if !n.Declared() {
			res = kit.CovUnknown
		} else if kit.PSALevelOK(n.Obj.Labels[kit.PSAEnforce]) {
			return kit.CovYes
		}
	}
	for _, r := range rules {
		switch r.covers(n) {
		case kit.CovYes:
			return kit.CovYes
		case kit.CovUnknown:
			res = kit.CovUnknown
		}
	}
	return res
}

func evalGOV002(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	var privRules, imgRules []admissionRule
	var evs []kit.Evidence
	for _, c := range k.Constraints {
		priv, img := constraintIsPrivileged(c.Kind), constraintIsImages(c.Kind)
		if !priv && !img {
			continue
		}
		r, why := constraintRule(c)
		if why != "" {
			evs = append(evs, kit.KubeEv(&c.Meta, c.Ref(), why))
			continue
		}
		evs = append(evs, kit.KubeEv(&c.Meta, c.Ref(), r.what))
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
		evs = append(evs, kit.KubeEv(r.m, r.m.Ref(), r.what))
	}

	var privNo, privUnknown, imgNo, imgUnknown, judged []string
	byName := map[string]*kit.NsEntry{}
	for _, n := range kit.Namespaces(ctx, k) {
		if n.System() {
			continue
		}
		byName[n.Name] = n
		judged = append(judged, n.Name)
		switch nsCoverage(n, privRules, true) {
		case kit.CovNo:
			privNo = append(privNo, n.Name)
		case kit.CovUnknown:
			privUnknown = append(privUnknown, n.Name+" (not declared: labels unknown)")
		}
		switch nsCoverage(n, imgRules, false) {
		case kit.CovNo:
			imgNo = append(imgNo, n.Name)
		case kit.CovUnknown:
			imgUnknown = append(imgUnknown, n.Name+" (not declared: labels unknown)")
		}
	}
	sort.Strings(judged)
	if len(judged) == 0 {
		o.Scope(ctx.Inv, check.NotAssessed, "the Kubernetes input holds no non-system namespace to judge", "",
			append([]kit.Evidence{kit.Fact("namespaces", "none outside the system namespaces")}, evs...)...)
		return
	}
	head := []kit.Evidence{kit.Fact("namespaces", fmt.Sprintf("%d non-system: %s", len(judged), kit.NamesUpTo(judged, 8)))}
	if len(privNo) > 0 {
		head = append([]kit.Evidence{nsEvidence(byName[privNo[0]], "privilegedNotDenied", kit.NamesUpTo(privNo, 10))}, head...)
	}
	if len(imgNo) > 0 {
		e := nsEvidence(byName[imgNo[0]], "imagesNotRestricted", kit.NamesUpTo(imgNo, 10))
		if len(privNo) > 0 {
			head = append(head, e)
		} else {
			head = append([]kit.Evidence{e}, head...)
		}
	}
	if len(privUnknown)+len(imgUnknown) > 0 {
		head = append(head, kit.Fact("undecided", kit.NamesUpTo(append(append([]string{}, privUnknown...), imgUnknown...), 10)))
	}
	all := append(head, evs...)
	var problems []string
	if len(privNo) > 0 {
		problems = append(problems, fmt.Sprintf("privileged containers are not denied in %d namespace(s): %s", len(privNo), kit.NamesUpTo(privNo, 5)))
	}
	if len(imgNo) > 0 {
		if len(imgRules) == 0 {
			problems = append(problems, "no enforced allowed-images policy restricts images")
		} else {
			problems = append(problems, fmt.Sprintf("images are not restricted in %d namespace(s): %s", len(imgNo), kit.NamesUpTo(imgNo, 5)))
		}
	}
	fix := "Assign the Azure Policy initiative \"Kubernetes cluster pod security baseline standards for Linux-based workloads\" and \"Kubernetes cluster containers should only use allowed images\" with effect Deny, or label the namespaces pod-security.kubernetes.io/enforce=baseline and add a K8sAllowedRepos constraint (enforcementAction deny)"
	switch {
	case len(problems) > 0:
		o.Scope(ctx.Inv, check.Fail, strings.Join(problems, "; "), fix, all...)
	case len(privUnknown)+len(imgUnknown) > 0:
		o.Scope(ctx.Inv, check.NotAssessed, "whether admission policies cover "+kit.NamesUpTo(append(append([]string{}, privUnknown...), imgUnknown...), 5)+" depends on labels of namespaces the input does not declare", "", all...)
	default:
		o.Scope(ctx.Inv, check.Pass, fmt.Sprintf("privileged containers are denied and images restricted in all %d non-system namespaces", len(judged)), "", all...)
	}
}

// nsEvidence is a fact located at a namespace's object (or the first object
// implying it).
func nsEvidence(n *kit.NsEntry, path, value string) kit.Evidence {
	return kit.KubeEv(n.Meta(), path, value)
}
