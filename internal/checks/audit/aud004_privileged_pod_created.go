package audit

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud004Spec = &spec{
	id: "AKS-AUD-004", reads: readsNone, detect: detectHostAccessPod, authorized: true,
	none:          "creation or change of a privileged, hostPath or host-namespace pod or pod template",
	overflowFails: true,
	fix:           "Confirm the workload needs host access; enforce the baseline Pod Security Standard on its namespace (pod-security.kubernetes.io/enforce: baseline) or an Azure Policy / Gatekeeper constraint, and keep privileged workloads in reviewed system namespaces.",
}

var aud004 = &check.Control{
	ID: "AKS-AUD-004", Title: "Privileged, hostPath or host-namespace pod created", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "A privileged container, a hostPath volume or the host's network, PID or IPC namespace is a step from the node: creating one is how a foothold in the cluster becomes root on a node.",
	FailsWhen:   "an allowed create, update or patch of a Pod (or its ephemeralcontainers), Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController or PodTemplate whose request body (Request or RequestResponse level) holds a pod spec with a privileged container (securityContext.privileged, judged as AKS-WKL-001 judges it), a hostPath volume, or hostNetwork, hostPID or hostIPC; pods the controllers create for such templates are system (excluded and counted). Events without a request body (Metadata level) or with a JSON-patch body are not-assessed, grouped by identity and kind, since the log does not show the pod spec." + allowedRule,
	Remediation: aud004Spec.fix,
	References: []string{"https://kubernetes.io/docs/concepts/security/pod-security-standards/",
		"https://learn.microsoft.com/azure/aks/use-psa", refK8sAudit, refAKSLogs},
	Audit: aud004Spec.observer,
	Run:   aud004Spec.run,
}

// detectHostAccessPod is AKS-AUD-004.
func detectHostAccessPod(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Verb != "create" && ev.Verb != "update" && ev.Verb != "patch" {
		return hit{}, false
	}
	path := specPath(ev.Object)
	if path == "" {
		return hit{}, false
	}
	kind := ev.Object.Resource + inNamespace(ev.Object.Namespace)
	if len(ev.RequestObject) == 0 {
		return hit{what: ev.Verb + " " + kind, object: objectName(ev),
			unjudged: "the log holds no request body (Metadata level): raise the audit policy to Request for workloads, or read the kube-audit category"}, true
	}
	spec, why := podSpecOf(ev.RequestObject, path)
	if why != "" {
		return hit{what: ev.Verb + " " + kind, object: objectName(ev), unjudged: why}, true
	}
	if spec == nil {
		return hit{}, false
	}
	found := hostAccess(spec, path)
	if len(found) == 0 {
		return hit{}, false
	}
	return hit{what: ev.Verb + " " + strings.Join(found, ", ") + " " + kind, object: objectName(ev)}, true
}
