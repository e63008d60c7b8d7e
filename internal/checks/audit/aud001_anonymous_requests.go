package audit

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud001Spec = &spec{
	id: "AKS-AUD-001", reads: readsNone, detect: detectAnonymous, authorized: true,
	none:          "anonymous request that was allowed (other than the health and version endpoints)",
	benign:        "allowed anonymous requests to /healthz, /livez, /readyz, /version (granted by system:public-info-viewer; not reported)",
	overflowFails: true,
	fix:           "Find what sends unauthenticated requests (sourceIPs, userAgent) and remove the RBAC binding that grants system:anonymous or system:unauthenticated access: anonymous access should reach nothing but the health and version endpoints that the system:public-info-viewer ClusterRole grants.",
}

var aud001 = &check.Control{
	ID: "AKS-AUD-001", Title: "Anonymous or unauthenticated request allowed", Severity: check.Critical, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "A request the API server allowed without authentication means some RBAC binding grants system:anonymous or system:unauthenticated more than the public health endpoints: anyone who can reach the API server has that access.",
	FailsWhen:   "an event of user system:anonymous (or group system:unauthenticated) was allowed for anything but /healthz, /livez, /readyz and /version (and their sub-paths), which Kubernetes grants anonymous users by default and which are counted in the evidence instead; one finding per user, verb and resource (or path)." + allowedRule,
	Remediation: aud001Spec.fix,
	References: []string{"https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
		"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles", refK8sAudit, refAKSLogs},
	Audit: aud001Spec.observer,
	Run:   aud001Spec.run,
}

// healthPaths are the non-resource paths Kubernetes grants anonymous users
// through the system:public-info-viewer ClusterRole.
var healthPaths = []string{"/healthz", "/livez", "/readyz", "/version"}

// detectAnonymous is AKS-AUD-001.
func detectAnonymous(ev *inventory.AuditEvent) (hit, bool) {
	if ev.User.Username != userAnonymous && !inGroup(&ev.User, groupUnauthenticate) {
		return hit{}, false
	}
	if ev.Object.Resource == "" && isHealthPath(ev.RequestURI) {
		return hit{benign: true}, true
	}
	what := ev.Verb + " " + ev.Object.Resource
	obj := objectName(ev)
	if ev.Object.Resource == "" {
		p, _, _ := strings.Cut(ev.RequestURI, "?")
		what, obj = ev.Verb+" "+p, p
	}
	return hit{what: "allowed without authentication: " + what + inNamespace(ev.Object.Namespace), object: obj, neverSystem: true}, true
}

// isHealthPath reports /healthz, /livez, /readyz, /version and their
// sub-paths (/readyz/etcd), with or without a query.
func isHealthPath(uri string) bool {
	p, _, _ := strings.Cut(uri, "?")
	for _, h := range healthPaths {
		if p == h || strings.HasPrefix(p, h+"/") {
			return true
		}
	}
	return false
}
