package kit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// This file holds what the cluster-level Kubernetes controls share: the
// cluster a scan's Kubernetes input belongs to (decided once by the join,
// Inventory.KubeOwner) as the "Cluster" resource that
// per-scan Kubernetes results name, the runner of the controls that have an
// Azure and a Kubernetes half, the namespaces a scan declares or implies,
// and label-selector matching. docs/cluster-controls.md explains the
// decisions.

// ScopeKubeName names the per-scan Kubernetes results when the Kubernetes
// input is not attributed to an Azure cluster of the scan.
const ScopeKubeName = "kubernetes"

// kubeOf returns the scan's Kubernetes objects, or nil without Kubernetes
// input.
func kubeOf(inv *inventory.Inventory) *inventory.Kube {
	if inv.Kube != nil {
		return inv.Kube
	}
	if inv.Kubernetes {
		return &inventory.Kube{}
	}
	return nil
}

// KubeScopeResource is the resource of per-scan Kubernetes results: kind
// Cluster, named after the AKS cluster the join attributed the Kubernetes
// input to (Inventory.KubeOwner), else "kubernetes".
func KubeScopeResource(inv *inventory.Inventory) check.Resource {
	return check.KubeScopeResource(inv)
}

// Scope adds a per-scan result (kind Cluster) to a Kubernetes
// control's output. Its source is the first evidence with a line.
func (o *KubeOut) Scope(inv *inventory.Inventory, st check.Status, msg, fix string, ev ...Evidence) *check.Result {
	evs, at := flattenAt(ev)
	r := check.Result{Status: st, Resource: KubeScopeResource(inv), Message: msg, Evidence: evs,
		Source: check.Location{File: at.File, Line: at.Line}}
	if st == check.Fail {
		r.Remediation = fix
	}
	o.Results = append(o.Results, r)
	return &o.Results[len(o.Results)-1]
}

// KubeIn is the Kubernetes input one evaluation of a mixed control reads.
type KubeIn struct {
	// K is nil when this evaluation has no Kubernetes input.
	K *inventory.Kube
	// Missing says why K is nil: no Kubernetes input in the scan, or input
	// that belongs to another (unknown) cluster.
	Missing string
}

// MixedRun builds the Run of a control with an Azure and a Kubernetes half
// (CATALOG "Several inputs"). eval is called once per Azure cluster, with
// the Kubernetes input when it belongs to that cluster, and once with c ==
// nil when the scan has Kubernetes input that belongs to no cluster of the
// scan (none, or several that cannot be told apart): that evaluation judges
// the Kubernetes half alone and its cluster-level results name a resource of
// kind Cluster ("kubernetes"). Cluster-level results go to o; results about
// single Kubernetes objects go to ko, and are therefore emitted once.
func MixedRun(f Fix, eval func(ctx *check.Context, c *inventory.Cluster, kin KubeIn, o *Out, ko *KubeOut)) func(*check.Context) []check.Result {
	return func(ctx *check.Context) []check.Result {
		k := kubeOf(ctx.Inv)
		owner := ctx.Inv.KubeOwner
		target := owner.Cluster
		var all []check.Result
		ko := &KubeOut{}
		for _, c := range ctx.Inv.Clusters {
			kin := KubeIn{Missing: k8sMissing}
			switch {
			case k != nil && owner.Owns(c):
				kin = KubeIn{K: k}
			case k != nil && target != nil:
				kin.Missing = "the scan's Kubernetes input belongs to cluster " + ClusterResource(target).Name + " (its Nodes' kubernetes.azure.com/cluster label), none to this one"
			case k != nil:
				kin.Missing = owner.Reason
			}
			o := &Out{Cluster: c, Fix: f}
			eval(ctx, c, kin, o, ko)
			all = append(all, o.Results...)
		}
		if k != nil && target == nil {
			o := &Out{Cluster: &inventory.Cluster{Name: ScopeKubeName}, Fix: f}
			eval(ctx, nil, KubeIn{K: k}, o, ko)
			res := check.Resource{Kind: "Cluster", Name: ScopeKubeName}
			for i := range o.Results {
				o.Results[i].Resource = res
			}
			all = append(all, o.Results...)
		}
		return append(all, ko.Results...)
	}
}

// KubeFinding is one Kubernetes object that decides a mixed control's fail.
type KubeFinding struct {
	M    *inventory.Meta
	What string // e.g. "image ghcr.io/kubereboot/kured:1.17.0"
}

// FindingsEvidence lists the objects with their place, the first one first
// (it becomes the result's source).
func FindingsEvidence(path string, fs []KubeFinding) []Evidence {
	out := make([]Evidence, 0, len(fs))
	for _, f := range fs {
		v := f.M.Ref()
		if f.What != "" {
			v += " (" + f.What + ")"
		}
		out = append(out, KubeEv(f.M, path, v))
	}
	return out
}

// FailWith adds a cluster-level fail decided (also) by Kubernetes objects:
// remedy replaces the Azure fix when only the Kubernetes half failed, and is
// appended to it otherwise. With exactly one deciding object, that object's
// aksguard.io/waive annotation applies to the result.
func (o *Out) FailWith(msg string, azureFailed bool, remedy string, fs []KubeFinding, ev ...Evidence) {
	o.Fail(msg, ev...)
	r := &o.Results[len(o.Results)-1]
	switch {
	case !azureFailed:
		r.Remediation = remedy
	case remedy != "":
		r.Remediation += "; " + remedy
	}
	if len(fs) == 1 {
		r.WaiveAnnotation = fs[0].M.Waive()
	}
}

