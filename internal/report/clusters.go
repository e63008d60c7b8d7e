package report

import (
	"strconv"
	"strings"
)

// writeClusters writes the per-cluster table of a fleet scan, its columns
// aligned; a cluster that could not be read has its error on the lines
// below it, wrapped to the width.
func writeClusters(l *lineWriter, cs []ClusterSummary) {
	l.str(l.p.paint(ansiBold, "Clusters:") + "\n")
	header := []string{"CLUSTER", "RESOURCE GROUP", "CRITICAL", "HIGH", "MEDIUM", "LOW", "NOT ASSESSED"}
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		rg := clusterOrigin(c.ID)
		if len(rg) > len(" (resource group )") {
			rg = rg[len(" (resource group ") : len(rg)-1]
		} else {
			rg = "-"
		}
		n := func(sev string) string { return strconv.Itoa(c.Fail[sev]) }
		rows = append(rows, []string{oneLine(c.Name), oneLine(rg), n("critical"), n("high"), n("medium"), n("low"), strconv.Itoa(c.NotAssessed)})
	}
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = runeLen(h)
		for _, r := range rows {
			widths[i] = max(widths[i], runeLen(r[i]))
		}
	}
	line := func(cells []string) string {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			if i >= 2 { // counts align right
				b.WriteString(strings.Repeat(" ", widths[i]-runeLen(c)) + c)
				continue
			}
			b.WriteString(c + strings.Repeat(" ", widths[i]-runeLen(c)))
		}
		return b.String()
	}
	l.trimmedLine(line(header))
	for i, r := range rows {
		l.trimmedLine(line(r))
		if cs[i].Error != "" {
			l.item(4, "error:", ansiBoldRed, 0, oneLine(cs[i].Error))
		}
	}
}
