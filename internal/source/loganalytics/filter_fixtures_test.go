package loganalytics_test

import (
	"encoding/json"
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

// tee gives every event to one observer and the events the filter keeps to
// another.
type tee struct {
	f              *loganalytics.Filter
	all, kept      inventory.AuditObserver
	events, passed int
}

func (t *tee) Observe(ev *inventory.AuditEvent) {
	t.events++
	t.all.Observe(ev)
	if t.f.Match(ev) {
		t.passed++
		t.kept.Observe(ev)
	}
}

// TestFilterKeepsWhatControlsFlag is the proof that the pushed-down filter
// never drops an event some control would flag: every fixture of every
// audit control (and the real apiserver's logs) is streamed through the
// control twice, whole and through the filter (the Go predicate rendered
// from the same table as the KQL), and the control's failing results must
// be the same.
func TestFilterKeepsWhatControlsFlag(t *testing.T) {
	var controls []*check.Control
	for _, c := range check.All() {
		if c.Audit != nil {
			controls = append(controls, c)
		}
	}
	if len(controls) != 10 {
		t.Fatalf("%d audit controls registered, want 10", len(controls))
	}
	real := []string{"../../e2e/testdata/auditlog/findings.log", "../../e2e/testdata/auditlog/ordinary.log"}
	checked, flagged := 0, 0
	for _, c := range controls {
		ents, err := os.ReadDir(filepath.Join("../../checks/audit/testdata", c.ID))
		if err != nil {
			t.Fatal(err)
		}
		inputs := append([]string(nil), real...)
		for _, e := range ents {
			if e.Name() != "README" {
				inputs = append(inputs, filepath.Join("../../checks/audit/testdata", c.ID, e.Name()))
			}
		}
		for _, in := range inputs {
			// First pass: the clusters (authorized ranges) of the input.
			inv := source.Load([]string{in}, source.Options{})
			var ranges []loganalytics.ClusterRanges
			for _, cl := range inv.Clusters {
				if cl.AuthorizedIPRanges.IsKnown() {
					ranges = append(ranges, loganalytics.ClusterRanges{ClusterID: cl.ID, Ranges: cl.AuthorizedIPRanges.Val})
				}
			}
			settings := check.DefaultSettings()
			tp := &tee{f: loganalytics.NewFilter([]string{c.ID}, ranges), all: c.Audit(settings), kept: c.Audit(settings)}
			inv = source.Load([]string{in}, source.Options{Audit: tp})
			if inv.Audit == nil {
				t.Fatalf("%s: no audit input read", in)
			}
			judge := func(obs inventory.AuditObserver) []string {
				inv.Audit.States = map[string]inventory.AuditObserver{c.ID: obs}
				ctx := &check.Context{Inv: inv, Settings: settings, Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
				var out []string
				for _, r := range c.Run(ctx) {
					if r.Status == check.Fail {
						b, _ := json.Marshal(r)
						out = append(out, string(b))
					}
				}
				return out
			}
			all, kept := judge(tp.all), judge(tp.kept)
			checked++
			if len(all) > 0 {
				flagged++
			}
			if len(all) != len(kept) {
				t.Errorf("%s on %s: %d findings on the whole log, %d through the filter (%d of %d events kept)", c.ID, in, len(all), len(kept), tp.passed, tp.events)
				continue
			}
			for i := range all {
				if all[i] != kept[i] {
					t.Errorf("%s on %s: finding %d differs through the filter:\nwhole:    %s\nfiltered: %s", c.ID, in, i, all[i], kept[i])
				}
			}
		}
	}
	// Not vacuous: the fixtures hold findings of every control.
	if flagged < len(controls) {
		t.Errorf("only %d of %d control/input pairs had findings", flagged, checked)
	}
}
