package rbac

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba007 = &check.Control{
	ID: "AKS-RBA-007", Title: "Default service accounts unbound", Severity: check.Medium, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.Reads(kit.ReadsRBAC, []string{inventory.ColServiceAccounts}),
	Rationale:   "Every pod that names no ServiceAccount runs as its namespace's default account: permissions bound to it go to every such pod.",
	FailsWhen:   "A RoleBinding or ClusterRoleBinding has a namespace's default ServiceAccount as subject (or the system:serviceaccounts groups, which contain it).",
	Remediation: "Give the workloads that need permissions their own ServiceAccount and bind that instead.",
	References:  append([]string{"https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts"}, rbacReferences...),
	// Not mapped: CIS 4.1.5 also wants automountServiceAccountToken: false
	// on every default ServiceAccount, which this control does not judge.
	Run: kit.PerKube(runRBA007),
}

func runRBA007(_ *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, b := range rbacidx.AllBindings(k) {
		var who []string
		var ev []kit.Evidence
		var fixes []string
		for i, s := range b.Subjects {
			key := rbacidx.SubjectKey(b, s)
			switch {
			case key.Kind == rbacv1.ServiceAccountKind && key.Name == "default":
				who = append(who, "the default ServiceAccount of namespace "+kit.OrPlaceholder(key.Namespace, "<no namespace>"))
				fixes = append(fixes, "replace subject "+key.Describe()+" with that ServiceAccount")
			case key.Kind == rbacv1.GroupKind && key.Name == "system:serviceaccounts":
				who = append(who, "every ServiceAccount (group system:serviceaccounts), default ones included")
				fixes = append(fixes, "replace subject Group system:serviceaccounts with that ServiceAccount")
			case key.Kind == rbacv1.GroupKind && strings.HasPrefix(key.Name, "system:serviceaccounts:"):
				who = append(who, "every ServiceAccount of namespace "+strings.TrimPrefix(key.Name, "system:serviceaccounts:")+" (group "+key.Name+"), its default included")
				fixes = append(fixes, "replace subject Group "+key.Name+" with that ServiceAccount")
			default:
				continue
			}
			ev = append(ev, rbacidx.SubjectEv(b, i))
		}
		if len(who) == 0 {
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, rbacidx.Named(&b.Meta)+" does not bind a default ServiceAccount", "")
			continue
		}
		rbacidx.EmitRBAC(o, &b.Meta, check.Fail, rbacidx.Named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to "+strings.Join(who, "; ")+": every pod that names no ServiceAccount gets it",
			"Create a dedicated ServiceAccount for the workloads that need this access, set serviceAccountName on them, and in "+rbacidx.Named(&b.Meta)+" "+strings.Join(fixes, "; ")+".",
			append([]kit.Evidence{rbacidx.RoleRefEv(b)}, ev...)...)
	}
}
