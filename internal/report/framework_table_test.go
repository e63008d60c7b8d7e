package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

// fwFleetReport is two clusters: aks-a passes 5.4.1, aks-b fails it, and
// 5.4.4 fails on a Kubernetes object no cluster owns.
func fwFleetReport(t *testing.T) *Report {
	t.Helper()
	r := &Report{
		Results: []check.Result{fwRes("AKS-ACC-001", fwB, check.Fail), fwRes("AKS-NET-001", fwPod, check.Fail)},
		Counted: map[ControlScope]Counted{{"AKS-ACC-001", fwA.ID}: {Pass: 1}, {"AKS-ACC-002", fwA.ID}: {Pass: 1},
			{"AKS-ACC-002", fwB.ID}: {NotApplicable: 1}, {"AKS-NET-001", fwA.ID}: {Pass: 1}, {"AKS-NET-001", fwB.ID}: {Pass: 1}},
	}
	v, err := FrameworkFor(r, "cis-aks-1.8", fwControls())
	if err != nil {
		t.Fatal(err)
	}
	r.Framework = v
	return r
}

// TestFrameworkTableGolden: the table's framework section, per cluster,
// with the manual items listed by id and title.
func TestFrameworkTableGolden(t *testing.T) {
	var b bytes.Buffer
	writeFrameworkTable(&b, fwFleetReport(t).Framework, false)
	golden(t, "framework_table.txt", b.Bytes())
	b.Reset()
	writeFrameworkTable(&b, nil, false)
	if b.Len() != 0 {
		t.Errorf("a section without --framework: %q", b.String())
	}
}

// TestFrameworkJSON: the JSON report has a framework block, after clusters
// and before results, only when the view is set.
func TestFrameworkJSON(t *testing.T) {
	r := fwFleetReport(t)
	r.Clusters = []ClusterSummary{{ID: fwA.ID, Name: "aks-a", Fail: map[string]int{}}}
	var b bytes.Buffer
	must(t, WriteJSON(&b, r))
	out := b.String()
	c, f, res := strings.Index(out, `"clusters": [`), strings.Index(out, `"framework": {`), strings.Index(out, `"results": [`)
	if c < 0 || f < c || res < f {
		t.Fatalf("framework block missing or out of place:\n%s", out)
	}
	var doc struct {
		Framework FrameworkView `json:"framework"`
	}
	must(t, json.Unmarshal(b.Bytes(), &doc))
	if doc.Framework.Name != "cis-aks-1.8" || len(doc.Framework.Items) != 51 || doc.Framework.Summary["fail"] != 2 {
		t.Errorf("framework block %+v", doc.Framework.Summary)
	}
	r.Framework = nil
	b.Reset()
	must(t, WriteJSON(&b, r))
	if strings.Contains(b.String(), `"framework"`) {
		t.Error("a framework block without --framework")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestFrameworkHTMLAndMarkdown: with --framework the HTML page has a
// compliance section (automated items with status, controls and per-cluster
// lines; the manual ones folded) and the Markdown summary the counts and the
// failing or not-assessed items; without it neither says anything.
func TestFrameworkHTMLAndMarkdown(t *testing.T) {
	r := fwFleetReport(t)
	v := r.Framework
	var open, manual []FrameworkItem
	for _, it := range v.Items {
		switch it.Status {
		case ItemManual:
			manual = append(manual, it)
		case "fail", "not-assessed", "waived":
			open = append(open, it)
		}
	}
	if len(open) == 0 || len(manual) == 0 {
		t.Fatalf("the fixture should have open and manual items: %+v", v.Summary)
	}
	var page, md bytes.Buffer
	must(t, WriteHTML(&page, r))
	must(t, WriteMarkdown(&md, r))
	html := page.String()
	for _, want := range []string{`<section id="framework"`, "<small>(" + v.Name + ")</small>", frameworkCounts(v),
		"<th scope=\"row\">" + open[0].ID + "</th>", strconv.Itoa(len(manual)) + " manual items"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML page lacks %q", want)
		}
	}
	for _, want := range []string{"(`" + v.Name + "`): " + frameworkCounts(v), "| " + open[0].ID + " | " + itemStatusLabel(open[0].Status) + " |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md.String())
		}
	}
	r.Framework = nil
	page.Reset()
	md.Reset()
	must(t, WriteHTML(&page, r))
	must(t, WriteMarkdown(&md, r))
	if strings.Contains(page.String(), `id="framework"`) || strings.Contains(md.String(), v.Name) {
		t.Error("without --framework the HTML or Markdown shows a framework")
	}
}
