package report

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// The view the HTML template renders: everything computed here, in a fixed
// order, so the template only lays out and escapes. A later field of a
// result (a compliance mapping, a baseline marker) is one more htmlBadge
// from resultBadges, or one more field of htmlResult and a line of the
// template.

type htmlView struct {
	Tool          Tool
	Generated     string
	Summary       Summary
	Severities    []htmlCount // failed results by severity, most severe first
	Statuses      []htmlCount // results by status
	Clusters      []htmlCluster
	Filters       []htmlFilter
	Results       []htmlResult // shown results, not-assessed ones excepted
	NotAssessed   []htmlReason // not-assessed results, by reason
	Total         int          // results of Results and NotAssessed
	IncludePassed bool
	Kube          []string // what a live Kubernetes read read and could not
	Errors        []string // input errors, file:line: message
	Warnings      []string
	Notes         []string // skipped inputs and excluded results
	// Baseline is the comparison with --baseline (or a diff's old
	// report); nil without one.
	Baseline *htmlBaseline
	// Framework is the compliance view of --framework; nil without it.
	Framework *htmlFramework
}

type htmlCount struct {
	Key   string // severity or status name (CSS class, filter value)
	Label string
	N     int
}

type htmlCluster struct {
	Name        string
	Group       string
	Fail        []htmlCount
	NotAssessed int
	Error       string
}

type htmlFilter struct {
	Name    string // the data-* attribute it matches
	Label   string
	Options []string
}

type htmlBadge struct {
	Class string
	Text  string
	Title string
}

type htmlResult struct {
	Control     string
	Title       string
	Severity    string
	Status      string
	StatusLabel string
	Area        string
	Cluster     string
	Resource    string
	ResourceID  string
	Message     string
	Location    string
	Evidence    []check.Evidence
	Fix         string
	References  []string
	Badges      []htmlBadge
}

// htmlReason is one reason for not assessing, with the results it covers.
type htmlReason struct {
	Reason  string
	Results []htmlResult
}

// statusOrder is the order results are listed in and the status filter
// offers.
var statusOrder = []check.Status{check.Fail, check.Waived, check.NotAssessed, check.Pass, check.NotApplicable}

var statusNames = map[check.Status]string{
	check.Fail:          "failed",
	check.Waived:        "waived",
	check.NotAssessed:   "not assessed",
	check.Pass:          "passed",
	check.NotApplicable: "not applicable",
}

func statusRank(s check.Status) int {
	if i := slices.Index(statusOrder, s); i >= 0 {
		return i
	}
	return len(statusOrder)
}

// The cluster filter's values for results that name no cluster.
const (
	kubeObjects = "Kubernetes objects"
	otherAzure  = "other Azure resources"
)

// resultCluster names what a result is about for the cluster filter: the
// cluster of a cluster, pool or cluster-wide Kubernetes result (its name and
// origin, which tell same-named clusters apart); a result on a Kubernetes
// object does not carry the cluster it belongs to, nor does another Azure
// resource, so these are grouped as such.
func resultCluster(res check.Resource) string {
	if name, id, ok := resultClusterOf(res); ok {
		return name + clusterOrigin(id)
	}
	switch {
	case res.Namespace != "" || kubeClusterScoped[res.Kind] || res.Kind == "Cluster":
		return kubeObjects
	}
	return otherAzure
}

// resultBadges are the labels shown beside a result's control ID.
func resultBadges(res check.Result) []htmlBadge {
	var b []htmlBadge
	if res.MissingInput {
		b = append(b, htmlBadge{Class: "missing", Text: "missing input", Title: "the scan lacks an input this control reads"})
	}
	if bb, ok := baselineBadge(res); ok {
		b = append(b, bb)
	}
	return b
}

func newHTMLResult(res check.Result) htmlResult {
	area := res.Area
	if area == "" {
		area = "Other"
	}
	id := res.Resource.ID
	if id == res.Resource.Name {
		id = ""
	}
	return htmlResult{
		Control:     res.Control,
		Title:       res.Title,
		Severity:    res.Severity.String(),
		Status:      string(res.Status),
		StatusLabel: statusLabel(res.Status),
		Area:        area,
		Cluster:     resultCluster(res.Resource),
		Resource:    resourceLabel(res.Resource),
		ResourceID:  id,
		Message:     plainMessage(res), // the badge says the baseline state
		Location:    sourceLabel(res.Source),
		Evidence:    res.Evidence,
		Fix:         res.Remediation,
		References:  res.References,
		Badges:      resultBadges(res),
	}
}

