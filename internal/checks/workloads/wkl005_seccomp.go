package workloads

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl005 = &check.Control{
	ID: "AKS-WKL-005", Title: "Seccomp", Severity: check.Medium, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "Without a seccomp profile a container may call every system call of the node's kernel, including those behind most container escapes. Kubernetes runs containers Unconfined unless a profile is set (or the kubelet's --seccomp-default is on, which AKS does not do by default).",
	FailsWhen:   "A container's effective seccomp profile (container field, container annotation, pod field, pod annotation, in that order) is not RuntimeDefault or Localhost: unset, Unconfined, or an unrecognised annotation value.",
	Remediation: "Set securityContext.seccompProfile.type: RuntimeDefault in the pod's securityContext, and remove container overrides to Unconfined.",
	References:  []string{"https://kubernetes.io/docs/tutorials/security/seccomp/", refPSS, refAKSContainerSec},
	Run:         secctx.PerContainer(secctx.ContainerControl{LinuxOnly: true, PassMsg: "every container runs with a RuntimeDefault or Localhost seccomp profile", Judge: judgeSeccomp}),
}

// judgeSeccomp is AKS-WKL-005.
func judgeSeccomp(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	return func(c *secctx.PodContainer) secctx.Verdict {
		sc := c.Eff.Seccomp
		ev := settingEv(c, sc, showProfile, "Unconfined unless the kubelet runs with --seccomp-default")
		switch sc.Val.Type {
		case secctx.ProfRuntimeDefault, secctx.ProfLocalhost:
			return secctx.Passed(ev)
		}
		podFix := "set spec.securityContext.seccompProfile.type: RuntimeDefault (" + secctx.PodSCPath(c.W, "seccompProfile.type") + ") in " + secctx.WorkloadName(&c.W.Meta)
		switch sc.From {
		case secctx.FromUnset:
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " has no seccomp profile: it runs Unconfined on nodes without a seccomp default",
				Fix: podFix + " (or securityContext.seccompProfile.type: RuntimeDefault on " + c.Where() + ")", Ev: []kit.Evidence{ev}}
		case secctx.FromContainer:
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " overrides the seccomp profile to " + kit.Render(sc.Val.Raw),
				Fix: "set securityContext.seccompProfile.type: RuntimeDefault (instead of " + kit.Render(sc.Val.Raw) + ") on " + c.Where(), Ev: []kit.Evidence{ev}}
		case secctx.FromContainerAnnotation, secctx.FromPodAnnotation:
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " gets seccomp profile " + kit.Render(sc.Val.Raw) + " from the legacy annotation " + sc.Path(c),
				Fix: "remove the annotation " + sc.Path(c) + " and " + podFix, Ev: []kit.Evidence{ev}}
		}
		return secctx.Verdict{Status: check.Fail, Message: c.Label() + " inherits the pod's seccomp profile " + kit.Render(sc.Val.Raw),
			Fix: podFix + " (instead of " + kit.Render(sc.Val.Raw) + ")", Ev: []kit.Evidence{ev}}
	}
}
