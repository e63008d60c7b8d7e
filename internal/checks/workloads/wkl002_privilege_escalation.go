package workloads

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl002 = &check.Control{
	ID: "AKS-WKL-002", Title: "Privilege escalation", Severity: check.High, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "Unless allowPrivilegeEscalation is false, the kubelet does not set no_new_privs: a setuid binary or file capability in the image lets the process gain more privileges than it started with. The default is true, and privileged or CAP_SYS_ADMIN force it true.",
	FailsWhen:   "A container's effective allowPrivilegeEscalation is not false: unset (true by default), true, or forced true by privileged: true or an added SYS_ADMIN capability.",
	Remediation: "Set securityContext.allowPrivilegeEscalation: false on every container (and remove privileged / SYS_ADMIN, which override it).",
	References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
	Mappings: check.Mappings{
		CIS17: []string{"4.2.5"}, CIS18: []string{"4.2.5"},
		AzurePolicy: []string{
			"1c6e92c9-99f0-4e55-9cf2-0c234dc48f99", // Kubernetes clusters should not allow container privilege escalation
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{LinuxOnly: true, PassMsg: "every container sets allowPrivilegeEscalation: false",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				ape := c.Eff.AllowPrivilegeEscalation
				set := "set securityContext.allowPrivilegeEscalation: false on " + c.Where()
				switch {
				case ape.From == secctx.FromForced && c.Eff.Privileged.Val:
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " can escalate privileges: privileged: true forces allowPrivilegeEscalation to true",
						Fix: "remove securityContext.privileged: true and " + set, Ev: []kit.Evidence{kit.KubeEv(&c.W.Meta, ape.Path(c), "true (forces allowPrivilegeEscalation: true)")}}
				case ape.From == secctx.FromForced:
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " can escalate privileges: the SYS_ADMIN capability forces allowPrivilegeEscalation to true",
						Fix: "remove SYS_ADMIN from securityContext.capabilities.add and " + set, Ev: []kit.Evidence{kit.KubeEv(&c.W.Meta, ape.Path(c), capNames(c.Eff.Capabilities.Val.Add)+" (SYS_ADMIN forces allowPrivilegeEscalation: true)")}}
				case !ape.IsSet():
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " can escalate privileges: allowPrivilegeEscalation is not set (true by default)",
						Fix: set, Ev: []kit.Evidence{settingEv(c, ape, showBool, "true by default")}}
				case ape.Val:
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " sets allowPrivilegeEscalation: true",
						Fix: set, Ev: []kit.Evidence{settingEv(c, ape, showBool, "")}}
				}
				return secctx.Passed(settingEv(c, ape, showBool, ""))
			}
		}}),
}
