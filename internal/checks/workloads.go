package checks

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/secretscan"
)

// wklArea is the catalog area of the workload controls (§8).
const wklArea = "Workload security"

// References shared by the workload controls.
const (
	refSecurityContext = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
	refPSS             = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
	refAKSPodSecurity  = "https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security"
	refAKSContainerSec = "https://learn.microsoft.com/azure/aks/secure-container-access"
)

// Result rule of the per-container controls (docs/workload-controls.md):
// one fail (or not-assessed) result per (workload, container) that does not
// pass, naming the container; when every container of the workload passes,
// one pass result for the workload with each container's evidence. A
// workload's results never mix a pass with fails.

// verdict is a per-container rule's judgement of one container.
type verdict struct {
	st  check.Status // Pass, Fail or NotAssessed
	msg string       // the result message (fails and not-assessed)
	fix string       // the manifest change (fails)
	ev  []evidence
}

func passed(ev ...evidence) verdict { return verdict{st: check.Pass, ev: ev} }

// containerControl describes a per-container control.
type containerControl struct {
	// linuxOnly controls are not-applicable on pods that declare
	// spec.os.name: windows (the API forbids the field there).
	linuxOnly bool
	// skipEphemeral leaves ephemeral containers out (the API forbids the
	// field on them).
	skipEphemeral bool
	// passMsg describes a workload whose containers all pass.
	passMsg string
	// judge is built once per run (it may read settings) and judges one
	// container.
	judge func(ctx *check.Context) func(c *podContainer) verdict
}

// emitWorkload adds a result about a workload through kubeOut.emit. The
// aksguard.io/waive annotation is read from the object's metadata, else from
// its pod template's metadata.
func emitWorkload(o *kubeOut, w *inventory.Workload, st check.Status, msg, fix string, ev ...evidence) {
	r := o.emit(&w.Meta, st, msg, fix, ev...)
	if r.WaiveAnnotation == "" {
		r.WaiveAnnotation = w.PodAnnotations[WaiveAnnotation]
	}
}

// perContainer builds the Run of a per-container control.
func perContainer(cc containerControl) func(*check.Context) []check.Result {
	return perKube(func(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
		judge := cc.judge(ctx)
		ws := workloadsOf(ctx, k)
		presize(o, len(ws))
		for _, w := range ws {
			if cc.linuxOnly && isWindowsPod(w) {
				emitWorkload(o, w, check.NotApplicable, workloadName(&w.Meta)+" is a Windows pod (spec.os.name: windows): the setting applies to Linux containers only", "",
					kubeEv(&w.Meta, w.SpecPath+".os.name", "windows"))
				continue
			}
			var passEv []evidence
			n, bad := 0, 0
			for _, c := range containersOf(ctx, w) {
				if cc.skipEphemeral && c.List == listEphemeralContainers {
					continue
				}
				n++
				v := judge(&c)
				if v.st == check.Pass {
					passEv = append(passEv, v.ev...)
					continue
				}
				bad++
				emitWorkload(o, w, v.st, v.msg, v.fix, v.ev...)
			}
			switch {
			case n == 0:
				emitWorkload(o, w, check.NotAssessed, workloadName(&w.Meta)+" declares no containers in its pod template", "",
					kubeEv(&w.Meta, w.SpecPath+".containers", "[]"))
			case bad == 0:
				emitWorkload(o, w, check.Pass, cc.passMsg+" ("+plural(n, "container")+" checked)", "", passEv...)
			}
		}
	})
}

// perWorkload builds the Run of a pod-level control: one result per
// workload.
func perWorkload(eval func(ctx *check.Context, w *inventory.Workload, o *kubeOut)) func(*check.Context) []check.Result {
	return perKube(func(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
		ws := workloadsOf(ctx, k)
		presize(o, len(ws))
		for _, w := range ws {
			eval(ctx, w, o)
		}
	})
}

