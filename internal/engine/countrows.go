package engine

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
)

// countDropped counts a pass or not-applicable result the outcome does not
// keep, by control and cluster (report.FrameworkFor judges per control) and
// in the summary row of its resource (the table scores each cluster).
func (a *applied) countDropped(r check.Result) {
	if a.counted == nil {
		a.counted, a.countedBy = map[report.ControlScope]report.Counted{}, map[string]report.Counted{}
	}
	var c report.Counted
	if r.Status == check.Pass {
		a.passed++
		c.Pass = 1
	} else {
		a.notApplicable++
		c.NotApplicable = 1
	}
	addCount(a.counted, report.ControlScope{Control: r.Control, Cluster: report.ClusterOf(r)}, c)
	addCount(a.countedBy, report.SummaryRow(r.Resource), c)
}

// addCount adds c to m[k].
func addCount[K comparable](m map[K]report.Counted, k K, c report.Counted) {
	t := m[k]
	t.Pass += c.Pass
	t.NotApplicable += c.NotApplicable
	m[k] = t
}

// CountDropped counts a pass or not-applicable result that the caller
// takes out of an outcome that kept it (a scan with a baseline keeps the
// passes to compare, then drops them when no writer lists them), exactly
// as Options.CountPassed would have: in the totals, per control and
// cluster, and per summary row.
func (o *Outcome) CountDropped(r check.Result) {
	var a applied
	a.countDropped(r)
	o.Passed += a.passed
	o.NotApplicable += a.notApplicable
	if o.Counted == nil {
		o.Counted = map[report.ControlScope]report.Counted{}
	}
	if o.CountedBy == nil {
		o.CountedBy = map[string]report.Counted{}
	}
	for k, c := range a.counted {
		addCount(o.Counted, k, c)
	}
	for k, c := range a.countedBy {
		addCount(o.CountedBy, k, c)
	}
}
