package secctx

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Result rule of the per-container controls (docs/workload-controls.md):
// one fail (or not-assessed) result per (workload, container) that does not
// pass, naming the container; when every container of the workload passes,
// one pass result for the workload with each container's evidence. A
// workload's results never mix a pass with fails.

// Verdict is a per-container rule's judgement of one container.
type Verdict struct {
	Status  check.Status // Pass, Fail or NotAssessed
	Message string       // the result message (fails and not-assessed)
	Fix     string       // the manifest change (fails)
	Ev      []kit.Evidence
}

// Passed is the verdict on a container that passes, with its evidence.
func Passed(ev ...kit.Evidence) Verdict { return Verdict{Status: check.Pass, Ev: ev} }

// ContainerControl describes a per-container control.
type ContainerControl struct {
	// LinuxOnly controls are not-applicable on pods that declare
	// spec.os.name: windows (the API forbids the field there).
	LinuxOnly bool
	// SkipEphemeral leaves ephemeral containers out (the API forbids the
	// field on them).
	SkipEphemeral bool
	// PassMsg describes a workload whose containers all pass.
	PassMsg string
	// Judge is built once per run (it may read settings) and judges one
	// container. The container is shared by every control (ContainersOf):
	// a judge only reads it.
	Judge func(ctx *check.Context) func(c *PodContainer) Verdict
}

// EmitWorkload adds a result about a workload through kubeOut.emit. The
// aksguard.io/waive annotation is read from the object's metadata, else from
// its pod template's metadata.
func EmitWorkload(o *kit.KubeOut, w *inventory.Workload, st check.Status, msg, fix string, ev ...kit.Evidence) {
	r := o.Emit(&w.Meta, st, msg, fix, ev...)
	if r.WaiveAnnotation == "" {
		r.WaiveAnnotation = w.PodWaive()
	}
}

// PerContainer builds the Run of a per-container control.
func PerContainer(cc ContainerControl) func(*check.Context) []check.Result {
	return kit.PerKube(func(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
		judge := cc.Judge(ctx)
		counted := ctx.PassesCounted
		ws := WorkloadsOf(ctx, k)
		Presize(o, len(ws))
		for _, w := range ws {
			if cc.LinuxOnly && IsWindowsPod(w) {
				EmitWorkload(o, w, check.NotApplicable, WorkloadName(&w.Meta)+" is a Windows pod (spec.os.name: windows): the setting applies to Linux containers only", "",
					kit.KubeEv(&w.Meta, w.SpecPath+".os.name", "windows"))
				continue
			}
			var passEv []kit.Evidence
			n, bad := 0, 0
			// The judges read the shared (memoised) containers in place:
			// judge(&c) on a copy moved each copy to the heap, one per
			// container and control.
			cs := ContainersOf(ctx, w)
			for i := range cs {
				c := &cs[i]
				if cc.SkipEphemeral && c.List == listEphemeralContainers {
					continue
				}
				n++
				v := judge(c)
				if v.Status == check.Pass {
					if !counted {
						passEv = append(passEv, v.Ev...)
					}
					continue
				}
				bad++
				EmitWorkload(o, w, v.Status, v.Message, v.Fix, v.Ev...)
			}
			switch {
			case n == 0:
				EmitWorkload(o, w, check.NotAssessed, WorkloadName(&w.Meta)+" declares no containers in its pod template", "",
					kit.KubeEv(&w.Meta, w.SpecPath+".containers", "[]"))
			case bad == 0 && counted:
				o.Counted(&w.Meta)
			case bad == 0:
				EmitWorkload(o, w, check.Pass, cc.PassMsg+" ("+kit.Plural(n, "container")+" checked)", "", passEv...)
			}
		}
	})
}

// Presize reserves room for about one result per workload: growing a slice
// of results by doubling copies them over and over on large inputs.
func Presize(o *kit.KubeOut, n int) {
	if cap(o.Results)-len(o.Results) < n {
		rs := make([]check.Result, len(o.Results), len(o.Results)+n+n/4)
		copy(rs, o.Results)
		o.Results = rs
	}
}