// presize reserves room for about one result per workload: growing a slice
// of results by doubling copies them over and over on large inputs.
func presize(o *kubeOut, n int) {
	if cap(o.results)-len(o.results) < n {
		rs := make([]check.Result, len(o.results), len(o.results)+n+n/4)
		copy(rs, o.results)
		o.results = rs
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// settingEv is the evidence of an effective setting: the field (or
// annotation) it was read from and its value, saying when it was inherited
// from the pod, read from a legacy annotation or left unset.
func settingEv[T any](c *podContainer, s setting[T], show func(T) string, unsetMeans string) evidence {
	var v string
	switch s.From {
	case fromUnset:
		v = "not set"
		if unsetMeans != "" {
			v += " (" + unsetMeans + ")"
		}
	case fromPod:
		v = show(s.Val) + " (pod-level, inherited by " + c.label() + ")"
	case fromContainerAnnotation, fromPodAnnotation:
		v = show(s.Val) + " (legacy " + s.From.String() + ", applies to " + c.label() + ")"
	case fromForced:
		v = show(s.Val) + " (forced)"
	default:
		v = show(s.Val)
	}
	return kubeEv(&c.W.Meta, s.path(c), v)
}

func showBool(b bool) string  { return strconv.FormatBool(b) }
func showInt(i int64) string  { return strconv.FormatInt(i, 10) }
func showStr(s string) string { return render(s) }
func showProfile(p profile) string {
	if p.Type == profLocalhost && p.Localhost != "" {
		return "Localhost (" + p.Localhost + ")"
	}
	return render(p.Raw)
}

// capNames renders a capability list.
func capNames(cs []corev1.Capability) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return render(out)
}

// dangerousCaps are capabilities that break container isolation or give
// host-level power when added (catalog AKS-WKL-004), without the CAP_
// prefix. ALL adds every one of them.
var dangerousCaps = map[string]bool{
	"ALL": true, "SYS_ADMIN": true, "NET_ADMIN": true, "NET_RAW": true, "SYS_PTRACE": true,
	"SYS_MODULE": true, "DAC_READ_SEARCH": true, "BPF": true, "PERFMON": true, "SYS_RAWIO": true,
	"SYS_BOOT": true, "SYS_TIME": true, "MAC_ADMIN": true, "MAC_OVERRIDE": true, "SYSLOG": true,
}

func init() {
	check.Register(&check.Control{
		ID: "AKS-WKL-001", Title: "Privileged containers", Severity: check.Critical, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A privileged container has every capability, sees the host's devices and can load kernel modules or mount the node's disks: one compromised process owns the node and every pod on it. A Windows HostProcess container runs directly on the node likewise.",
		FailsWhen:   "A container, init container or ephemeral container sets securityContext.privileged: true, or runs as a Windows HostProcess container (windowsOptions.hostProcess: true, at container or pod level).",
		Remediation: "Remove privileged: true (and hostProcess: true) from the container's securityContext and add only the capabilities it needs.",
		References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
		Run: perContainer(containerControl{passMsg: "no container runs privileged",
			judge: func(*check.Context) func(c *podContainer) verdict {
				return func(c *podContainer) verdict {
					e := c.Eff
					switch {
					case e.Privileged.Val:
						return verdict{st: check.Fail, msg: c.label() + " runs privileged: it has every capability and the host's devices",
							fix: "remove securityContext.privileged: true (or set it to false) on " + c.where() + "; add only the capabilities it needs",
							ev:  []evidence{settingEv(c, e.Privileged, showBool, "")}}
					case e.WindowsHostProcess.Val:
						return verdict{st: check.Fail, msg: c.label() + " runs as a Windows HostProcess container, with the node's privileges",
							fix: "remove windowsOptions.hostProcess: true (" + e.WindowsHostProcess.path(c) + ") for " + c.where() + "; run node agents as AKS-managed add-ons instead",
							ev:  []evidence{settingEv(c, e.WindowsHostProcess, showBool, "")}}
					}
					return passed(settingEv(c, e.Privileged, showBool, "false"))
				}
			}}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-002", Title: "Privilege escalation", Severity: check.High, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "Unless allowPrivilegeEscalation is false, the kubelet does not set no_new_privs: a setuid binary or file capability in the image lets the process gain more privileges than it started with. The default is true, and privileged or CAP_SYS_ADMIN force it true.",
		FailsWhen:   "A container's effective allowPrivilegeEscalation is not false: unset (true by default), true, or forced true by privileged: true or an added SYS_ADMIN capability.",
		Remediation: "Set securityContext.allowPrivilegeEscalation: false on every container (and remove privileged / SYS_ADMIN, which override it).",
		References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
		Run: perContainer(containerControl{linuxOnly: true, passMsg: "every container sets allowPrivilegeEscalation: false",
			judge: func(*check.Context) func(c *podContainer) verdict {
				return func(c *podContainer) verdict {
					ape := c.Eff.AllowPrivilegeEscalation
					set := "set securityContext.allowPrivilegeEscalation: false on " + c.where()
					switch {
					case ape.From == fromForced && c.Eff.Privileged.Val:
						return verdict{st: check.Fail, msg: c.label() + " can escalate privileges: privileged: true forces allowPrivilegeEscalation to true",
							fix: "remove securityContext.privileged: true and " + set, ev: []evidence{kubeEv(&c.W.Meta, ape.path(c), "true (forces allowPrivilegeEscalation: true)")}}
					case ape.From == fromForced:
						return verdict{st: check.Fail, msg: c.label() + " can escalate privileges: the SYS_ADMIN capability forces allowPrivilegeEscalation to true",
							fix: "remove SYS_ADMIN from securityContext.capabilities.add and " + set, ev: []evidence{kubeEv(&c.W.Meta, ape.path(c), capNames(c.Eff.Capabilities.Val.Add)+" (SYS_ADMIN forces allowPrivilegeEscalation: true)")}}
					case !ape.isSet():
						return verdict{st: check.Fail, msg: c.label() + " can escalate privileges: allowPrivilegeEscalation is not set (true by default)",
							fix: set, ev: []evidence{settingEv(c, ape, showBool, "true by default")}}
					case ape.Val:
						return verdict{st: check.Fail, msg: c.label() + " sets allowPrivilegeEscalation: true",
							fix: set, ev: []evidence{settingEv(c, ape, showBool, "")}}
					}
					return passed(settingEv(c, ape, showBool, ""))
				}
			}}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-003", Title: "Root containers", Severity: check.High, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A process running as UID 0 is root on the node if it escapes the container, and can change anything in its own filesystem. runAsNonRoot: true makes the kubelet refuse to start a container whose user is root; a non-zero runAsUser picks a user explicitly. Both are inherited from the pod's securityContext unless the container overrides them.",
		FailsWhen:   "A container's effective settings (container over pod) have neither runAsNonRoot: true nor a non-zero runAsUser, or runAsUser is 0 (even with runAsNonRoot: true). On Windows pods, runAsUserName ContainerAdministrator fails.",
		Remediation: "Set runAsNonRoot: true and a non-zero runAsUser in the pod's securityContext (or the container's), and build the image to run as a non-root user.",
		References:  []string{refSecurityContext, refPSS, refAKSPodSecurity},
		Run:         perContainer(containerControl{passMsg: "no container runs as root", judge: judgeRoot}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-004", Title: "Capabilities", Severity: check.High, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "Containers start with the runtime's default capabilities (NET_RAW among them, which allows spoofing on the node's network). Dropping ALL and adding back only what the process needs removes them; SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, BPF and similar capabilities open ways out of the container.",
		FailsWhen:   "A container's capabilities.drop does not contain ALL, or capabilities.add holds a dangerous capability (ALL, SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, BPF, PERFMON, SYS_RAWIO, SYS_BOOT, SYS_TIME, MAC_ADMIN, MAC_OVERRIDE, SYSLOG; any case, with or without CAP_).",
		Remediation: "Set securityContext.capabilities.drop: [ALL] on every container and add back only harmless capabilities it needs (e.g. NET_BIND_SERVICE).",
		References:  []string{refSecurityContext + "#set-capabilities-for-a-container", refPSS, refAKSContainerSec},
		Run:         perContainer(containerControl{linuxOnly: true, passMsg: "every container drops ALL capabilities and adds no dangerous one", judge: judgeCaps}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-005", Title: "Seccomp", Severity: check.Medium, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "Without a seccomp profile a container may call every system call of the node's kernel, including those behind most container escapes. Kubernetes runs containers Unconfined unless a profile is set (or the kubelet's --seccomp-default is on, which AKS does not do by default).",
		FailsWhen:   "A container's effective seccomp profile (container field, container annotation, pod field, pod annotation, in that order) is not RuntimeDefault or Localhost: unset, Unconfined, or an unrecognised annotation value.",
		Remediation: "Set securityContext.seccompProfile.type: RuntimeDefault in the pod's securityContext, and remove container overrides to Unconfined.",
		References:  []string{"https://kubernetes.io/docs/tutorials/security/seccomp/", refPSS, refAKSContainerSec},
		Run:         perContainer(containerControl{linuxOnly: true, passMsg: "every container runs with a RuntimeDefault or Localhost seccomp profile", judge: judgeSeccomp}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-006", Title: "AppArmor", Severity: check.Medium, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "AppArmor confines what a container may touch on the node. When nothing is set the runtime's default profile applies; explicitly asking for Unconfined removes that confinement.",
		FailsWhen:   "A container's effective AppArmor profile (container field, legacy container.apparmor.security.beta.kubernetes.io/NAME annotation, pod field) is Unconfined (annotation value unconfined). Unset passes: the runtime default applies.",
		Remediation: "Remove the Unconfined AppArmor profile (appArmorProfile.type: Unconfined or the annotation value unconfined); use RuntimeDefault or a Localhost profile.",
		References:  []string{"https://kubernetes.io/docs/tutorials/security/apparmor/", refPSS, refAKSContainerSec},
		Run: perContainer(containerControl{linuxOnly: true, passMsg: "no container runs AppArmor-unconfined",
			judge: func(*check.Context) func(c *podContainer) verdict {
				return func(c *podContainer) verdict {
					aa := c.Eff.AppArmor
					if aa.Val.Type == profUnconfined {
						how := "set securityContext.appArmorProfile.type: RuntimeDefault (instead of Unconfined) on " + c.where()
						switch aa.From {
						case fromContainerAnnotation:
							how = "remove the annotation " + aa.path(c) + ": unconfined (or set it to runtime/default) for " + c.where()
						case fromPod:
							how = "set " + aa.path(c) + ": RuntimeDefault (instead of Unconfined) in the pod's securityContext, which " + c.label() + " inherits"
						}
						return verdict{st: check.Fail, msg: c.label() + " runs without AppArmor confinement (profile Unconfined, " + aa.From.String() + ")",
							fix: how, ev: []evidence{settingEv(c, aa, showProfile, "")}}
					}
					return passed(settingEv(c, aa, showProfile, "runtime default profile"))
				}
			}}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-007", Title: "Host namespaces", Severity: check.High, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "hostPID lets the pod see and signal every process on the node, hostIPC share its IPC, and hostNetwork bind the node's interfaces and reach its local services, bypassing network policies.",
		FailsWhen:   "The pod spec sets hostPID, hostIPC or hostNetwork to true (one result per workload).",
		Remediation: "Remove hostPID, hostIPC and hostNetwork from the pod spec; expose ports through a Service.",
		References:  []string{refPSS + "#baseline", refAKSPodSecurity},
		Run: perWorkload(func(_ *check.Context, w *inventory.Workload, o *kubeOut) {
			s := w.Spec
			var on []string
			var ev []evidence
			for _, f := range []struct {
				name string
				v    bool
			}{{"hostPID", s.HostPID}, {"hostIPC", s.HostIPC}, {"hostNetwork", s.HostNetwork}} {
				if f.v {
					on = append(on, f.name)
					ev = append(ev, kubeEv(&w.Meta, w.SpecPath+"."+f.name, "true"))
				}
			}
			if len(on) == 0 {
				emitWorkload(o, w, check.Pass, workloadName(&w.Meta)+" shares no host namespace", "",
					kubeEv(&w.Meta, w.SpecPath+".hostPID/hostIPC/hostNetwork", "not set (false)"))
				return
			}
			emitWorkload(o, w, check.Fail, workloadName(&w.Meta)+" shares the node's "+strings.Join(on, ", "),
				"remove "+strings.Join(on, ", ")+" from "+workloadName(&w.Meta)+" ("+w.SpecPath+")", ev...)
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-008", Title: "Host paths", Severity: check.High, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A hostPath volume exposes the node's filesystem to the pod: the kubelet's credentials, the container runtime socket, other pods' data. Writable host paths are a direct way to take over the node.",
		FailsWhen:   "The pod spec has a hostPath volume, unless its path is on the allow-list (allow.hostPaths: exact paths, path prefixes or globs; empty by default) and every container that mounts it (containers, init and ephemeral containers) mounts it readOnly (one result per workload).",
		Remediation: "Replace hostPath volumes with persistent volumes, emptyDir, ConfigMaps or CSI volumes; for node agents that must read the node, allow-list the path and mount it readOnly.",
		References:  []string{"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath", refPSS + "#baseline", refAKSPodSecurity},
		Run:         perWorkload(judgeHostPaths),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-009", Title: "Host ports", Severity: check.Medium, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A hostPort binds the port on the node's IP, outside Services and network policies, and limits scheduling to one such pod per node.",
		FailsWhen:   "A container port declares hostPort > 0 (hostNetwork itself is AKS-WKL-007).",
		Remediation: "Remove hostPort from the container's ports and expose the pod through a Service.",
		References:  []string{"https://kubernetes.io/docs/concepts/configuration/overview/#services", refPSS + "#baseline"},
		Run: perContainer(containerControl{passMsg: "no container declares a hostPort",
			judge: func(*check.Context) func(c *podContainer) verdict {
				return func(c *podContainer) verdict {
					var ev []evidence
					var ports []string
					for i, p := range c.C.Ports {
						if p.HostPort > 0 {
							ports = append(ports, strconv.Itoa(int(p.HostPort)))
							ev = append(ev, kubeEv(&c.W.Meta, c.path()+".ports["+strconv.Itoa(i)+"].hostPort", strconv.Itoa(int(p.HostPort))))
						}
					}
					if len(ports) == 0 {
						return passed(kubeEv(&c.W.Meta, c.path()+".ports[].hostPort", "not set"))
					}
					return verdict{st: check.Fail, msg: c.label() + " binds host port " + strings.Join(ports, ", ") + " on the node",
						fix: "remove hostPort from the ports of " + c.where() + " and expose it through a Service", ev: ev}
				}
			}}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-010", Title: "Read-only root filesystem", Severity: check.Low, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A writable root filesystem lets an attacker drop tools and modify the application's binaries; a read-only one forces writes into explicit volumes.",
		FailsWhen:   "A container does not set securityContext.readOnlyRootFilesystem: true.",
		Remediation: "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application writes (/tmp, caches).",
		References:  []string{refSecurityContext, refAKSPodSecurity},
		Run: perContainer(containerControl{linuxOnly: true, passMsg: "every container has a read-only root filesystem",
			judge: func(*check.Context) func(c *podContainer) verdict {
				return func(c *podContainer) verdict {
					ro := c.Eff.ReadOnlyRootFilesystem
					if ro.Val {
						return passed(settingEv(c, ro, showBool, ""))
					}
					return verdict{st: check.Fail, msg: c.label() + " has a writable root filesystem",
						fix: "set securityContext.readOnlyRootFilesystem: true on " + c.where() + " and mount an emptyDir where it writes",
						ev:  []evidence{settingEv(c, ro, showBool, "false by default")}}
				}
			}}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-012", Title: "Default namespace", Severity: check.Low, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "The default namespace mixes unrelated workloads under the same RBAC, quotas and network policies; dedicated namespaces are the unit of isolation and delegation.",
		FailsWhen:   "A workload is in the namespace default, explicitly or because its manifest sets no namespace (kubectl and helm then use the context's namespace, default unless configured).",
		Remediation: "Deploy the workload into a dedicated namespace: set metadata.namespace (or deploy with -n <namespace>).",
		References:  []string{"https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/", "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"},
		Run: perWorkload(func(_ *check.Context, w *inventory.Workload, o *kubeOut) {
			name := workloadName(&w.Meta)
			fix := "set metadata.namespace: <app-namespace> on " + name + " (line " + strconv.Itoa(w.Source.Line) + ") and create that namespace"
			switch {
			case !w.NamespaceSet():
				emitWorkload(o, w, check.Fail, w.Kind+" "+w.DisplayName()+" sets no metadata.namespace: "+inventory.NamespaceUnset,
					fix+", or deploy it with kubectl/helm -n <app-namespace>")
			case w.Namespace == "default":
				emitWorkload(o, w, check.Fail, name+" is in the default namespace", fix, kubeEv(&w.Meta, "metadata.namespace", "default"))
			default:
				emitWorkload(o, w, check.Pass, name+" is in its own namespace", "", kubeEv(&w.Meta, "metadata.namespace", w.Namespace))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-013", Title: "Resource limits", Severity: check.Low, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "A container without CPU and memory limits can starve its neighbours and the node's system daemons (a noisy neighbour or a denial of service).",
		FailsWhen:   "A container or init container has no resources.limits.cpu or no resources.limits.memory, and the pod-level spec.resources.limits does not set it either (ephemeral containers cannot have resources).",
		Remediation: "Set resources.limits.cpu and resources.limits.memory (and requests) on every container, or a LimitRange default in its namespace.",
		References:  []string{"https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/", "https://learn.microsoft.com/azure/aks/developer-best-practices-resource-management"},
		Run:         perContainer(containerControl{skipEphemeral: true, passMsg: "every container has CPU and memory limits", judge: judgeLimits}),
	})
}

// judgeRoot is AKS-WKL-003.
func judgeRoot(*check.Context) func(c *podContainer) verdict {
	return func(c *podContainer) verdict {
		e := c.Eff
		nonRoot := settingEv(c, e.RunAsNonRoot, showBool, "the image's user is not checked")
		user := settingEv(c, e.RunAsUser, showInt, "the image's user applies")
		fixNonRoot := "set securityContext.runAsNonRoot: true and runAsUser: <non-zero UID> on " + c.where() + " (or in the pod's securityContext, " + c.W.SpecPath + ".securityContext" + ")"
		if isWindowsPod(c.W) {
			if u := e.WindowsRunAsUserName; u.isSet() {
				ev := settingEv(c, u, showStr, "")
				if strings.EqualFold(u.Val, "ContainerAdministrator") || strings.EqualFold(u.Val, `NT AUTHORITY\SYSTEM`) {
					return verdict{st: check.Fail, msg: c.label() + " runs as the administrator " + u.Val,
						fix: "set windowsOptions.runAsUserName: ContainerUser on " + c.where(), ev: []evidence{ev}}
				}
				return passed(ev)
			}
			if e.RunAsNonRoot.Val {
				return passed(nonRoot)
			}
			return verdict{st: check.Fail, msg: c.label() + " may run as ContainerAdministrator: neither runAsNonRoot: true nor windowsOptions.runAsUserName is set",
				fix: "set securityContext.windowsOptions.runAsUserName: ContainerUser (or runAsNonRoot: true) on " + c.where(),
				ev:  []evidence{nonRoot, settingEv(c, e.WindowsRunAsUserName, showStr, "the image's user applies")}}
		}
		switch {
		case e.RunAsUser.isSet() && e.RunAsUser.Val == 0:
			msg := c.label() + " runs as root: runAsUser is 0"
			if e.RunAsUser.From == fromPod {
				msg += " (inherited from the pod)"
			}
			if e.RunAsNonRoot.Val {
				msg += "; with runAsNonRoot: true the kubelet refuses to start it"
			}
			return verdict{st: check.Fail, msg: msg, fix: "set runAsUser to a non-zero UID (" + e.RunAsUser.path(c) + ") for " + c.where(), ev: []evidence{user, nonRoot}}
		case e.RunAsUser.isSet() && e.RunAsUser.Val > 0:
			return passed(user)
		case e.RunAsNonRoot.Val:
			return passed(nonRoot)
		case e.RunAsNonRoot.isSet():
			msg := c.label() + " may run as root: runAsNonRoot is false"
			fix := fixNonRoot
			if e.RunAsNonRoot.From == fromContainer {
				msg += " on the container"
				fix = "set securityContext.runAsNonRoot: true (it overrides the pod's setting) and runAsUser: <non-zero UID> on " + c.where()
			}
			return verdict{st: check.Fail, msg: msg + " and no non-zero runAsUser is set", fix: fix, ev: []evidence{nonRoot, user}}
		}
		return verdict{st: check.Fail, msg: c.label() + " may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set at pod or container level",
			fix: fixNonRoot, ev: []evidence{nonRoot, user}}
	}
}

// judgeCaps is AKS-WKL-004.
func judgeCaps(*check.Context) func(c *podContainer) verdict {
	return func(c *podContainer) verdict {
		caps := c.Eff.Capabilities.Val
		var drop, add []corev1.Capability
		if caps != nil {
			drop, add = caps.Drop, caps.Add
		}
		dropAll := false
		for _, d := range drop {
			if capName(d) == "ALL" {
				dropAll = true
			}
		}
		var bad []string
		for _, a := range add {
			if dangerousCaps[capName(a)] {
				bad = append(bad, string(a))
			}
		}
		capPath := c.Eff.Capabilities.path(c)
		dropPath, addPath := capPath+".drop", capPath+".add"
		ev := []evidence{kubeEv(&c.W.Meta, dropPath, orNotSet(drop, "the runtime's default capabilities are kept"))}
		if len(add) > 0 {
			ev = append(ev, kubeEv(&c.W.Meta, addPath, capNames(add)))
		}
		if dropAll && len(bad) == 0 {
			return passed(ev...)
		}
		var why, fixes []string
		if !dropAll {
			why = append(why, "does not drop ALL capabilities")
			fixes = append(fixes, "set securityContext.capabilities.drop: [ALL] on "+c.where()+" and add back only what it needs (e.g. NET_BIND_SERVICE)")
		}
		if len(bad) > 0 {
			why = append(why, "adds "+strings.Join(bad, ", "))
			fixes = append(fixes, "remove "+strings.Join(bad, ", ")+" from securityContext.capabilities.add of "+c.where())
		}
		return verdict{st: check.Fail, msg: c.label() + " " + strings.Join(why, " and "), fix: strings.Join(fixes, "; "), ev: ev}
	}
}

func orNotSet(cs []corev1.Capability, means string) string {
	if len(cs) == 0 {
		return "not set (" + means + ")"
	}
	return capNames(cs)
}

// judgeSeccomp is AKS-WKL-005.
func judgeSeccomp(*check.Context) func(c *podContainer) verdict {
	return func(c *podContainer) verdict {
		sc := c.Eff.Seccomp
		ev := settingEv(c, sc, showProfile, "Unconfined unless the kubelet runs with --seccomp-default")
		switch sc.Val.Type {
		case profRuntimeDefault, profLocalhost:
			return passed(ev)
		}
		podFix := "set spec.securityContext.seccompProfile.type: RuntimeDefault (" + podSCPath(c.W, "seccompProfile.type") + ") in " + workloadName(&c.W.Meta)
		switch sc.From {
		case fromUnset:
			return verdict{st: check.Fail, msg: c.label() + " has no seccomp profile: it runs Unconfined on nodes without a seccomp default",
				fix: podFix + " (or securityContext.seccompProfile.type: RuntimeDefault on " + c.where() + ")", ev: []evidence{ev}}
		case fromContainer:
			return verdict{st: check.Fail, msg: c.label() + " overrides the seccomp profile to " + render(sc.Val.Raw),
				fix: "set securityContext.seccompProfile.type: RuntimeDefault (instead of " + render(sc.Val.Raw) + ") on " + c.where(), ev: []evidence{ev}}
		case fromContainerAnnotation, fromPodAnnotation:
			return verdict{st: check.Fail, msg: c.label() + " gets seccomp profile " + render(sc.Val.Raw) + " from the legacy annotation " + sc.path(c),
				fix: "remove the annotation " + sc.path(c) + " and " + podFix, ev: []evidence{ev}}
		}
		return verdict{st: check.Fail, msg: c.label() + " inherits the pod's seccomp profile " + render(sc.Val.Raw),
			fix: podFix + " (instead of " + render(sc.Val.Raw) + ")", ev: []evidence{ev}}
	}
}

// judgeLimits is AKS-WKL-013.
func judgeLimits(*check.Context) func(c *podContainer) verdict {
	return func(c *podContainer) verdict {
		var podLimits corev1.ResourceList
		if c.W.Spec.Resources != nil {
			podLimits = c.W.Spec.Resources.Limits
		}
		var missing []string
		var ev []evidence
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			p := c.path() + ".resources.limits." + string(r)
			if q, ok := c.C.Resources.Limits[r]; ok {
				ev = append(ev, kubeEv(&c.W.Meta, p, q.String()))
				continue
			}
			if q, ok := podLimits[r]; ok {
				ev = append(ev, kubeEv(&c.W.Meta, c.W.SpecPath+".resources.limits."+string(r), q.String()+" (pod-level limit)"))
				continue
			}
			missing = append(missing, string(r))
			ev = append(ev, kubeEv(&c.W.Meta, p, "not set"))
		}
		if len(missing) == 0 {
			return passed(ev...)
		}
		what := "CPU or memory limits"
		if len(missing) == 1 {
			what = map[string]string{"cpu": "CPU limit", "memory": "memory limit"}[missing[0]]
		}
		sets := make([]string, len(missing))
		for i, m := range missing {
			sets[i] = "resources.limits." + m
		}
		return verdict{st: check.Fail, msg: c.label() + " has no " + what,
			fix: "set " + strings.Join(sets, " and ") + " on " + c.where(), ev: ev}
	}
}

// judgeHostPaths is AKS-WKL-008.
func judgeHostPaths(ctx *check.Context, w *inventory.Workload, o *kubeOut) {
	name := workloadName(&w.Meta)
	cs := containersOf(ctx, w)
	var bad []string
	var fixes []string
	var ev []evidence
	n := 0
	for i, v := range w.Spec.Volumes {
		if v.HostPath == nil {
			continue
		}
		n++
		vp := w.SpecPath + ".volumes[" + strconv.Itoa(i) + "].hostPath.path"
		ev = append(ev, kubeEv(&w.Meta, vp, render(v.HostPath.Path)))
		allowed, pattern := hostPathAllowed(ctx.Settings.AllowedHostPaths, v.HostPath.Path)
		// Every container that mounts the volume must mount it read-only.
		var writers []string
		for ci := range cs {
			c := &cs[ci]
			for mi, m := range c.C.VolumeMounts {
				if m.Name != v.Name {
					continue
				}
				mp := c.path() + ".volumeMounts[" + strconv.Itoa(mi) + "].readOnly"
				if m.ReadOnly {
					ev = append(ev, kubeEv(&w.Meta, mp, "true"))
				} else {
					writers = append(writers, c.label()+" ("+mp+")")
					ev = append(ev, kubeEv(&w.Meta, mp, "not true (writable)"))
				}
			}
		}
		switch {
		case !allowed:
			why := "hostPath volume " + v.Name + " (" + v.HostPath.Path + ") is not on the allow-list"
			if len(ctx.Settings.AllowedHostPaths) == 0 {
				why = "hostPath volume " + v.Name + " (" + v.HostPath.Path + ")"
			}
			if len(writers) > 0 {
				why += ", mounted writable"
			}
			bad = append(bad, why)
			fixes = append(fixes, "replace volume "+v.Name+" ("+w.SpecPath+".volumes["+strconv.Itoa(i)+"]) with a persistent volume, emptyDir or CSI volume")
		case len(writers) > 0:
			bad = append(bad, "allow-listed hostPath volume "+v.Name+" ("+v.HostPath.Path+") is mounted writable by "+strings.Join(writers, ", "))
			fixes = append(fixes, "set readOnly: true on the mounts of volume "+v.Name+" in "+strings.Join(writers, ", "))
		default:
			ev = append(ev, fact("allow.hostPaths", pattern))
		}
	}
	switch {
	case n == 0:
		emitWorkload(o, w, check.Pass, name+" mounts no hostPath volume", "", kubeEv(&w.Meta, w.SpecPath+".volumes[].hostPath", "none"))
	case len(bad) == 0:
		emitWorkload(o, w, check.Pass, name+" mounts only allow-listed host paths, read-only", "", ev...)
	default:
		emitWorkload(o, w, check.Fail, name+": "+strings.Join(bad, "; "), strings.Join(fixes, "; ")+" (or allow-list a path in allow.hostPaths and mount it readOnly)", ev...)
	}
}

// hostPathAllowed matches a host path against the allow-list: an entry
// allows the same path and everything below it (/var/log allows
// /var/log/pods, not /var/logs), and entries with glob characters are
// matched with path.Match on the cleaned path.
func hostPathAllowed(allow []string, p string) (bool, string) {
	cp := path.Clean("/" + strings.TrimSpace(p))
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if strings.ContainsAny(a, "*?[") {
			if ok, _ := path.Match(path.Clean("/"+a), cp); ok {
				return true, a
			}
			continue
		}
		ca := path.Clean("/" + a)
		if cp == ca || ca == "/" || strings.HasPrefix(cp, ca+"/") {
			return true, a
		}
	}
	return false, ""
}

// ---- AKS-SEC-001: secrets in plain env and ConfigMaps -------------------

// credentialWords are the name fragments of AKS-SEC-001, with - and .
// written as _ (names are compared lower-cased with - and . turned into _).
var credentialWords = []string{"client_secret", "connection_string", "private_key", "access_key", "api_key", "apikey", "credential", "password", "passwd", "secret", "token", "pwd"}

// compactWords catch camelCase spellings (accessKey, privateKey) once
// separators are removed.
var compactWords = []string{"clientsecret", "connectionstring", "privatekey", "accesskey"}

// credentialQualifiers end a name whose value is about a credential, not
// the credential: where to find it (POSTGRES_PASSWORD_FILE, the pattern
// images use to read a mounted Secret; SECRET_KEY_PATH, *_SECRET_NAME,
// *_SECRET_KEY_CMD) or how to use it (TOKEN_SERVICE_URL,
// REGISTRY_CREDENTIAL_USERNAME, TOKEN_TTL).
var credentialQualifiers = []string{"file", "files", "filename", "path", "dir", "cmd", "command", "name", "ref",
	"url", "uri", "endpoint", "host", "port", "username", "user", "type", "mode", "ttl", "timeout", "expiry", "expiration", "lifetime", "length"}

// credentialWord returns the credential word a variable or key name holds,
// or "" when it holds none or is qualified as not being the credential
// itself (see credentialQualifiers; *_NUM_TOKENS counts ring tokens,
// ENABLE_* / DISABLE_* / ALLOW_* are switches). PWD and OLDPWD hold the
// catalog's word pwd and are judged like any other name.
func credentialWord(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("-", "_", ".", "_").Replace(n)
	word := ""
	for _, w := range credentialWords {
		if strings.Contains(n, w) {
			word = w
			break
		}
	}
	compact := strings.ReplaceAll(n, "_", "")
	if word == "" {
		for _, w := range compactWords {
			if strings.Contains(compact, w) {
				word = w
				break
			}
		}
	}
	if word == "" {
		return ""
	}
	// A qualifier after the credential word: PASSWORD_FILE, passwordFile.
	tail := compact[strings.LastIndex(compact, strings.ReplaceAll(word, "_", ""))+len(strings.ReplaceAll(word, "_", "")):]
	for _, q := range credentialQualifiers {
		if tail != "" && strings.HasSuffix(tail, q) {
			return ""
		}
	}
	parts := strings.Split(n, "_")
	switch parts[0] {
	case "enable", "disable", "allow": // a switch: ENABLE_M2M_TOKENS
		return ""
	}
	for _, part := range parts {
		if part == "num" || part == "count" {
			return ""
		}
	}
	return word
}

// notACredentialValue reports literal values that cannot be a credential:
// a boolean switch (ALLOW_EMPTY_PASSWORD: "yes", ENABLE_TOKENS: "true") or
// a reference to another variable ("$(DB_PASSWORD)"). The value is only
// inspected, never kept.
func notACredentialValue(v string) bool {
	t := strings.ToLower(strings.TrimSpace(v))
	switch t {
	case "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	return strings.HasPrefix(t, "$(") && strings.HasSuffix(t, ")") && !strings.Contains(t[2:], "$(")
}

// envFinding is one env var with a literal credential; it never holds the
// value. kind names the secret the value was recognised as, if any.
type envFinding struct {
	name, word, kind, path string
}

// literalNote is the evidence value of a literal credential: its name and
// what it was recognised as, never the value.
func literalNote(name, kind string) string {
	if kind != "" {
		return name + ": literal value holding " + kind + " (not shown)"
	}
	return name + ": literal value (not shown)"
}

func init() {
	check.Register(&check.Control{
		ID: "AKS-SEC-001", Title: "No secrets in plain env", Severity: check.High, Area: areaSecrets,
		Inputs:      []check.Input{check.K8S},
		Reads:       []string{inventory.ColWorkloads, inventory.ColConfigMaps},
		Rationale:   "A credential written as a literal env value or ConfigMap entry is stored in plain text in the manifest, in Git, in etcd without Secret protections and in every `kubectl get -o yaml`; Secrets (or Azure Key Vault through the Secrets Store CSI driver) keep it out of the pod spec.",
		FailsWhen:   "An env var of any container (containers, init and ephemeral containers), or a ConfigMap key, whose name contains a credential word (password, passwd, pwd, secret, token, apikey/api_key, access_key, private_key, client_secret, connection_string, credential; any case, with -, . or _ separators) has a literal non-empty value; or whose literal value, whatever the name, holds a secret in a known format (a PEM private key, AWS access key IDs, GitHub, GitLab, Slack, Stripe live, npm and Google API keys, Azure storage account keys, connection strings with AccountKey=, SharedAccessKey= or Password=, SAS signatures sig=, JSON Web Tokens, passwords in URLs). valueFrom passes. The value is never printed or kept: the evidence names the key and the kind of secret.",
		Remediation: "Move the value to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver).",
		References: []string{"https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
			"https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
			"https://learn.microsoft.com/azure/aks/csi-secrets-store-driver"},
		Run: runSEC001,
	})
	check.Register(&check.Control{
		ID: "AKS-IMG-001", Title: "Images from trusted registries", Severity: check.High, Area: areaGovernance,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "Images pulled from public registries can be replaced, typo-squatted or withdrawn; pulling only from your own Azure Container Registry (with imported, scanned images) and Microsoft's registry keeps the supply chain under your control. The scan's container registries (az acr show) count as trusted by default.",
		FailsWhen:   "An image's registry (docker.io when the image names none) is not trusted: the configured trustedRegistries (host or host/path prefixes, globs like *.azurecr.io), else mcr.microsoft.com plus the registries in the scan, else mcr.microsoft.com plus any *.azurecr.io. The result says which default was used.",
		Remediation: "Import the image into your ACR (az acr import) and reference it from there, or add the registry to trustedRegistries in .aksguard.yaml if you trust it.",
		References: []string{"https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management",
			"https://learn.microsoft.com/azure/container-registry/container-registry-import-images",
			"https://kubernetes.io/docs/concepts/containers/images/"},
		Run: perContainer(containerControl{passMsg: "every image comes from a trusted registry", judge: judgeTrustedRegistry}),
	})
	check.Register(&check.Control{
		ID: "AKS-IMG-002", Title: "Immutable image references", Severity: check.Medium, Area: areaGovernance,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "An image without a tag, or tagged latest, changes under the same reference: rollouts are not reproducible and a pushed image reaches production unreviewed. A digest pins the exact bytes.",
		FailsWhen:   "An image has no tag or the tag latest (and no digest); with requireDigest configured, an image without an @sha256 digest.",
		Remediation: "Reference images by a version tag, and by digest (image: repo:1.2.3@sha256:...) where requireDigest is set.",
		References: []string{"https://kubernetes.io/docs/concepts/containers/images/#image-names",
			"https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version"},
		Run: perContainer(containerControl{passMsg: "every image reference is pinned", judge: judgePinnedImage}),
	})
}

// runSEC001 judges env vars per container and ConfigMap keys per ConfigMap.
// Only names reach the results: values are read to tell literal from empty
// and are never copied.
func runSEC001(ctx *check.Context) []check.Result {
	envs := perContainer(containerControl{passMsg: "no container has a credential in a literal env value",
		judge: func(*check.Context) func(c *podContainer) verdict {
			return func(c *podContainer) verdict {
				var found []envFinding
				for i, e := range c.C.Env {
					if e.ValueFrom != nil || e.Value == "" {
						continue
					}
					// A value in a known secret format is a credential
					// whatever the name; a name with a credential word
					// holds one unless the value is a switch or a
					// reference.
					kind := secretscan.Detect(e.Value)
					w := credentialWord(e.Name)
					if kind != "" || w != "" && !notACredentialValue(e.Value) {
						found = append(found, envFinding{name: e.Name, word: w, kind: kind, path: c.path() + ".env[" + strconv.Itoa(i) + "]"})
					}
				}
				if len(found) == 0 {
					return passed(kubeEv(&c.W.Meta, c.path()+".env", "no literal credential ("+plural(len(c.C.Env), "variable")+")"))
				}
				names := make([]string, len(found))
				ev := make([]evidence, len(found))
				for i, f := range found {
					names[i] = f.name
					ev[i] = kubeEv(&c.W.Meta, f.path+".value", literalNote(f.name, f.kind))
				}
				return verdict{st: check.Fail,
					msg: c.label() + " has a literal credential in env " + strings.Join(names, ", "),
					fix: "move the value of " + strings.Join(names, ", ") + " (" + c.where() + ") to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver)",
					ev:  ev}
			}
		}})(ctx)
	cms := perKube(func(_ *check.Context, k *inventory.Kube, o *kubeOut) {
		for _, cm := range k.ConfigMaps {
			var names []string
			var ev []evidence
			for _, key := range cm.Keys {
				if !key.Literal || credentialWord(key.Name) == "" && key.SecretKind == "" {
					continue
				}
				field := "data"
				if key.Binary {
					field = "binaryData"
				}
				names = append(names, key.Name)
				ev = append(ev, kubeEv(&cm.Meta, field+"["+key.Name+"]", literalNote(key.Name, key.SecretKind)))
			}
			name := workloadName(&cm.Meta)
			if len(names) == 0 {
				o.emit(&cm.Meta, check.Pass, name+" has no key named like a credential with a literal value, and no value in a known secret format", "",
					kubeEv(&cm.Meta, "data", plural(len(cm.Keys), "key")))
				continue
			}
			o.emit(&cm.Meta, check.Fail, name+" holds a literal credential in key "+strings.Join(names, ", "),
				"move the value of "+strings.Join(names, ", ")+" from "+name+" to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver)", ev...)
		}
	})(ctx)
	return append(envs, cms...)
}

// ---- AKS-IMG-001 / AKS-IMG-002: images ----------------------------------

// imageRef is a parsed image reference.
type imageRef struct {
	// Registry is the host (lower-cased; docker.io for Docker Hub aliases
	// and for images that name no registry, Implied then set).
	Registry string
	Implied  bool
	// Repository is the path under the registry (library/nginx for
	// official Docker Hub images).
	Repository string
	Tag        string
	Digest     string
}

// Full is registry/repository.
func (r imageRef) Full() string { return r.Registry + "/" + r.Repository }

// parseImage reads NAME[:TAG][@DIGEST] with the Docker reference rules: the
// first path component is a registry host when it contains "." or ":", is
// "localhost", or has upper-case letters; else the image is on Docker Hub.
func parseImage(s string) imageRef {
	var r imageRef
	rest := strings.TrimSpace(s)
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		r.Digest, rest = rest[i+1:], rest[:i]
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		r.Tag, rest = rest[i+1:], rest[:i]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			r.Registry, r.Repository = strings.ToLower(first), rest[i+1:]
		}
	}
	if r.Registry == "" {
		r.Registry, r.Implied, r.Repository = "docker.io", true, rest
	}
	r.Registry = registryHost(r.Registry)
	if r.Registry == "docker.io" && !strings.Contains(r.Repository, "/") {
		r.Repository = "library/" + r.Repository
	}
	return r
}

// trust is the set of trusted registries used by one run of AKS-IMG-001.
type trust struct {
	patterns []string
	// desc says where the list came from, for evidence and messages.
	desc string
	// evPath is the evidence path of the list.
	evPath string
	// note marks a default list in pass evidence.
	note string
}

// trustFor picks the trusted registries: the configured list, else
// mcr.microsoft.com plus the registries of the scan, else mcr.microsoft.com
// plus any *.azurecr.io.
func trustFor(ctx *check.Context) trust {
	if len(ctx.Settings.TrustedRegistries) > 0 {
		var ps []string
		for _, t := range ctx.Settings.TrustedRegistries {
			if p := normaliseRegistryPattern(t); p != "" {
				ps = append(ps, p)
			}
		}
		return trust{patterns: ps, desc: strings.Join(ps, ", "), evPath: "trustedRegistries (configuration)"}
	}
	seen := map[string]bool{}
	var acrs []string
	addReg := func(r *inventory.Registry) {
		if r == nil {
			return
		}
		if p := normaliseRegistryPattern(r.LoginServer); p != "" && !seen[p] {
			seen[p] = true
			acrs = append(acrs, p)
		}
	}
	if ctx.Inv != nil {
		for _, r := range ctx.Inv.Registries {
			addReg(r)
		}
		for _, c := range ctx.Inv.Clusters {
			for _, r := range c.Registries {
				addReg(r)
			}
		}
	}
	if len(acrs) > 0 {
		return trust{patterns: append([]string{"mcr.microsoft.com"}, acrs...),
			desc:   "mcr.microsoft.com and the scan's container registries (" + strings.Join(acrs, ", ") + "); default used, no trustedRegistries configured",
			evPath: "trusted registries (default)", note: ", default list"}
	}
	return trust{patterns: []string{"mcr.microsoft.com", "*.azurecr.io"},
		desc:   "mcr.microsoft.com and any *.azurecr.io; default used, no trustedRegistries configured and no container registry in the scan",
		evPath: "trusted registries (default)", note: ", default list"}
}

// normaliseRegistryPattern lower-cases a registry entry and strips a scheme
// and trailing slashes.
func normaliseRegistryPattern(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimRight(s, "/")
	if first, rest, ok := strings.Cut(s, "/"); ok {
		return registryHost(first) + "/" + rest
	}
	return registryHost(s)
}

// registryHost is the canonical form of a lower-cased registry host: the
// Docker Hub aliases are docker.io, and the HTTPS port 443 is dropped
// (myacr.azurecr.io:443 is myacr.azurecr.io; other ports stay, they are
// other endpoints).
func registryHost(h string) string {
	h = strings.TrimSuffix(h, ":443")
	switch h {
	case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com":
		return "docker.io"
	}
	return h
}

// matches reports whether a pattern (host or host/path prefix; each
// component may be a glob) matches the image's first components.
func (t trust) matches(r imageRef) (string, bool) {
	segs := strings.Split(strings.ToLower(r.Full()), "/")
	for _, p := range t.patterns {
		ps := strings.Split(p, "/")
		if len(ps) > len(segs) {
			continue
		}
		ok := true
		for i := range ps {
			if m, err := path.Match(ps[i], segs[i]); err != nil || !m {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return "", false
}

// judgeTrustedRegistry is AKS-IMG-001.
func judgeTrustedRegistry(ctx *check.Context) func(c *podContainer) verdict {
	t := trustFor(ctx)
	return func(c *podContainer) verdict {
		img := strings.TrimSpace(c.C.Image)
		ip := c.path() + ".image"
		if img == "" {
			return verdict{st: check.NotAssessed, msg: c.label() + " names no image (a patch or an unrendered template?)", ev: []evidence{kubeEv(&c.W.Meta, ip, "not set")}}
		}
		r := parseImage(img)
		if p, ok := t.matches(r); ok {
			return passed(kubeEv(&c.W.Meta, ip, img+" (registry "+r.Registry+", trusted by "+p+t.note+")"))
		}
		reg := r.Registry
		if r.Implied {
			reg += " (implied: the image names no registry)"
		}
		ev := []evidence{kubeEv(&c.W.Meta, ip, img), fact("registry", reg), fact(t.evPath, t.desc)}
		ref := r.Repository + tagSuffix(r.Tag)
		if r.Digest != "" {
			ref += "@" + r.Digest
		}
		return verdict{st: check.Fail, msg: c.label() + " pulls " + img + " from the untrusted registry " + reg + " (trusted: " + t.desc + ")",
			fix: fmt.Sprintf("import the image into your registry (az acr import -n <registry> --source %s) and set image: <registry>.azurecr.io/%s on %s, or add %s to trustedRegistries in .aksguard.yaml if you trust it",
				r.Registry+"/"+ref, ref, c.where(), r.Registry),
			ev: ev}
	}
}

func tagSuffix(tag string) string {
	if tag == "" {
		return ""
	}
	return ":" + tag
}

// judgePinnedImage is AKS-IMG-002.
func judgePinnedImage(ctx *check.Context) func(c *podContainer) verdict {
	requireDigest := ctx.Settings.RequireDigest
	return func(c *podContainer) verdict {
		img := strings.TrimSpace(c.C.Image)
		ip := c.path() + ".image"
		if img == "" {
			return verdict{st: check.NotAssessed, msg: c.label() + " names no image (a patch or an unrendered template?)", ev: []evidence{kubeEv(&c.W.Meta, ip, "not set")}}
		}
		r := parseImage(img)
		ev := []evidence{kubeEv(&c.W.Meta, ip, img)}
		hasDigest := strings.HasPrefix(strings.ToLower(r.Digest), "sha256:")
		switch {
		case requireDigest && !hasDigest:
			ev = append(ev, fact("requireDigest (configuration)", "true"))
			return verdict{st: check.Fail, msg: c.label() + " references " + img + " without an @sha256 digest (requireDigest is set)",
				fix: "pin the image of " + c.where() + " by digest: image: " + r.Full() + tagSuffix(r.Tag) + "@sha256:<digest> (az acr repository show -n <registry> --image <repo>:<tag> prints it)", ev: ev}
		case hasDigest || r.Digest != "":
			return passed(ev...)
		case r.Tag == "":
			return verdict{st: check.Fail, msg: c.label() + " references " + img + " without a tag (resolves to latest)",
				fix: "pin the image of " + c.where() + " to a version tag (and digest): image: " + img + ":<version>", ev: ev}
		case strings.EqualFold(r.Tag, "latest"):
			return verdict{st: check.Fail, msg: c.label() + " references " + img + " with the mutable tag latest",
				fix: "pin the image of " + c.where() + " to a version tag (and digest) instead of latest", ev: ev}
		}
		return passed(ev...)
	}
}

// ImageRegistry is the registry host of an image reference, with the
// Docker reference rules of the image controls (docker.io for Docker Hub).
func ImageRegistry(image string) string { return parseImage(image).Registry }
