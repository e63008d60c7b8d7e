package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
)

var mon003 = func() *check.Control {
	c := logControl("AKS-MON-003", "Audit logs collected", check.High,
		"The Kubernetes audit log records who did what in the cluster; without it, an intrusion leaves no trail.",
		"kube-audit or kube-audit-admin", []string{"kube-audit", "kube-audit-admin"}, []string{"audit", "allLogs"})
	c.Mappings = check.Mappings{
		CIS17: []string{"2.1.1"}, CIS18: []string{"2.1.1"},
	}
	return c
}()
