package workloads

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

var wkl012 = &check.Control{
	ID: "AKS-WKL-012", Title: "Default namespace", Severity: check.Low, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "The default namespace mixes unrelated workloads under the same RBAC, quotas and network policies; dedicated namespaces are the unit of isolation and delegation.",
	FailsWhen:   "A workload is in the namespace default, explicitly or because its manifest sets no namespace (kubectl and helm then use the context's namespace, default unless configured).",
	Remediation: "Deploy the workload into a dedicated namespace: set metadata.namespace (or deploy with -n <namespace>).",
	References:  []string{"https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/", "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"},
	// Not mapped: CIS 4.6.3 and policy 9f061a12 flag every kind of object in
	// default (ConfigMaps, Secrets, Services, ServiceAccounts); this control
	// only workloads (weaker).
	Run: perWorkload(func(_ *check.Context, w *inventory.Workload, o *kit.KubeOut) {
		name := secctx.WorkloadName(&w.Meta)
		fix := "set metadata.namespace: <app-namespace> on " + name + " (line " + strconv.Itoa(w.Source.Line) + ") and create that namespace"
		switch {
		case !w.NamespaceSet():
			secctx.EmitWorkload(o, w, check.Fail, w.Kind+" "+w.DisplayName()+" sets no metadata.namespace: "+inventory.NamespaceUnset,
				fix+", or deploy it with kubectl/helm -n <app-namespace>")
		case w.Namespace == "default":
			secctx.EmitWorkload(o, w, check.Fail, name+" is in the default namespace", fix, kit.KubeEv(&w.Meta, "metadata.namespace", "default"))
		default:
			secctx.EmitWorkload(o, w, check.Pass, name+" is in its own namespace", "", kit.KubeEv(&w.Meta, "metadata.namespace", w.Namespace))
		}
	}),
}
