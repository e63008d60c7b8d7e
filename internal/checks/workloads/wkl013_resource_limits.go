package workloads

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	corev1 "k8s.io/api/core/v1"
)

var wkl013 = &check.Control{
	ID: "AKS-WKL-013", Title: "Resource limits", Severity: check.Low, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A container without CPU and memory limits can starve its neighbours and the node's system daemons (a noisy neighbour or a denial of service).",
	FailsWhen:   "A container or init container has no resources.limits.cpu or no resources.limits.memory, and the pod-level spec.resources.limits does not set it either (ephemeral containers cannot have resources).",
	Remediation: "Set resources.limits.cpu and resources.limits.memory (and requests) on every container, or a LimitRange default in its namespace.",
	References:  []string{"https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/", "https://learn.microsoft.com/azure/aks/developer-best-practices-resource-management"},
	// Not mapped: policy e345eecc also bounds the limits by maximums; this
	// control only requires them (weaker).
	Run: secctx.PerContainer(secctx.ContainerControl{SkipEphemeral: true, PassMsg: "every container has CPU and memory limits", Judge: judgeLimits}),
}

// judgeLimits is AKS-WKL-013.
func judgeLimits(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	return func(c *secctx.PodContainer) secctx.Verdict {
		var podLimits corev1.ResourceList
		if c.W.Spec.Resources != nil {
			podLimits = c.W.Spec.Resources.Limits
		}
		var missing []string
		var ev []kit.Evidence
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			p := c.Path() + ".resources.limits." + string(r)
			if q, ok := c.C.Resources.Limits[r]; ok {
				ev = append(ev, kit.KubeEv(&c.W.Meta, p, q.String()))
				continue
			}
			if q, ok := podLimits[r]; ok {
				ev = append(ev, kit.KubeEv(&c.W.Meta, c.W.SpecPath+".resources.limits."+string(r), q.String()+" (pod-level limit)"))
				continue
			}
			missing = append(missing, string(r))
			ev = append(ev, kit.KubeEv(&c.W.Meta, p, "not set"))
		}
		if len(missing) == 0 {
			return secctx.Passed(ev...)
		}
		what := "CPU or memory limits"
		if len(missing) == 1 {
			what = map[string]string{"cpu": "CPU limit", "memory": "memory limit"}[missing[0]]
		}
		sets := make([]string, len(missing))
		for i, m := range missing {
			sets[i] = "resources.limits." + m
		}
		return secctx.Verdict{Status: check.Fail, Message: c.Label() + " has no " + what,
			Fix: "set " + strings.Join(sets, " and ") + " on " + c.Where(), Ev: ev}
	}
}
