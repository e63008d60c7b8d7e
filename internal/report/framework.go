package report

import (
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/frameworks"
)

// The compliance view (--framework): per item of a framework (a CIS AKS
// Benchmark recommendation, a built-in Azure Policy definition), the status
// of the controls that map to it (check.Control.Mappings).
//
// A control's status in a scope is the worst of its results there, in the
// order fail, not-assessed, waived, pass, not-applicable; a control with no
// result at all (disabled, left out by --control, or only results that an
// exclusion dropped) is not-assessed. An
// item's status is the worst of its controls' by the same order: fail if a
// mapped control failed, else not-assessed if one could not be assessed,
// else waived if a failure was waived, else pass (not-applicable only when
// every mapped control was). An item no control maps to is manual: aksguard
// does not automate it. With several clusters, each item also has a status
// per cluster, judged on the results about that cluster (the cluster and its
// pools) and on the results no cluster owns in the report (Kubernetes
// objects, registries), which therefore count for every cluster; the
// overall status is then the worst of the per-cluster ones and of all
// results together.

// Item statuses beyond the result statuses.
const (
	// ItemManual is an item no control maps to.
	ItemManual = "manual"
)

// FrameworkView is the framework report of one scan.
type FrameworkView struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Summary counts items by status (pass, fail, not-assessed, waived,
	// not-applicable, manual).
	Summary map[string]int  `json:"summary"`
	Items   []FrameworkItem `json:"items"`
}

// FrameworkItem is one judged item of a framework.
type FrameworkItem struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Section is the item's CIS section or policy category.
	Section string `json:"section,omitempty"`
	Status  string `json:"status"`
	// Controls are the mapped controls with their status and counts; empty
	// for a manual item.
	Controls []FrameworkControl `json:"controls,omitempty"`
	// Clusters is the item per cluster, when the scan holds several.
	Clusters []FrameworkCluster `json:"clusters,omitempty"`
}

// FrameworkControl is one mapped control's verdict over the scan.
type FrameworkControl struct {
	ID     string        `json:"id"`
	Title  string        `json:"title"`
	Status string        `json:"status"`
	Counts ControlCounts `json:"counts"`
	// Reason says why a control without results is not-assessed.
	Reason string `json:"reason,omitempty"`
}

// ControlCounts counts a control's results by status.
type ControlCounts struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	NotApplicable int `json:"notApplicable"`
	NotAssessed   int `json:"notAssessed"`
	Waived        int `json:"waived"`
}

func (c *ControlCounts) add(o ControlCounts) {
	c.Pass += o.Pass
	c.Fail += o.Fail
	c.NotApplicable += o.NotApplicable
	c.NotAssessed += o.NotAssessed
	c.Waived += o.Waived
}

func (c ControlCounts) total() int {
	return c.Pass + c.Fail + c.NotApplicable + c.NotAssessed + c.Waived
}

// status is the worst status the counts hold; "" when they hold none.
func (c ControlCounts) status() string {
	switch {
	case c.Fail > 0:
		return string(check.Fail)
	case c.NotAssessed > 0:
		return string(check.NotAssessed)
	case c.Waived > 0:
		return string(check.Waived)
	case c.Pass > 0:
		return string(check.Pass)
	case c.NotApplicable > 0:
		return string(check.NotApplicable)
	}
	return ""
}

// FrameworkCluster is an item's status on one cluster.
type FrameworkCluster struct {
	// Cluster is the cluster's resource ID, else its name.
	Cluster string `json:"cluster"`
	Name    string `json:"name"`
	Status  string `json:"status"`
}

// rank orders statuses from worst to best.
var itemStatusRank = map[string]int{
	string(check.Fail): 0, string(check.NotAssessed): 1, string(check.Waived): 2,
	string(check.Pass): 3, string(check.NotApplicable): 4,
}

func worse(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	if itemStatusRank[b] < itemStatusRank[a] {
		return b
	}
	return a
}

// noResult is the reason of a mapped control that gave no result.
const noResult = "the control gave no result in this report (disabled by configuration, not among --control, or all its results were on excluded system objects or namespaces)"

