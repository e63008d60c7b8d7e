package rbacidx

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// EmitRBAC emits a result and also marks objects of Kubernetes' bootstrap
// policy (label kubernetes.io/bootstrapping: rbac-defaults) as system.
func EmitRBAC(o *kit.KubeOut, m *inventory.Meta, st check.Status, msg, fix string, ev ...kit.Evidence) *check.Result {
	r := o.Emit(m, st, msg, fix, ev...)
	if m.Labels[labelBootstrapping] == "rbac-defaults" {
		r.System = true
	}
	return r
}

// AllBindings lists the RoleBindings, then the ClusterRoleBindings.
func AllBindings(k *inventory.Kube) []*inventory.RoleBinding {
	out := make([]*inventory.RoleBinding, 0, len(k.RoleBindings)+len(k.ClusterRoleBindings))
	out = append(out, k.RoleBindings...)
	return append(out, k.ClusterRoleBindings...)
}

// Named names an object for people: "ClusterRoleBinding x",
// "RoleBinding x in namespace ns".
func Named(m *inventory.Meta) string {
	if m.ClusterScoped {
		return m.Kind + " " + m.DisplayName()
	}
	return m.Kind + " " + m.DisplayName() + " in namespace " + m.EffectiveNamespace()
}

// DeleteCmd is the kubectl command that deletes an object.
func DeleteCmd(m *inventory.Meta) string {
	c := "kubectl delete " + strings.ToLower(m.Kind) + " " + m.DisplayName()
	if !m.ClusterScoped {
		c += " -n " + m.EffectiveNamespace()
	}
	return c
}

// SubjectEv is evidence of a binding's i-th subject.
func SubjectEv(b *inventory.RoleBinding, i int) kit.Evidence {
	return kit.KubeEv(&b.Meta, "subjects["+strconv.Itoa(i)+"]", SubjectKey(b, b.Subjects[i]).Describe())
}

// RoleRefEv is evidence of a binding's roleRef.
func RoleRefEv(b *inventory.RoleBinding) kit.Evidence {
	return kit.KubeEv(&b.Meta, "roleRef", b.RoleRef.Kind+" "+b.RoleRef.Name)
}

// ListNames joins names for messages, at most max of them.
func ListNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}

// PodServiceAccount is the ServiceAccount a pod runs as.
func PodServiceAccount(w *inventory.Workload) string {
	if w.Spec.ServiceAccountName != "" {
		return w.Spec.ServiceAccountName
	}
	if w.Spec.DeprecatedServiceAccount != "" {
		return w.Spec.DeprecatedServiceAccount
	}
	return "default"
}
