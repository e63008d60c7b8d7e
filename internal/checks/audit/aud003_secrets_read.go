package audit

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud003Spec = &spec{
	id: "AKS-AUD-003", reads: readsAll, detect: detectSecretsRead, authorized: true,
	none:          "get, list or watch of Secrets",
	overflowFails: true,
	fix:           "Confirm the identity needs the Secrets it read; grant get on named Secrets (resourceNames) instead of list/watch on all of them, move secrets to Azure Key Vault (Secrets Store CSI driver), or allow-list the identity (allow.audit in .aksguard.yaml).",
}

var aud003 = &check.Control{
	ID: "AKS-AUD-003", Title: "Secrets listed or read by a non-system identity", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "Listing or reading Secrets returns their values: a person or workload doing so holds every credential in the namespace, and list or watch returns all of them at once.",
	FailsWhen:   "an allowed get, list or watch of core secrets by an identity that is not a system one (system: users other than system:anonymous, service accounts of the system namespaces, AKS-managed users such as aksService and nodeclient, aks-* users: those findings are marked system, excluded and counted unless --include-system); one finding per identity and namespace. Not-assessed on logs that hold no read events (the kube-audit-admin category leaves get and list out)." + allowedRule,
	Remediation: aud003Spec.fix,
	References: []string{"https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
		"https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets", refK8sAudit, refAKSLogs},
	Audit: aud003Spec.observer,
	Run:   aud003Spec.run,
}

// detectSecretsRead is AKS-AUD-003.
func detectSecretsRead(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Object.Resource != "secrets" || ev.Object.APIGroup != "" || ev.Object.Subresource != "" || !isReadVerb(ev.Verb) {
		return hit{}, false
	}
	what := "read Secrets"
	if ev.Object.Namespace == "" {
		what += " in all namespaces"
	}
	return hit{what: what + inNamespace(ev.Object.Namespace), object: objectName(ev)}, true
}
