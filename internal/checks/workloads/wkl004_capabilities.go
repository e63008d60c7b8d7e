package workloads

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	corev1 "k8s.io/api/core/v1"
)

var wkl004 = &check.Control{
	ID: "AKS-WKL-004", Title: "Capabilities", Severity: check.High, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "Containers start with the runtime's default capabilities (NET_RAW among them, which allows spoofing on the node's network). Dropping ALL and adding back only what the process needs removes them; SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, BPF and similar capabilities open ways out of the container.",
	FailsWhen:   "A container's capabilities.drop does not contain ALL, or capabilities.add holds a dangerous capability (ALL, SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, BPF, PERFMON, SYS_RAWIO, SYS_BOOT, SYS_TIME, MAC_ADMIN, MAC_OVERRIDE, SYSLOG; any case, with or without CAP_).",
	Remediation: "Set securityContext.capabilities.drop: [ALL] on every container and add back only harmless capabilities it needs (e.g. NET_BIND_SERVICE).",
	References:  []string{refSecurityContext + "#set-capabilities-for-a-container", refPSS, refAKSContainerSec},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"d2e7ea85-6b44-4317-a0be-1b951587f626", // Kubernetes clusters should not grant CAP_SYS_ADMIN security capabilities
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{LinuxOnly: true, PassMsg: "every container drops ALL capabilities and adds no dangerous one", Judge: judgeCaps}),
}

// dangerousCaps are capabilities that break container isolation or give
// host-level power when added (catalog AKS-WKL-004), without the CAP_
// prefix. ALL adds every one of them.
var dangerousCaps = map[string]bool{
	"ALL": true, "SYS_ADMIN": true, "NET_ADMIN": true, "NET_RAW": true, "SYS_PTRACE": true,
	"SYS_MODULE": true, "DAC_READ_SEARCH": true, "BPF": true, "PERFMON": true, "SYS_RAWIO": true,
	"SYS_BOOT": true, "SYS_TIME": true, "MAC_ADMIN": true, "MAC_OVERRIDE": true, "SYSLOG": true,
}

// judgeCaps is AKS-WKL-004.
func judgeCaps(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	return func(c *secctx.PodContainer) secctx.Verdict {
		caps := c.Eff.Capabilities.Val
		var drop, add []corev1.Capability
		if caps != nil {
			drop, add = caps.Drop, caps.Add
		}
		dropAll := false
		for _, d := range drop {
			if secctx.CapName(d) == "ALL" {
				dropAll = true
			}
		}
		var bad []string
		for _, a := range add {
			if dangerousCaps[secctx.CapName(a)] {
				bad = append(bad, string(a))
			}
		}
		capPath := c.Eff.Capabilities.Path(c)
		dropPath, addPath := capPath+".drop", capPath+".add"
		ev := []kit.Evidence{kit.KubeEv(&c.W.Meta, dropPath, orNotSet(drop, "the runtime's default capabilities are kept"))}
		if len(add) > 0 {
			ev = append(ev, kit.KubeEv(&c.W.Meta, addPath, capNames(add)))
		}
		if dropAll && len(bad) == 0 {
			return secctx.Passed(ev...)
		}
		var why, fixes []string
		if !dropAll {
			why = append(why, "does not drop ALL capabilities")
			fixes = append(fixes, "set securityContext.capabilities.drop: [ALL] on "+c.Where()+" and add back only what it needs (e.g. NET_BIND_SERVICE)")
		}
		if len(bad) > 0 {
			why = append(why, "adds "+strings.Join(bad, ", "))
			fixes = append(fixes, "remove "+strings.Join(bad, ", ")+" from securityContext.capabilities.add of "+c.Where())
		}
		return secctx.Verdict{Status: check.Fail, Message: c.Label() + " " + strings.Join(why, " and "), Fix: strings.Join(fixes, "; "), Ev: ev}
	}
}

func orNotSet(cs []corev1.Capability, means string) string {
	if len(cs) == 0 {
		return "not set (" + means + ")"
	}
	return capNames(cs)
}
