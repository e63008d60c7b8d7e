package report

import (
	"strconv"
	"strings"
)

// How the HTML page and the Markdown summary show the compliance view of
// --framework (Report.Framework, FrameworkFor): the item counts, the
// automated items with their status and controls (per cluster in fleets),
// and the manual items.

// htmlFramework is the page's "Compliance" section.
type htmlFramework struct {
	Title, Name, Counts string
	Items               []htmlFrameworkItem
	Manual              []htmlFrameworkItem
}

type htmlFrameworkItem struct {
	ID, Title, Status, StatusLabel, Controls string
	Clusters                                 []htmlFrameworkCluster
}

type htmlFrameworkCluster struct {
	Name, Status, StatusLabel string
}

func newHTMLFramework(v *FrameworkView) *htmlFramework {
	if v == nil {
		return nil
	}
	f := &htmlFramework{Title: v.Title, Name: v.Name, Counts: frameworkCounts(v)}
	for _, it := range v.Items {
		item := htmlFrameworkItem{ID: it.ID, Title: it.Title, Status: it.Status, StatusLabel: itemStatusLabel(it.Status),
			Controls: frameworkControlIDs(it)}
		if it.Status == ItemManual {
			f.Manual = append(f.Manual, item)
			continue
		}
		for _, cl := range it.Clusters {
			item.Clusters = append(item.Clusters, htmlFrameworkCluster{Name: cl.Name, Status: cl.Status, StatusLabel: itemStatusLabel(cl.Status)})
		}
		f.Items = append(f.Items, item)
	}
	return f
}

func frameworkControlIDs(it FrameworkItem) string {
	ids := make([]string, len(it.Controls))
	for i, c := range it.Controls {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// markdownFramework is the Markdown summary's lines on the framework: the
// counts, and the items that fail or could not be assessed (at most
// markdownTop), most severe status first as the view lists them.
func markdownFramework(v *FrameworkView, doc *mdDoc) (capped int) {
	if v == nil {
		return 0
	}
	doc.must("\n**" + mdCell(v.Title) + "** (`" + mdCell(v.Name) + "`): " + mdCell(frameworkCounts(v)) + ".\n")
	var open []FrameworkItem
	for _, it := range v.Items {
		if it.Status != ItemManual && it.Status != "pass" && it.Status != "not-applicable" {
			open = append(open, it)
		}
	}
	if len(open) == 0 {
		return 0
	}
	doc.must("\n| Item | Status | Controls | Title |\n| --- | --- | --- | --- |\n")
	for i, it := range open {
		if i == markdownTop {
			doc.must("\n" + plural(len(open)-markdownTop, "more item") + " failing or not assessed, not listed here.\n")
			break
		}
		if !doc.add("| " + mdCell(it.ID) + " | " + itemStatusLabel(it.Status) + " | " + mdCell(frameworkControlIDs(it)) + " | " + mdCell(it.Title) + " |\n") {
			capped++
		}
	}
	if m := v.Summary[ItemManual]; m > 0 {
		doc.must("\n" + strconv.Itoa(m) + " items are manual (not automated by aksguard): the full report lists them.\n")
	}
	return capped
}
