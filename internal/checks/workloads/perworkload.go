package workloads

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
)

// References shared by the workload controls.
const (
	refSecurityContext = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
	refPSS             = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
	refAKSPodSecurity  = "https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security"
	refAKSContainerSec = "https://learn.microsoft.com/azure/aks/secure-container-access"
)

// perWorkload builds the Run of a pod-level control: one result per
// workload.
func perWorkload(eval func(ctx *check.Context, w *inventory.Workload, o *kit.KubeOut)) func(*check.Context) []check.Result {
	return kit.PerKube(func(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
		ws := secctx.WorkloadsOf(ctx, k)
		secctx.Presize(o, len(ws))
		for _, w := range ws {
			eval(ctx, w, o)
		}
	})
}

// settingEv is the evidence of an effective setting: the field (or
// annotation) it was read from and its value, saying when it was inherited
// from the pod, read from a legacy annotation or left unset.
func settingEv[T any](c *secctx.PodContainer, s secctx.Setting[T], show func(T) string, unsetMeans string) kit.Evidence {
	var v string
	switch s.From {
	case secctx.FromUnset:
		v = "not set"
		if unsetMeans != "" {
			v += " (" + unsetMeans + ")"
		}
	case secctx.FromPod:
		v = show(s.Val) + " (pod-level, inherited by " + c.Label() + ")"
	case secctx.FromContainerAnnotation, secctx.FromPodAnnotation:
		v = show(s.Val) + " (legacy " + s.From.String() + ", applies to " + c.Label() + ")"
	case secctx.FromForced:
		v = show(s.Val) + " (forced)"
	default:
		v = show(s.Val)
	}
	return kit.KubeEv(&c.W.Meta, s.Path(c), v)
}

func showBool(b bool) string { return strconv.FormatBool(b) }

func showProfile(p secctx.Profile) string {
	if p.Type == secctx.ProfLocalhost && p.Localhost != "" {
		return "Localhost (" + p.Localhost + ")"
	}
	return kit.Render(p.Raw)
}

// capNames renders a capability list.
func capNames(cs []corev1.Capability) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return kit.Render(out)
}
