package scan

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/report"
)

// Baseline is an earlier report to compare the scan with (scan --baseline):
// its findings are marked existing and do not count toward --fail-on; the
// ones no longer failing are listed fixed only when this scan judged them
// again (report.ApplyBaseline).
type Baseline struct {
	// File names the baseline in the report.
	File   string
	Report *report.Report
}

// judgedPasses takes the pass and not-applicable results out of an outcome
// that kept them (a scan with a baseline needs their fingerprints to tell
// fixed findings from findings not judged), counting them as
// engine.Options.CountPassed would when the report does not list them, and
// returns what the comparison needs.
func judgedPasses(o *engine.Outcome, includePassed bool) *report.Judged {
	j := report.NewJudged()
	j.Events = report.EventControls(check.All())
	kept := o.Results[:0]
	for _, r := range o.Results {
		j.Add(r)
		if !includePassed && (r.Status == check.Pass || r.Status == check.NotApplicable) {
			o.CountDropped(r)
			continue
		}
		kept = append(kept, r)
	}
	clear(o.Results[len(kept):])
	o.Results = kept
	return j
}
