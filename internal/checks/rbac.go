package checks

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// The RBAC controls (catalog §10), and the controls that read the same
// RBAC index: AKS-DSH-002 (dashboard bindings), AKS-IDN-005 (image pull
// secrets for ACR) and AKS-WKL-011 (unneeded service account tokens).
// Decisions are in docs/rbac-controls.md.

const areaRBAC = "RBAC"

var rbacReferences = []string{
	"https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
	"https://learn.microsoft.com/azure/aks/operator-best-practices-identity",
	"https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
}

func init() {
	check.Register(&check.Control{
		ID: "AKS-RBA-001", Title: "cluster-admin is tightly held", Severity: check.Critical, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsRBAC,
		Rationale:   "cluster-admin (or any ClusterRole with * verbs on * resources) bound cluster-wide to a service account, a user or every authenticated identity gives the whole cluster to whoever holds one token or account; a group managed in Microsoft Entra ID can be reviewed, audited and emptied.",
		FailsWhen:   "A ClusterRoleBinding binds cluster-admin, or a ClusterRole granting * verbs on * resources (group * or \"\"), to a ServiceAccount, a User, or system:authenticated / system:unauthenticated / system:anonymous (also the system:serviceaccounts groups); a non-system Group passes. Also a ClusterRole that redefines the built-in cluster-admin, admin, edit or view with other rules (or aggregation): without the annotation rbac.authorization.kubernetes.io/autoupdate: \"false\" the API server restores the built-in rules (and every RBAC control judges the role with them), with it the server keeps the redefinition.",
		Remediation: "Bind cluster-admin only to an Entra ID group of administrators; give workloads and people Roles with the permissions they need.",
		References:  rbacReferences,
		Run:         perKube(runRBA001),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-002", Title: "Bind groups, not users", Severity: check.Medium, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsRBAC,
		Rationale:   "Permissions bound to individual users outlive their owners' roles and are missed in access reviews; Entra ID groups are managed and audited in one place.",
		FailsWhen:   "A RoleBinding or ClusterRoleBinding names a User subject (Kubernetes component users named system:* excepted).",
		Remediation: "Replace User subjects with an Entra ID group that holds those users.",
		References:  append([]string{"https://learn.microsoft.com/azure/aks/azure-ad-rbac"}, rbacReferences...),
		Run:         perKube(runRBA002),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-003", Title: "No wildcard rules", Severity: check.High, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsRBAC,
		Rationale:   "A * in verbs or resources grants today's and every future verb or resource type, including escalate, bind, impersonate and secrets.",
		FailsWhen:   "A Role or ClusterRole has a rule with \"*\" in verbs or in resources.",
		Remediation: "List the verbs and resources the role needs instead of *.",
		References:  rbacReferences,
		Run:         perKube(runRBA003),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-004", Title: "Secrets read access", Severity: check.High, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsRBAC,
		Rationale:   "Reading Secrets cluster-wide yields every service account token, registry password and TLS key in the cluster; list and watch return the values too.",
		FailsWhen:   "A ClusterRole bound by a ClusterRoleBinding grants get, list or watch on secrets (verbs * and resources * count; aggregated rules count); a rule restricted with resourceNames grants only the Secrets it names and does not count.",
		Remediation: "Grant Secret access per namespace with RoleBindings, restricted by resourceNames where possible.",
		References:  rbacReferences,
		Run:         perKube(runRBA004),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-005", Title: "Escalation paths", Severity: check.High, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       readsRBAC,
		Rationale:   "escalate, bind and impersonate raise an identity's own permissions; exec, attach, port-forward, ephemeral containers and the kubelet proxy reach into other pods; a minted service account token is that account's identity; creating or changing pods or workloads runs code as any service account of the namespace and mounts host paths unless admission stops it.",
		FailsWhen:   "A ClusterRole bound by a ClusterRoleBinding grants escalate or bind on roles, impersonate, create/get on pods/exec, pods/attach or pods/portforward, patch/update on pods/ephemeralcontainers, create on serviceaccounts/token, get/create on nodes/proxy, or create, patch or update on pods, deployments, daemonsets, statefulsets, replicasets, jobs, cronjobs or replicationcontrollers (wildcards count).",
		Remediation: "Remove the escalating permissions, or grant them per namespace with RoleBindings to the identities that need them.",
		References:  append([]string{"https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks"}, rbacReferences...),
		Run:         perKube(runRBA005),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-006", Title: "Bindings to missing subjects", Severity: check.Low, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       reads(readsRBAC, []string{inventory.ColNamespaces, inventory.ColServiceAccounts}),
		Rationale:   "A binding to a ServiceAccount that does not exist hands its permissions to whoever creates an account of that name later.",
		FailsWhen:   "A binding's ServiceAccount subject does not exist (every namespace's default exists); a live scan, which lists every namespace, also fails a subject in a namespace that does not exist, where a manifests scan is not-assessed.",
		Remediation: "Remove the subject (or the binding), or create the ServiceAccount it was meant for.",
		References:  rbacReferences,
		Run:         perKube(runRBA006),
	})
	check.Register(&check.Control{
		ID: "AKS-RBA-007", Title: "Default service accounts unbound", Severity: check.Medium, Area: areaRBAC,
		Inputs:      []check.Input{check.K8S},
		Reads:       reads(readsRBAC, []string{inventory.ColServiceAccounts}),
		Rationale:   "Every pod that names no ServiceAccount runs as its namespace's default account: permissions bound to it go to every such pod.",
		FailsWhen:   "A RoleBinding or ClusterRoleBinding has a namespace's default ServiceAccount as subject (or the system:serviceaccounts groups, which contain it).",
		Remediation: "Give the workloads that need permissions their own ServiceAccount and bind that instead.",
		References:  append([]string{"https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts"}, rbacReferences...),
		Run:         perKube(runRBA007),
	})
	check.Register(&check.Control{
		ID: "AKS-DSH-002", Title: "Dashboard service account has no bindings", Severity: check.High, Area: areaDashboard,
		Inputs:      []check.Input{check.K8S},
		Reads:       reads(readsRBAC, []string{inventory.ColServiceAccounts}),
		Rationale:   "The Kubernetes Dashboard acts with its service account's permissions for anyone who reaches it (skip-login); bound to roles, it has been the way into compromised clusters.",
		FailsWhen:   "Any RoleBinding or ClusterRoleBinding has subject ServiceAccount kubernetes-dashboard in namespace kube-system or kubernetes-dashboard.",
		Remediation: "Delete the binding; users sign in to the dashboard with their own token, or use the Azure portal's Kubernetes resource view.",
		References: []string{"https://learn.microsoft.com/azure/aks/kubernetes-portal",
			"https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md"},
		Run: perKube(runDSH002),
	})
	check.Register(&check.Control{
		ID: "AKS-IDN-005", Title: "Registry access through the kubelet identity", Severity: check.Medium, Area: areaIdentity,
		Inputs:      []check.Input{check.K8S},
		Reads:       reads(readsRBAC, []string{inventory.ColSecrets, inventory.ColServiceAccounts, inventory.ColWorkloads}),
		Rationale:   "An image pull secret for Azure Container Registry holds a long-lived registry password (admin user or service principal) readable by anyone who can read Secrets; attaching the registry lets the kubelet's managed identity pull without any secret.",
		FailsWhen:   "An image pull Secret (kubernetes.io/dockerconfigjson or dockercfg) holds credentials for a *.azurecr.io registry.",
		Remediation: "Attach the registry to the cluster (az aks update --attach-acr), remove the imagePullSecrets that reference the Secret, and delete it.",
		References: []string{"https://learn.microsoft.com/azure/aks/cluster-container-registry-integration",
			"https://learn.microsoft.com/azure/container-registry/container-registry-authentication-managed-identity"},
		Run: perKube(runIDN005),
	})
	check.Register(&check.Control{
		ID: "AKS-WKL-011", Title: "Service account token", Severity: check.Low, Area: wklArea,
		Inputs:      []check.Input{check.K8S},
		Reads:       reads(readsRBAC, []string{inventory.ColWorkloads, inventory.ColServiceAccounts}),
		Rationale:   "A mounted token the pod does not need is a credential an attacker in the container can use against the API server, for nothing in return.",
		FailsWhen:   "A workload's token is automounted (neither the pod spec nor its ServiceAccount sets automountServiceAccountToken false; the pod's setting wins) although its ServiceAccount has no role bindings.",
		Remediation: "Set automountServiceAccountToken: false in the pod template (or on the ServiceAccount).",
		References: []string{"https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
			"https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security"},
		Run: perKube(runWKL011),
	})
}

