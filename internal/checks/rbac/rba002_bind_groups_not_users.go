package rbac

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba002 = &check.Control{
	ID: "AKS-RBA-002", Title: "Bind groups, not users", Severity: check.Medium, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsRBAC,
	Rationale:   "Permissions bound to individual users outlive their owners' roles and are missed in access reviews; Entra ID groups are managed and audited in one place.",
	FailsWhen:   "A RoleBinding or ClusterRoleBinding names a User subject (Kubernetes component users named system:* excepted).",
	Remediation: "Replace User subjects with an Entra ID group that holds those users.",
	References:  append([]string{"https://learn.microsoft.com/azure/aks/azure-ad-rbac"}, rbacReferences...),
	Run:         kit.PerKube(runRBA002),
}

func runRBA002(_ *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, b := range rbacidx.AllBindings(k) {
		var users []string
		var ev []kit.Evidence
		for i, s := range b.Subjects {
			key := rbacidx.SubjectKey(b, s)
			if key.Kind == rbacv1.UserKind && !strings.HasPrefix(key.Name, "system:") {
				users = append(users, key.Name)
				ev = append(ev, rbacidx.SubjectEv(b, i))
			}
		}
		if len(users) == 0 {
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, rbacidx.Named(&b.Meta)+" names no individual user", "")
			continue
		}
		fixes := make([]string, len(users))
		for i, u := range users {
			fixes[i] = "replace subject User " + u + " with an Entra ID group in " + rbacidx.Named(&b.Meta)
		}
		rbacidx.EmitRBAC(o, &b.Meta, check.Fail, rbacidx.Named(&b.Meta)+" binds "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to individual users: "+rbacidx.ListNames(users, 4),
			strings.Join(fixes, "; ")+" (kind: Group, name: the group's object ID).", append([]kit.Evidence{rbacidx.RoleRefEv(b)}, ev...)...)
	}
}
