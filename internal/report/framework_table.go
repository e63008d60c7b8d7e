package report

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/aksguard/aksguard/internal/check"
)

// writeFrameworkTable writes the --framework section of the table report,
// after the summary: one line per automated item (id, status, controls,
// title; per cluster when there are several), then the manual items, ids
// and titles. Nothing without --framework.
func writeFrameworkTable(b *bytes.Buffer, v *FrameworkView, p painter) {
	if v == nil {
		return
	}
	b.WriteString("\n" + p.paint(ansiBold, oneLine(v.Title)+" ("+v.Name+"):") + " " + frameworkCounts(v) + "\n")
	var rows bytes.Buffer
	tw := tabwriter.NewWriter(&rows, 0, 0, 2, ' ', 0)
	var manual []FrameworkItem
	for _, it := range v.Items {
		if it.Status == ItemManual {
			manual = append(manual, it)
			continue
		}
		ids := make([]string, len(it.Controls))
		for i, c := range it.Controls {
			ids[i] = c.ID
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", oneLine(it.ID), itemStatusLabel(it.Status), strings.Join(ids, ","), oneLine(it.Title))
		for _, cl := range it.Clusters {
			// Empty cells keep the columns of the items aligned across
			// the cluster lines; their padding is trimmed below.
			fmt.Fprintf(tw, "    %s\t%s\t\t\n", oneLine(cl.Name), itemStatusLabel(cl.Status))
		}
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(rows.String(), "\n") {
		if line != "" {
			b.WriteString(strings.TrimRight(line, " \n") + "\n")
		}
	}
	if len(manual) > 0 {
		b.WriteString("  " + p.paint(ansiDim, fmt.Sprintf("manual (%d, not automated by aksguard):", len(manual))) + "\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, it := range manual {
			fmt.Fprintf(tw, "    %s\t%s\n", oneLine(it.ID), oneLine(it.Title))
		}
		tw.Flush()
	}
}

func itemStatusLabel(s string) string {
	if l, ok := statusLabels[check.Status(s)]; ok {
		return l
	}
	return strings.ToUpper(s)
}

// frameworkCounts is "3 pass, 5 fail, …" over the item statuses present.
func frameworkCounts(v *FrameworkView) string {
	var parts []string
	for _, s := range []string{string(check.Fail), string(check.NotAssessed), string(check.Waived), string(check.Pass), string(check.NotApplicable), ItemManual} {
		if n := v.Summary[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}
