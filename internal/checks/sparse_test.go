package checks_test

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The controls below are run on objects built in Go, without the decoder.

func wklPtr[T any](v T) *T { return &v }

// wklWorkload builds a Deployment around a pod spec, without the manifest
// decoder.
func wklWorkload(name string, spec corev1.PodSpec, podAnnotations map[string]string) *inventory.Workload {
	return &inventory.Workload{
		Meta:           inventory.Meta{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: name, Source: inventory.Source{File: "m.yaml", Line: 1}},
		PodAnnotations: podAnnotations,
		Spec:           &spec,
		SpecPath:       "spec.template.spec",
	}
}

func rbacMeta(kind, ns, name string, labels map[string]string) inventory.Meta {
	return inventory.Meta{Kind: kind, Namespace: ns, Name: name, Labels: labels, ClusterScoped: ns == "" && kind != "RoleBinding" && kind != "Role" && kind != "ServiceAccount",
		Source: inventory.Source{File: "k.yaml", Line: 1}}
}

// TestWorkloadControlsWithoutDecoder runs controls on a Kube built in Go:
// the inheritance trap and the owner rule do not depend on the decoder.
func TestWorkloadControlsWithoutDecoder(t *testing.T) {
	pass := wklWorkload("inherits", corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: wklPtr(true)},
		Containers:      []corev1.Container{{Name: "app", Image: "mcr.microsoft.com/app:1"}},
	}, nil)
	fail := wklWorkload("overrides", corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: wklPtr(true)},
		Containers:      []corev1.Container{{Name: "app", SecurityContext: &corev1.SecurityContext{RunAsNonRoot: wklPtr(false)}}},
	}, nil)
	owned := wklWorkload("overrides-abc", corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}, nil)
	owned.Kind = "Pod"
	owned.SpecPath = "spec"
	owned.OwnerReferences = []metav1.OwnerReference{{Kind: "Deployment", Name: "overrides", Controller: wklPtr(true)}}
	inv := &inventory.Inventory{Kubernetes: true, Kube: &inventory.Kube{Workloads: []*inventory.Workload{pass, fail, owned}}}

	c, _ := check.Lookup("AKS-WKL-003")
	rs := c.Run(&check.Context{Inv: inv, Settings: check.DefaultSettings()})
	got := map[string]check.Status{}
	for _, r := range rs {
		got[r.Resource.Kind+"/"+r.Resource.Name] = r.Status
	}
	want := map[string]check.Status{"Deployment/inherits": check.Pass, "Deployment/overrides": check.Fail}
	if len(got) != len(want) || got["Deployment/inherits"] != check.Pass || got["Deployment/overrides"] != check.Fail {
		t.Errorf("results %v, want %v (the owned Pod judged through its Deployment)", got, want)
	}
}

// Controls survive objects with missing parts (no subjects, no roleRef, no
// rules, nil spec pieces) built directly, without the decoder.
func TestRBACControlsOnSparseObjects(t *testing.T) {
	f := false
	k := &inventory.Kube{
		ClusterRoles:        []*inventory.Role{{Meta: rbacMeta("ClusterRole", "", "", nil)}},
		Roles:               []*inventory.Role{{Meta: rbacMeta("Role", "", "r", nil), Rules: []rbacv1.PolicyRule{{}}}},
		ClusterRoleBindings: []*inventory.RoleBinding{{Meta: rbacMeta("ClusterRoleBinding", "", "x", nil)}, {Meta: rbacMeta("ClusterRoleBinding", "", "y", nil), Subjects: []rbacv1.Subject{{}}}},
		RoleBindings:        []*inventory.RoleBinding{{Meta: rbacMeta("RoleBinding", "", "z", nil), RoleRef: rbacv1.RoleRef{Kind: "Role", Name: "r"}, Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "default"}}}},
		Secrets:             []*inventory.Secret{{Meta: rbacMeta("Secret", "", "s", nil), Type: "kubernetes.io/dockerconfigjson"}},
		ServiceAccounts:     []*inventory.ServiceAccount{{Meta: rbacMeta("ServiceAccount", "", "quiet", nil), AutomountServiceAccountToken: &f}},
		Workloads: []*inventory.Workload{
			{Meta: rbacMeta("Pod", "", "p", nil), Spec: &corev1.PodSpec{}, SpecPath: "spec"},
		},
	}
	ctx := &check.Context{Inv: &inventory.Inventory{Kubernetes: true, Kube: k}}
	for _, c := range check.All() {
		switch {
		case strings.HasPrefix(c.ID, "AKS-RBA-"), c.ID == "AKS-DSH-002", c.ID == "AKS-IDN-005", c.ID == "AKS-WKL-011":
			for _, r := range c.Run(ctx) {
				if r.Message == "" || r.Status == "" {
					t.Errorf("%s: incomplete result %+v", c.ID, r)
				}
			}
		}
	}
	// RBA-007 finds the default ServiceAccount of the binding's namespace.
	var rba007 *check.Control
	for _, c := range check.All() {
		if c.ID == "AKS-RBA-007" {
			rba007 = c
		}
	}
	fails := 0
	for _, r := range rba007.Run(ctx) {
		if r.Status == check.Fail {
			fails++
			if r.Resource.Name != "z" || !strings.Contains(r.Message, "default ServiceAccount of namespace default") {
				t.Errorf("RBA-007: %+v", r)
			}
		}
	}
	if fails != 1 {
		t.Errorf("RBA-007: %d fails, want 1", fails)
	}
}
