package audit

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud002Spec = &spec{
	id: "AKS-AUD-002", reads: readsNone, detect: detectExec, authorized: true,
	none:          "exec, attach or port-forward into a pod",
	overflowFails: true,
	fix:           "Confirm each session was expected; remove create on pods/exec, pods/attach and pods/portforward from the roles of identities that should not open shells into pods (debug with ephemeral containers under review instead), or allow-list the identities that may (allow.audit in .aksguard.yaml).",
}

var aud002 = &check.Control{
	ID: "AKS-AUD-002", Title: "exec / attach / port-forward into a pod", Severity: check.Medium, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "kubectl exec, attach and port-forward give a shell or a tunnel inside a running pod, past every image and admission control: the container's secrets, service account token and network position become the caller's.",
	FailsWhen:   "an allowed request on the pods/exec, pods/attach or pods/portforward subresource, with verb create or get (websocket clients use get), by a non-system identity; one finding per identity, subresource and namespace. Denied attempts are AKS-AUD-008's." + allowedRule,
	Remediation: aud002Spec.fix,
	References: []string{"https://kubernetes.io/docs/concepts/security/rbac-good-practices/#exec-on-pods-and-nodes",
		refK8sAudit, refAKSLogs},
	Audit: aud002Spec.observer,
	Run:   aud002Spec.run,
}

// detectExec is AKS-AUD-002.
func detectExec(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Object.Resource != "pods" || ev.Object.APIGroup != "" {
		return hit{}, false
	}
	switch ev.Object.Subresource {
	case "exec", "attach", "portforward":
	default:
		return hit{}, false
	}
	if ev.Verb != "create" && ev.Verb != "get" {
		return hit{}, false
	}
	return hit{what: ev.Object.Subresource + " into pods" + inNamespace(ev.Object.Namespace), object: objectName(ev)}, true
}
