package workloads

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl010 = &check.Control{
	ID: "AKS-WKL-010", Title: "Read-only root filesystem", Severity: check.Low, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A writable root filesystem lets an attacker drop tools and modify the application's binaries; a read-only one forces writes into explicit volumes.",
	FailsWhen:   "A container does not set securityContext.readOnlyRootFilesystem: true.",
	Remediation: "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application writes (/tmp, caches).",
	References:  []string{refSecurityContext, refAKSPodSecurity},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"df49d893-a74c-421d-bc95-c663042e5b80", // Kubernetes cluster containers should run with a read only root file system
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{LinuxOnly: true, PassMsg: "every container has a read-only root filesystem",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				ro := c.Eff.ReadOnlyRootFilesystem
				if ro.Val {
					return secctx.Passed(settingEv(c, ro, showBool, ""))
				}
				return secctx.Verdict{Status: check.Fail, Message: c.Label() + " has a writable root filesystem",
					Fix: "set securityContext.readOnlyRootFilesystem: true on " + c.Where() + " and mount an emptyDir where it writes",
					Ev:  []kit.Evidence{settingEv(c, ro, showBool, "false by default")}}
			}
		}}),
}