// buildHTMLView orders the shown results: by status (fail first), then
// severity (most severe first), control, resource and location; the
// not-assessed ones grouped by reason (a control lacking several inputs,
// which the engine joins with "; ", under each).
func buildHTMLView(r *Report) *htmlView {
	v := &htmlView{Tool: r.Tool, Summary: r.Summary, IncludePassed: r.IncludePassed, Baseline: newHTMLBaseline(r), Framework: newHTMLFramework(r.Framework)}
	if !r.GeneratedAt.IsZero() {
		v.Generated = r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, sev := range severityOrder {
		v.Severities = append(v.Severities, htmlCount{Key: sev.String(), Label: sev.String(), N: r.Summary.BySeverity[sev.String()]})
	}
	s := r.Summary
	for _, st := range statusOrder {
		n := map[check.Status]int{check.Fail: s.Fail, check.Waived: s.Waived, check.NotAssessed: s.NotAssessed, check.Pass: s.Pass, check.NotApplicable: s.NotApplicable}[st]
		v.Statuses = append(v.Statuses, htmlCount{Key: string(st), Label: statusNames[st], N: n})
	}

	// Each result's view (and so its sort keys) is computed once.
	shown := r.Visible()
	views := make([]htmlResult, len(shown))
	order := make([]int, len(shown))
	for i, res := range shown {
		views[i], order[i] = newHTMLResult(res), i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := &shown[order[i]], &shown[order[j]]
		if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
			return ra < rb
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Control != b.Control {
			return a.Control < b.Control
		}
		if la, lb := views[order[i]].Resource, views[order[j]].Resource; la != lb {
			return la < lb
		}
		if a.Source.File != b.Source.File {
			return a.Source.File < b.Source.File
		}
		return a.Source.Line < b.Source.Line
	})

	options := map[string]map[string]bool{"severity": {}, "area": {}, "cluster": {}, "status": {}}
	reasons := map[string]*htmlReason{}
	for _, i := range order {
		res, h := shown[i], views[i]
		options["severity"][h.Severity] = true
		options["area"][h.Area] = true
		options["cluster"][h.Cluster] = true
		options["status"][h.Status] = true
		v.Total++
		if res.Status != check.NotAssessed {
			v.Results = append(v.Results, h)
			continue
		}
		why := []string{h.Message}
		if res.MissingInput {
			why = strings.Split(h.Message, "; ")
		}
		for _, reason := range why {
			g := reasons[reason]
			if g == nil {
				g = &htmlReason{Reason: reason}
				reasons[reason] = g
			}
			g.Results = append(g.Results, h)
		}
	}
	for _, reason := range sortedKeys(reasons) {
		v.NotAssessed = append(v.NotAssessed, *reasons[reason])
	}
	// Most frequent reasons first.
	sort.SliceStable(v.NotAssessed, func(i, j int) bool { return len(v.NotAssessed[i].Results) > len(v.NotAssessed[j].Results) })

	var sevOpts, statusOpts []string
	for _, sev := range severityOrder {
		if options["severity"][sev.String()] {
			sevOpts = append(sevOpts, sev.String())
		}
	}
	if options["severity"][check.SevNone.String()] {
		sevOpts = append(sevOpts, check.SevNone.String())
	}
	for _, st := range statusOrder {
		if options["status"][string(st)] {
			statusOpts = append(statusOpts, string(st))
		}
	}
	v.Filters = []htmlFilter{
		{Name: "severity", Label: "Severity", Options: sevOpts},
		{Name: "status", Label: "Status", Options: statusOpts},
		{Name: "area", Label: "Area", Options: sortedKeys(options["area"])},
		{Name: "cluster", Label: "Cluster", Options: sortedKeys(options["cluster"])},
	}

	v.Clusters = htmlClusters(r, shown)
	if k := r.Summary.Kubernetes; k != nil {
		v.Kube = append(v.Kube, "Kubernetes API "+k.readLine())
		for _, col := range sortedKeys(k.Unread) {
			v.Kube = append(v.Kube, "not read completely, so the controls that read it are not assessed: "+col+": "+k.Unread[col])
		}
	}
	for _, e := range r.Errors {
		v.Errors = append(v.Errors, inputLabel(e.Input, e.Line)+": "+e.Message)
	}
	v.Warnings = r.Warnings
	if s.Excluded > 0 {
		var parts []string
		for _, reason := range sortedKeys(s.ExcludedBy) {
			parts = append(parts, reason+" ("+strconv.Itoa(s.ExcludedBy[reason])+")")
		}
		v.Notes = append(v.Notes, "excluded "+plural(s.Excluded, "result")+": "+strings.Join(parts, ", ")+" (--include-system shows system objects)")
	}
	if len(s.Skipped) > 0 {
		total := 0
		var parts []string
		for _, reason := range sortedKeys(s.Skipped) {
			total += s.Skipped[reason]
			parts = append(parts, reason+" ("+strconv.Itoa(s.Skipped[reason])+")")
		}
		v.Notes = append(v.Notes, "skipped "+plural(total, "input")+": "+strings.Join(parts, ", "))
	}
	return v
}

// htmlClusters is the per-cluster summary: a fleet scan's own (with the
// clusters that could not be read), else the failed and not-assessed
// results counted by resultCluster when they name more than one cluster.
func htmlClusters(r *Report, shown []check.Result) []htmlCluster {
	counts := func(m map[string]int) []htmlCount {
		var out []htmlCount
		for _, sev := range severityOrder {
			out = append(out, htmlCount{Key: sev.String(), Label: sev.String(), N: m[sev.String()]})
		}
		return out
	}
	var out []htmlCluster
	if len(r.Clusters) > 0 {
		for _, c := range r.Clusters {
			out = append(out, htmlCluster{Name: c.Name, Group: strings.TrimSuffix(strings.TrimPrefix(clusterOrigin(c.ID), " ("), ")"),
				Fail: counts(c.Fail), NotAssessed: c.NotAssessed, Error: c.Error})
		}
		return out
	}
	type tally struct {
		fail        map[string]int
		notAssessed int
	}
	by := map[string]*tally{}
	for _, res := range shown {
		if res.Status != check.Fail && res.Status != check.NotAssessed {
			continue
		}
		c := resultCluster(res.Resource)
		t := by[c]
		if t == nil {
			t = &tally{fail: map[string]int{}}
			by[c] = t
		}
		if res.Status == check.Fail {
			t.fail[res.Severity.String()]++
		} else {
			t.notAssessed++
		}
	}
	clusters := 0
	for name := range by {
		if name != kubeObjects && name != otherAzure {
			clusters++
		}
	}
	if clusters < 2 {
		return nil
	}
	for _, name := range sortedKeys(by) {
		out = append(out, htmlCluster{Name: name, Fail: counts(by[name].fail), NotAssessed: by[name].notAssessed})
	}
	return out
}
