package workloads

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

var wkl007 = &check.Control{
	ID: "AKS-WKL-007", Title: "Host namespaces", Severity: check.High, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "hostPID lets the pod see and signal every process on the node, hostIPC share its IPC, and hostNetwork bind the node's interfaces and reach its local services, bypassing network policies.",
	FailsWhen:   "The pod spec sets hostPID, hostIPC or hostNetwork to true (one result per workload).",
	Remediation: "Remove hostPID, hostIPC and hostNetwork from the pod spec; expose ports through a Service.",
	References:  []string{refPSS + "#baseline", refAKSPodSecurity},
	Mappings: check.Mappings{
		CIS17: []string{"4.2.2", "4.2.3", "4.2.4"}, CIS18: []string{"4.2.2", "4.2.3", "4.2.4"},
		AzurePolicy: []string{
			"47a1ee2f-2a2a-4576-bf2a-e0e36709c2b8", // Kubernetes cluster containers should not share host namespaces
		},
	},
	Run: perWorkload(func(_ *check.Context, w *inventory.Workload, o *kit.KubeOut) {
		s := w.Spec
		var on []string
		var ev []kit.Evidence
		for _, f := range []struct {
			name string
			v    bool
		}{{"hostPID", s.HostPID}, {"hostIPC", s.HostIPC}, {"hostNetwork", s.HostNetwork}} {
			if f.v {
				on = append(on, f.name)
				ev = append(ev, kit.KubeEv(&w.Meta, w.SpecPath+"."+f.name, "true"))
			}
		}
		if len(on) == 0 {
			secctx.EmitWorkload(o, w, check.Pass, secctx.WorkloadName(&w.Meta)+" shares no host namespace", "",
				kit.KubeEv(&w.Meta, w.SpecPath+".hostPID/hostIPC/hostNetwork", "not set (false)"))
			return
		}
		secctx.EmitWorkload(o, w, check.Fail, secctx.WorkloadName(&w.Meta)+" shares the node's "+strings.Join(on, ", "),
			"remove "+strings.Join(on, ", ")+" from "+secctx.WorkloadName(&w.Meta)+" ("+w.SpecPath+")", ev...)
	}),
}