// --- shared helpers ---

// emitRBAC emits a result and also marks objects of Kubernetes' bootstrap
// policy (label kubernetes.io/bootstrapping: rbac-defaults) as system.
func emitRBAC(o *kubeOut, m *inventory.Meta, st check.Status, msg, fix string, ev ...evidence) *check.Result {
	r := o.emit(m, st, msg, fix, ev...)
	if m.Labels[labelBootstrapping] == "rbac-defaults" {
		r.System = true
	}
	return r
}

func allBindings(k *inventory.Kube) []*inventory.RoleBinding {
	out := make([]*inventory.RoleBinding, 0, len(k.RoleBindings)+len(k.ClusterRoleBindings))
	out = append(out, k.RoleBindings...)
	return append(out, k.ClusterRoleBindings...)
}

// named names an object for people: "ClusterRoleBinding x",
// "RoleBinding x in namespace ns".
func named(m *inventory.Meta) string {
	if m.ClusterScoped {
		return m.Kind + " " + m.DisplayName()
	}
	return m.Kind + " " + m.DisplayName() + " in namespace " + m.EffectiveNamespace()
}

// deleteCmd is the kubectl command that deletes an object.
func deleteCmd(m *inventory.Meta) string {
	c := "kubectl delete " + strings.ToLower(m.Kind) + " " + m.DisplayName()
	if !m.ClusterScoped {
		c += " -n " + m.EffectiveNamespace()
	}
	return c
}

func subjectEv(b *inventory.RoleBinding, i int) evidence {
	return kubeEv(&b.Meta, "subjects["+strconv.Itoa(i)+"]", subjectKey(b, b.Subjects[i]).describe())
}

func roleRefEv(b *inventory.RoleBinding) evidence {
	return kubeEv(&b.Meta, "roleRef", b.RoleRef.Kind+" "+b.RoleRef.Name)
}

// grantEv is evidence of one rule: where it is written and what it says.
func grantEv(bound *roleDef, g grant, note string) evidence {
	path := g.From.ref() + " rules[" + strconv.Itoa(g.Index) + "]"
	v := ruleString(g.Rule)
	if note != "" {
		v += ": " + note
	}
	if r := restoredInto(g.From); r != nil {
		// A built-in rule the API server adds back into a redefinition.
		path = r.ref() + " built-in rule"
		if r != bound {
			path += " (aggregated into " + bound.ref() + ")"
		}
		return fact(path, v+" (restored by the API server: "+r.ref()+" redefines a built-in role without "+autoUpdateAnnotation+": \"false\")")
	}
	if g.From != bound {
		path += " (aggregated into " + bound.ref() + ")"
	}
	if g.From.builtin() {
		return fact(path, v+" (built-in Kubernetes role)")
	}
	return kubeEv(g.From.Meta, path, v)
}

// listNames joins names for messages, at most max of them.
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}

func subjectNames(b *inventory.RoleBinding) []string {
	out := make([]string, 0, len(b.Subjects))
	for _, s := range b.Subjects {
		out = append(out, subjectKey(b, s).describe())
	}
	return out
}

func subjectEvs(b *inventory.RoleBinding) []evidence {
	out := make([]evidence, 0, len(b.Subjects))
	for i := range b.Subjects {
		out = append(out, subjectEv(b, i))
	}
	return out
}

