package rbacidx

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestRuleMatching(t *testing.T) {
	rule := func(verbs, groups, resources []string) *rbacv1.PolicyRule {
		return &rbacv1.PolicyRule{Verbs: verbs, APIGroups: groups, Resources: resources}
	}
	s := func(v ...string) []string { return v }
	tests := []struct {
		name                  string
		r                     *rbacv1.PolicyRule
		verb, group, resource string
		want                  bool
	}{
		{"exact", rule(s("get"), s(""), s("secrets")), "get", "", "secrets", true},
		{"other verb", rule(s("get"), s(""), s("secrets")), "list", "", "secrets", false},
		{"verb *", rule(s("*"), s(""), s("secrets")), "watch", "", "secrets", true},
		{"resource *", rule(s("get"), s(""), s("*")), "get", "", "secrets", true},
		{"resource * covers subresources", rule(s("create"), s(""), s("*")), "create", "", "pods/exec", true},
		{"*/exec", rule(s("create"), s(""), s("*/exec")), "create", "", "pods/exec", true},
		{"*/exec not pods", rule(s("create"), s(""), s("*/exec")), "create", "", "pods", false},
		{"pods does not cover pods/exec", rule(s("create"), s(""), s("pods")), "create", "", "pods/exec", false},
		{"group *", rule(s("create"), s("*"), s("deployments")), "create", "apps", "deployments", true},
		{"wrong group", rule(s("create"), s("apps"), s("deployments")), "create", "batch", "deployments", false},
		{"core group only", rule(s("get"), s("apps"), s("secrets")), "get", "", "secrets", false},
		{"no groups", rule(s("get"), nil, s("secrets")), "get", "", "secrets", false},
		{"non-resource rule", &rbacv1.PolicyRule{Verbs: s("*"), NonResourceURLs: s("*")}, "get", "", "secrets", false},
	}
	for _, tt := range tests {
		if got := Allows(tt.r, tt.verb, tt.group, tt.resource); got != tt.want {
			t.Errorf("%s: allows(%s %q %s) = %v", tt.name, tt.verb, tt.group, tt.resource, got)
		}
	}
	full := []struct {
		r    *rbacv1.PolicyRule
		want bool
	}{
		{rule(s("*"), s("*"), s("*")), true},
		{rule(s("*"), s(""), s("*")), true},
		{rule(s("*"), s("apps"), s("*")), false},
		{rule(s("get", "list"), s("*"), s("*")), false},
		{rule(s("*"), s("*"), s("pods")), false},
	}
	for i, tt := range full {
		if got := IsFullAdmin(tt.r); got != tt.want {
			t.Errorf("full %d: %v", i, got)
		}
	}
}

func rbacMeta(kind, ns, name string, labels map[string]string) inventory.Meta {
	return inventory.Meta{Kind: kind, Namespace: ns, Name: name, Labels: labels, ClusterScoped: ns == "" && kind != "RoleBinding" && kind != "Role" && kind != "ServiceAccount",
		Source: inventory.Source{File: "k.yaml", Line: 1}}
}

func grantsSecrets(gs []Grant) bool {
	for _, g := range gs {
		if Allows(g.Rule, "get", "", "secrets") {
			return true
		}
	}
	return false
}

