package workloads

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl001 = &check.Control{
	ID: "AKS-WKL-001", Title: "Privileged containers", Severity: check.Critical, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A privileged container has every capability, sees the host's devices and can load kernel modules or mount the node's disks: one compromised process owns the node and every pod on it. A Windows HostProcess container runs directly on the node likewise.",
	FailsWhen:   "A container, init container or ephemeral container sets securityContext.privileged: true, or runs as a Windows HostProcess container (windowsOptions.hostProcess: true, at container or pod level).",
	Remediation: "Remove privileged: true (and hostProcess: true) from the container's securityContext and add only the capabilities it needs.",
	References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
	Mappings: check.Mappings{
		CIS17: []string{"4.2.1"}, CIS18: []string{"4.2.1"},
		AzurePolicy: []string{
			"95edb821-ddaf-4404-9732-666045e056b4", // Kubernetes cluster should not allow privileged containers
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{PassMsg: "no container runs privileged",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				e := c.Eff
				switch {
				case e.Privileged.Val:
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " runs privileged: it has every capability and the host's devices",
						Fix: "remove securityContext.privileged: true (or set it to false) on " + c.Where() + "; add only the capabilities it needs",
						Ev:  []kit.Evidence{settingEv(c, e.Privileged, showBool, "")}}
				case e.WindowsHostProcess.Val:
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " runs as a Windows HostProcess container, with the node's privileges",
						Fix: "remove windowsOptions.hostProcess: true (" + e.WindowsHostProcess.Path(c) + ") for " + c.Where() + "; run node agents as AKS-managed add-ons instead",
						Ev:  []kit.Evidence{settingEv(c, e.WindowsHostProcess, showBool, "")}}
				}
				return secctx.Passed(settingEv(c, e.Privileged, showBool, "false"))
			}
		}}),
}
