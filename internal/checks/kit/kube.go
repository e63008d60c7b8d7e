package kit

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// systemNamespaces are AKS- or platform-managed namespaces (CATALOG
// "Semantics": system objects).
var systemNamespaces = map[string]bool{
	"kube-system": true, "kube-public": true, "kube-node-lease": true,
	"gatekeeper-system": true, "calico-system": true, "tigera-operator": true,
}

// WaiveAnnotation is the object annotation that waives findings on it.
const WaiveAnnotation = inventory.AnnotationWaive

// isSystemNamespace reports whether a namespace is AKS- or platform-managed.
func isSystemNamespace(ns string) bool { return systemNamespaces[ns] }

// IsSystemNamespace reports whether a namespace is AKS- or platform-managed
// (the audit controls judge the service accounts of these namespaces as
// system identities).
func IsSystemNamespace(ns string) bool { return systemNamespaces[ns] }

// IsSystemObject reports whether an object is AKS-managed or lives in a
// system namespace. RBAC objects also count when named system:* or aks-*.
func IsSystemObject(m *inventory.Meta) bool {
	if isSystemNamespace(m.EffectiveNamespace()) {
		return true
	}
	if m.ManagedBy() == "aks" {
		return true
	}
	switch m.Kind {
	case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
		return IsSystemRBACName(m.Name)
	}
	return false
}

// IsSystemRBACName reports RBAC names reserved for Kubernetes and AKS.
func IsSystemRBACName(name string) bool {
	return strings.HasPrefix(name, "system:") || strings.HasPrefix(name, "aks-")
}

// kubeResource names a Kubernetes object in results: Kind, namespace (the
// effective one: "default" when a manifest sets none) and name.
func kubeResource(m *inventory.Meta) check.Resource {
	r := check.Resource{Kind: m.Kind, Name: m.DisplayName()}
	if !m.ClusterScoped {
		r.Namespace = m.EffectiveNamespace()
	}
	return r
}

// KubeOut collects results about Kubernetes objects for one control.
type KubeOut struct {
	Results []check.Result
}

// Emit adds a result about an object: its resource name, source file:line,
// whether it is a system object (excluded by default) and its waiver
// annotation. fix is the remediation for a fail (a manifest change or a
// kubectl command), "" otherwise.
func (o *KubeOut) Emit(m *inventory.Meta, st check.Status, msg, fix string, ev ...Evidence) *check.Result {
	evs, at := flattenAt(ev)
	r := check.Result{Status: st, Resource: kubeResource(m), Message: msg, Evidence: evs,
		Source:          check.Location{File: m.Source.File, Line: m.Source.Line},
		System:          IsSystemObject(m),
		WaiveAnnotation: m.Waive()}
	if at.Line > 0 {
		r.Source.Line = at.Line
		if at.File != "" {
			r.Source.File = at.File
		}
	}
	if !m.NamespaceSet() {
		r.Evidence = append(r.Evidence, check.Evidence{Path: "metadata.namespace", Value: inventory.NamespaceUnset})
	}
	if st == check.Fail {
		r.Remediation = fix
	}
	o.Results = append(o.Results, r)
	return &o.Results[len(o.Results)-1]
}

// Counted adds a pass result about an object that is only counted
// (Context.PassesCounted): what the engine's count, waivers and exclusions
// read (resource, system object, waiver annotation), without the message
// and evidence no report shows.
func (o *KubeOut) Counted(m *inventory.Meta) *check.Result {
	o.Results = append(o.Results, check.Result{Status: check.Pass, Resource: kubeResource(m),
		Source: check.Location{File: m.Source.File, Line: m.Source.Line}, System: IsSystemObject(m),
		WaiveAnnotation: m.Waive()})
	return &o.Results[len(o.Results)-1]
}

// PerKube builds a Kubernetes-only control's Run. Without Kubernetes input
// there is nothing to judge, so the control yields no results (a scan of
// Azure files alone has no workloads, bindings or namespaces).
func PerKube(eval func(ctx *check.Context, k *inventory.Kube, o *KubeOut)) func(*check.Context) []check.Result {
	return func(ctx *check.Context) []check.Result {
		if ctx.Inv.Kube == nil {
			return nil
		}
		o := &KubeOut{Results: check.ResultArray()}
		eval(ctx, ctx.Inv.Kube, o)
		return o.Results
	}
}

// KubeEv is evidence of a field of an object: its path and value, with the
// object's line.
func KubeEv(m *inventory.Meta, path, value string) Evidence {
	return Evidence{Evidence: check.Evidence{Path: path, Value: value}, Line: m.Source.Line, File: m.Source.File}
}

// ReadsWorkloads is the collection of the workload controls.
var ReadsWorkloads = []string{inventory.ColWorkloads}

// ReadsRBAC is every RBAC object: who holds a permission depends on
// roles and bindings of both scopes.
var ReadsRBAC = []string{inventory.ColRoles, inventory.ColClusterRoles, inventory.ColRoleBindings, inventory.ColClusterRoleBindings}

// Reads joins collection lists.
func Reads(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
