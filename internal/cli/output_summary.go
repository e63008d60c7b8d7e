package cli

import (
	"fmt"
	"io"

	"github.com/aksguard/aksguard/internal/report"
)

// writeOutputFileSummary tells standard error what a report written to
// --output-file holds, in one line, so a terminal or CI log still shows the
// outcome (the errors and warnings follow it).
func writeOutputFileSummary(stderr io.Writer, f *scanFlags, rep *report.Report) {
	if f.outputFile == "" {
		return
	}
	fmt.Fprintf(stderr, "aksguard: %s; report written to %s\n", report.TotalsLine(rep.Summary), f.outputFile)
}