// NsEntry is one namespace of the Kubernetes input.
type NsEntry struct {
	Name string
	// Obj is the Namespace object; nil when the namespace is only implied
	// by the objects in it.
	Obj *inventory.Namespace
	// First is the first object that implies the namespace (nil when none).
	First     *inventory.Meta
	Workloads []*inventory.Workload
}

// Declared reports whether the input holds the Namespace object.
func (n *NsEntry) Declared() bool { return n.Obj != nil }

// Meta is the Namespace object's metadata, or one made up for an implied
// namespace (at the place of the first object in it).
func (n *NsEntry) Meta() *inventory.Meta {
	if n.Obj != nil {
		return &n.Obj.Meta
	}
	m := &inventory.Meta{APIVersion: "v1", Kind: "Namespace", Name: n.Name, ClusterScoped: true}
	if n.First != nil {
		m.Source = n.First.Source
	}
	return m
}

// System reports a system namespace (or one labelled AKS-managed).
func (n *NsEntry) System() bool {
	return isSystemNamespace(n.Name) || (n.Obj != nil && n.Obj.Labels["kubernetes.azure.com/managedby"] == "aks")
}

// Labels are the namespace's labels with the kubernetes.io/metadata.name
// label every namespace carries; for an implied namespace that label is the
// only one known.
func (n *NsEntry) Labels() map[string]string {
	l := map[string]string{"kubernetes.io/metadata.name": n.Name}
	if n.Obj != nil {
		for k, v := range n.Obj.Labels {
			l[k] = v
		}
	}
	return l
}

// ImpliedBy names the first object in an implied namespace, for evidence.
func (n *NsEntry) ImpliedBy() string {
	if n.First == nil {
		return ""
	}
	s := n.First.Ref()
	if !n.First.NamespaceSet() {
		s += " (no namespace set: kubectl's context namespace, default)"
	}
	return s
}

// namespacesKey is the Memo key of a Kubernetes inventory's namespaces.
type namespacesKey struct{ k *inventory.Kube }

// Namespaces is KubeNamespaces(k) computed once per evaluation
// (Context.Memo) and shared by the controls that read it: neither the list
// nor its entries may be modified.
func Namespaces(ctx *check.Context, k *inventory.Kube) []*NsEntry {
	return ctx.Memo(namespacesKey{k}, func() any { return KubeNamespaces(k) }).([]*NsEntry)
}

// KubeNamespaces returns the namespaces the input declares (Namespace
// objects) or implies (namespaced objects in them, "default" for objects
// whose manifest sets no namespace), sorted by name.
func KubeNamespaces(k *inventory.Kube) []*NsEntry {
	by := map[string]*NsEntry{}
	get := func(name string) *NsEntry {
		e := by[name]
		if e == nil {
			e = &NsEntry{Name: name}
			by[name] = e
		}
		return e
	}
	for _, n := range k.Namespaces {
		if n.Name == "" {
			continue
		}
		if e := get(n.Name); e.Obj == nil {
			e.Obj = n
		}
	}
	// Namespaced objects imply their namespace; the first one names it.
	k.EachObject(func(m *inventory.Meta) {
		if m.ClusterScoped {
			return
		}
		if e := get(m.EffectiveNamespace()); e.First == nil {
			e.First = m
		}
	})
	for _, w := range k.Workloads {
		e := get(w.EffectiveNamespace())
		e.Workloads = append(e.Workloads, w)
	}
	out := make([]*NsEntry, 0, len(by))
	for _, e := range by {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Cover is a three-valued answer: yes, no, or cannot tell from the input.
type Cover int

const (
	CovNo Cover = iota
	CovYes
	CovUnknown
)

// LabelSelectorMatch matches a label selector against labels. A nil
// selector matches nothing, an empty one everything (selectorAll treats
// "no selector" as everything). partial, when not nil, lists the keys whose
// values are known: a requirement on another key cannot be decided
// (covUnknown) unless a decidable requirement already fails. A selector
// that does not parse matches nothing (the API server rejects it).
func LabelSelectorMatch(sel *metav1.LabelSelector, l map[string]string, partial map[string]bool) Cover {
	if sel == nil {
		return CovNo
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return CovNo
	}
	reqs, _ := s.Requirements()
	set := labels.Set(l)
	res := CovYes
	for _, r := range reqs {
		if partial != nil && !partial[r.Key()] {
			res = CovUnknown
			continue
		}
		if !r.Matches(set) {
			return CovNo
		}
	}
	return res
}

// SelectorString renders a label selector for evidence.
func SelectorString(sel *metav1.LabelSelector) string {
	if sel == nil {
		return "{}"
	}
	if s := metav1.FormatLabelSelector(sel); s != "<none>" && s != "" {
		return s
	}
	return "{}"
}

// WorkloadImages returns the images of a workload's init, regular and ephemeral
// containers.
func WorkloadImages(w *inventory.Workload) []string {
	var out []string
	for _, c := range w.Spec.InitContainers {
		out = append(out, c.Image)
	}
	for _, c := range w.Spec.Containers {
		out = append(out, c.Image)
	}
	for _, c := range w.Spec.EphemeralContainers {
		out = append(out, c.Image)
	}
	return out
}

// NamesUpTo renders up to n names and how many more there are.
func NamesUpTo(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
