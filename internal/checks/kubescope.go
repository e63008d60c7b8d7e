package checks

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// This file holds what the cluster-level Kubernetes controls share: which
// cluster a scan's Kubernetes input belongs to, the "Cluster" resource that
// per-scan Kubernetes results name, the runner of the controls that have an
// Azure and a Kubernetes half, the namespaces a scan declares or implies,
// and label-selector matching. docs/cluster-controls.md explains the
// decisions.

// scopeKubeName names the per-scan Kubernetes results when the Kubernetes
// input is not attributed to an Azure cluster of the scan.
const scopeKubeName = "kubernetes"

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

// kubeTarget returns the Azure cluster the scan's Kubernetes input belongs
// to (when the join attributed Kubernetes input to several clusters by
// folder, the engine evaluates each cluster with its own input, so this
// sees one cluster): the only cluster of the scan; with several clusters, the one whose
// default node resource group (MC_<rg>_<name>_<location>) every Node's
// kubernetes.azure.com/cluster label names. Otherwise it returns nil and,
// when the scan has clusters, why none was chosen.
func kubeTarget(inv *inventory.Inventory) (*inventory.Cluster, string) {
	k := kubeOf(inv)
	if k == nil || len(inv.Clusters) == 0 {
		return nil, ""
	}
	// The same cluster read from several inputs (inventory.Cluster.Primary)
	// is one cluster here.
	var primaries []*inventory.Cluster
	for _, c := range inv.Clusters {
		if c.Primary == nil {
			primaries = append(primaries, c)
		}
	}
	if len(primaries) == 1 || sameName(inv.Clusters) {
		return inv.Clusters[0], ""
	}
	var match *inventory.Cluster
	labelled := 0
	for _, n := range k.Nodes {
		v := n.Labels["kubernetes.azure.com/cluster"]
		if v == "" {
			continue
		}
		labelled++
		var hit *inventory.Cluster
		for _, c := range primaries {
			if c.ResourceGroup != "" && c.Name != "" && c.Location != "" &&
				strings.EqualFold(v, "MC_"+c.ResourceGroup+"_"+c.Name+"_"+c.Location) {
				hit = c
				break
			}
		}
		if hit == nil || (match != nil && match != hit) {
			match = nil
			break
		}
		match = hit
	}
	if match != nil {
		return match, ""
	}
	why := fmt.Sprintf("the scan holds %d AKS clusters and Kubernetes input that cannot be attributed to one of them", len(primaries))
	if labelled == 0 {
		why += " (no Node carries a kubernetes.azure.com/cluster label naming a cluster's node resource group)"
	}
	return nil, why + "; scan each cluster with its own manifests or live connection"
}

// sameName reports whether every cluster of the scan has one name: the same
// cluster read in several forms (az JSON and Terraform side by side), to
// which the scan's Kubernetes input then belongs as a whole.
func sameName(cs []*inventory.Cluster) bool {
	for _, c := range cs[1:] {
		if c.Name == "" || !strings.EqualFold(c.Name, cs[0].Name) {
			return false
		}
	}
	return len(cs) > 0 && cs[0].Name != ""
}

// kubeScopeResource is the resource of per-scan Kubernetes results: kind
// Cluster, named after the AKS cluster the Kubernetes input belongs to, else
// "kubernetes".
func kubeScopeResource(inv *inventory.Inventory) check.Resource {
	if c, _ := kubeTarget(inv); c != nil {
		r := clusterResource(c)
		r.Kind = "Cluster"
		return r
	}
	return check.Resource{Kind: "Cluster", Name: scopeKubeName}
}

// scope adds a per-scan result (kind Cluster) to a Kubernetes
// control's output. Its source is the first evidence with a line.
func (o *kubeOut) scope(inv *inventory.Inventory, st check.Status, msg, fix string, ev ...evidence) *check.Result {
	evs, at := flattenAt(ev)
	r := check.Result{Status: st, Resource: kubeScopeResource(inv), Message: msg, Evidence: evs,
		Source: check.Location{File: at.File, Line: at.Line}}
	if st == check.Fail {
		r.Remediation = fix
	}
	o.results = append(o.results, r)
	return &o.results[len(o.results)-1]
}

