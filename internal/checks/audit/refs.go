package audit

// References every audit control cites.
const (
	refK8sAudit = "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/"
	refAKSLogs  = "https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs"
)
