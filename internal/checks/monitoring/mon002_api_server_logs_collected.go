package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
)

var mon002 = logControl("AKS-MON-002", "API server logs collected", check.High,
	"API server logs show errors, throttling and admission decisions needed to investigate incidents.",
	"kube-apiserver", []string{"kube-apiserver"}, []string{"allLogs"})