// kubeIn is the Kubernetes input one evaluation of a mixed control reads.
type kubeIn struct {
	// K is nil when this evaluation has no Kubernetes input.
	K *inventory.Kube
	// Missing says why K is nil: no Kubernetes input in the scan, or input
	// that belongs to another (unknown) cluster.
	Missing string
}

// mixedRun builds the Run of a control with an Azure and a Kubernetes half
// (CATALOG "Several inputs"). eval is called once per Azure cluster, with
// the Kubernetes input when it belongs to that cluster, and once with c ==
// nil when the scan has Kubernetes input that belongs to no cluster of the
// scan (none, or several that cannot be told apart): that evaluation judges
// the Kubernetes half alone and its cluster-level results name a resource of
// kind Cluster ("kubernetes"). Cluster-level results go to o; results about
// single Kubernetes objects go to ko, and are therefore emitted once.
func mixedRun(f fix, eval func(ctx *check.Context, c *inventory.Cluster, kin kubeIn, o *out, ko *kubeOut)) func(*check.Context) []check.Result {
	return func(ctx *check.Context) []check.Result {
		k := kubeOf(ctx.Inv)
		target, why := kubeTarget(ctx.Inv)
		var all []check.Result
		ko := &kubeOut{}
		for _, c := range ctx.Inv.Clusters {
			kin := kubeIn{Missing: k8sMissing}
			switch {
			case k != nil && (c == target || (target != nil && (c.Same() == target.Same() || sameName(ctx.Inv.Clusters)))):
				kin = kubeIn{K: k}
			case k != nil && target != nil:
				kin.Missing = "the scan's Kubernetes input belongs to cluster " + clusterResource(target).Name + " (its Nodes' kubernetes.azure.com/cluster label), none to this one"
			case k != nil:
				kin.Missing = why
			}
			o := &out{c: c, fix: f}
			eval(ctx, c, kin, o, ko)
			all = append(all, o.results...)
		}
		if k != nil && target == nil {
			o := &out{c: &inventory.Cluster{Name: scopeKubeName}, fix: f}
			eval(ctx, nil, kubeIn{K: k}, o, ko)
			res := check.Resource{Kind: "Cluster", Name: scopeKubeName}
			for i := range o.results {
				o.results[i].Resource = res
			}
			all = append(all, o.results...)
		}
		return append(all, ko.results...)
	}
}

// kubeFinding is one Kubernetes object that decides a mixed control's fail.
type kubeFinding struct {
	m    *inventory.Meta
	what string // e.g. "image ghcr.io/kubereboot/kured:1.17.0"
}

// findingsEvidence lists the objects with their place, the first one first
// (it becomes the result's source).
func findingsEvidence(path string, fs []kubeFinding) []evidence {
	out := make([]evidence, 0, len(fs))
	for _, f := range fs {
		v := f.m.Ref()
		if f.what != "" {
			v += " (" + f.what + ")"
		}
		out = append(out, kubeEv(f.m, path, v))
	}
	return out
}

// failWith adds a cluster-level fail decided (also) by Kubernetes objects:
// remedy replaces the Azure fix when only the Kubernetes half failed, and is
// appended to it otherwise. With exactly one deciding object, that object's
// aksguard.io/waive annotation applies to the result.
func (o *out) failWith(msg string, azureFailed bool, remedy string, fs []kubeFinding, ev ...evidence) {
	o.fail(msg, ev...)
	r := &o.results[len(o.results)-1]
	switch {
	case !azureFailed:
		r.Remediation = remedy
	case remedy != "":
		r.Remediation += "; " + remedy
	}
	if len(fs) == 1 {
		r.WaiveAnnotation = fs[0].m.Annotations[WaiveAnnotation]
	}
}

// nsEntry is one namespace of the Kubernetes input.
type nsEntry struct {
	Name string
	// Obj is the Namespace object; nil when the namespace is only implied
	// by the objects in it.
	Obj *inventory.Namespace
	// First is the first object that implies the namespace (nil when none).
	First     *inventory.Meta
	Workloads []*inventory.Workload
}

// Declared reports whether the input holds the Namespace object.
func (n *nsEntry) Declared() bool { return n.Obj != nil }

