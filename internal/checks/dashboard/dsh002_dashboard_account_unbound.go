package dashboard

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var dsh002 = &check.Control{
	ID: "AKS-DSH-002", Title: "Dashboard service account has no bindings", Severity: check.High, Area: kit.AreaDashboard,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.Reads(kit.ReadsRBAC, []string{inventory.ColServiceAccounts}),
	Rationale:   "The Kubernetes Dashboard acts with its service account's permissions for anyone who reaches it (skip-login); bound to roles, it has been the way into compromised clusters.",
	FailsWhen:   "Any RoleBinding or ClusterRoleBinding has subject ServiceAccount kubernetes-dashboard in namespace kube-system or kubernetes-dashboard.",
	Remediation: "Delete the binding; users sign in to the dashboard with their own token, or use the Azure portal's Kubernetes resource view.",
	References: []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal",
		"https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md"},
	Run: kit.PerKube(runDSH002),
}

func runDSH002(_ *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, b := range rbacidx.AllBindings(k) {
		var ev []kit.Evidence
		for i, s := range b.Subjects {
			key := rbacidx.SubjectKey(b, s)
			if key.Kind == rbacv1.ServiceAccountKind && key.Name == "kubernetes-dashboard" &&
				(key.Namespace == "kube-system" || key.Namespace == "kubernetes-dashboard") {
				ev = append(ev, rbacidx.SubjectEv(b, i))
			}
		}
		if len(ev) == 0 {
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, rbacidx.Named(&b.Meta)+" does not bind the dashboard's ServiceAccount", "")
			continue
		}
		fix := rbacidx.DeleteCmd(&b.Meta)
		if len(ev) < len(b.Subjects) {
			fix = "Remove the kubernetes-dashboard ServiceAccount from the subjects of " + rbacidx.Named(&b.Meta)
		}
		r := o.Emit(&b.Meta, check.Fail, rbacidx.Named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to the Kubernetes Dashboard's ServiceAccount",
			fix+" (users then sign in to the dashboard with their own token; or remove the dashboard).", append([]kit.Evidence{rbacidx.RoleRefEv(b)}, ev...)...)
		// The dashboard's bindings usually live in kube-system or carry
		// system-looking names; they are exactly what this control is
		// about, so they are never excluded as system objects.
		r.System = false
	}
}