// FrameworkFor builds the view of framework name (a --framework value)
// over a report; controls are the registered controls (check.All()), whose
// Mappings name the items. The HTML and Markdown writers call it too.
func FrameworkFor(r *Report, name string, controls []*check.Control) (*FrameworkView, error) {
	f, err := frameworks.Lookup(name)
	if err != nil {
		return nil, err
	}
	counts, spelled := controlCounts(r)
	clusters := reportClusters(r, counts, spelled)
	// A fleet's cluster that could not be read has no result of its own;
	// the results no cluster owns must not make its items pass.
	unread := map[string]bool{}
	for _, c := range r.Clusters {
		if c.Error != "" {
			unread[strings.ToLower(c.ID)] = true
		}
	}

	v := &FrameworkView{Name: f.Name, Title: f.Title, Summary: map[string]int{}}
	for _, s := range []string{string(check.Pass), string(check.Fail), string(check.NotAssessed), string(check.Waived), string(check.NotApplicable), ItemManual} {
		v.Summary[s] = 0
	}
	section := ""
	for _, it := range f.Items {
		if it.Section {
			section = it.Title
			continue
		}
		item := FrameworkItem{ID: it.ID, Title: it.Title, Section: section}
		if it.Group != "" {
			item.Section = it.Group
		}
		mapped := f.Controls(it.ID, controls)
		if len(mapped) == 0 {
			item.Status = ItemManual
			v.Summary[ItemManual]++
			v.Items = append(v.Items, item)
			continue
		}
		for _, c := range mapped {
			var total ControlCounts
			for _, byCluster := range counts[c.ID] {
				total.add(byCluster)
			}
			fc := FrameworkControl{ID: c.ID, Title: c.Title, Status: total.status(), Counts: total}
			if fc.Status == "" {
				fc.Status, fc.Reason = string(check.NotAssessed), noResult
			}
			item.Status = worse(item.Status, fc.Status)
			item.Controls = append(item.Controls, fc)
		}
		if len(clusters) > 1 {
			for _, cl := range clusters {
				st := ""
				for _, c := range mapped {
					cc := counts[c.ID][cl]
					cc.add(counts[c.ID][""])
					s := cc.status()
					if s == "" || unread[cl] {
						s = string(check.NotAssessed)
					}
					st = worse(st, s)
				}
				item.Clusters = append(item.Clusters, FrameworkCluster{Cluster: spelled[cl], Name: clusterName(spelled[cl]), Status: st})
				item.Status = worse(item.Status, st)
			}
		}
		v.Summary[item.Status]++
		v.Items = append(v.Items, item)
	}
	return v, nil
}

// controlCounts counts every result of the report (kept and counted) by
// control and cluster. Clusters are keyed in lower case (a resource ID's
// case varies between sources); spelled maps a key to its first spelling.
func controlCounts(r *Report) (out map[string]map[string]ControlCounts, spelled map[string]string) {
	out, spelled = map[string]map[string]ControlCounts{}, map[string]string{}
	key := func(cl string) string {
		k := strings.ToLower(cl)
		if _, ok := spelled[k]; !ok {
			spelled[k] = cl
		}
		return k
	}
	get := func(control, cluster string) ControlCounts {
		if out[control] == nil {
			out[control] = map[string]ControlCounts{}
		}
		return out[control][cluster]
	}
	for _, res := range r.Results {
		cl := key(ClusterOf(res))
		c := get(res.Control, cl)
		switch res.Status {
		case check.Pass:
			c.Pass++
		case check.Fail:
			c.Fail++
		case check.NotApplicable:
			c.NotApplicable++
		case check.NotAssessed:
			c.NotAssessed++
		case check.Waived:
			c.Waived++
		}
		out[res.Control][cl] = c
	}
	for k, n := range r.Counted {
		cl := key(k.Cluster)
		c := get(k.Control, cl)
		c.Pass += n.Pass
		c.NotApplicable += n.NotApplicable
		out[k.Control][cl] = c
	}
	return out, spelled
}

// reportClusters lists the clusters of a report, sorted: those its results
// name and those of a fleet scan (including the clusters that could not be
// read, which have no result and so are not-assessed).
func reportClusters(r *Report, counts map[string]map[string]ControlCounts, spelled map[string]string) []string {
	seen := map[string]bool{}
	for _, byCluster := range counts {
		for cl, c := range byCluster {
			if cl != "" && c.total() > 0 {
				seen[cl] = true
			}
		}
	}
	for _, c := range r.Clusters {
		if k := strings.ToLower(c.ID); k != "" {
			seen[k] = true
			if _, ok := spelled[k]; !ok {
				spelled[k] = c.ID
			}
		}
	}
	out := make([]string, 0, len(seen))
	for cl := range seen {
		out = append(out, cl)
	}
	sort.Strings(out)
	return out
}

// clusterName is the last segment of a resource ID, or the name itself.
func clusterName(cl string) string {
	if strings.HasPrefix(cl, "/") {
		return cl[strings.LastIndexByte(cl, '/')+1:]
	}
	return cl
}