func TestAggregation(t *testing.T) {
	k := &inventory.Kube{
		ClusterRoles: []*inventory.Role{
			{Meta: rbacMeta("ClusterRole", "", "crd-viewer", map[string]string{aggregateToView: "true"}),
				Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: []string{"example.com"}, Resources: []string{"widgets"}}}},
			// selected by a matchExpressions selector
			{Meta: rbacMeta("ClusterRole", "", "part-a", map[string]string{"tier": "a"}),
				Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"secrets"}}}},
			{Meta: rbacMeta("ClusterRole", "", "combined", nil), AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{
				{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"a", "b"}}}}}}},
			// two aggregated roles selecting each other: no endless loop
			{Meta: rbacMeta("ClusterRole", "", "loop-1", map[string]string{"loop": "2"}), AggregationRule: aggregateByKV("loop", "1")},
			{Meta: rbacMeta("ClusterRole", "", "loop-2", map[string]string{"loop": "1"}), AggregationRule: aggregateByKV("loop", "2"),
				Rules: []rbacv1.PolicyRule{{Verbs: []string{"list"}, APIGroups: []string{""}, Resources: []string{"secrets"}}}},
		},
	}
	x := NewIndex(k)
	names := func(gs []Grant) string {
		var out []string
		for _, g := range gs {
			out = append(out, g.From.Name)
		}
		return strings.Join(out, ",")
	}
	admin := x.Grants(x.clusterRoles["admin"])
	for _, want := range []string{"system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view", "crd-viewer"} {
		if !strings.Contains(names(admin), want) {
			t.Errorf("admin does not aggregate %s: %s", want, names(admin))
		}
	}
	if !grantsSecrets(admin) || !grantsSecrets(x.Grants(x.clusterRoles["edit"])) {
		t.Error("admin and edit read secrets (system:aggregate-to-edit)")
	}
	view := x.Grants(x.clusterRoles["view"])
	if grantsSecrets(view) {
		t.Error("view does not read secrets")
	}
	if !strings.Contains(names(view), "crd-viewer") || strings.Contains(names(view), "system:aggregate-to-edit") {
		t.Errorf("view aggregates %s", names(view))
	}
	if !grantsSecrets(x.Grants(x.clusterRoles["combined"])) {
		t.Error("combined aggregates part-a through matchExpressions")
	}
	if l1 := x.Grants(x.clusterRoles["loop-1"]); len(l1) != 1 || l1[0].From.Name != "loop-2" {
		t.Errorf("loop-1: %s", names(l1))
	}
	if x.Grants(x.clusterRoles["cluster-admin"])[0].From.Builtin() != true {
		t.Error("cluster-admin is built in")
	}
}

func aggregateByKV(k, v string) *rbacv1.AggregationRule {
	return &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{k: v}}}}
}

// An input ClusterRole replaces the built-in one of the same name (a live
// cluster's view, or a chart that redefines it).
func TestInputRoleReplacesBuiltin(t *testing.T) {
	k := &inventory.Kube{ClusterRoles: []*inventory.Role{
		{Meta: rbacMeta("ClusterRole", "", "view", nil), Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"secrets"}}}},
	}}
	x := NewIndex(k)
	v := x.clusterRoles["view"]
	if v.Builtin() || !grantsSecrets(x.Grants(v)) {
		t.Fatalf("input view not used: %+v", v)
	}
	for _, r := range x.clusterRoleList {
		if r.Name == "view" && r.Builtin() {
			t.Fatal("built-in view still listed")
		}
	}
}

func TestSubjectsAndAccounts(t *testing.T) {
	rb := &inventory.RoleBinding{Meta: rbacMeta("RoleBinding", "apps", "b", nil),
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "web"}, {Kind: "User", Name: "u"}}}
	crb := &inventory.RoleBinding{Meta: rbacMeta("ClusterRoleBinding", "", "c", nil),
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "web"}}}
	if got := SubjectKey(rb, rb.Subjects[0]); got != (SubjectRef{"ServiceAccount", "apps", "web"}) {
		t.Errorf("RoleBinding SA without namespace: %+v", got)
	}
	if got := SubjectKey(crb, crb.Subjects[0]); got.Namespace != "" {
		t.Errorf("ClusterRoleBinding SA without namespace: %+v", got)
	}
	k := &inventory.Kube{
		RoleBindings:    []*inventory.RoleBinding{rb},
		ServiceAccounts: []*inventory.ServiceAccount{{Meta: rbacMeta("ServiceAccount", "apps", "web", nil)}, {Meta: rbacMeta("ServiceAccount", "", "floating", nil)}},
		ConfigMaps:      []*inventory.ConfigMap{{Meta: rbacMeta("ConfigMap", "data", "cm", nil)}},
	}
	x := NewIndex(k)
	for _, tt := range []struct{ ns, name, want string }{
		{"apps", "web", "yes"},
		{"apps", "default", "implicit"},
		{"nowhere", "default", "implicit"},
		{"apps", "ghost", "no"},
		{"data", "ghost", "no"},
		{"nowhere", "ghost", "unknown"},
		{"default", "floating", "yes"},
		{"apps", "floating", "unset"},
	} {
		if got, _ := x.AccountExists(tt.ns, tt.name); got != tt.want {
			t.Errorf("accountExists(%s, %s) = %s, want %s", tt.ns, tt.name, got, tt.want)
		}
	}
}

