package kubeapi_test

import (
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
	"github.com/aksguard/aksguard/internal/testkube"
)

const rbacFile = "../../../deploy/rbac.yaml"

// TestShippedClusterRoleSuffices scans with exactly the identity
// deploy/rbac.yaml creates: nothing is left unread.
func TestShippedClusterRoleSuffices(t *testing.T) {
	cfg := testkube.Config(t)
	c := testkube.NewCluster(t, cfg)
	defer c.Cleanup()
	if got := c.Create(testkube.Objects(t, rbacFile, "../../../examples/insecure/k8s/shop.yaml")); len(got) < 6 {
		t.Fatalf("created only %d objects", len(got))
	}
	sa := testkube.As(t, "system:serviceaccount:aksguard:aksguard", "system:serviceaccounts", "system:serviceaccounts:aksguard")
	inv, _ := readLive(t, sa, kubeapi.Options{})
	if len(inv.Kube.Unread) > 0 {
		t.Fatalf("the shipped ClusterRole is not enough: %v", inv.Kube.Unread)
	}
	if len(inv.Kube.Workloads) == 0 || len(inv.Kube.Secrets) == 0 || len(inv.Kube.ClusterRoleBindings) == 0 {
		t.Fatalf("read too little: %d workloads, %d secrets, %d cluster role bindings", len(inv.Kube.Workloads), len(inv.Kube.Secrets), len(inv.Kube.ClusterRoleBindings))
	}
	for _, r := range evaluate(inv) {
		if r.Status == check.NotAssessed && strings.Contains(r.Message, "forbidden") {
			t.Errorf("%s not-assessed: %s", r.Control, r.Message)
		}
	}
}

// TestRestrictedIdentity: an identity without access to secrets and
// rolebindings gets exactly the controls that read them not-assessed,
// naming the permission; every other control still judges.
func TestRestrictedIdentity(t *testing.T) {
	cfg := testkube.Config(t)
	c := testkube.NewCluster(t, cfg)
	defer c.Cleanup()
	role := shippedRole(t, "aksguard-reader")
	rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
	more, _, _ := unstructured.NestedSlice(shippedRole(t, "aksguard-reader-constraints").Object, "rules")
	rules = append(rules, more...)
	for _, r := range rules {
		rm := r.(map[string]any)
		var keep []any
		for _, res := range rm["resources"].([]any) {
			if res != "secrets" && res != "rolebindings" {
				keep = append(keep, res)
			}
		}
		rm["resources"] = keep
	}
	_ = unstructured.SetNestedSlice(role.Object, rules, "rules")
	role.SetName("restricted-reader")
	binding := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
		"metadata": map[string]any{"name": "restricted-reader"},
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "restricted-reader"},
		"subjects": []any{map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "restricted"}},
	}}
	objs := append([]*unstructured.Unstructured{role, binding}, testkube.Objects(t, "../../../examples/insecure/k8s/shop.yaml")...)
	c.Create(objs)

	inv, _ := readLive(t, testkube.As(t, "restricted"), kubeapi.Options{})
	got := inv.Kube.UnreadCollections()
	if !slices.Equal(got, []string{inventory.ColRoleBindings, inventory.ColSecrets}) {
		t.Fatalf("unread: %v", inv.Kube.Unread)
	}
	for col, why := range inv.Kube.Unread {
		if !strings.Contains(why, `may not list `+col) || !strings.Contains(why, "deploy/rbac.yaml") {
			t.Errorf("%s: reason does not name the permission: %s", col, why)
		}
	}
	by := map[string][]check.Result{}
	for _, r := range evaluate(inv) {
		by[r.Control] = append(by[r.Control], r)
	}
	var blocked []string
	for _, ctl := range check.All() {
		rs := by[ctl.ID]
		needs := slices.Contains(ctl.Reads, inventory.ColSecrets) || slices.Contains(ctl.Reads, inventory.ColRoleBindings)
		if needs {
			blocked = append(blocked, ctl.ID)
			if len(rs) != 1 || rs[0].Status != check.NotAssessed || !strings.Contains(rs[0].Message, "forbidden") {
				t.Errorf("%s needs an unread collection: want one not-assessed naming it, got %v", ctl.ID, rs)
			}
			continue
		}
		for _, r := range rs {
			if strings.Contains(r.Message, "forbidden") {
				t.Errorf("%s does not read secrets or rolebindings but says %s", ctl.ID, r.Message)
			}
		}
	}
	sort.Strings(blocked)
	if !slices.Contains(blocked, "AKS-RBA-001") || !slices.Contains(blocked, "AKS-IDN-005") || slices.Contains(blocked, "AKS-WKL-001") {
		t.Errorf("blocked controls: %v", blocked)
	}
	if len(by["AKS-WKL-001"]) == 0 || by["AKS-WKL-001"][0].Status == check.NotAssessed {
		t.Errorf("AKS-WKL-001 should still judge: %v", by["AKS-WKL-001"])
	}
}

