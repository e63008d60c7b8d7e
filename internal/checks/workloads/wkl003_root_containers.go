package workloads

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var wkl003 = &check.Control{
	ID: "AKS-WKL-003", Title: "Root containers", Severity: check.High, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A process running as UID 0 is root on the node if it escapes the container, and can change anything in its own filesystem. runAsNonRoot: true makes the kubelet refuse to start a container whose user is root; a non-zero runAsUser picks a user explicitly. Both are inherited from the pod's securityContext unless the container overrides them.",
	FailsWhen:   "A container's effective settings (container over pod) have neither runAsNonRoot: true nor a non-zero runAsUser, or runAsUser is 0 (even with runAsNonRoot: true). On Windows pods, runAsUserName ContainerAdministrator fails.",
	Remediation: "Set runAsNonRoot: true and a non-zero runAsUser in the pod's securityContext (or the container's), and build the image to run as a non-root user.",
	References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
	Run:         secctx.PerContainer(secctx.ContainerControl{PassMsg: "no container runs as root", Judge: judgeRoot}),
}

func showInt(i int64) string { return strconv.FormatInt(i, 10) }

func showStr(s string) string { return kit.Render(s) }

// judgeRoot is AKS-WKL-003.
func judgeRoot(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	return func(c *secctx.PodContainer) secctx.Verdict {
		e := c.Eff
		nonRoot := settingEv(c, e.RunAsNonRoot, showBool, "the image's user is not checked")
		user := settingEv(c, e.RunAsUser, showInt, "the image's user applies")
		fixNonRoot := func() string {
			return "set securityContext.runAsNonRoot: true and runAsUser: <non-zero UID> on " + c.Where() + " (or in the pod's securityContext, " + c.W.SpecPath + ".securityContext" + ")"
		}
		if secctx.IsWindowsPod(c.W) {
			if u := e.WindowsRunAsUserName; u.IsSet() {
				ev := settingEv(c, u, showStr, "")
				if strings.EqualFold(u.Val, "ContainerAdministrator") || strings.EqualFold(u.Val, `NT AUTHORITY\SYSTEM`) {
					return secctx.Verdict{Status: check.Fail, Message: c.Label() + " runs as the administrator " + u.Val,
						Fix: "set windowsOptions.runAsUserName: ContainerUser on " + c.Where(), Ev: []kit.Evidence{ev}}
				}
				return secctx.Passed(ev)
			}
			if e.RunAsNonRoot.Val {
				return secctx.Passed(nonRoot)
			}
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " may run as ContainerAdministrator: neither runAsNonRoot: true nor windowsOptions.runAsUserName is set",
				Fix: "set securityContext.windowsOptions.runAsUserName: ContainerUser (or runAsNonRoot: true) on " + c.Where(),
				Ev:  []kit.Evidence{nonRoot, settingEv(c, e.WindowsRunAsUserName, showStr, "the image's user applies")}}
		}
		switch {
		case e.RunAsUser.IsSet() && e.RunAsUser.Val == 0:
			msg := c.Label() + " runs as root: runAsUser is 0"
			if e.RunAsUser.From == secctx.FromPod {
				msg += " (inherited from the pod)"
			}
			if e.RunAsNonRoot.Val {
				msg += "; with runAsNonRoot: true the kubelet refuses to start it"
			}
			return secctx.Verdict{Status: check.Fail, Message: msg, Fix: "set runAsUser to a non-zero UID (" + e.RunAsUser.Path(c) + ") for " + c.Where(), Ev: []kit.Evidence{user, nonRoot}}
		case e.RunAsUser.IsSet() && e.RunAsUser.Val > 0:
			return secctx.Passed(user)
		case e.RunAsNonRoot.Val:
			return secctx.Passed(nonRoot)
		case e.RunAsNonRoot.IsSet():
			msg := c.Label() + " may run as root: runAsNonRoot is false"
			fix := fixNonRoot()
			if e.RunAsNonRoot.From == secctx.FromContainer {
				msg += " on the container"
				fix = "set securityContext.runAsNonRoot: true (it overrides the pod's setting) and runAsUser: <non-zero UID> on " + c.Where()
			}
			return secctx.Verdict{Status: check.Fail, Message: msg + " and no non-zero runAsUser is set", Fix: fix, Ev: []kit.Evidence{nonRoot, user}}
		}
		return secctx.Verdict{Status: check.Fail, Message: c.Label() + " may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set at pod or container level",
			Fix: fixNonRoot(), Ev: []kit.Evidence{nonRoot, user}}
	}
}
