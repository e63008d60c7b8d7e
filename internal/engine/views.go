package engine

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// The same cluster given by several inputs (az JSON and Terraform side by
// side) is judged once per input (each input's view, in its own
// vocabulary) and reported as one cluster:
//
//   - every result on a view is renamed to the primary cluster, so tables,
//     counts and waivers see one cluster; its source still names the input
//     it came from;
//   - where every view reaches the same verdict on a resource, one result
//     is kept (the first input's) and the evidence names the other inputs;
//   - where the views disagree (Terraform says private, Azure says public),
//     each view's result is kept, and each says the inputs disagree and what
//     the others concluded. A fail in any view is therefore a fail.

// viewIndex maps the result key of every cluster view to its cluster.
func viewIndex(inv *inventory.Inventory) map[string]*inventory.Cluster {
	idx := map[string]*inventory.Cluster{}
	for _, c := range inv.Clusters {
		idx[strings.ToLower(resultKey(check.ClusterResource(c)))] = c
	}
	return idx
}

// resultKey is clusterKey for a cluster resource.
func resultKey(r check.Resource) string {
	return clusterKey(check.Result{Resource: r})
}

// mergeViews renames results on secondary views to their primary and folds
// results that agree.
func mergeViews(rs []check.Result, inv *inventory.Inventory, idx map[string]*inventory.Cluster) []check.Result {
	multi := false
	for _, c := range inv.Clusters {
		if c.Primary != nil {
			multi = true
		}
	}
	if !multi {
		return rs
	}
	view := make([]*inventory.Cluster, len(rs))
	for i := range rs {
		r := &rs[i]
		if !isClusterKind(r.Resource.Kind) {
			continue
		}
		c := idx[strings.ToLower(clusterKey(*r))]
		if c == nil {
			continue
		}
		view[i] = c
		if c.Primary != nil {
			r.Resource = onPrimary(r.Resource, c.Primary)
		}
	}
	type rkey struct{ kind, name, ns string }
	groups := map[rkey][]int{}
	var order []rkey
	for i, r := range rs {
		if view[i] == nil {
			continue
		}
		k := rkey{r.Resource.Kind, strings.ToLower(r.Resource.Name), r.Resource.Namespace}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	drop := make([]bool, len(rs))
	for _, k := range order {
		is := groups[k]
		views := map[*inventory.Cluster][]int{}
		var vorder []*inventory.Cluster
		for _, i := range is {
			if _, ok := views[view[i]]; !ok {
				vorder = append(vorder, view[i])
			}
			views[view[i]] = append(views[view[i]], i)
		}
		if len(vorder) < 2 {
			continue
		}
		verdict := func(v *inventory.Cluster) string {
			var sts []string
			for _, i := range views[v] {
				sts = append(sts, string(rs[i].Status))
			}
			return strings.Join(sts, ",")
		}
		// Views that could not decide (not-assessed) do not disagree with
		// one that could: the decided verdict stands, the evidence says
		// which input could not tell and why.
		var decided, undecided []*inventory.Cluster
		for _, v := range vorder {
			if strings.Contains(verdict(v), string(check.NotAssessed)) {
				undecided = append(undecided, v)
			} else {
				decided = append(decided, v)
			}
		}
		if len(decided) > 0 && len(undecided) > 0 {
			vorder = append(decided, undecided...)
		}
		agree := true
		for _, v := range decided[min(1, len(decided)):] {
			agree = agree && verdict(v) == verdict(decided[0])
		}
		if len(decided) == 0 {
			for _, v := range vorder[1:] {
				agree = agree && verdict(v) == verdict(vorder[0])
			}
		}
		if agree {
			first := views[vorder[0]]
			for _, v := range vorder[1:] {
				for _, i := range views[v] {
					drop[i] = true
				}
				for _, i := range first {
					ev := check.Evidence{Path: "same verdict from", Value: inputName(v)}
					if verdict(v) != verdict(vorder[0]) {
						ev = check.Evidence{Path: "not decided from " + inputName(v), Value: rs[views[v][0]].Message}
					}
					rs[i].Evidence = append(rs[i].Evidence, ev)
				}
			}
			continue
		}
		for _, v := range vorder {
			var others []string
			for _, o := range vorder {
				if o != v {
					others = append(others, fmt.Sprintf("%s says %s", inputName(o), verdict(o)))
				}
			}
			for _, i := range views[v] {
				rs[i].Message += " (drift: the inputs disagree; " + strings.Join(others, "; ") + ")"
				rs[i].Evidence = append(rs[i].Evidence, check.Evidence{Path: "drift", Value: inputName(v) + " says " + verdict(v) + "; " + strings.Join(others, "; ")})
			}
		}
	}
	out := rs[:0]
	for i, r := range rs {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out
}

// onPrimary renames a result resource on a view to the primary cluster.
func onPrimary(r check.Resource, p *inventory.Cluster) check.Resource {
	pr := check.ClusterResource(p)
	switch r.Kind {
	case "AgentPool":
		pool := r.Name
		if i := strings.LastIndexByte(pool, '/'); i >= 0 {
			pool = pool[i+1:]
		}
		id := ""
		if pr.ID != "" {
			id = pr.ID + "/agentPools/" + pool
		}
		return check.Resource{Kind: r.Kind, ID: id, Name: pr.Name + "/" + pool}
	default:
		return check.Resource{Kind: r.Kind, ID: pr.ID, Name: pr.Name, Namespace: r.Namespace}
	}
}

// inputName names the input a cluster view was read from.
func inputName(c *inventory.Cluster) string {
	name := c.Source.File
	if name == "" {
		name = string(c.Format)
	}
	if c.Source.Line > 0 {
		name += fmt.Sprintf(":%d", c.Source.Line)
	}
	if c.BicepAddress != "" {
		// One Bicep declaration deployed by several module calls.
		name += " (" + c.BicepAddress + ")"
	}
	return name
}
