package audit_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/auditlog"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
	"github.com/aksguard/aksguard/internal/source/loganalytics/lawtest"
)

// fanOut gives every event to the observer of each control.
type fanOut map[string]inventory.AuditObserver

func (f fanOut) Observe(ev *inventory.AuditEvent) {
	for _, o := range f {
		o.Observe(ev)
	}
}

// logEvents are the events of a log the real kube-apiserver wrote
// (internal/e2e/testdata/auditlog).
func logEvents(t *testing.T, name string) []map[string]any {
	t.Helper()
	f, err := os.Open("../../e2e/testdata/auditlog/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// TestSharedWorkspaceJudgedPerCluster: a workspace holding the logs of
// four clusters — one with findings (the real apiserver's detected
// actions, in AKSAudit and AKSAuditAdmin), one clean (its ordinary day,
// reads included), one whose logs hold no read (the ordinary day's writes,
// ingested ten minutes later), one sending only kube-audit-admin —
// read once for all of them gives every control, for every cluster, the
// status and message that reading the workspace for that cluster alone
// (--azure-cluster) gives: each cluster is judged on its own counts and
// its own range, never on the others'.
func TestSharedWorkspaceJudgedPerCluster(t *testing.T) {
	const base = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/"
	findings, clean, noReads, adminOnly := base+"aks-findings", base+"aks-clean", base+"aks-noreads", base+"aks-admin-only"
	var controls []*check.Control
	var ids []string
	for _, c := range check.All() {
		if c.Audit != nil {
			controls = append(controls, c)
			ids = append(ids, c.ID)
		}
	}
	rows := map[string][]map[string]any{}
	add := func(table, cluster string, evs []map[string]any, keep func(map[string]any) bool, delay time.Duration) {
		for _, ev := range evs {
			if !keep(ev) {
				continue
			}
			r := lawtest.AKSAuditRow(ev, table)
			r["_ResourceId"] = strings.ToLower(cluster) // as the workspace stores it
			at, err := time.Parse(time.RFC3339Nano, r["TimeGenerated"].(string))
			if err != nil {
				t.Fatal(err)
			}
			r["TimeGenerated"] = at.Add(delay).Format(time.RFC3339Nano)
			rows[table] = append(rows[table], r)
		}
	}
	all := func(map[string]any) bool { return true }
	add("AKSAudit", findings, logEvents(t, "findings.log"), all, 0)
	// Its kube-audit-admin events too, which its kube-audit ones cover.
	add("AKSAuditAdmin", findings, logEvents(t, "findings.log"), func(ev map[string]any) bool {
		v, _ := ev["verb"].(string)
		return v != "get" && v != "list" && v != "watch"
	}, 0)
	add("AKSAudit", clean, logEvents(t, "ordinary.log"), all, 0)
	// A cluster that sends only kube-audit-admin: the admin table is read
	// for it, and for it only.
	add("AKSAuditAdmin", adminOnly, logEvents(t, "findings.log"), func(ev map[string]any) bool {
		v, _ := ev["verb"].(string)
		return v != "get" && v != "list" && v != "watch"
	}, 0)
	add("AKSAudit", noReads, logEvents(t, "ordinary.log"), func(ev map[string]any) bool {
		v, _ := ev["verb"].(string)
		return v != "get" && v != "list" && v != "watch"
	}, 10*time.Minute)

	filter := loganalytics.NewFilter(ids, nil)
	w := &lawtest.Workspace{ID: "6f1c2b3a-0000-4000-8000-00000000beef", Token: "tok", Rows: rows,
		Keep: func(_ string, row map[string]any) bool {
			cells := auditlog.MapRow{}
			for k, v := range row {
				if s, ok := v.(string); ok {
					cells[k] = s
				}
			}
			var ev inventory.AuditEvent
			if err := auditlog.FromAKSAuditRow(cells, &ev); err != nil {
				t.Errorf("row: %v", err)
				return true
			}
			return filter.Match(&ev)
		}}
	cred, opts := lawtest.Start(t, w)
	client, err := loganalytics.NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	since, until := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	settings := check.DefaultSettings()
	// judge reads the workspace (for the given clusters; none: all) and
	// judges every control on it.
	judge := func(clusters ...string) map[string][]check.Result {
		states := fanOut{}
		for _, c := range controls {
			states[c.ID] = c.Audit(settings)
		}
		in, err := client.Read(context.Background(), loganalytics.Options{Workspace: w.ID, Since: since, Until: until,
			Clusters: clusters, Filter: filter, Observer: states})
		if err != nil {
			t.Fatal(err)
		}
		if !in.Prefiltered || in.Incomplete != "" {
			t.Fatalf("read of %v: prefiltered %v, incomplete %q", clusters, in.Prefiltered, in.Incomplete)
		}
		inv := &inventory.Inventory{Audit: &inventory.AuditLog{Inputs: []inventory.AuditInput{in}, States: map[string]inventory.AuditObserver(states)}}
		out := map[string][]check.Result{}
		for _, c := range controls {
			out[c.ID] = c.Run(&check.Context{Inv: inv, Settings: settings, Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
		}
		return out
	}
	shared := judge()
	statuses := map[string]map[check.Status]int{}
	for _, cl := range []string{findings, clean, noReads, adminOnly} {
		alone := judge(cl)
		statuses[cl] = map[check.Status]int{}
		for _, c := range controls {
			var mine []check.Result
			for _, r := range shared[c.ID] {
				if strings.EqualFold(r.Resource.ID, cl) {
					mine = append(mine, r)
				}
			}
			a := alone[c.ID]
			if len(a) != len(mine) {
				t.Errorf("%s on %s: %d results alone, %d in the shared read:\nalone:  %s\nshared: %s", c.ID, cl, len(a), len(mine), results(a), results(mine))
				continue
			}
			for i := range a {
				statuses[cl][a[i].Status]++
				if !strings.EqualFold(a[i].Resource.ID, cl) {
					t.Errorf("%s read alone: a result on %q", cl, a[i].Resource.ID)
				}
				if a[i].Status != mine[i].Status || a[i].Message != mine[i].Message {
					t.Errorf("%s on %s, result %d:\nalone:  %s %s\nshared: %s %s", c.ID, cl, i, a[i].Status, a[i].Message, mine[i].Status, mine[i].Message)
				}
			}
		}
	}
	// Not vacuous: the clusters are judged differently, each on its own.
	if statuses[findings][check.Fail] < 8 || statuses[clean][check.Fail] != 0 || statuses[clean][check.Pass] < 8 || statuses[noReads][check.NotAssessed] == 0 {
		t.Errorf("statuses by cluster: %v", statuses)
	}
	for _, want := range []struct {
		control, cluster, status, message string
	}{
		{"AKS-AUD-003", clean, "pass", "the audit logs from 2026-11-23T09:30:00Z to 2026-11-23T09:30:00Z hold no"},
		{"AKS-AUD-003", noReads, "not-assessed", "the logs hold no get, list or watch event at all"},
		{"AKS-AUD-003", adminOnly, "not-assessed", "the logs are of the kube-audit-admin category only"},
		// The range is the cluster's own (its events were ingested ten
		// minutes later), not the read's nor another cluster's.
		{"AKS-AUD-002", noReads, "pass", "the audit logs from 2026-11-23T09:40:00Z to 2026-11-23T09:40:00Z hold no"},
	} {
		found := false
		for _, r := range shared[want.control] {
			if strings.EqualFold(r.Resource.ID, want.cluster) {
				found = true
				if string(r.Status) != want.status || !strings.Contains(r.Message, want.message) {
					t.Errorf("%s on %s: %s %s, want %s %q", want.control, want.cluster, r.Status, r.Message, want.status, want.message)
				}
				// The evidence says what the workspace held of this cluster.
				own := ""
				for _, e := range r.Evidence {
					if strings.HasPrefix(e.Path, "held by log-analytics:") && strings.HasSuffix(e.Path, " for this cluster") {
						own = e.Value
					}
				}
				if !strings.Contains(own, " events (final stage), ") {
					t.Errorf("%s on %s: no evidence of the cluster's own counts in %+v", want.control, want.cluster, r.Evidence)
				}
			}
		}
		if !found {
			t.Errorf("%s: no result on %s", want.control, want.cluster)
		}
	}
}

func results(rs []check.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r.Status)+" "+r.Message)
	}
	return strings.Join(s, " | ")
}
