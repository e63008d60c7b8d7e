package report

import (
	"slices"
	"time"

	"github.com/aksguard/aksguard/internal/check"
)

// Comparing findings with an earlier report (scan --baseline, aksguard diff).
//
// A finding is a fail or waived result. Findings are matched by fingerprint
// (control and resource, never file or line, so they survive line moves and
// reordering). When one control reports several findings on one resource
// they are matched by message first; a single finding left on each side is
// then the same finding changed. The findings of an event control (an audit
// control: one finding per user and action seen in the logs) are matched by
// message only, so activity of another user or another time is new, never
// taken for the one the baseline had.
//
// A finding of the earlier report that is not matched is "fixed" only when
// the current run judged that control on that resource and it did not fail:
// a pass or not-applicable result with its fingerprint, or other findings of
// that control on that resource. Otherwise it is "not-assessed" (the control
// could not judge it now) or "not-seen" (the control did not run, or the
// resource is not in this run): never a false fixed.

// The states of Result.BaselineState.
const (
	BaselineNew         = "new"
	BaselineExisting    = "existing"
	BaselineFixed       = "fixed"
	BaselineNotAssessed = "not-assessed"
	BaselineNotSeen     = "not-seen"
)

// BaselineCounts is the summary of a comparison with a baseline.
type BaselineCounts struct {
	New         int `json:"new"`
	Existing    int `json:"existing"`
	Fixed       int `json:"fixed"`
	NotAssessed int `json:"notAssessed"`
	NotSeen     int `json:"notSeen"`
}

