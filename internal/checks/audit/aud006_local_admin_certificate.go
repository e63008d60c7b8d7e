package audit

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud006Spec = &spec{
	id: "AKS-AUD-006", reads: readsNone, detect: detectLocalAdmin,
	none:          "request authenticated with the local admin or user certificate (masterclient, clusterAdmin, clusterUser, group system:masters)",
	overflowFails: true,
	fix:           "Find who holds the certificate (az aks get-credentials --admin), rotate the cluster certificates (az aks rotate-certs) and disable local accounts (az aks update --disable-local-accounts) so that every access goes through Microsoft Entra ID.",
}

var aud006 = &check.Control{
	ID: "AKS-AUD-006", Title: "Local admin certificate used (clusterAdmin / masterclient)", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "The certificate az aks get-credentials --admin hands out (user masterclient, group system:masters) is cluster-admin outside Microsoft Entra ID and Azure RBAC: it cannot be revoked per person and bypasses every authorization webhook.",
	FailsWhen:   "a request authenticated (or impersonating) as user masterclient, clusterAdmin or clusterUser, or with group system:masters; system:masters requests by AKS-managed users (aksService, aks-*) and Kubernetes' own system: users are marked system (excluded and counted unless --include-system); one finding per user and verb.",
	Remediation: aud006Spec.fix,
	References: []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
		"https://learn.microsoft.com/azure/aks/certificate-rotation", refK8sAudit, refAKSLogs},
	Audit: aud006Spec.observer,
	Run:   aud006Spec.run,
}

// localAccountUsers are the users of the certificates AKS issues for local
// accounts (az aks get-credentials [--admin]).
var localAccountUsers = map[string]bool{"masterclient": true, "clusterAdmin": true, "clusterUser": true}

// detectLocalAdmin is AKS-AUD-006.
func detectLocalAdmin(ev *inventory.AuditEvent) (hit, bool) {
	u := &ev.User
	local := localAccountUsers[u.Username]
	masters := inGroup(u, groupMasters)
	if ev.Impersonated != nil {
		local = local || localAccountUsers[ev.Impersonated.Username]
		masters = masters || inGroup(ev.Impersonated, groupMasters)
	}
	if !local && !masters {
		return hit{}, false
	}
	what := "request with the local account certificate"
	if !local {
		what = "request as group system:masters"
	}
	return hit{what: what + ": " + ev.Verb, object: objectName(ev), neverSystem: local}, true
}
