package workloads

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl006 = &check.Control{
	ID: "AKS-WKL-006", Title: "AppArmor", Severity: check.Medium, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "AppArmor confines what a container may touch on the node. When nothing is set the runtime's default profile applies; explicitly asking for Unconfined removes that confinement.",
	FailsWhen:   "A container's effective AppArmor profile (container field, legacy container.apparmor.security.beta.kubernetes.io/NAME annotation, pod field) is Unconfined (annotation value unconfined). Unset passes: the runtime default applies.",
	Remediation: "Remove the Unconfined AppArmor profile (appArmorProfile.type: Unconfined or the annotation value unconfined); use RuntimeDefault or a Localhost profile.",
	References:  []string{"https://kubernetes.io/docs/tutorials/security/apparmor/", refPSS, refAKSContainerSec},
	Run: secctx.PerContainer(secctx.ContainerControl{LinuxOnly: true, PassMsg: "no container runs AppArmor-unconfined",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				aa := c.Eff.AppArmor
				if aa.Val.Type == secctx.ProfUnconfined {
					how := "set securityContext.appArmorProfile.type: RuntimeDefault (instead of Unconfined) on " + c.Where()
					switch aa.From {
					case secctx.FromContainerAnnotation:
						how = "remove the annotation " + aa.Path(c) + ": unconfined (or set it to runtime/default) for " + c.Where()
					case secctx.FromPod:
						how = "set " + aa.Path(c) + ": RuntimeDefault (instead of Unconfined) in the pod's securityContext, which " + c.Label() + " inherits"
					}
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " runs without AppArmor confinement (profile Unconfined, " + aa.From.String() + ")",
						Fix: how, Ev: []kit.Evidence{settingEv(c, aa, showProfile, "")}}
				}
				return secctx.Passed(settingEv(c, aa, showProfile, "runtime default profile"))
			}
		}}),
}
