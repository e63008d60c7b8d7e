package audit

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud009Spec = &spec{
	id: "AKS-AUD-009", reads: readsAll, detect: detectDashboardProxy, authorized: true,
	none:          "request to a Kubernetes Dashboard service through the API server proxy",
	overflowFails: true,
	fix:           "Remove the Kubernetes Dashboard (AKS retired its add-on; use the Azure portal's Kubernetes resources view), or at least remove the RBAC that grants services/proxy on it, and find who used it.",
}

var aud009 = &check.Control{
	ID: "AKS-AUD-009", Title: "Kubernetes Dashboard reached through the API server proxy", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "The Dashboard reached through kubectl proxy or the services/proxy subresource acts with the Dashboard's own service account, often far broader than the caller's: it has been the way into many compromised clusters.",
	FailsWhen:   "an allowed request on the services/proxy subresource of a service whose name contains kubernetes-dashboard (any namespace; the name's scheme and port parts such as https:kubernetes-dashboard:443 are ignored); one finding per identity and service. Not-assessed on logs that hold no read events (the kube-audit-admin category leaves get out, and the proxy's page loads are gets)." + allowedRule,
	Remediation: aud009Spec.fix,
	References: []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal",
		"https://kubernetes.io/docs/tasks/access-application-cluster/web-ui-dashboard/", refK8sAudit, refAKSLogs},
	Audit: aud009Spec.observer,
	Run:   aud009Spec.run,
}

// detectDashboardProxy is AKS-AUD-009.
func detectDashboardProxy(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Object.Resource != "services" || ev.Object.APIGroup != "" || ev.Object.Subresource != "proxy" {
		return hit{}, false
	}
	if !strings.Contains(strings.ToLower(serviceName(ev.Object.Name)), "kubernetes-dashboard") {
		return hit{}, false
	}
	return hit{what: "reached service " + ev.Object.Namespace + "/" + serviceName(ev.Object.Name) + " through the API server proxy", object: objectName(ev)}, true
}

// serviceName is the service of a proxy object name, which may carry a
// scheme and a port: "https:kubernetes-dashboard:443" → "kubernetes-dashboard".
func serviceName(n string) string {
	parts := strings.Split(n, ":")
	switch len(parts) {
	case 3:
		return parts[1]
	case 2:
		if parts[0] == "http" || parts[0] == "https" {
			return parts[1]
		}
		return parts[0]
	}
	return n
}
