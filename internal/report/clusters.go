package report

import (
	"bytes"
	"fmt"
	"strconv"
	"text/tabwriter"
)

// writeClusters writes the per-cluster table of a fleet scan.
func writeClusters(b *bytes.Buffer, cs []ClusterSummary, p painter) {
	b.WriteString(p.paint(ansiBold, "clusters:") + "\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  CLUSTER\tRESOURCE GROUP\tCRITICAL\tHIGH\tMEDIUM\tLOW\tNOT ASSESSED\tERROR")
	for _, c := range cs {
		rg := clusterOrigin(c.ID)
		if len(rg) > len(" (resource group )") {
			rg = rg[len(" (resource group ") : len(rg)-1]
		} else {
			rg = "-"
		}
		errText := "-"
		if c.Error != "" {
			errText = oneLine(c.Error)
		}
		n := func(sev string) string { return strconv.Itoa(c.Fail[sev]) }
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", oneLine(c.Name), oneLine(rg), n("critical"), n("high"), n("medium"), n("low"), c.NotAssessed, errText)
	}
	tw.Flush()
}
