package rbac

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba004 = &check.Control{
	ID: "AKS-RBA-004", Title: "Secrets read access", Severity: check.High, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsRBAC,
	Rationale:   "Reading Secrets cluster-wide yields every service account token, registry password and TLS key in the cluster; list and watch return the values too.",
	FailsWhen:   "A ClusterRole bound by a ClusterRoleBinding grants get, list or watch on secrets (verbs * and resources * count; aggregated rules count); a rule restricted with resourceNames grants only the Secrets it names and does not count.",
	Remediation: "Grant Secret access per namespace with RoleBindings, restricted by resourceNames where possible.",
	References:  rbacReferences,
	// Not mapped: CIS 4.1.2 "Minimize access to secrets" also covers namespaced
	// Roles, which this control does not judge (ClusterRoles bound cluster-wide).
	Run: kit.PerKube(runRBA004),
}

// secretReads names what a rule lets read of Secrets. A rule restricted
// with resourceNames grants only the named Secrets, which is what the
// control's fix recommends: it does not count.
func secretReads(r *rbacv1.PolicyRule) []string {
	if len(r.ResourceNames) > 0 {
		return nil
	}
	var verbs []string
	for _, v := range rbacidx.VerbsRead {
		if rbacidx.Allows(r, v, "", "secrets") {
			verbs = append(verbs, v)
		}
	}
	if len(verbs) == 0 {
		return nil
	}
	return []string{strings.Join(verbs, "/") + " secrets"}
}

func runRBA004(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	j := &boundJudge{x: rbacidx.For(ctx, k), match: secretReads, passMsg: "grants no read access to secrets",
		fail: func(b *inventory.RoleBinding, role *rbacidx.RoleDef, found []string, where string) (string, string) {
			msg := rbacidx.Named(&b.Meta) + " lets " + rbacidx.ListNames(subjectNames(b), 4) + " read Secrets in every namespace through " + role.Ref() + " (" + strings.Join(found, ", ") + ")"
			if role.KubernetesOwned() || kit.IsSystemRBACName(role.Name) {
				return msg, "Bind " + role.Ref() + " with RoleBindings in the namespaces whose Secrets are needed instead of " + rbacidx.Named(&b.Meta) + " (" + rbacidx.DeleteCmd(&b.Meta) + ")."
			}
			return msg, "Remove get/list/watch on secrets from " + where + " (or restrict it with resourceNames), or replace " + rbacidx.Named(&b.Meta) + " with RoleBindings in the namespaces whose Secrets are needed."
		}}
	j.run(k, o)
}