// TestClusterRoleMatchesReader keeps deploy/rbac.yaml and the kinds
// aksguard lists in step: every listed resource is granted, with "list"
// only, and nothing else is.
func TestClusterRoleMatchesReader(t *testing.T) {
	granted := map[string]bool{}
	for _, name := range []string{"aksguard-reader", "aksguard-reader-constraints"} {
		role := shippedRole(t, name)
		rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
		for _, r := range rules {
			rm := r.(map[string]any)
			if verbs := rm["verbs"].([]any); len(verbs) != 1 || verbs[0] != "list" {
				t.Errorf("%s: verbs %v, want [list]", name, verbs)
			}
			for _, g := range rm["apiGroups"].([]any) {
				for _, res := range rm["resources"].([]any) {
					granted[g.(string)+"/"+res.(string)] = true
				}
			}
		}
	}
	need := map[string]bool{}
	for _, r := range kubeapi.Resources() {
		need[r] = true
		if !granted[r] {
			t.Errorf("aksguard lists %s but deploy/rbac.yaml does not grant it", r)
		}
	}
	need["constraints.gatekeeper.sh/*"] = true
	for g := range granted {
		if !need[g] {
			t.Errorf("deploy/rbac.yaml grants %s, which aksguard never lists", g)
		}
	}
}

func shippedRole(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(rbacFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range strings.Split(string(data), "\n---\n") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		u := &unstructured.Unstructured{Object: m}
		if u.GetKind() == "ClusterRole" && u.GetName() == name {
			return u
		}
	}
	t.Fatalf("no ClusterRole %s in %s", name, rbacFile)
	return nil
}

// TestServerBuiltinRolesAreNotRedefinitions: the API server's own
// cluster-admin, admin, edit and view (autoupdate "true", the built-in
// definition, aggregated rules filled in) are read live and pass
// AKS-RBA-001's redefinition check (issue #8): only a role that differs
// from Kubernetes' definition is reported.
func TestServerBuiltinRolesAreNotRedefinitions(t *testing.T) {
	cfg := testkube.Config(t)
	inv, _ := readLive(t, cfg, kubeapi.Options{})
	got := map[string][]check.Status{}
	for _, r := range evaluate(inv) {
		if r.Control == "AKS-RBA-001" && r.Resource.Kind == "ClusterRole" {
			got[r.Resource.Name] = append(got[r.Resource.Name], r.Status)
			if r.Status != check.Pass {
				t.Errorf("ClusterRole/%s: %s: %s", r.Resource.Name, r.Status, r.Message)
			}
		}
	}
	for _, name := range []string{"cluster-admin", "admin", "edit", "view"} {
		if !slices.Equal(got[name], []check.Status{check.Pass}) {
			t.Errorf("ClusterRole/%s: %v, want one pass", name, got[name])
		}
	}
}
