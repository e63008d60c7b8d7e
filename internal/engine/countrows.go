package engine

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
)

// countRow counts a pass or not-applicable result the outcome does not keep
// in the summary row of its resource, so the table can score each cluster.
func (o *Outcome) countRow(res check.Resource, pass, na int) {
	if o.CountedBy == nil {
		o.CountedBy = map[string]report.Counted{}
	}
	key := report.SummaryRow(res)
	c := o.CountedBy[key]
	c.Pass += pass
	c.NotApplicable += na
	o.CountedBy[key] = c
}
