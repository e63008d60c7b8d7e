package report

import (
	"bytes"
	"strconv"
)

// writeBaseline writes, under the table's summary line, the comparison with
// --baseline: the counts, then the baseline's findings no longer failing
// (fixed, not assessed now, not seen), one line each with why.
func writeBaseline(b *bytes.Buffer, r *Report, p painter) {
	c, s := r.Baseline, r.Summary.Baseline
	if c == nil || s == nil {
		return
	}
	b.WriteString("baseline " + oneLine(displayFile(c.File)) + ": " + strconv.Itoa(s.New) + " new, " + strconv.Itoa(s.Existing) + " existing (not counted by --fail-on), " +
		strconv.Itoa(s.Fixed) + " fixed, " + strconv.Itoa(s.NotAssessed) + " no longer assessed, " + strconv.Itoa(s.NotSeen) + " not seen\n")
	for _, part := range []struct {
		label, style string
		list         []BaselineFinding
	}{{"FIXED", ansiGreen, c.Fixed}, {"NOT-ASSESSED", ansiYellow, c.NotAssessed}, {"NOT-SEEN", ansiDim, c.NotSeen}} {
		for _, g := range part.list {
			b.WriteString("  " + p.paint(part.style, part.label) + "  " + oneLine(g.Control) + "  " + oneLine(resourceLabel(g.Resource)) + ": " + oneLine(g.Reason) + "\n")
		}
	}
}
