package report

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// How the HTML and Markdown writers show a comparison with a baseline
// (scan --baseline) or a diff (aksguard diff, through Diff.AsReport): each
// finding's state as a badge or a word, and what the baseline had that is
// no longer failing.

// baselineChanged marks, in a diff rendered as a report (AsReport), a
// finding of both reports whose severity, status, message or evidence
// changed. It is never written to JSON.
const baselineChanged = "changed"

// baselineBadge is the HTML badge of a result's baseline state, if any.
func baselineBadge(res check.Result) (htmlBadge, bool) {
	switch res.BaselineState {
	case BaselineNew:
		return htmlBadge{Class: "base-new", Text: "new", Title: "not in the baseline: counts toward --fail-on"}, true
	case BaselineExisting:
		return htmlBadge{Class: "base-existing", Text: "existing", Title: "already in the baseline: does not count toward --fail-on"}, true
	case baselineChanged:
		return htmlBadge{Class: "base-new", Text: "changed", Title: "in both reports, with a different severity, status, message or evidence"}, true
	}
	return htmlBadge{}, false
}

// markdownState is the word put before a finding's message in the
// Markdown table.
func markdownState(res check.Result) string {
	switch res.BaselineState {
	case BaselineNew:
		return "**new** "
	case BaselineExisting:
		return "existing: "
	case baselineChanged:
		return "**changed** "
	}
	return ""
}

// htmlBaseline is the page's "Compared with the baseline" section.
type htmlBaseline struct {
	File      string
	Generated string
	Counts    BaselineCounts
	Groups    []htmlBaselineGroup
}

type htmlBaselineGroup struct {
	Title string
	Items []htmlBaselineItem
}

type htmlBaselineItem struct {
	Control, Title, Severity, Resource, Reason string
}

func newHTMLBaseline(r *Report) *htmlBaseline {
	b := r.Baseline
	if b == nil {
		return nil
	}
	v := &htmlBaseline{File: b.File}
	if !b.GeneratedAt.IsZero() {
		v.Generated = b.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	if r.Summary.Baseline != nil {
		v.Counts = *r.Summary.Baseline
	}
	for _, g := range []struct {
		title string
		list  []BaselineFinding
	}{
		{"Fixed: judged again and no longer failing", b.Fixed},
		{"Not assessed now (not fixed)", b.NotAssessed},
		{"Not seen in this scan (not fixed)", b.NotSeen},
	} {
		if len(g.list) == 0 {
			continue
		}
		grp := htmlBaselineGroup{Title: g.title}
		for _, f := range g.list {
			grp.Items = append(grp.Items, htmlBaselineItem{Control: f.Control, Title: f.Title, Severity: f.Severity.String(),
				Resource: resourceLabel(f.Resource), Reason: f.Reason})
		}
		v.Groups = append(v.Groups, grp)
	}
	return v
}

// markdownBaseline is the Markdown summary's lines on the baseline: the
// counts, and the fixed findings (at most markdownTop).
func markdownBaseline(r *Report, doc *mdDoc) (capped int) {
	c := r.Summary.Baseline
	if r.Baseline == nil || c == nil {
		return 0
	}
	doc.must("\nAgainst the baseline " + mdCell(r.Baseline.File) + ": **" + strconv.Itoa(c.New) + " new**, " +
		strconv.Itoa(c.Existing) + " existing, " + strconv.Itoa(c.Fixed) + " fixed, " +
		strconv.Itoa(c.NotAssessed) + " not assessed now, " + strconv.Itoa(c.NotSeen) + " not seen (neither counted as fixed).\n")
	if len(r.Baseline.Fixed) == 0 {
		return 0
	}
	doc.must("\n| Fixed | Control | Resource |\n| --- | --- | --- |\n")
	for i, f := range r.Baseline.Fixed {
		if i == markdownTop {
			doc.must("\n" + plural(len(r.Baseline.Fixed)-markdownTop, "more fixed finding") + " not listed here.\n")
			break
		}
		if !doc.add("| " + f.Severity.String() + " | " + mdCell(f.Control) + " | " + mdCell(resourceLabel(f.Resource)) + " |\n") {
			capped++
		}
	}
	return capped
}

// AsReport is the diff as a report the HTML and Markdown writers render:
// NEW's new and changed findings as its results (marked new or changed),
// and OLD's findings no longer failing as its baseline comparison.
func (d *Diff) AsReport() *Report {
	r := &Report{Tool: d.Tool, GeneratedAt: d.Reports.New.GeneratedAt, Warnings: d.Warnings}
	r.Results = append(r.Results, d.New...)
	for _, c := range d.Changed {
		res := c.New
		res.BaselineState = baselineChanged
		res.Message = res.Message + " (changed: " + strings.Join(c.Changes, ", ") + ")"
		r.Results = append(r.Results, res)
	}
	r.Summary = Summarise(r.Results)
	clusters := map[string]bool{}
	for _, res := range r.Results {
		if k := resultCluster(res.Resource); k != "" {
			clusters[k] = true
		}
	}
	r.Summary.Clusters = len(clusters)
	r.Summary.Baseline = &BaselineCounts{New: d.Summary.New, Existing: d.Summary.Changed + d.Summary.Unchanged,
		Fixed: d.Summary.Fixed, NotAssessed: d.Summary.NotAssessed, NotSeen: d.Summary.NotSeen}
	r.Baseline = &BaselineComparison{File: d.Reports.Old.File, GeneratedAt: d.Reports.Old.GeneratedAt,
		Fixed: d.Fixed, NotAssessed: d.NotAssessed, NotSeen: d.NotSeen}
	return r
}
