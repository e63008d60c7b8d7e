package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
)

var mon004 = logControl("AKS-MON-004", "Controller manager logs collected", check.Low,
	"Controller manager logs explain what the control plane did to workloads, nodes and service accounts.",
	"kube-controller-manager", []string{"kube-controller-manager"}, []string{"allLogs"})
