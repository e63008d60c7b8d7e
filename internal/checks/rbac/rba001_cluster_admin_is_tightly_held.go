package rbac

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba001 = &check.Control{
	ID: "AKS-RBA-001", Title: "cluster-admin is tightly held", Severity: check.Critical, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsRBAC,
	Rationale:   "cluster-admin (or any ClusterRole with * verbs on * resources) bound cluster-wide to a service account, a user or every authenticated identity gives the whole cluster to whoever holds one token or account; a group managed in Microsoft Entra ID can be reviewed, audited and emptied.",
	FailsWhen:   "A ClusterRoleBinding binds cluster-admin, or a ClusterRole granting * verbs on * resources (group * or \"\"), to a ServiceAccount, a User, or system:authenticated / system:unauthenticated / system:anonymous (also the system:serviceaccounts groups); a non-system Group passes. Also a ClusterRole that redefines the built-in cluster-admin, admin, edit or view with other rules (or aggregation): without the annotation rbac.authorization.kubernetes.io/autoupdate: \"false\" the API server restores the built-in rules (and every RBAC control judges the role with them), with it the server keeps the redefinition.",
	Remediation: "Bind cluster-admin only to an Entra ID group of administrators; give workloads and people Roles with the permissions they need.",
	References:  rbacReferences,
	Mappings: check.Mappings{
		CIS17: []string{"4.1.1"}, CIS18: []string{"4.1.1"},
	},
	Run: kit.PerKube(runRBA001),
}

// clusterWideRisk says whether a subject must not hold cluster-admin:
// service accounts, users, and the groups that stand for everyone or every
// service account.
func clusterWideRisk(b *inventory.RoleBinding, s rbacv1.Subject) (string, bool) {
	key := rbacidx.SubjectKey(b, s)
	switch key.Kind {
	case rbacv1.ServiceAccountKind:
		return key.Describe(), true
	case rbacv1.UserKind:
		if key.Name == "system:anonymous" {
			return "User system:anonymous (every unauthenticated request)", true
		}
		return key.Describe(), true
	case rbacv1.GroupKind:
		switch {
		case key.Name == "system:authenticated":
			return "Group system:authenticated (every signed-in identity, every service account)", true
		case key.Name == "system:unauthenticated", key.Name == "system:anonymous":
			return "Group " + key.Name + " (every unauthenticated request)", true
		case key.Name == "system:serviceaccounts":
			return "Group system:serviceaccounts (every service account of the cluster)", true
		case strings.HasPrefix(key.Name, "system:serviceaccounts:"):
			return "Group " + key.Name + " (every service account of namespace " + strings.TrimPrefix(key.Name, "system:serviceaccounts:") + ")", true
		}
	}
	return "", false
}

func runRBA001(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	x := rbacidx.For(ctx, k)
	fullAdmin := map[*rbacidx.RoleDef][]rbacidx.Grant{}
	for _, b := range k.ClusterRoleBindings {
		var risky []string
		var riskyEv []kit.Evidence
		for i, s := range b.Subjects {
			if d, bad := clusterWideRisk(b, s); bad {
				risky = append(risky, d)
				riskyEv = append(riskyEv, rbacidx.SubjectEv(b, i))
			}
		}
		role, why := x.RoleFor(b)
		if role == nil {
			if len(risky) == 0 {
				rbacidx.EmitRBAC(o, &b.Meta, check.Pass, rbacidx.Named(&b.Meta)+" binds only groups (and "+b.RoleRef.Name+" is not in this scan)", "", append([]kit.Evidence{rbacidx.RoleRefEv(b)}, subjectEvs(b)...)...)
			} else {
				rbacidx.EmitRBAC(o, &b.Meta, check.NotAssessed, why+": whether it grants full control to "+rbacidx.ListNames(risky, 3)+" cannot be told", "", append([]kit.Evidence{rbacidx.RoleRefEv(b)}, riskyEv...)...)
			}
			continue
		}
		full, done := fullAdmin[role]
		if !done {
			for _, g := range x.Grants(role) {
				if rbacidx.IsFullAdmin(g.Rule) {
					full = append(full, g)
				}
			}
			fullAdmin[role] = full
		}
		ev := []kit.Evidence{rbacidx.RoleRefEv(b)}
		switch {
		case len(full) == 0:
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, role.Ref()+" does not grant * on *", "", ev...)
		case len(risky) == 0:
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, role.Ref()+" grants full control and is bound only to groups", "", append(ev, subjectEvs(b)...)...)
		default:
			for _, g := range full {
				ev = append(ev, grantEv(role, g, "full control"))
			}
			ev = append(ev, riskyEv...)
			msg := rbacidx.Named(&b.Meta) + " gives full control of the cluster (" + role.Ref() + ": * verbs on * resources) to " + rbacidx.ListNames(risky, 4)
			fix := "In " + rbacidx.Named(&b.Meta) + " replace " + rbacidx.ListNames(risky, 4) + " with an Entra ID group of administrators; give workloads a Role with only the permissions they need"
			if len(risky) == len(b.Subjects) {
				fix += " (or " + rbacidx.DeleteCmd(&b.Meta) + ")"
			}
			rbacidx.EmitRBAC(o, &b.Meta, check.Fail, msg, fix+".", ev...)
		}
	}
	judgeRedefinitions(x, o)
}

// judgedRedefinitions are the built-in ClusterRoles whose redefinition
// AKS-RBA-001 reports: the roles people bind. Their definitions are stable
// across Kubernetes versions (cluster-admin's rules, the aggregation rules
// of admin, edit and view), so a live cluster's own copy never differs.
var judgedRedefinitions = map[string]bool{"cluster-admin": true, "admin": true, "edit": true, "view": true}

