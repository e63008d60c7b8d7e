package workloads

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var wkl014 = &check.Control{
	ID: "AKS-WKL-014", Title: "Pod Security Admission", Severity: check.Medium, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColNamespaces},
	Rationale:   "Pod Security Admission rejects privileged, host-namespace and hostPath pods in namespaces labelled baseline or restricted; without the label, every pod spec is admitted.",
	FailsWhen:   "A non-system namespace (declared, or implied by the objects in it) has no pod-security.kubernetes.io/enforce label of baseline or restricted (privileged fails). A namespace implied but not declared in a manifest scan fails: nothing in the input labels it.",
	Remediation: "Label every application namespace pod-security.kubernetes.io/enforce=baseline (or restricted).",
	References:  []string{"https://kubernetes.io/docs/concepts/security/pod-security-admission/", "https://learn.microsoft.com/azure/aks/use-psa"},
	Run:         kit.PerKube(evalWKL014),
}

func evalWKL014(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, n := range kit.Namespaces(ctx, k) {
		m := n.Meta()
		fix := fmt.Sprintf("kubectl label namespace %s %s=baseline --overwrite (restricted where the workloads allow it)", n.Name, kit.PSAEnforce)
		var r *check.Result
		if !n.Declared() {
			// Catalog: declared or implied. The input deploys into a
			// namespace it does not declare: nothing in it sets the label
			// (kubectl create namespace and helm --create-namespace do not).
			e := kit.KubeEv(m, "metadata.labels."+kit.PSAEnforce, "not set: the namespace is not declared in the input (implied by "+n.ImpliedBy()+")")
			r = o.Emit(m, check.Fail, fmt.Sprintf("namespace %s is not declared in the input, so nothing in it sets a Pod Security level (implied by %s)", n.Name, n.ImpliedBy()),
				fmt.Sprintf("declare the namespace in the input with the label: {apiVersion: v1, kind: Namespace, metadata: {name: %s, labels: {%s: baseline}}} (or %s)", n.Name, kit.PSAEnforce, fix), e)
		} else {
			level, set := n.Obj.Labels[kit.PSAEnforce]
			e := kit.KubeEv(m, "metadata.labels."+kit.PSAEnforce, level)
			switch {
			case !set:
				e.Value = "not set (privileged: every pod is admitted)"
				r = o.Emit(m, check.Fail, "namespace "+n.Name+" does not enforce a Pod Security level", fix, e)
			case kit.PSALevelOK(level):
				r = o.Emit(m, check.Pass, "namespace "+n.Name+" enforces the "+level+" Pod Security level", "", e)
			case level == "privileged":
				r = o.Emit(m, check.Fail, "namespace "+n.Name+" enforces the privileged Pod Security level: every pod is admitted", fix, e)
			default:
				r = o.Emit(m, check.Fail, fmt.Sprintf("namespace %s: %q is not a Pod Security level (baseline or restricted)", n.Name, level), fix, e)
			}
		}
		r.System = r.System || n.System()
	}
}
