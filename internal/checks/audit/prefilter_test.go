package audit_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // registers the controls
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
)

// sourceTee gives every event to one observer and the events the
// pushed-down filter keeps to another, and counts the log as the
// workspace's summary query counts it (the events of a request's final
// stage, and the get, list and watch ones among them).
type sourceTee struct {
	f             *loganalytics.Filter
	all, kept     inventory.AuditObserver
	events, reads int64
	passed        int64
	// byCluster counts the same per cluster, with the times of its first
	// and last event as the file reader's coverage takes them.
	byCluster map[string]inventory.AuditCounts
}

func (t *sourceTee) Observe(ev *inventory.AuditEvent) {
	var c inventory.AuditCounts
	if ev.Stage == "" || ev.Stage == "ResponseComplete" || ev.Stage == "Panic" {
		t.events++
		c.Events = 1
		if ev.Verb == "get" || ev.Verb == "list" || ev.Verb == "watch" {
			t.reads++
			c.Reads = 1
		}
	}
	if ev.Category != "" {
		c.Categories = []string{ev.Category}
	}
	c.First, c.Last = ev.Received, ev.StageTime
	if c.First.IsZero() {
		c.First = c.Last
	}
	if c.Last.IsZero() {
		c.Last = c.First
	}
	if t.byCluster == nil {
		t.byCluster = map[string]inventory.AuditCounts{}
	}
	k := inventory.AuditClusterKey(ev.ClusterID)
	n := t.byCluster[k]
	n.Add(c)
	t.byCluster[k] = n
	t.all.Observe(ev)
	if t.f.Match(ev) {
		t.passed++
		t.kept.Observe(ev)
	}
}

// TestPrefilteredJudgedAsWholeLog proves that a pre-filtered input (the
// live workspace read: only candidates streamed, with the source's counts)
// is judged as the whole log of the same events: every audit control's
// fixtures and the real apiserver's logs are judged whole and as a
// pre-filtered input, through the filter of the control alone and of all
// ten controls (as a scan builds it), with the source's counts of the
// whole input and per cluster (as the workspace read gives them), and the
// results must have the same statuses and messages.
func TestPrefilteredJudgedAsWholeLog(t *testing.T) {
	var controls []*check.Control
	var ids []string
	for _, c := range check.All() {
		if c.Audit != nil {
			controls = append(controls, c)
			ids = append(ids, c.ID)
		}
	}
	if len(controls) != 10 {
		t.Fatalf("%d audit controls registered, want 10", len(controls))
	}
	real := []string{"../../e2e/testdata/auditlog/findings.log", "../../e2e/testdata/auditlog/ordinary.log"}
	statuses := map[check.Status]int{}
	for _, c := range controls {
		ents, err := os.ReadDir(filepath.Join("testdata", c.ID))
		if err != nil {
			t.Fatal(err)
		}
		inputs := append([]string(nil), real...)
		for _, e := range ents {
			if e.Name() != "README" {
				inputs = append(inputs, filepath.Join("testdata", c.ID, e.Name()))
			}
		}
		for _, in := range inputs {
			inv := source.Load([]string{in}, source.Options{})
			var ranges []loganalytics.ClusterRanges
			for _, cl := range inv.Clusters {
				if cl.AuthorizedIPRanges.IsKnown() {
					ranges = append(ranges, loganalytics.ClusterRanges{ClusterID: cl.ID, Ranges: cl.AuthorizedIPRanges.Val})
				}
			}
			for _, filter := range []struct {
				name string
				ids  []string
			}{{"alone", []string{c.ID}}, {"all ten", ids}} {
				settings := check.DefaultSettings()
				tp := &sourceTee{f: loganalytics.NewFilter(filter.ids, ranges), all: c.Audit(settings), kept: c.Audit(settings)}
				inv := source.Load([]string{in}, source.Options{Audit: tp})
				if inv.Audit == nil || len(inv.Audit.Inputs) != 1 {
					t.Fatalf("%s: want one audit input", in)
				}
				whole := inv.Audit.Inputs
				pre := append([]inventory.AuditInput(nil), whole...)
				pre[0].Prefiltered, pre[0].Events = true, tp.passed
				pre[0].SourceEvents, pre[0].SourceReads = tp.events, tp.reads
				run := func(ins []inventory.AuditInput, obs inventory.AuditObserver) []check.Result {
					inv.Audit = &inventory.AuditLog{Inputs: ins, States: map[string]inventory.AuditObserver{c.ID: obs}}
					return c.Run(&check.Context{Inv: inv, Settings: settings, Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
				}
				perCluster := append([]inventory.AuditInput(nil), pre...)
				perCluster[0].SourceByCluster = tp.byCluster
				a := run(whole, tp.all)
				for _, p := range []struct {
					name string
					ins  []inventory.AuditInput
				}{{"input counts", pre}, {"per-cluster counts", perCluster}} {
					b := run(p.ins, tp.kept)
					if len(a) != len(b) {
						t.Errorf("%s on %s (filter of %s, %s): %d results whole, %d pre-filtered (%d of %d events kept)", c.ID, in, filter.name, p.name, len(a), len(b), tp.passed, tp.events)
						continue
					}
					for i := range a {
						statuses[a[i].Status]++
						if a[i].Status != b[i].Status || a[i].Message != b[i].Message {
							t.Errorf("%s on %s (filter of %s, %s), result %d:\nwhole:        %s %s\npre-filtered: %s %s", c.ID, in, filter.name, p.name, i, a[i].Status, a[i].Message, b[i].Status, b[i].Message)
						}
					}
				}
			}
		}
	}
	// Not vacuous: the fixtures give every status the judgement decides.
	for _, s := range []check.Status{check.Pass, check.Fail, check.NotAssessed} {
		if statuses[s] == 0 {
			t.Errorf("no %s result among the fixtures", s)
		}
	}
}
