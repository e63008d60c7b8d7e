package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
)

var mon003 = logControl("AKS-MON-003", "Audit logs collected", check.High,
	"The Kubernetes audit log records who did what in the cluster; without it, an intrusion leaves no trail.",
	"kube-audit or kube-audit-admin", []string{"kube-audit", "kube-audit-admin"}, []string{"audit", "allLogs"})
