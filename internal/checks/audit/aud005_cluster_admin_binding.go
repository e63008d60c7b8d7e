package audit

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud005Spec = &spec{
	id: "AKS-AUD-005", reads: readsNone, detect: detectClusterAdminBinding, authorized: true,
	none:          "creation or change of a binding to cluster-admin",
	overflowFails: true,
	fix:           "Confirm the binding was a reviewed change; bind a narrower role (admin, edit, or a custom role) in the namespaces needed, or grant cluster administration through a Microsoft Entra group (aadProfile.adminGroupObjectIDs) instead of per-subject bindings.",
}

var aud005 = &check.Control{
	ID: "AKS-AUD-005", Title: "Binding to cluster-admin created or changed", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "A new or changed binding to cluster-admin hands full control of the cluster to its subjects; it is the usual persistence step after a compromise.",
	FailsWhen:   "an allowed create, update or patch of a ClusterRoleBinding or RoleBinding whose request body's roleRef names the ClusterRole cluster-admin; without a request body (Metadata level), or with a body that does not carry the roleRef (a patch), a binding whose name contains cluster-admin fails (judged by the name) and the others are not-assessed, grouped by identity; bindings by system identities (system:*, aks-*) are marked system." + allowedRule,
	Remediation: aud005Spec.fix,
	References: []string{"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
		"https://kubernetes.io/docs/concepts/security/rbac-good-practices/", refK8sAudit, refAKSLogs},
	Audit: aud005Spec.observer,
	Run:   aud005Spec.run,
}

// bindingBody is the part of a binding's request body AKS-AUD-005 reads.
type bindingBody struct {
	RoleRef *struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"roleRef"`
}

// detectClusterAdminBinding is AKS-AUD-005.
func detectClusterAdminBinding(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Object.APIGroup != "rbac.authorization.k8s.io" || ev.Object.Subresource != "" ||
		(ev.Object.Resource != "clusterrolebindings" && ev.Object.Resource != "rolebindings") ||
		(ev.Verb != "create" && ev.Verb != "update" && ev.Verb != "patch") {
		return hit{}, false
	}
	what := ev.Verb + " " + ev.Object.Resource + " to cluster-admin" + inNamespace(ev.Object.Namespace)
	var why string
	b := bytes.TrimSpace(ev.RequestObject)
	switch {
	case len(b) == 0:
		why = "the log holds no request body (Metadata level), so the roleRef is not known"
	case b[0] != '{':
		why = "the request body is a JSON patch, not the binding"
	default:
		var rb bindingBody
		if err := json.Unmarshal(b, &rb); err != nil {
			why = "the request body is not readable as a binding: " + err.Error()
		} else if rb.RoleRef == nil {
			why = "the request body does not carry the roleRef"
		} else if rb.RoleRef.Kind == "ClusterRole" && rb.RoleRef.Name == "cluster-admin" {
			return hit{what: what, object: objectName(ev)}, true
		} else {
			return hit{}, false
		}
	}
	// Without the roleRef, the binding's name is all the log shows.
	if strings.Contains(strings.ToLower(ev.Object.Name), "cluster-admin") {
		return hit{what: what, object: objectName(ev), note: "judged by the binding's name: " + why}, true
	}
	return hit{what: ev.Verb + " " + ev.Object.Resource + inNamespace(ev.Object.Namespace), object: objectName(ev),
		unjudged: why + ": raise the audit policy to Request for rbac.authorization.k8s.io"}, true
}
