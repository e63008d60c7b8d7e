package netpols

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Index is a Kubernetes inventory's policies (For) by namespace, so that a
// control asking which policies may select the pods of one namespace reads
// those of that namespace and the clusterwide ones, not every policy of
// the cluster for every workload (which made AKS-NET-004 quadratic in the
// number of objects).
type Index struct {
	// All is every policy, in For's order.
	All []*IngressPolicy
	// scoped holds the positions in All of the policies that select only
	// pods of their own namespace, by that namespace; wide those of the
	// policies that may select pods anywhere.
	scoped map[string][]int
	wide   []int
	// objects holds the positions of the policies whose object lives in
	// a namespace, by that namespace (a clusterwide policy's is "").
	objects map[string][]int
}

// indexKey is the Memo key of a Kubernetes inventory's policy index.
type indexKey struct{ k *inventory.Kube }

// IndexFor is NewIndex(For(ctx, k)) computed once per evaluation and shared
// like For's list: neither it nor its policies may be modified.
func IndexFor(ctx *check.Context, k *inventory.Kube) *Index {
	return ctx.Memo(indexKey{k}, func() any { return NewIndex(For(ctx, k)) }).(*Index)
}

// NewIndex indexes pols by namespace.
func NewIndex(pols []*IngressPolicy) *Index {
	x := &Index{All: pols, scoped: map[string][]int{}, objects: map[string][]int{}}
	for i, p := range pols {
		ns := p.M.EffectiveNamespace()
		x.objects[ns] = append(x.objects[ns], i)
		if p.anyNamespace {
			x.wide = append(x.wide, i)
		} else {
			x.scoped[ns] = append(x.scoped[ns], i)
		}
	}
	return x
}

// Selecting is, in For's order, every policy whose Selects may say other
// than CovNo for a workload of namespace ns: the policies of ns and the
// clusterwide ones. The others select none of its pods.
func (x *Index) Selecting(ns string) []*IngressPolicy {
	a, b := x.scoped[ns], x.wide
	out := make([]*IngressPolicy, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
			out, a = append(out, x.All[a[0]]), a[1:]
		} else {
			out, b = append(out, x.All[b[0]]), b[1:]
		}
	}
	return out
}

// In is, in For's order, every policy whose object lives in namespace ns.
func (x *Index) In(ns string) []*IngressPolicy {
	out := make([]*IngressPolicy, 0, len(x.objects[ns]))
	for _, i := range x.objects[ns] {
		out = append(out, x.All[i])
	}
	return out
}
