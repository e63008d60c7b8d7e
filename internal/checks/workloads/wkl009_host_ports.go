package workloads

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl009 = &check.Control{
	ID: "AKS-WKL-009", Title: "Host ports", Severity: check.Medium, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A hostPort binds the port on the node's IP, outside Services and network policies, and limits scheduling to one such pod per node.",
	FailsWhen:   "A container port declares hostPort > 0 (hostNetwork itself is AKS-WKL-007).",
	Remediation: "Remove hostPort from the container's ports and expose the pod through a Service.",
	References:  []string{"https://kubernetes.io/docs/concepts/configuration/overview/#services", refPSS + "#baseline"},
	Run: secctx.PerContainer(secctx.ContainerControl{PassMsg: "no container declares a hostPort",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				var ev []kit.Evidence
				var ports []string
				for i, p := range c.C.Ports {
					if p.HostPort > 0 {
						ports = append(ports, strconv.Itoa(int(p.HostPort)))
						ev = append(ev, kit.KubeEv(&c.W.Meta, c.Path()+".ports["+strconv.Itoa(i)+"].hostPort", strconv.Itoa(int(p.HostPort))))
					}
				}
				if len(ports) == 0 {
					return secctx.Passed(kit.KubeEv(&c.W.Meta, c.Path()+".ports[].hostPort", "not set"))
				}
				return secctx.Verdict{Status: check.Fail, Message: c.Label() + " binds host port " + strings.Join(ports, ", ") + " on the node",
					Fix: "remove hostPort from the ports of " + c.Where() + " and expose it through a Service", Ev: ev}
			}
		}}),
}