// missingRules is the reconciliation's coverage check: what the API server
// adds back into a redefined built-in role.
func TestMissingRules(t *testing.T) {
	r := func(verbs, groups, resources []string) rbacv1.PolicyRule {
		return rbacv1.PolicyRule{Verbs: verbs, APIGroups: groups, Resources: resources}
	}
	all := []string{"*"}
	core := []string{""}
	for _, c := range []struct {
		name       string
		have, want []rbacv1.PolicyRule
		missing    int
	}{
		{"star covers everything", []rbacv1.PolicyRule{r(all, all, all)}, []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"secrets"})}, 0},
		{"narrow misses star", []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"configmaps"})}, []rbacv1.PolicyRule{r(all, all, all), {Verbs: all, NonResourceURLs: all}}, 2},
		{"split across rules", []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"pods"}), r([]string{"list"}, core, []string{"pods"})}, []rbacv1.PolicyRule{r([]string{"get", "list"}, core, []string{"pods"})}, 0},
		{"one verb short", []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"pods"})}, []rbacv1.PolicyRule{r([]string{"get", "list"}, core, []string{"pods"})}, 1},
		{"other group", []rbacv1.PolicyRule{r([]string{"get"}, []string{"apps"}, []string{"pods"})}, []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"pods"})}, 1},
		{"subresource wildcard", []rbacv1.PolicyRule{r([]string{"create"}, core, []string{"*/exec"})}, []rbacv1.PolicyRule{r([]string{"create"}, core, []string{"pods/exec"})}, 0},
		{"resourceNames do not cover all names", []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: core, Resources: []string{"secrets"}, ResourceNames: []string{"a"}}}, []rbacv1.PolicyRule{r([]string{"get"}, core, []string{"secrets"})}, 1},
		{"url prefix", []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz*"}}}, []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz/etcd"}}}, 0},
		{"url missing", []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}}}, []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics"}}}, 1},
	} {
		if got := MissingRules(c.have, c.want); len(got) != c.missing {
			t.Errorf("%s: missing %v, want %d", c.name, got, c.missing)
		}
	}
}

// An input ClusterRole named like a built-in one is restored unless it
// opts out with autoupdate "false" (issue #8).
func TestRedefinedBuiltinRestored(t *testing.T) {
	harmless := []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"configmaps"}}}
	for _, c := range []struct {
		name, role, autoupdate string
		aggregation            *rbacv1.AggregationRule
		fullAdmin, secrets     bool
	}{
		{name: "cluster-admin unannotated", role: "cluster-admin", fullAdmin: true, secrets: true},
		{name: "cluster-admin autoupdate true", role: "cluster-admin", autoupdate: "true", fullAdmin: true, secrets: true},
		{name: "cluster-admin protected", role: "cluster-admin", autoupdate: "false"},
		{name: "admin without aggregation", role: "admin", secrets: true},
		{name: "admin protected without aggregation", role: "admin", autoupdate: "false"},
		{name: "view protected keeps its aggregation", role: "view", autoupdate: "false", aggregation: aggregateBy(aggregateToView)},
		{name: "system role unannotated", role: "system:aggregate-to-edit", secrets: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := rbacMeta("ClusterRole", "", c.role, nil)
			if c.autoupdate != "" {
				m.Annotations = map[string]string{AutoUpdateAnnotation: c.autoupdate}
			}
			x := NewIndex(&inventory.Kube{ClusterRoles: []*inventory.Role{{Meta: m, Rules: harmless, AggregationRule: c.aggregation}}})
			gs := x.Grants(x.clusterRoles[c.role])
			full := false
			for _, g := range gs {
				full = full || IsFullAdmin(g.Rule)
			}
			if full != c.fullAdmin || grantsSecrets(gs) != c.secrets {
				t.Errorf("full admin %v (want %v), secrets %v (want %v)", full, c.fullAdmin, grantsSecrets(gs), c.secrets)
			}
		})
	}
}