// ruleNumbers renders "rule 2" / "rules 2, 3" of a role's own rules.
func ruleNumbers(gs []grant) string {
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
func grantsByRole(gs []grant) ([]*roleDef, map[*roleDef][]grant) {
	var order []*roleDef
	by := map[*roleDef][]grant{}
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
func whereRules(bound *roleDef, gs []grant) string {
	order, by := grantsByRole(gs)
	parts := make([]string, 0, len(order))
	more := 0
	if len(order) > 8 {
		order, more = order[:8], len(order)-8
	}
	for _, r := range order {
		if into := restoredInto(r); into != nil {
			parts = append(parts, "the built-in rules the API server restores into "+into.ref())
			continue
		}
		p := ruleNumbers(by[r]) + " of " + r.ref()
		if r.builtin() {
			p += " (built-in)"
		}
		parts = append(parts, p)
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more ClusterRoles", more))
	}
	return strings.Join(parts, "; ")
}

// --- AKS-RBA-001 ---

// clusterWideRisk says whether a subject must not hold cluster-admin:
// service accounts, users, and the groups that stand for everyone or every
// service account.
func clusterWideRisk(b *inventory.RoleBinding, s rbacv1.Subject) (string, bool) {
	key := subjectKey(b, s)
	switch key.Kind {
	case rbacv1.ServiceAccountKind:
		return key.describe(), true
	case rbacv1.UserKind:
		if key.Name == "system:anonymous" {
			return "User system:anonymous (every unauthenticated request)", true
		}
		return key.describe(), true
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

func runRBA001(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	x := newRBACIndex(k)
	fullAdmin := map[*roleDef][]grant{}
	for _, b := range k.ClusterRoleBindings {
		var risky []string
		var riskyEv []evidence
		for i, s := range b.Subjects {
			if d, bad := clusterWideRisk(b, s); bad {
				risky = append(risky, d)
				riskyEv = append(riskyEv, subjectEv(b, i))
			}
		}
		role, why := x.roleFor(b)
		if role == nil {
			if len(risky) == 0 {
				emitRBAC(o, &b.Meta, check.Pass, named(&b.Meta)+" binds only groups (and "+b.RoleRef.Name+" is not in this scan)", "", append([]evidence{roleRefEv(b)}, subjectEvs(b)...)...)
			} else {
				emitRBAC(o, &b.Meta, check.NotAssessed, why+": whether it grants full control to "+listNames(risky, 3)+" cannot be told", "", append([]evidence{roleRefEv(b)}, riskyEv...)...)
			}
			continue
		}
		full, done := fullAdmin[role]
		if !done {
			for _, g := range x.grants(role) {
				if isFullAdmin(g.Rule) {
					full = append(full, g)
				}
			}
			fullAdmin[role] = full
		}
		ev := []evidence{roleRefEv(b)}
		switch {
		case len(full) == 0:
			emitRBAC(o, &b.Meta, check.Pass, role.ref()+" does not grant * on *", "", ev...)
		case len(risky) == 0:
			emitRBAC(o, &b.Meta, check.Pass, role.ref()+" grants full control and is bound only to groups", "", append(ev, subjectEvs(b)...)...)
		default:
			for _, g := range full {
				ev = append(ev, grantEv(role, g, "full control"))
			}
			ev = append(ev, riskyEv...)
			msg := named(&b.Meta) + " gives full control of the cluster (" + role.ref() + ": * verbs on * resources) to " + listNames(risky, 4)
			fix := "In " + named(&b.Meta) + " replace " + listNames(risky, 4) + " with an Entra ID group of administrators; give workloads a Role with only the permissions they need"
			if len(risky) == len(b.Subjects) {
				fix += " (or " + deleteCmd(&b.Meta) + ")"
			}
			emitRBAC(o, &b.Meta, check.Fail, msg, fix+".", ev...)
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
func redefinitionChanges(d *roleDef) (what []string, ev []evidence) {
	b := d.Redefines
	if b.Aggregation == nil {
		if m := missingRules(d.Rules, b.Rules); len(m) > 0 {
			what = append(what, fmt.Sprintf("lacks %d of the %d built-in rules", len(m), len(b.Rules)))
			for _, r := range m {
				ev = append(ev, fact("built-in "+b.ref()+" rule", ruleString(&r)+" (not in the redefinition)"))
			}
		}
		if extra := missingRules(b.Rules, d.Rules); len(extra) > 0 {
			what = append(what, fmt.Sprintf("adds %d rules", len(extra)))
		}
		if d.Aggregation != nil && len(d.Aggregation.ClusterRoleSelectors) > 0 {
			what = append(what, "adds an aggregationRule")
			ev = append(ev, kubeEv(d.Meta, "aggregationRule", fmt.Sprintf("%d selectors", len(d.Aggregation.ClusterRoleSelectors))))
		}
		return what, ev
	}
	if d.Aggregation == nil {
		what = append(what, fmt.Sprintf("has no aggregationRule (it grants its own %d rules instead of the rules aggregated from the ClusterRoles labelled %s)", len(d.Rules), selectorLabels(b.Aggregation)))
		ev = append(ev, kubeEv(d.Meta, "aggregationRule", "not set"))
		return what, ev
	}
	if m := missingSelectors(d.Aggregation, b.Aggregation); len(m) > 0 {
		what = append(what, "does not aggregate the ClusterRoles labelled "+selectorLabels(&rbacv1.AggregationRule{ClusterRoleSelectors: m}))
	}
	if extra := missingSelectors(b.Aggregation, d.Aggregation); len(extra) > 0 {
		what = append(what, fmt.Sprintf("aggregates %d more selectors", len(extra)))
	}
	if len(what) > 0 {
		ev = append(ev, kubeEv(d.Meta, "aggregationRule", fmt.Sprintf("%d selectors", len(d.Aggregation.ClusterRoleSelectors))))
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
func judgeRedefinitions(x *rbacIndex, o *kubeOut) {
	for _, d := range x.inputRoles {
		if d.Redefines == nil || !judgedRedefinitions[d.Name] {
			continue
		}
		auto := "not set (the API server reconciles the role)"
		if v, ok := d.Meta.Annotations[autoUpdateAnnotation]; ok {
			auto = strconv.Quote(v)
		}
		ev := []evidence{kubeEv(d.Meta, "metadata.annotations."+autoUpdateAnnotation, auto)}
		what, changeEv := redefinitionChanges(d)
		if len(what) == 0 {
			emitRBAC(o, d.Meta, check.Pass, d.ref()+" keeps Kubernetes' definition of the built-in role "+d.Name, "", ev...)
			continue
		}
		ev = append(ev, changeEv...)
		var msg, fix string
		if d.Protected {
			msg = d.ref() + " replaces Kubernetes' built-in " + d.Name + " (it " + strings.Join(what, "; ") + ") and opts out of reconciliation (" + autoUpdateAnnotation +
				": \"false\"): the API server keeps it, so every binding of " + d.Name + " grants this definition, not Kubernetes'"
			fix = "Give these rules a ClusterRole of their own name and bind that where needed; restore the built-in " + d.Name +
				" by deleting " + named(d.Meta) + " (kubectl delete clusterrole " + d.Name + "; the API server recreates Kubernetes' definition at its next start)."
		} else {
			msg = d.ref() + " redefines Kubernetes' built-in " + d.Name + " (it " + strings.Join(what, "; ") + ") without " + autoUpdateAnnotation +
				": \"false\": the API server restores the built-in definition at its next start, so this manifest misstates what the bindings of " + d.Name +
				" grant; aksguard judges them with the built-in rules added back"
			fix = "Remove " + named(d.Meta) + " from the manifests (the cluster keeps Kubernetes' definition) and give the rules you meant a ClusterRole of their own name."
		}
		r := emitRBAC(o, d.Meta, check.Fail, msg, fix, ev...)
		// A redefined built-in role often copies the bootstrap label; it
		// is what this finding is about, so it is never excluded.
		r.System = false
	}
}

// --- AKS-RBA-002 ---

func runRBA002(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, b := range allBindings(k) {
		var users []string
		var ev []evidence
		for i, s := range b.Subjects {
			key := subjectKey(b, s)
			if key.Kind == rbacv1.UserKind && !strings.HasPrefix(key.Name, "system:") {
				users = append(users, key.Name)
				ev = append(ev, subjectEv(b, i))
			}
		}
		if len(users) == 0 {
			emitRBAC(o, &b.Meta, check.Pass, named(&b.Meta)+" names no individual user", "")
			continue
		}
		fixes := make([]string, len(users))
		for i, u := range users {
			fixes[i] = "replace subject User " + u + " with an Entra ID group in " + named(&b.Meta)
		}
		emitRBAC(o, &b.Meta, check.Fail, named(&b.Meta)+" binds "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to individual users: "+listNames(users, 4),
			strings.Join(fixes, "; ")+" (kind: Group, name: the group's object ID).", append([]evidence{roleRefEv(b)}, ev...)...)
	}
}

// --- AKS-RBA-003 ---

func runRBA003(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	x := newRBACIndex(k)
	for _, r := range x.inputRoles {
		var ev []evidence
		var what, nums []string
		for i := range r.Rules {
			rule := &r.Rules[i]
			var w []string
			if hasValue(rule.Verbs, rbacv1.VerbAll) && len(rule.NonResourceURLs) == 0 {
				w = append(w, "* verbs")
			}
			if hasValue(rule.Resources, rbacv1.ResourceAll) {
				w = append(w, "* resources")
			}
			if len(w) == 0 {
				continue
			}
			n := strconv.Itoa(i + 1)
			nums = append(nums, n)
			what = append(what, strings.Join(w, " and ")+" in rule "+n)
			ev = append(ev, kubeEv(r.Meta, "rules["+strconv.Itoa(i)+"]", ruleString(rule)))
		}
		if len(ev) == 0 {
			msg := r.ref() + " lists its verbs and resources"
			if len(r.Rules) == 0 && r.Aggregation != nil {
				msg = r.ref() + " is aggregated: its rules come from the ClusterRoles it selects, judged on their own"
			}
			emitRBAC(o, r.Meta, check.Pass, msg, "")
			continue
		}
		rules := "rule " + nums[0]
		if len(nums) > 1 {
			rules = "rules " + strings.Join(nums, ", ")
		}
		emitRBAC(o, r.Meta, check.Fail, r.ref()+" grants "+strings.Join(what, "; "),
			"Remove the wildcard from "+rules+" of "+named(r.Meta)+": list the verbs and resources it needs.", ev...)
	}
}

// --- AKS-RBA-004 and AKS-RBA-005: what a ClusterRoleBinding grants ---

// boundJudge evaluates the ClusterRoles of ClusterRoleBindings with match,
// which returns what a rule grants that matters (nil when nothing). Each
// role is judged once, however many bindings bind it.
type boundJudge struct {
	x       *rbacIndex
	match   func(*rbacv1.PolicyRule) []string
	passMsg string
	// fail renders the message and fix of a failing binding from what the
	// role grants and where ("rule 2 of ClusterRole/x").
	fail    func(b *inventory.RoleBinding, role *roleDef, found []string, where string) (string, string)
	verdict map[*roleDef]*roleVerdict
}

type roleVerdict struct {
	found  []string
	ruleEv []evidence
	where  string
	pass   string
}

// maxRuleEvidence caps the rules listed as evidence of one result.
const maxRuleEvidence = 12

func (j *boundJudge) judge(role *roleDef) *roleVerdict {
	if v := j.verdict[role]; v != nil {
		return v
	}
	v := &roleVerdict{}
	seen := map[string]bool{}
	var gs []grant
	all := j.x.grants(role)
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
		v.ruleEv = append(v.ruleEv, fact(role.ref()+" rules", fmt.Sprintf("and %d more rules", n)))
	}
	if len(gs) == 0 {
		v.pass = role.ref() + " " + j.passMsg
		if from := aggregatedFrom(role, all); len(from) > 0 {
			v.pass += " (with the rules it aggregates from " + listNames(from, 5) + ")"
		}
	} else {
		v.where = whereRules(role, gs)
	}
	if j.verdict == nil {
		j.verdict = map[*roleDef]*roleVerdict{}
	}
	j.verdict[role] = v
	return v
}

func (j *boundJudge) run(k *inventory.Kube, o *kubeOut) {
	for _, b := range k.ClusterRoleBindings {
		if len(b.Subjects) == 0 {
			emitRBAC(o, &b.Meta, check.Pass, named(&b.Meta)+" binds no subject", "", roleRefEv(b))
			continue
		}
		role, why := j.x.roleFor(b)
		if role == nil {
			emitRBAC(o, &b.Meta, check.NotAssessed, why, "", roleRefEv(b))
			continue
		}
		v := j.judge(role)
		if len(v.found) == 0 {
			emitRBAC(o, &b.Meta, check.Pass, v.pass, "", roleRefEv(b))
			continue
		}
		msg, fix := j.fail(b, role, v.found, v.where)
		ev := make([]evidence, 0, 1+len(v.ruleEv)+len(b.Subjects))
		ev = append(ev, roleRefEv(b))
		ev = append(ev, v.ruleEv...)
		ev = append(ev, subjectEvs(b)...)
		emitRBAC(o, &b.Meta, check.Fail, msg, fix, ev...)
	}
}

// secretReads names what a rule lets read of Secrets. A rule restricted
// with resourceNames grants only the named Secrets, which is what the
// control's fix recommends: it does not count.
func secretReads(r *rbacv1.PolicyRule) []string {
	if len(r.ResourceNames) > 0 {
		return nil
	}
	var verbs []string
	for _, v := range verbsRead {
		if allows(r, v, "", "secrets") {
			verbs = append(verbs, v)
		}
	}
	if len(verbs) == 0 {
		return nil
	}
	return []string{strings.Join(verbs, "/") + " secrets"}
}

func runRBA004(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	j := &boundJudge{x: newRBACIndex(k), match: secretReads, passMsg: "grants no read access to secrets",
		fail: func(b *inventory.RoleBinding, role *roleDef, found []string, where string) (string, string) {
			msg := named(&b.Meta) + " lets " + listNames(subjectNames(b), 4) + " read Secrets in every namespace through " + role.ref() + " (" + strings.Join(found, ", ") + ")"
			if role.kubernetesOwned() || isSystemRBACName(role.Name) {
				return msg, "Bind " + role.ref() + " with RoleBindings in the namespaces whose Secrets are needed instead of " + named(&b.Meta) + " (" + deleteCmd(&b.Meta) + ")."
			}
			return msg, "Remove get/list/watch on secrets from " + where + " (or restrict it with resourceNames), or replace " + named(&b.Meta) + " with RoleBindings in the namespaces whose Secrets are needed."
		}}
	j.run(k, o)
}

// escalation is one permission of AKS-RBA-005. what names it; when
// showVerbs is set, the verbs the rule grants are put before it
// ("create/update deployments").
type escalation struct {
	what      string
	verbs     []string
	on        [][2]string // {group, resource}
	showVerbs bool
}

// workloadVerbs are the verbs that run code as a workload: create one, or
// change an existing one's pod template (image, command, service account).
var workloadVerbs = []string{"create", "patch", "update"}

var escalations = func() []escalation {
	rbacRoles := [][2]string{{"rbac.authorization.k8s.io", "roles"}, {"rbac.authorization.k8s.io", "clusterroles"}}
	out := []escalation{
		{what: "escalate on roles", verbs: []string{"escalate"}, on: rbacRoles},
		{what: "bind roles", verbs: []string{"bind"}, on: rbacRoles},
		{what: "impersonate", verbs: []string{"impersonate"}, on: [][2]string{{"", "users"}, {"", "groups"}, {"", "serviceaccounts"}, {"authentication.k8s.io", "uids"}}},
		{what: "exec into pods (pods/exec)", verbs: []string{"create", "get"}, on: [][2]string{{"", "pods/exec"}}},
		{what: "attach to pods (pods/attach)", verbs: []string{"create", "get"}, on: [][2]string{{"", "pods/attach"}}},
		{what: "port-forward to pods (pods/portforward)", verbs: []string{"create", "get"}, on: [][2]string{{"", "pods/portforward"}}},
		{what: "add ephemeral containers to pods (pods/ephemeralcontainers)", verbs: []string{"patch", "update"}, on: [][2]string{{"", "pods/ephemeralcontainers"}}},
		{what: "mint service account tokens (serviceaccounts/token)", verbs: []string{"create"}, on: [][2]string{{"", "serviceaccounts/token"}}},
		{what: "the kubelet API (nodes/proxy)", verbs: []string{"get", "create"}, on: [][2]string{{"", "nodes/proxy"}}},
	}
	for _, w := range []struct {
		res    string
		groups []string
	}{
		{"pods", []string{""}},
		{"deployments", []string{"apps", "extensions"}},
		{"daemonsets", []string{"apps", "extensions"}},
		{"statefulsets", []string{"apps"}},
		{"replicasets", []string{"apps", "extensions"}},
		{"jobs", []string{"batch"}},
		{"cronjobs", []string{"batch"}},
		{"replicationcontrollers", []string{""}},
	} {
		var on [][2]string
		for _, g := range w.groups {
			on = append(on, [2]string{g, w.res})
		}
		out = append(out, escalation{what: w.res, verbs: workloadVerbs, on: on, showVerbs: true})
	}
	return out
}()

func escalationsOf(r *rbacv1.PolicyRule) []string {
	var out []string
	for _, e := range escalations {
		var verbs []string
		for _, v := range e.verbs {
			for _, on := range e.on {
				if allows(r, v, on[0], on[1]) {
					verbs = append(verbs, v)
					break
				}
			}
			if len(verbs) > 0 && !e.showVerbs {
				break
			}
		}
		switch {
		case len(verbs) == 0:
		case e.showVerbs:
			out = append(out, strings.Join(verbs, "/")+" "+e.what)
		default:
			out = append(out, e.what)
		}
	}
	return out
}

func runRBA005(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	j := &boundJudge{x: newRBACIndex(k), match: escalationsOf, passMsg: "grants none of escalate, bind, impersonate, exec/attach/port-forward, ephemeral containers, service account tokens, nodes/proxy or creating and changing workloads",
		fail: func(b *inventory.RoleBinding, role *roleDef, found []string, where string) (string, string) {
			msg := named(&b.Meta) + " gives " + listNames(subjectNames(b), 4) + " escalation paths in every namespace through " + role.ref() + ": " + listNames(found, 6)
			if role.kubernetesOwned() || isSystemRBACName(role.Name) {
				return msg, "Bind " + role.ref() + " with RoleBindings in the namespaces that need it instead of " + named(&b.Meta) + " (" + deleteCmd(&b.Meta) + ")."
			}
			return msg, "Remove " + strings.Join(found, ", ") + " from " + where + ", or grant them with RoleBindings in the namespaces that need them instead of " + named(&b.Meta) + "."
		}}
	j.run(k, o)
}

// --- AKS-RBA-006 ---

func runRBA006(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	x := newRBACIndex(k)
	for _, b := range allBindings(k) {
		for i, s := range b.Subjects {
			key := subjectKey(b, s)
			if key.Kind != rbacv1.ServiceAccountKind {
				continue
			}
			ev := subjectEv(b, i)
			removeFix := "Remove subject " + key.describe() + " from " + named(&b.Meta)
			if len(b.Subjects) == 1 {
				removeFix += " (" + deleteCmd(&b.Meta) + ")"
			}
			if key.Namespace == "" {
				emitRBAC(o, &b.Meta, check.Fail, named(&b.Meta)+" names ServiceAccount "+key.Name+" without a namespace: the API server rejects the binding",
					"Set subjects["+strconv.Itoa(i)+"].namespace in "+named(&b.Meta)+".", ev)
				continue
			}
			state, sa := x.accountExists(key.Namespace, key.Name)
			switch state {
			case "yes":
				emitRBAC(o, &b.Meta, check.Pass, key.describe()+" exists", "", ev, kubeEv(&sa.Meta, sa.Ref(), "exists"))
			case "implicit":
				emitRBAC(o, &b.Meta, check.Pass, key.describe()+" exists: every namespace has a default ServiceAccount", "", ev)
			case "unset":
				emitRBAC(o, &b.Meta, check.NotAssessed, "ServiceAccount "+key.Name+" is in this scan without metadata.namespace: it exists in "+key.Namespace+" only if applied there", "",
					ev, kubeEv(&sa.Meta, "ServiceAccount "+sa.Name+" metadata.namespace", inventory.NamespaceUnset))
			case "unknown":
				if k.API != nil {
					// A live scan lists every namespace: this one does not exist.
					emitRBAC(o, &b.Meta, check.Fail, key.describe()+" does not exist (the cluster has no namespace "+key.Namespace+"): "+named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to whoever creates them",
						removeFix+", or create the namespace and ServiceAccount if they are missing by mistake.", ev)
					continue
				}
				emitRBAC(o, &b.Meta, check.NotAssessed, "namespace "+key.Namespace+" is not in this scan: whether "+key.describe()+" exists cannot be told from these manifests (scan its manifests or the live cluster)", "", ev)
			default:
				emitRBAC(o, &b.Meta, check.Fail, key.describe()+" does not exist: "+named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to whoever creates it",
					removeFix+", or create the ServiceAccount if it is missing by mistake.", ev)
			}
		}
	}
}

// --- AKS-RBA-007 ---

func runRBA007(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, b := range allBindings(k) {
		var who []string
		var ev []evidence
		var fixes []string
		for i, s := range b.Subjects {
			key := subjectKey(b, s)
			switch {
			case key.Kind == rbacv1.ServiceAccountKind && key.Name == "default":
				who = append(who, "the default ServiceAccount of namespace "+orPlaceholder(key.Namespace, "<no namespace>"))
				fixes = append(fixes, "replace subject "+key.describe()+" with that ServiceAccount")
			case key.Kind == rbacv1.GroupKind && key.Name == "system:serviceaccounts":
				who = append(who, "every ServiceAccount (group system:serviceaccounts), default ones included")
				fixes = append(fixes, "replace subject Group system:serviceaccounts with that ServiceAccount")
			case key.Kind == rbacv1.GroupKind && strings.HasPrefix(key.Name, "system:serviceaccounts:"):
				who = append(who, "every ServiceAccount of namespace "+strings.TrimPrefix(key.Name, "system:serviceaccounts:")+" (group "+key.Name+"), its default included")
				fixes = append(fixes, "replace subject Group "+key.Name+" with that ServiceAccount")
			default:
				continue
			}
			ev = append(ev, subjectEv(b, i))
		}
		if len(who) == 0 {
			emitRBAC(o, &b.Meta, check.Pass, named(&b.Meta)+" does not bind a default ServiceAccount", "")
			continue
		}
		emitRBAC(o, &b.Meta, check.Fail, named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to "+strings.Join(who, "; ")+": every pod that names no ServiceAccount gets it",
			"Create a dedicated ServiceAccount for the workloads that need this access, set serviceAccountName on them, and in "+named(&b.Meta)+" "+strings.Join(fixes, "; ")+".",
			append([]evidence{roleRefEv(b)}, ev...)...)
	}
}

// --- AKS-DSH-002 ---

func runDSH002(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	for _, b := range allBindings(k) {
		var ev []evidence
		for i, s := range b.Subjects {
			key := subjectKey(b, s)
			if key.Kind == rbacv1.ServiceAccountKind && key.Name == "kubernetes-dashboard" &&
				(key.Namespace == "kube-system" || key.Namespace == "kubernetes-dashboard") {
				ev = append(ev, subjectEv(b, i))
			}
		}
		if len(ev) == 0 {
			emitRBAC(o, &b.Meta, check.Pass, named(&b.Meta)+" does not bind the dashboard's ServiceAccount", "")
			continue
		}
		fix := deleteCmd(&b.Meta)
		if len(ev) < len(b.Subjects) {
			fix = "Remove the kubernetes-dashboard ServiceAccount from the subjects of " + named(&b.Meta)
		}
		r := o.emit(&b.Meta, check.Fail, named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to the Kubernetes Dashboard's ServiceAccount",
			fix+" (users then sign in to the dashboard with their own token; or remove the dashboard).", append([]evidence{roleRefEv(b)}, ev...)...)
		// The dashboard's bindings usually live in kube-system or carry
		// system-looking names; they are exactly what this control is
		// about, so they are never excluded as system objects.
		r.System = false
	}
}

// --- AKS-IDN-005 ---

// acrSuffixes are the Azure Container Registry login-server domains
// (public cloud, Azure China, Azure US Government).
var acrSuffixes = []string{".azurecr.io", ".azurecr.cn", ".azurecr.us"}

func isACRHost(h string) bool {
	for _, s := range acrSuffixes {
		if strings.HasSuffix(h, s) && len(h) > len(s) {
			return true
		}
	}
	return false
}

func runIDN005(ctx *check.Context, k *inventory.Kube, o *kubeOut) {
	x := newRBACIndex(k)
	rg, cluster := "<resource-group>", "<cluster>"
	if c, _ := kubeTarget(ctx.Inv); c != nil {
		rg, cluster = orPlaceholder(c.ResourceGroup, rg), orPlaceholder(c.Name, cluster)
	}
	for _, s := range k.Secrets {
		if s.Type != "kubernetes.io/dockerconfigjson" && s.Type != "kubernetes.io/dockercfg" {
			continue
		}
		typeEv := kubeEv(&s.Meta, "type", string(s.Type))
		if s.MetadataOnly {
			judgeUnreadPullSecret(x, s, o, typeEv, rg, cluster)
			continue
		}
		if len(s.RegistryHosts) == 0 {
			// The decoder rejects pull secrets whose docker config cannot
			// be read; an empty list is an empty auths map.
			emitRBAC(o, &s.Meta, check.Pass, "image pull Secret "+s.Name+" holds credentials for no registry", "", typeEv)
			continue
		}
		var acr []string
		for _, h := range s.RegistryHosts {
			if isACRHost(h) {
				acr = append(acr, h)
			}
		}
		hostsEv := kubeEv(&s.Meta, "registries", render(s.RegistryHosts))
		if len(acr) == 0 {
			emitRBAC(o, &s.Meta, check.Pass, "image pull Secret "+s.Name+" holds no Azure Container Registry credentials", "", typeEv, hostsEv)
			continue
		}
		users, holders, usersEv := pullSecretUsers(x, s)
		ev := append([]evidence{typeEv, kubeEv(&s.Meta, "registries", render(acr))}, usersEv...)
		if len(users) == 0 {
			ev = append(ev, kubeEv(&s.Meta, "used by", "no workload or ServiceAccount in this scan"))
		}
		regs := make([]string, len(acr))
		for i, h := range acr {
			regs[i] = strings.SplitN(h, ".", 2)[0]
		}
		cmds := make([]string, len(regs))
		for i, r := range regs {
			cmds[i] = "az aks update -g " + rg + " -n " + cluster + " --attach-acr " + r
		}
		fix := "Attach the registry to the cluster so the kubelet identity pulls from it: " + strings.Join(cmds, "; ")
		if len(holders) > 0 {
			fix += "; remove " + s.Name + " from the imagePullSecrets of " + listNames(holders, 8)
		}
		fix += "; then kubectl delete secret " + s.Name + " -n " + s.EffectiveNamespace() + "."
		msg := "image pull Secret " + s.Name + " holds a password for Azure Container Registry " + strings.Join(acr, ", ")
		if len(users) > 0 {
			msg += ", used by " + listNames(users, 3)
		}
		emitRBAC(o, &s.Meta, check.Fail, msg, fix, ev...)
	}
}

// judgeUnreadPullSecret judges a pull Secret read live, whose registries
// aksguard does not know since it never reads Secret data: the images its
// users pull tell. A user pulling from Azure Container Registry with it is
// a fail; otherwise the registries stay unknown.
func judgeUnreadPullSecret(x *rbacIndex, s *inventory.Secret, o *kubeOut, typeEv evidence, rg, cluster string) {
	users, _, usersEv := pullSecretUsers(x, s)
	ns := s.EffectiveNamespace()
	var acr, other []string
	var imgEv []evidence
	seen := map[string]bool{}
	for _, w := range x.workloadsIn[ns] {
		if !slices.Contains(users, w.Ref()) {
			continue
		}
		for _, c := range podContainers(w) {
			host := parseImage(c.C.Image).Registry
			if seen[host] {
				continue
			}
			seen[host] = true
			if isACRHost(host) {
				acr = append(acr, host)
				imgEv = append(imgEv, kubeEv(&w.Meta, w.Ref()+" image", c.C.Image))
			} else {
				other = append(other, host)
			}
		}
	}
	ev := append([]evidence{typeEv, kubeEv(&s.Meta, "data", "not read (aksguard lists Secrets as metadata only)")}, usersEv...)
	if len(acr) == 0 {
		msg := "image pull Secret " + s.Name + " was read as metadata only, so its registries are unknown, and "
		if len(users) == 0 {
			msg += "no workload uses it"
		} else {
			msg += "its users pull from " + strings.Join(other, ", ") + ", none of them Azure Container Registry"
		}
		emitRBAC(o, &s.Meta, check.NotAssessed, msg, "", ev...)
		return
	}
	regs := make([]string, len(acr))
	for i, h := range acr {
		regs[i] = "az aks update -g " + rg + " -n " + cluster + " --attach-acr " + strings.SplitN(h, ".", 2)[0]
	}
	fix := "Attach the registry to the cluster so the kubelet identity pulls from it: " + strings.Join(regs, "; ") +
		"; remove " + s.Name + " from the imagePullSecrets of " + listNames(users, 8) + "; then kubectl delete secret " + s.Name + " -n " + ns + "."
	emitRBAC(o, &s.Meta, check.Fail, "image pull Secret "+s.Name+" is used to pull from Azure Container Registry "+strings.Join(acr, ", ")+
		" by "+listNames(users, 3)+": it holds a registry password", fix, append(ev, imgEv...)...)
}

// pullSecretUsers lists the workloads that use an image pull Secret:
// through the pod's imagePullSecrets, or through the imagePullSecrets of the
// pod's ServiceAccount. holders are the objects that name the Secret (the
// workloads and ServiceAccounts to edit).
func pullSecretUsers(x *rbacIndex, s *inventory.Secret) (users, holders []string, ev []evidence) {
	ns := s.EffectiveNamespace()
	viaSA := map[string]bool{}
	for _, sa := range x.accountsIn[ns] {
		for _, p := range sa.ImagePullSecrets {
			if p.Name == s.Name && !viaSA[sa.Name] {
				viaSA[sa.Name] = true
				holders = append(holders, sa.Ref())
				ev = append(ev, kubeEv(&sa.Meta, sa.Ref()+" imagePullSecrets", s.Name))
			}
		}
	}
	for _, w := range x.workloadsIn[ns] {
		if x.ownedByInputWorkload(w) {
			continue
		}
		direct := false
		for _, p := range w.Spec.ImagePullSecrets {
			if p.Name == s.Name {
				direct = true
			}
		}
		switch sa := podServiceAccount(w); {
		case direct:
			users = append(users, w.Ref())
			holders = append(holders, w.Ref())
			ev = append(ev, kubeEv(&w.Meta, w.Ref()+" "+w.SpecPath+".imagePullSecrets", s.Name))
		case viaSA[sa]:
			users = append(users, w.Ref())
			ev = append(ev, kubeEv(&w.Meta, w.Ref()+" "+w.SpecPath+".serviceAccountName", sa+" (whose imagePullSecrets name "+s.Name+")"))
		}
	}
	return users, holders, ev
}

// podServiceAccount is the ServiceAccount a pod runs as.
func podServiceAccount(w *inventory.Workload) string {
	if w.Spec.ServiceAccountName != "" {
		return w.Spec.ServiceAccountName
	}
	if w.Spec.DeprecatedServiceAccount != "" {
		return w.Spec.DeprecatedServiceAccount
	}
	return "default"
}

// --- AKS-WKL-011 ---

func runWKL011(_ *check.Context, k *inventory.Kube, o *kubeOut) {
	x := newRBACIndex(k)
	for _, w := range k.Workloads {
		if x.ownedByInputWorkload(w) {
			continue
		}
		ns := w.EffectiveNamespace()
		saName := podServiceAccount(w)
		saPath := w.SpecPath + ".serviceAccountName"
		saVal := saName
		if w.Spec.ServiceAccountName == "" && w.Spec.DeprecatedServiceAccount == "" {
			saVal = "not set (default)"
		}
		ev := []evidence{kubeEv(&w.Meta, saPath, saVal)}
		podPath := w.SpecPath + ".automountServiceAccountToken"
		state, sa := x.accountExists(ns, saName)

		var mounted bool
		switch {
		case w.Spec.AutomountServiceAccountToken != nil:
			mounted = *w.Spec.AutomountServiceAccountToken
			ev = append(ev, kubeEv(&w.Meta, podPath, strconv.FormatBool(mounted)))
		case sa != nil && sa.AutomountServiceAccountToken != nil:
			mounted = *sa.AutomountServiceAccountToken
			ev = append(ev, kubeEv(&w.Meta, podPath, "not set"), kubeEv(&sa.Meta, sa.Ref()+" automountServiceAccountToken", strconv.FormatBool(mounted)))
		case sa != nil || state == "implicit":
			mounted = true
			ev = append(ev, kubeEv(&w.Meta, podPath, "not set (true by default)"))
			if sa != nil {
				ev = append(ev, kubeEv(&sa.Meta, sa.Ref()+" automountServiceAccountToken", "not set (true by default)"))
			}
		default:
			emitRBAC(o, &w.Meta, check.NotAssessed, "ServiceAccount "+ns+"/"+saName+" is not in this scan: whether it disables token automounting cannot be told", "",
				append(ev, kubeEv(&w.Meta, podPath, "not set"))...)
			continue
		}
		if !mounted {
			emitRBAC(o, &w.Meta, check.Pass, "the service account token is not mounted", "", ev...)
			continue
		}
		bound := saBindings(x, ns, saName)
		if len(bound) > 0 {
			emitRBAC(o, &w.Meta, check.Pass, "ServiceAccount "+ns+"/"+saName+" has role bindings ("+listNames(bound, 3)+"): the token may be needed", "", ev...)
			continue
		}
		if !w.NamespaceSet() {
			// kubectl -n X puts the workload (and its account) in X: a
			// binding of the account's name in X would then apply.
			if elsewhere := saBindingsByName(x, saName); len(elsewhere) > 0 {
				emitRBAC(o, &w.Meta, check.NotAssessed, "the manifest sets no namespace and ServiceAccount "+saName+" is bound in "+listNames(elsewhere, 3)+
					": whether this pod's account has bindings depends on the namespace it is applied to", "", ev...)
				continue
			}
		}
		fix := "Set automountServiceAccountToken: false in " + w.SpecPath + " of " + w.Ref()
		if saName != "default" {
			fix += " (or on ServiceAccount " + ns + "/" + saName + " if no pod using it calls the API)"
		}
		emitRBAC(o, &w.Meta, check.Fail, "the pod mounts a token for ServiceAccount "+ns+"/"+saName+", which no RoleBinding or ClusterRoleBinding in this scan names",
			fix+".", ev...)
	}
}

// saBindings names the bindings that give a ServiceAccount permissions:
// as a subject, or through the system:serviceaccounts groups.
func saBindings(x *rbacIndex, ns, name string) []string {
	var out []string
	seen := map[*inventory.RoleBinding]bool{}
	for _, key := range []subjectRef{
		{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name},
		{Kind: rbacv1.GroupKind, Name: "system:serviceaccounts"},
		{Kind: rbacv1.GroupKind, Name: "system:serviceaccounts:" + ns},
	} {
		for _, bs := range x.bySubject[key] {
			// Every cluster binds all service accounts to the bootstrap
			// discovery roles (system:service-account-issuer-discovery,
			// ...): that is no reason for a pod to hold a token.
			if key.Name == "system:serviceaccounts" && isSystemRBACName(bs.Binding.Name) {
				continue
			}
			if !seen[bs.Binding] {
				seen[bs.Binding] = true
				out = append(out, bs.Binding.Ref())
			}
		}
	}
	return out
}

// saBindingsByName names the bindings of ServiceAccounts called name in
// any namespace, as "namespace ns (RoleBinding/ns/b)", sorted.
func saBindingsByName(x *rbacIndex, name string) []string {
	var out []string
	for _, key := range x.saSubjects[name] {
		for _, b := range x.bySubject[key] {
			out = append(out, "namespace "+key.Namespace+" ("+b.Binding.Ref()+")")
		}
	}
	sort.Strings(out)
	return out
}