// BaselineComparison is what a scan with --baseline adds to its report: the
// baseline's findings that are not failing in this scan, by why.
type BaselineComparison struct {
	// File is the baseline as given; GeneratedAt is when it was written.
	File        string    `json:"file"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Fixed are the baseline's findings this scan judged again and found
	// no longer failing.
	Fixed []BaselineFinding `json:"fixed"`
	// NotAssessed are those whose control could not judge them in this
	// scan; NotSeen those this scan did not judge at all (the control did
	// not run, or the resource is not among the inputs). Neither is fixed.
	NotAssessed []BaselineFinding `json:"notAssessed,omitempty"`
	NotSeen     []BaselineFinding `json:"notSeen,omitempty"`
}

// BaselineFinding is a finding of a baseline as it was written there, with
// its state now (BaselineState) and why (Reason).
type BaselineFinding struct {
	check.Result
	Reason string `json:"reason"`
}

// Judged is what a run says beyond its findings, which deciding "fixed"
// needs: the fingerprints it judged pass or not-applicable, and the
// controls that produced any result.
type Judged struct {
	Passed map[string]bool
	Ran    map[string]bool
	// Complete is false when Passed may lack some (a report read back that
	// was written without --include-passed).
	Complete bool
	// Events are the controls whose findings are events (EventControls):
	// matched by message only.
	Events map[string]bool
}

// EventControls are the controls whose findings are events seen in audit
// logs (Control.Audit set).
func EventControls(controls []*check.Control) map[string]bool {
	out := map[string]bool{}
	for _, c := range controls {
		if c != nil && c.Audit != nil {
			out[c.ID] = true
		}
	}
	return out
}

// NewJudged returns an empty, complete Judged to Add results to.
func NewJudged() *Judged {
	return &Judged{Passed: map[string]bool{}, Ran: map[string]bool{}, Complete: true}
}

// Add records one result of the run.
func (j *Judged) Add(res check.Result) {
	j.Ran[res.Control] = true
	if res.Status == check.Pass || res.Status == check.NotApplicable {
		j.Passed[fingerprint(res)] = true
	}
}

// judgedFromReport is what a report read back says: complete only when it
// lists every pass and not-applicable result its summary counts.
func judgedFromReport(r *Report) *Judged {
	j := NewJudged()
	pass, na := 0, 0
	for _, res := range r.Results {
		j.Add(res)
		switch res.Status {
		case check.Pass:
			pass++
		case check.NotApplicable:
			na++
		}
	}
	j.Complete = pass == r.Summary.Pass && na == r.Summary.NotApplicable
	return j
}

func isFinding(s check.Status) bool { return s == check.Fail || s == check.Waived }

// matching is the outcome of matching earlier findings with current ones.
type matching struct {
	pairs [][2]int // indices into old and cur
	added []int    // indices into cur
	gone  []BaselineFinding
}

// match matches old's findings with cur's and classifies the unmatched old
// ones with what the current run judged.
func match(old, cur []check.Result, j *Judged) matching {
	var m matching
	oldBy := map[string][]int{}
	var oldOrder []string
	for i, r := range old {
		if !isFinding(r.Status) {
			continue
		}
		fp := fingerprint(r)
		if _, ok := oldBy[fp]; !ok {
			oldOrder = append(oldOrder, fp)
		}
		oldBy[fp] = append(oldBy[fp], i)
	}
	curBy := map[string][]int{}
	notAssessed := map[string]int{} // fingerprint → a not-assessed result of cur
	controlNA := map[string]int{}   // control → its first not-assessed result of cur
	for i, r := range cur {
		fp := fingerprint(r)
		switch {
		case isFinding(r.Status):
			curBy[fp] = append(curBy[fp], i)
		case r.Status == check.NotAssessed:
			if _, ok := notAssessed[fp]; !ok {
				notAssessed[fp] = i
			}
			if _, ok := controlNA[r.Control]; !ok {
				controlNA[r.Control] = i
			}
		}
	}

	matchedOld := map[int]bool{}
	for i, r := range cur {
		if !isFinding(r.Status) {
			continue
		}
		fp := fingerprint(r)
		if curBy[fp][0] != i {
			continue // the group is matched once, at its first finding
		}
		pairs, added := pairGroup(old, cur, oldBy[fp], curBy[fp], j.Events[r.Control])
		m.pairs = append(m.pairs, pairs...)
		m.added = append(m.added, added...)
		for _, p := range pairs {
			matchedOld[p[0]] = true
		}
	}
	slices.Sort(m.added)

	for _, fp := range oldOrder {
		for _, oi := range oldBy[fp] {
			if matchedOld[oi] {
				continue
			}
			r := old[oi]
			g := BaselineFinding{Result: r}
			// Not assessed on the resource comes first: a control judging
			// one container of a workload and not another says both.
			switch naIdx, naOK := notAssessed[fp]; {
			case naOK:
				g.BaselineState, g.Reason = BaselineNotAssessed, cur[naIdx].Message
			case len(curBy[fp]) > 0:
				g.BaselineState, g.Reason = BaselineFixed, r.Control+" judged "+resourceLabel(r.Resource)+" again and no longer reports this finding"
			case j.Passed[fp]:
				g.BaselineState, g.Reason = BaselineFixed, r.Control+" passes on "+resourceLabel(r.Resource)+" now"
			case hasKey(controlNA, r.Control):
				na := cur[controlNA[r.Control]]
				g.BaselineState, g.Reason = BaselineNotAssessed, r.Control+" was not assessed on "+resourceLabel(na.Resource)+": "+na.Message
			case !j.Complete:
				g.BaselineState, g.Reason = BaselineNotSeen, "not failing in the new report, which does not list its passed results: compare reports written with --include-passed to tell a fixed finding from one not scanned"
			case !j.Ran[r.Control]:
				g.BaselineState, g.Reason = BaselineNotSeen, r.Control+" did not run (--control, or disabled in the configuration)"
			default:
				g.BaselineState, g.Reason = BaselineNotSeen, r.Control+" did not judge "+resourceLabel(r.Resource)+": the resource is not among the inputs (or is excluded)"
			}
			m.gone = append(m.gone, g)
		}
	}
	return m
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// pairGroup pairs the findings of one fingerprint: equal messages first, in
// order; then, unless byMessageOnly, a single finding left on each side. It
// returns the pairs and the current findings left unpaired.
func pairGroup(old, cur []check.Result, olds, curs []int, byMessageOnly bool) (pairs [][2]int, added []int) {
	usedOld := make([]bool, len(olds))
	var left []int
	for _, ci := range curs {
		found := false
		for k, oi := range olds {
			if !usedOld[k] && old[oi].Message == cur[ci].Message {
				usedOld[k], found = true, true
				pairs = append(pairs, [2]int{oi, ci})
				break
			}
		}
		if !found {
			left = append(left, ci)
		}
	}
	var leftOld []int
	for k, oi := range olds {
		if !usedOld[k] {
			leftOld = append(leftOld, oi)
		}
	}
	if len(left) == 1 && len(leftOld) == 1 && !byMessageOnly {
		return append(pairs, [2]int{leftOld[0], left[0]}), nil
	}
	return pairs, left
}

// ApplyBaseline marks each finding of r new or existing against the
// baseline's, lists the baseline's findings that are not failing now
// (r.Baseline) and counts them all (r.Summary.Baseline). j is what the scan
// judged, passes included (the engine counts them, the report lists them
// only with --include-passed).
func ApplyBaseline(r *Report, base *Report, file string, j *Judged) {
	m := match(base.Results, r.Results, j)
	counts := &BaselineCounts{}
	for _, p := range m.pairs {
		r.Results[p[1]].BaselineState = BaselineExisting
		counts.Existing++
	}
	for _, i := range m.added {
		r.Results[i].BaselineState = BaselineNew
		counts.New++
	}
	cmp := &BaselineComparison{File: file, GeneratedAt: base.GeneratedAt, Fixed: []BaselineFinding{}}
	for _, g := range m.gone {
		switch g.BaselineState {
		case BaselineFixed:
			cmp.Fixed = append(cmp.Fixed, g)
			counts.Fixed++
		case BaselineNotAssessed:
			cmp.NotAssessed = append(cmp.NotAssessed, g)
			counts.NotAssessed++
		default:
			cmp.NotSeen = append(cmp.NotSeen, g)
			counts.NotSeen++
		}
	}
	r.Baseline = cmp
	r.Summary.Baseline = counts
	if len(base.Errors) > 0 {
		r.Warnings = append(r.Warnings, "the baseline "+file+" carries "+plural(len(base.Errors), "input error")+": findings of the inputs it could not read are new here")
	}
}

// CountsAgainstFailOn reports whether a result counts toward --fail-on: a
// fail that is not an existing finding of the baseline.
func CountsAgainstFailOn(res check.Result) bool {
	return res.Status == check.Fail && res.BaselineState != BaselineExisting
}

// sarifBaselineState is SARIF's name for a result's state against a
// baseline ("" without one).
func sarifBaselineState(state string) string {
	switch state {
	case BaselineNew:
		return "new"
	case BaselineExisting:
		return "unchanged"
	case "":
		return ""
	}
	return "absent"
}
