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

var rbacReferences = []string{
	"https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
	"https://learn.microsoft.com/azure/aks/operator-best-practices-identity",
	"https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
}

// grantEv is evidence of one rule: where it is written and what it says.
func grantEv(bound *rbacidx.RoleDef, g rbacidx.Grant, note string) kit.Evidence {
	path := g.From.Ref() + " rules[" + strconv.Itoa(g.Index) + "]"
	v := rbacidx.RuleString(g.Rule)
	if note != "" {
		v += ": " + note
	}
	if r := rbacidx.RestoredInto(g.From); r != nil {
		// A built-in rule the API server adds back into a redefinition.
		path = r.Ref() + " built-in rule"
		if r != bound {
			path += " (aggregated into " + bound.Ref() + ")"
		}
		return kit.Fact(path, v+" (restored by the API server: "+r.Ref()+" redefines a built-in role without "+rbacidx.AutoUpdateAnnotation+": \"false\")")
	}
	if g.From != bound {
		path += " (aggregated into " + bound.Ref() + ")"
	}
	if g.From.Builtin() {
		return kit.Fact(path, v+" (built-in Kubernetes role)")
	}
	return kit.KubeEv(g.From.Meta, path, v)
}

func subjectNames(b *inventory.RoleBinding) []string {
	out := make([]string, 0, len(b.Subjects))
	for _, s := range b.Subjects {
		out = append(out, rbacidx.SubjectKey(b, s).Describe())
	}
	return out
}

func subjectEvs(b *inventory.RoleBinding) []kit.Evidence {
	out := make([]kit.Evidence, 0, len(b.Subjects))
	for i := range b.Subjects {
		out = append(out, rbacidx.SubjectEv(b, i))
	}
	return out
}

// ruleNumbers renders "rule 2" / "rules 2, 3" of a role's own rules.
func ruleNumbers(gs []rbacidx.Grant) string {
	seen := map[int]bool{}
	var ns []int
	for _, g := range gs {
		if !seen[g.Index] {
			seen[g.Index] = true
			ns = append(ns, g.Index+1)
		}
	}
	sort.Ints(ns)
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	if len(s) == 1 {
		return "rule " + s[0]
	}
	return "rules " + strings.Join(s, ", ")
}

// grantsByRole groups grants by the role they are written in, in order.
func grantsByRole(gs []rbacidx.Grant) ([]*rbacidx.RoleDef, map[*rbacidx.RoleDef][]rbacidx.Grant) {
	var order []*rbacidx.RoleDef
	by := map[*rbacidx.RoleDef][]rbacidx.Grant{}
	for _, g := range gs {
		if _, ok := by[g.From]; !ok {
			order = append(order, g.From)
		}
		by[g.From] = append(by[g.From], g)
	}
	return order, by
}

// whereRules names the rules to change: "rule 2 of ClusterRole x, rule 1 of
// ClusterRole y (aggregated into z)".
func whereRules(bound *rbacidx.RoleDef, gs []rbacidx.Grant) string {
	order, by := grantsByRole(gs)
	parts := make([]string, 0, len(order))
	more := 0
	if len(order) > 8 {
		order, more = order[:8], len(order)-8
	}
	for _, r := range order {
		if into := rbacidx.RestoredInto(r); into != nil {
			parts = append(parts, "the built-in rules the API server restores into "+into.Ref())
			continue
		}
		p := ruleNumbers(by[r]) + " of " + r.Ref()
		if r.Builtin() {
			p += " (built-in)"
		}
		parts = append(parts, p)
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more ClusterRoles", more))
	}
	return strings.Join(parts, "; ")
}

// --- AKS-RBA-004 and AKS-RBA-005: what a ClusterRoleBinding grants ---

// boundJudge evaluates the ClusterRoles of ClusterRoleBindings with match,
// which returns what a rule grants that matters (nil when nothing). Each
// role is judged once, however many bindings bind it.
type boundJudge struct {
	x       *rbacidx.Index
	match   func(*rbacv1.PolicyRule) []string
	passMsg string
	// fail renders the message and fix of a failing binding from what the
	// role grants and where ("rule 2 of ClusterRole/x").
	fail    func(b *inventory.RoleBinding, role *rbacidx.RoleDef, found []string, where string) (string, string)
	verdict map[*rbacidx.RoleDef]*roleVerdict
}

type roleVerdict struct {
	found  []string
	ruleEv []kit.Evidence
	where  string
	pass   string
}

// maxRuleEvidence caps the rules listed as evidence of one result.
const maxRuleEvidence = 12

func (j *boundJudge) judge(role *rbacidx.RoleDef) *roleVerdict {
	if v := j.verdict[role]; v != nil {
		return v
	}
	v := &roleVerdict{}
	seen := map[string]bool{}
	var gs []rbacidx.Grant
	all := j.x.Grants(role)
	for _, g := range all {
		what := j.match(g.Rule)
		if len(what) == 0 {
			continue
		}
		gs = append(gs, g)
		if len(v.ruleEv) < maxRuleEvidence {
			v.ruleEv = append(v.ruleEv, grantEv(role, g, "grants "+strings.Join(what, ", ")))
		}
		for _, w := range what {
			if !seen[w] {
				seen[w] = true
				v.found = append(v.found, w)
			}
		}
	}
	if n := len(gs) - len(v.ruleEv); n > 0 {
		v.ruleEv = append(v.ruleEv, kit.Fact(role.Ref()+" rules", fmt.Sprintf("and %d more rules", n)))
	}
	if len(gs) == 0 {
		v.pass = role.Ref() + " " + j.passMsg
		if from := rbacidx.AggregatedFrom(role, all); len(from) > 0 {
			v.pass += " (with the rules it aggregates from " + rbacidx.ListNames(from, 5) + ")"
		}
	} else {
		v.where = whereRules(role, gs)
	}
	if j.verdict == nil {
		j.verdict = map[*rbacidx.RoleDef]*roleVerdict{}
	}
	j.verdict[role] = v
	return v
}

func (j *boundJudge) run(k *inventory.Kube, o *kit.KubeOut) {
	for _, b := range k.ClusterRoleBindings {
		if len(b.Subjects) == 0 {
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, rbacidx.Named(&b.Meta)+" binds no subject", "", rbacidx.RoleRefEv(b))
			continue
		}
		role, why := j.x.RoleFor(b)
		if role == nil {
			rbacidx.EmitRBAC(o, &b.Meta, check.NotAssessed, why, "", rbacidx.RoleRefEv(b))
			continue
		}
		v := j.judge(role)
		if len(v.found) == 0 {
			rbacidx.EmitRBAC(o, &b.Meta, check.Pass, v.pass, "", rbacidx.RoleRefEv(b))
			continue
		}
		msg, fix := j.fail(b, role, v.found, v.where)
		ev := make([]kit.Evidence, 0, 1+len(v.ruleEv)+len(b.Subjects))
		ev = append(ev, rbacidx.RoleRefEv(b))
		ev = append(ev, v.ruleEv...)
		ev = append(ev, subjectEvs(b)...)
		rbacidx.EmitRBAC(o, &b.Meta, check.Fail, msg, fix, ev...)
	}
}