// redefinitionChanges says how an input ClusterRole differs from the
// built-in role it redefines; nil when it grants the same. For the
// aggregated admin, edit and view the aggregation rule is the definition
// (the controller overwrites their rules).
func redefinitionChanges(d *rbacidx.RoleDef) (what []string, ev []kit.Evidence) {
	b := d.Redefines
	if b.Aggregation == nil {
		if m := rbacidx.MissingRules(d.Rules, b.Rules); len(m) > 0 {
			what = append(what, fmt.Sprintf("lacks %d of the %d built-in rules", len(m), len(b.Rules)))
			for _, r := range m {
				ev = append(ev, kit.Fact("built-in "+b.Ref()+" rule", rbacidx.RuleString(&r)+" (not in the redefinition)"))
			}
		}
		if extra := rbacidx.MissingRules(b.Rules, d.Rules); len(extra) > 0 {
			what = append(what, fmt.Sprintf("adds %d rules", len(extra)))
		}
		if d.Aggregation != nil && len(d.Aggregation.ClusterRoleSelectors) > 0 {
			what = append(what, "adds an aggregationRule")
			ev = append(ev, kit.KubeEv(d.Meta, "aggregationRule", fmt.Sprintf("%d selectors", len(d.Aggregation.ClusterRoleSelectors))))
		}
		return what, ev
	}
	if d.Aggregation == nil {
		what = append(what, fmt.Sprintf("has no aggregationRule (it grants its own %d rules instead of the rules aggregated from the ClusterRoles labelled %s)", len(d.Rules), selectorLabels(b.Aggregation)))
		ev = append(ev, kit.KubeEv(d.Meta, "aggregationRule", "not set"))
		return what, ev
	}
	if m := rbacidx.MissingSelectors(d.Aggregation, b.Aggregation); len(m) > 0 {
		what = append(what, "does not aggregate the ClusterRoles labelled "+selectorLabels(&rbacv1.AggregationRule{ClusterRoleSelectors: m}))
	}
	if extra := rbacidx.MissingSelectors(b.Aggregation, d.Aggregation); len(extra) > 0 {
		what = append(what, fmt.Sprintf("aggregates %d more selectors", len(extra)))
	}
	if len(what) > 0 {
		ev = append(ev, kit.KubeEv(d.Meta, "aggregationRule", fmt.Sprintf("%d selectors", len(d.Aggregation.ClusterRoleSelectors))))
	}
	return what, ev
}

// selectorLabels renders the matchLabels of aggregation selectors.
func selectorLabels(a *rbacv1.AggregationRule) string {
	var out []string
	for _, s := range a.ClusterRoleSelectors {
		keys := make([]string, 0, len(s.MatchLabels))
		for k := range s.MatchLabels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, k+"="+s.MatchLabels[k])
		}
		if len(s.MatchExpressions) > 0 {
			out = append(out, fmt.Sprintf("(%d expressions)", len(s.MatchExpressions)))
		}
	}
	return strings.Join(out, ", ")
}

// judgeRedefinitions reports, under AKS-RBA-001, each input ClusterRole
// that redefines cluster-admin, admin, edit or view. Unprotected, the API
// server restores the built-in definition at its next start, so the
// manifest misstates what the role's bindings grant (the controls judge
// them with the built-in rules added back); protected with autoupdate
// "false", the server keeps the redefinition and every binding of the
// role grants it.
func judgeRedefinitions(x *rbacidx.Index, o *kit.KubeOut) {
	for _, d := range x.InputRoles {
		if d.Redefines == nil || !judgedRedefinitions[d.Name] {
			continue
		}
		auto := "not set (the API server reconciles the role)"
		if v, ok := d.Meta.Annotations[rbacidx.AutoUpdateAnnotation]; ok {
			auto = strconv.Quote(v)
		}
		ev := []kit.Evidence{kit.KubeEv(d.Meta, "metadata.annotations."+rbacidx.AutoUpdateAnnotation, auto)}
		what, changeEv := redefinitionChanges(d)
		if len(what) == 0 {
			rbacidx.EmitRBAC(o, d.Meta, check.Pass, d.Ref()+" keeps Kubernetes' definition of the built-in role "+d.Name, "", ev...)
			continue
		}
		ev = append(ev, changeEv...)
		var msg, fix string
		if d.Protected {
			msg = d.Ref() + " replaces Kubernetes' built-in " + d.Name + " (it " + strings.Join(what, "; ") + ") and opts out of reconciliation (" + rbacidx.AutoUpdateAnnotation +
				": \"false\"): the API server keeps it, so every binding of " + d.Name + " grants this definition, not Kubernetes'"
			fix = "Give these rules a ClusterRole of their own name and bind that where needed; restore the built-in " + d.Name +
				" by deleting " + rbacidx.Named(d.Meta) + " (kubectl delete clusterrole " + d.Name + "; the API server recreates Kubernetes' definition at its next start)."
		} else {
			msg = d.Ref() + " redefines Kubernetes' built-in " + d.Name + " (it " + strings.Join(what, "; ") + ") without " + rbacidx.AutoUpdateAnnotation +
				": \"false\": the API server restores the built-in definition at its next start, so this manifest misstates what the bindings of " + d.Name +
				" grant; aksguard judges them with the built-in rules added back"
			fix = "Remove " + rbacidx.Named(d.Meta) + " from the manifests (the cluster keeps Kubernetes' definition) and give the rules you meant a ClusterRole of their own name."
		}
		r := rbacidx.EmitRBAC(o, d.Meta, check.Fail, msg, fix, ev...)
		// A redefined built-in role often copies the bootstrap label; it
		// is what this finding is about, so it is never excluded.
		r.System = false
	}
}
