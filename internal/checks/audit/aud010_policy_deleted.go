package audit

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud010Spec = &spec{
	id: "AKS-AUD-010", reads: readsNone, detect: detectPolicyDeleted, authorized: true,
	none:          "deletion of a NetworkPolicy, admission policy, webhook configuration or Gatekeeper constraint",
	overflowFails: true,
	fix:           "Confirm the deletion was a reviewed change; restore the policy from source control (GitOps) and restrict delete on policy kinds to the deployment pipeline's identity.",
}

var aud010 = &check.Control{
	ID: "AKS-AUD-010", Title: "NetworkPolicy, admission policy or Gatekeeper constraint deleted", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "Deleting a network policy, an admission policy or webhook, or a Gatekeeper constraint switches a guardrail off silently: it is what an attacker does before the action the guardrail would have stopped.",
	FailsWhen:   "an allowed delete or deletecollection of networkpolicies (networking.k8s.io, crd.projectcalico.org, projectcalico.org), globalnetworkpolicies (Calico), ciliumnetworkpolicies or ciliumclusterwidenetworkpolicies (cilium.io), adminnetworkpolicies or baselineadminnetworkpolicies (policy.networking.k8s.io), validating/mutating admission policies and their bindings, validating/mutating webhook configurations (admissionregistration.k8s.io), any constraint (constraints.gatekeeper.sh) or constrainttemplates (templates.gatekeeper.sh), by a non-system identity (system ones, such as the Azure Policy add-on reconciling its constraints, are marked system); one finding per identity, kind and namespace." + allowedRule,
	Remediation: aud010Spec.fix,
	References: []string{"https://kubernetes.io/docs/concepts/services-networking/network-policies/",
		"https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/",
		"https://open-policy-agent.github.io/gatekeeper/website/docs/howto/", refK8sAudit, refAKSLogs},
	Audit: aud010Spec.observer,
	Run:   aud010Spec.run,
}

// guardrails are the policy kinds whose deletion AKS-AUD-010 reports, by
// API group and resource ("*": every resource of the group).
var guardrails = map[string]map[string]bool{
	"networking.k8s.io":        {"networkpolicies": true},
	"crd.projectcalico.org":    {"networkpolicies": true, "globalnetworkpolicies": true},
	"projectcalico.org":        {"networkpolicies": true, "globalnetworkpolicies": true},
	"cilium.io":                {"ciliumnetworkpolicies": true, "ciliumclusterwidenetworkpolicies": true},
	"policy.networking.k8s.io": {"adminnetworkpolicies": true, "baselineadminnetworkpolicies": true},
	"admissionregistration.k8s.io": {"validatingadmissionpolicies": true, "validatingadmissionpolicybindings": true,
		"mutatingadmissionpolicies": true, "mutatingadmissionpolicybindings": true,
		"validatingwebhookconfigurations": true, "mutatingwebhookconfigurations": true},
	"constraints.gatekeeper.sh": {"*": true},
	"templates.gatekeeper.sh":   {"constrainttemplates": true},
}

// detectPolicyDeleted is AKS-AUD-010.
func detectPolicyDeleted(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Verb != "delete" && ev.Verb != "deletecollection" {
		return hit{}, false
	}
	g := guardrails[ev.Object.APIGroup]
	if g == nil || ev.Object.Subresource != "" || !(g[ev.Object.Resource] || g["*"]) {
		return hit{}, false
	}
	return hit{what: ev.Verb + " " + ev.Object.Resource + "." + ev.Object.APIGroup + inNamespace(ev.Object.Namespace), object: objectName(ev)}, true
}
