package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/aksguard/aksguard/internal/check"
)

// Diff is what changed between two JSON reports (aksguard diff OLD NEW):
// the findings of NEW that OLD did not have, the findings of OLD that NEW
// judged again and found no longer failing, the findings of both whose
// severity, status, message or evidence changed, and the findings of OLD
// that NEW could not judge (not-assessed) or did not judge (not-seen).
// Findings are matched as for scan --baseline (baseline.go). The writers
// (diff_*.go) render it; it holds everything they show.
type Diff struct {
	Tool    Tool        `json:"tool"`
	Reports DiffReports `json:"reports"`
	Summary DiffSummary `json:"summary"`
	// New are NEW's findings (baselineState new).
	New []check.Result `json:"new"`
	// Fixed, NotAssessed and NotSeen are OLD's findings as written there,
	// with their state now and why.
	Fixed   []BaselineFinding `json:"fixed"`
	Changed []ChangedFinding  `json:"changed"`
	// Unchanged are NEW's findings matched in OLD with nothing changed
	// (counted in the JSON, listed by SARIF as baselineState unchanged).
	Unchanged   []check.Result    `json:"-"`
	NotAssessed []BaselineFinding `json:"notAssessed"`
	NotSeen     []BaselineFinding `json:"notSeen"`
	// Warnings say what limits the comparison (input errors in a report,
	// a NEW report without its passed results).
	Warnings []string `json:"warnings,omitempty"`
}

// DiffReports names the two reports compared.
type DiffReports struct {
	Old DiffReport `json:"old"`
	New DiffReport `json:"new"`
}

// DiffReport is one side of a diff.
type DiffReport struct {
	File        string    `json:"file"`
	Version     string    `json:"version"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Errors counts the input errors the report carries: findings of the
	// inputs it could not read are missing from it.
	Errors int `json:"errors"`
}

// DiffSummary counts a diff; BySeverity counts the new failed findings.
type DiffSummary struct {
	New         int            `json:"new"`
	Fixed       int            `json:"fixed"`
	Changed     int            `json:"changed"`
	Unchanged   int            `json:"unchanged"`
	NotAssessed int            `json:"notAssessed"`
	NotSeen     int            `json:"notSeen"`
	BySeverity  map[string]int `json:"bySeverity"`
}

// ChangedFinding is one finding in both reports, with what changed.
type ChangedFinding struct {
	Old check.Result `json:"old"`
	New check.Result `json:"new"`
	// Changes names what changed: severity, status, message, evidence.
	Changes []string `json:"changes"`
}

// NewDiff compares two reports read back (ReadJSON); the files name them;
// events are the event controls (EventControls), matched by message only.
func NewDiff(old, cur *Report, oldFile, curFile string, tool Tool, events map[string]bool) *Diff {
	d := &Diff{
		Tool: tool,
		Reports: DiffReports{
			Old: DiffReport{File: oldFile, Version: old.Tool.Version, GeneratedAt: old.GeneratedAt, Errors: len(old.Errors)},
			New: DiffReport{File: curFile, Version: cur.Tool.Version, GeneratedAt: cur.GeneratedAt, Errors: len(cur.Errors)},
		},
		New: []check.Result{}, Fixed: []BaselineFinding{}, Changed: []ChangedFinding{},
		NotAssessed: []BaselineFinding{}, NotSeen: []BaselineFinding{},
	}
	d.Summary.BySeverity = map[string]int{}
	for _, sev := range []check.Severity{check.Critical, check.High, check.Medium, check.Low} {
		d.Summary.BySeverity[sev.String()] = 0
	}
	j := judgedFromReport(cur)
	j.Events = events
	m := match(old.Results, cur.Results, j)
	for _, p := range m.pairs {
		o, n := old.Results[p[0]], cur.Results[p[1]]
		n.BaselineState = BaselineExisting
		if changes := changesOf(o, n); len(changes) > 0 {
			d.Changed = append(d.Changed, ChangedFinding{Old: o, New: n, Changes: changes})
		} else {
			d.Unchanged = append(d.Unchanged, n)
		}
	}
	for _, i := range m.added {
		n := cur.Results[i]
		n.BaselineState = BaselineNew
		d.New = append(d.New, n)
		if n.Status == check.Fail {
			d.Summary.BySeverity[n.Severity.String()]++
		}
	}
	for _, g := range m.gone {
		switch g.BaselineState {
		case BaselineFixed:
			d.Fixed = append(d.Fixed, g)
		case BaselineNotAssessed:
			d.NotAssessed = append(d.NotAssessed, g)
		default:
			d.NotSeen = append(d.NotSeen, g)
		}
	}
	d.Summary.New, d.Summary.Fixed, d.Summary.Changed, d.Summary.Unchanged = len(d.New), len(d.Fixed), len(d.Changed), len(d.Unchanged)
	d.Summary.NotAssessed, d.Summary.NotSeen = len(d.NotAssessed), len(d.NotSeen)

	for _, side := range []DiffReport{d.Reports.Old, d.Reports.New} {
		if side.Errors > 0 {
			d.Warnings = append(d.Warnings, side.File+" carries "+plural(side.Errors, "input error")+": the findings of the inputs it could not read are missing from it")
		}
	}
	if !j.Complete && len(d.NotSeen) > 0 {
		d.Warnings = append(d.Warnings, curFile+" does not list its passed results: a finding of "+oldFile+" it does not report is not-seen, not fixed (write both reports with --include-passed to tell them apart)")
	}
	return d
}

// changesOf names what differs between two matched findings.
func changesOf(o, n check.Result) []string {
	var out []string
	if o.Severity != n.Severity {
		out = append(out, "severity")
	}
	if o.Status != n.Status {
		out = append(out, "status")
	}
	if o.Message != n.Message {
		out = append(out, "message")
	}
	if !slices.Equal(o.Evidence, n.Evidence) {
		out = append(out, "evidence")
	}
	return out
}

// NewFailingAtOrAbove counts the diff's new failed findings of at least sev
// (aksguard diff --fail-on).
func (d *Diff) NewFailingAtOrAbove(sev check.Severity) int {
	n := 0
	for _, r := range d.New {
		if r.Status == check.Fail && r.Severity >= sev {
			n++
		}
	}
	return n
}

// summaryText is the diff's one-line summary.
func (d *Diff) summaryText() string {
	s := d.Summary
	return strconv.Itoa(s.New) + " new, " + strconv.Itoa(s.Fixed) + " fixed, " + strconv.Itoa(s.Changed) + " changed, " +
		strconv.Itoa(s.Unchanged) + " unchanged, " + strconv.Itoa(s.NotAssessed) + " no longer assessed, " + strconv.Itoa(s.NotSeen) + " not seen"
}
