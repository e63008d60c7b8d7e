package rbac

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba005 = &check.Control{
	ID: "AKS-RBA-005", Title: "Escalation paths", Severity: check.High, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsRBAC,
	Rationale:   "escalate, bind and impersonate raise an identity's own permissions; exec, attach, port-forward, ephemeral containers and the kubelet proxy reach into other pods; a minted service account token is that account's identity; creating or changing pods or workloads runs code as any service account of the namespace and mounts host paths unless admission stops it.",
	FailsWhen:   "A ClusterRole bound by a ClusterRoleBinding grants escalate or bind on roles, impersonate, create/get on pods/exec, pods/attach or pods/portforward, patch/update on pods/ephemeralcontainers, create on serviceaccounts/token, get/create on nodes/proxy, or create, patch or update on pods, deployments, daemonsets, statefulsets, replicasets, jobs, cronjobs or replicationcontrollers (wildcards count).",
	Remediation: "Remove the escalating permissions, or grant them per namespace with RoleBindings to the identities that need them.",
	References:  append([]string{"https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks"}, rbacReferences...),
	// Not mapped: CIS 4.1.4, 4.1.7, 4.1.9 and 4.1.12 are each one of the
	// permissions this control judges together, so a failure on one would fail
	// the others.
	Run: kit.PerKube(runRBA005),
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
				if rbacidx.Allows(r, v, on[0], on[1]) {
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

func runRBA005(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	j := &boundJudge{x: rbacidx.For(ctx, k), match: escalationsOf, passMsg: "grants none of escalate, bind, impersonate, exec/attach/port-forward, ephemeral containers, service account tokens, nodes/proxy or creating and changing workloads",
		fail: func(b *inventory.RoleBinding, role *rbacidx.RoleDef, found []string, where string) (string, string) {
			msg := rbacidx.Named(&b.Meta) + " gives " + rbacidx.ListNames(subjectNames(b), 4) + " escalation paths in every namespace through " + role.Ref() + ": " + rbacidx.ListNames(found, 6)
			if role.KubernetesOwned() || kit.IsSystemRBACName(role.Name) {
				return msg, "Bind " + role.Ref() + " with RoleBindings in the namespaces that need it instead of " + rbacidx.Named(&b.Meta) + " (" + rbacidx.DeleteCmd(&b.Meta) + ")."
			}
			return msg, "Remove " + strings.Join(found, ", ") + " from " + where + ", or grant them with RoleBindings in the namespaces that need them instead of " + rbacidx.Named(&b.Meta) + "."
		}}
	j.run(k, o)
}