// Meta is the Namespace object's metadata, or one made up for an implied
// namespace (at the place of the first object in it).
func (n *nsEntry) Meta() *inventory.Meta {
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
func (n *nsEntry) System() bool {
	return isSystemNamespace(n.Name) || (n.Obj != nil && n.Obj.Labels["kubernetes.azure.com/managedby"] == "aks")
}

// Labels are the namespace's labels with the kubernetes.io/metadata.name
// label every namespace carries; for an implied namespace that label is the
// only one known.
func (n *nsEntry) Labels() map[string]string {
	l := map[string]string{"kubernetes.io/metadata.name": n.Name}
	if n.Obj != nil {
		for k, v := range n.Obj.Labels {
			l[k] = v
		}
	}
	return l
}

// impliedBy names the first object in an implied namespace, for evidence.
func (n *nsEntry) impliedBy() string {
	if n.First == nil {
		return ""
	}
	s := n.First.Ref()
	if !n.First.NamespaceSet() {
		s += " (no namespace set: kubectl's context namespace, default)"
	}
	return s
}

// kubeNamespaces returns the namespaces the input declares (Namespace
// objects) or implies (namespaced objects in them, "default" for objects
// whose manifest sets no namespace), sorted by name.
func kubeNamespaces(k *inventory.Kube) []*nsEntry {
	by := map[string]*nsEntry{}
	get := func(name string) *nsEntry {
		e := by[name]
		if e == nil {
			e = &nsEntry{Name: name}
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
	out := make([]*nsEntry, 0, len(by))
	for _, e := range by {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// cover is a three-valued answer: yes, no, or cannot tell from the input.
type cover int

const (
	covNo cover = iota
	covYes
	covUnknown
)

// labelSelectorMatch matches a label selector against labels. A nil
// selector matches nothing, an empty one everything (selectorAll treats
// "no selector" as everything). partial, when not nil, lists the keys whose
// values are known: a requirement on another key cannot be decided
// (covUnknown) unless a decidable requirement already fails. A selector
// that does not parse matches nothing (the API server rejects it).
func labelSelectorMatch(sel *metav1.LabelSelector, l map[string]string, partial map[string]bool) cover {
	if sel == nil {
		return covNo
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return covNo
	}
	reqs, _ := s.Requirements()
	set := labels.Set(l)
	res := covYes
	for _, r := range reqs {
		if partial != nil && !partial[r.Key()] {
			res = covUnknown
			continue
		}
		if !r.Matches(set) {
			return covNo
		}
	}
	return res
}

// selectorAll matches an optional selector where "not given" means all.
func selectorAll(sel *metav1.LabelSelector, l map[string]string, partial map[string]bool) cover {
	if sel == nil {
		return covYes
	}
	return labelSelectorMatch(sel, l, partial)
}

// nsSelect matches a namespace selector against a namespace of the input:
// exactly for a declared namespace, only on kubernetes.io/metadata.name for
// an implied one.
func nsSelect(sel *metav1.LabelSelector, n *nsEntry) cover {
	if n.Declared() {
		return selectorAll(sel, n.Labels(), nil)
	}
	return selectorAll(sel, n.Labels(), map[string]bool{"kubernetes.io/metadata.name": true})
}

// selectorString renders a label selector for evidence.
func selectorString(sel *metav1.LabelSelector) string {
	if sel == nil {
		return "{}"
	}
	if s := metav1.FormatLabelSelector(sel); s != "<none>" && s != "" {
		return s
	}
	return "{}"
}

// podOwnedByController reports a Pod created by a controller of the input's kind
// (judged through its owner, so not reported twice).
func podOwnedByController(w *inventory.Workload) bool {
	return w.Kind == "Pod" && w.Controller() != nil
}

// wlImages returns the images of a workload's init, regular and ephemeral
// containers.
func wlImages(w *inventory.Workload) []string {
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

// imageRepoNoTag strips the tag and digest from an image reference.
func imageRepoNoTag(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i >= 0 && !strings.Contains(image[i:], "/") {
		image = image[:i]
	}
	return image
}

// ccNames renders up to n names and how many more there are.
func ccNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
