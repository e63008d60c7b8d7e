package loganalytics

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

var (
	since = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	until = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

func TestReadWorkspace(t *testing.T) {
	evs := realEvents(t, "findings.log")
	n := len(evs)
	// The summary counts the events of a request's final stage.
	final := 0
	for _, e := range evs {
		if st, _ := e["stage"].(string); st == "" || st == "ResponseComplete" || st == "Panic" {
			final++
		}
	}
	if final == 0 || final == n {
		t.Fatalf("%d of %d events of the final stage: the log should hold both kinds", final, n)
	}
	aks := func(table string) []map[string]any {
		var rows []map[string]any
		for _, e := range evs {
			rows = append(rows, aksAuditRow(e, table))
		}
		return rows
	}
	diag := func(cat string) []map[string]any {
		var rows []map[string]any
		for _, e := range evs {
			rows = append(rows, diagnosticsRow(e, cat))
		}
		// A row of another category that the query does not ask for.
		rows = append(rows, map[string]any{"TimeGenerated": evs[0]["stageTimestamp"], "Category": "kube-apiserver",
			"ResourceId": strings.ToUpper(testCluster), "_ResourceId": strings.ToLower(testCluster), "log_s": "I1123 09:30:00 started", "Type": "AzureDiagnostics"})
		return rows
	}
	for _, tc := range []struct {
		name       string
		ws         string
		rows       map[string][]map[string]any
		faults     []string
		maxRows    int
		minSpan    time.Duration
		events     int
		categories string
		incomplete string // a substring; "" = complete
		minQueries int
	}{
		{name: "AKSAudit", rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")}, events: n, categories: "kube-audit"},
		{name: "a workspace named by its resource ID", ws: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law-shop",
			rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")}, events: n, categories: "kube-audit"},
		{name: "AKSAuditAdmin only", rows: map[string][]map[string]any{"AKSAuditAdmin": aks("AKSAuditAdmin")}, events: n, categories: "kube-audit-admin"},
		{name: "both tables: the admin rows are covered by the full ones", rows: map[string][]map[string]any{
			"AKSAudit": aks("AKSAudit"), "AKSAuditAdmin": aks("AKSAuditAdmin")}, events: n, categories: "kube-audit"},
		{name: "AzureDiagnostics", rows: map[string][]map[string]any{"AzureDiagnostics": diag("kube-audit")}, events: n, categories: "kube-audit"},
		{name: "429 then the answer (Retry-After honoured by the SDK's retries)", rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")},
			faults: []string{"429"}, events: n, categories: "kube-audit", minQueries: 3},
		{name: "more rows than an answer may hold: the range is split until each half fits",
			rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")}, maxRows: 8, minSpan: time.Millisecond, events: n, categories: "kube-audit", minQueries: 8},
		{name: "a partial error: rows read, range incomplete", rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")},
			faults: []string{"", "partial"}, events: n, categories: "kube-audit", incomplete: "partial error PartialError"},
		{name: "result too large: split", rows: map[string][]map[string]any{"AKSAudit": aks("AKSAudit")},
			faults: []string{"", "too-large"}, events: n, categories: "kube-audit", minQueries: 4},
		{name: "nothing in the workspace", rows: map[string][]map[string]any{}, incomplete: "holds no AKS audit events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &workspace{ID: "6f1c2b3a-0000-4000-8000-00000000beef", Token: "test-token-not-a-secret", Rows: tc.rows, Faults: tc.faults}
			if tc.ws != "" {
				w.ID = tc.ws
			}
			c := start(t, w)
			rec := &recorder{}
			in, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since, Until: until, Observer: rec, MaxRows: tc.maxRows, MinSpan: tc.minSpan,
				Filter: NewFilter([]string{"AKS-AUD-001"}, nil)})
			if err != nil {
				t.Fatal(err)
			}
			if int(in.Events) != tc.events || len(rec.ids) != tc.events {
				t.Errorf("events: %d counted, %d observed, want %d", in.Events, len(rec.ids), tc.events)
			}
			if got := strings.Join(in.Categories, ","); got != tc.categories {
				t.Errorf("categories %q, want %q", got, tc.categories)
			}
			if tc.incomplete == "" && in.Incomplete != "" || !strings.Contains(in.Incomplete, tc.incomplete) {
				t.Errorf("incomplete %q, want %q", in.Incomplete, tc.incomplete)
			}
			if tc.events > 0 && (!in.Prefiltered || in.SourceEvents != int64(final) || in.SourceReads == 0 || in.SourceReads >= in.SourceEvents) {
				t.Errorf("source counts: prefiltered %v, %d events, %d reads", in.Prefiltered, in.SourceEvents, in.SourceReads)
			}
			if in.Form != inventory.AuditFormLogAnalyticsQuery || in.Input != "log-analytics:"+w.ID || !in.First.Equal(since) || !in.Last.Equal(until) {
				t.Errorf("coverage %+v", in)
			}
			if tc.events > 0 && (len(in.ClusterIDs) != 1 || !strings.EqualFold(in.ClusterIDs[0], testCluster)) {
				t.Errorf("cluster IDs %v", in.ClusterIDs)
			}
			if len(w.Queries) < tc.minQueries {
				t.Errorf("%d queries, want at least %d", len(w.Queries), tc.minQueries)
			}
			if tc.events > 0 && len(rec.users) > 0 && rec.users[0] != "system:anonymous" {
				t.Errorf("first event by %q: rows not mapped", rec.users[0])
			}
		})
	}
}

// TestReadSplitStopsAtMinSpan: a range that cannot be split further is
// recorded as not read, never dropped silently.
func TestReadSplitStopsAtMinSpan(t *testing.T) {
	evs := realEvents(t, "findings.log")
	var rows []map[string]any
	for _, e := range evs {
		r := aksAuditRow(e, "AKSAudit")
		r["TimeGenerated"] = "2026-11-23T09:30:00.5Z" // all in one instant
		rows = append(rows, r)
	}
	w := &workspace{ID: "ws1", Token: "tok", Rows: map[string][]map[string]any{"AKSAudit": rows}}
	c := start(t, w)
	in, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since, Until: until, MaxRows: 5, Observer: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(in.Incomplete, "more than 5 candidate events") {
		t.Errorf("incomplete %q", in.Incomplete)
	}
	// Bounded: halving an hour down to a second takes 12 levels.
	if len(w.Queries) > 40 {
		t.Errorf("%d queries", len(w.Queries))
	}
}

// TestReadNoAccess: a refusal is an error that says what to do, and quotes
// neither the token nor the answer's body.
func TestReadNoAccess(t *testing.T) {
	for _, fault := range []string{"403", "wrong-token"} {
		w := &workspace{ID: "ws1", Token: "tok-secret-value", Faults: []string{fault}}
		c := start(t, w)
		if fault == "wrong-token" {
			w.Token = "another"
		}
		_, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since, Until: until})
		if err == nil {
			t.Fatalf("%s: no error", fault)
		}
		msg := err.Error()
		if !strings.Contains(msg, "Log Analytics Reader") || strings.Contains(msg, "tok-secret-value") || strings.Contains(msg, "insufficient access") ||
			strings.Contains(msg, "Valid authentication") {
			t.Errorf("%s: %s", fault, msg)
		}
	}
}

// TestReadChunks: a range longer than a chunk is read chunk by chunk, each
// query's timespan inside the range.
func TestReadChunks(t *testing.T) {
	evs := realEvents(t, "ordinary.log")
	var rows []map[string]any
	for _, e := range evs {
		rows = append(rows, aksAuditRow(e, "AKSAudit"))
	}
	w := &workspace{ID: "ws1", Token: "tok", Rows: map[string][]map[string]any{"AKSAudit": rows}}
	c := start(t, w)
	rec := &recorder{}
	in, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since.Add(-72 * time.Hour), Until: until, Observer: rec})
	if err != nil {
		t.Fatal(err)
	}
	if int(in.Events) != len(evs) || in.Incomplete != "" {
		t.Errorf("%+v", in)
	}
	// probe + 4 daily chunks
	if len(w.Spans) != 5 {
		t.Errorf("spans %v", w.Spans)
	}
}

func TestCappedBody(t *testing.T) {
	for _, tc := range []struct {
		body string
		max  int64
		err  bool
	}{{"12345", 5, false}, {"123456", 5, true}, {"", 5, false}} {
		b := capBody(ioNopCloser(tc.body), tc.max)
		data, err := readAll(b)
		if (err != nil) != tc.err || (!tc.err && string(data) != tc.body) {
			t.Errorf("%q cap %d: %q, %v", tc.body, tc.max, data, err)
		}
	}
}

// TestReadCountsPerCluster: the summary's counts are kept per cluster
// (keyed in lower case, whatever case the rows use), over the sources
// read (a covered admin table is not counted twice), with each cluster's
// own first and last time; a cluster's counts in a read of the whole
// workspace are those of a read of that cluster alone.
func TestReadCountsPerCluster(t *testing.T) {
	const other = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/AKS-Other"
	evs := realEvents(t, "findings.log")
	final, reads := int64(0), int64(0)
	for _, e := range evs {
		if st, _ := e["stage"].(string); st == "" || st == "ResponseComplete" || st == "Panic" {
			final++
			if v, _ := e["verb"].(string); v == "get" || v == "list" || v == "watch" {
				reads++
			}
		}
	}
	rows := map[string][]map[string]any{}
	for _, e := range evs {
		rows["AKSAudit"] = append(rows["AKSAudit"], aksAuditRow(e, "AKSAudit"))
		rows["AKSAuditAdmin"] = append(rows["AKSAuditAdmin"], aksAuditRow(e, "AKSAuditAdmin"))
		r := aksAuditRow(e, "AKSAudit")
		r["_ResourceId"] = other // as written, not lower-cased
		r["TimeGenerated"] = "2026-11-23T09:45:00Z"
		rows["AKSAudit"] = append(rows["AKSAudit"], r)
	}
	w := &workspace{ID: "ws1", Token: "tok", Rows: rows}
	c := start(t, w)
	read := func(clusters ...string) inventory.AuditInput {
		in, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since, Until: until, Clusters: clusters, Observer: &recorder{},
			Filter: NewFilter([]string{"AKS-AUD-001"}, nil)})
		if err != nil || in.Incomplete != "" {
			t.Fatalf("read %v: %v %q", clusters, err, in.Incomplete)
		}
		return in
	}
	shared := read()
	at := time.Date(2026, 11, 23, 9, 45, 0, 0, time.UTC)
	for _, tc := range []struct {
		cluster string
		want    inventory.AuditCounts
	}{
		{testCluster, inventory.AuditCounts{Events: final, Reads: reads}},
		{other, inventory.AuditCounts{Events: final, Reads: reads, First: at, Last: at}},
	} {
		got, ok := shared.SourceByCluster[inventory.AuditClusterKey(tc.cluster)]
		if !ok || got.Events != tc.want.Events || got.Reads != tc.want.Reads || got.First.IsZero() || got.Last.Before(got.First) ||
			(!tc.want.First.IsZero() && (!got.First.Equal(tc.want.First) || !got.Last.Equal(tc.want.Last))) {
			t.Errorf("%s: counts %+v (found %v), want %+v", tc.cluster, got, ok, tc.want)
		}
		alone := read(tc.cluster)
		if len(alone.SourceByCluster) != 1 || !reflect.DeepEqual(alone.SourceByCluster[inventory.AuditClusterKey(tc.cluster)], got) {
			t.Errorf("%s: read alone %+v, in the shared read %+v", tc.cluster, alone.SourceByCluster, got)
		}
	}
	if len(shared.SourceByCluster) != 2 || shared.SourceEvents != 2*final {
		t.Errorf("shared read: %d clusters, %d events", len(shared.SourceByCluster), shared.SourceEvents)
	}
}

// TestReadAdminPerCluster: a kube-audit-admin table is read only for the
// clusters whose kube-audit table does not cover it, so that in a shared
// workspace a cluster sending both is read (and counted) once, as alone,
// while a cluster sending only kube-audit-admin is still read.
func TestReadAdminPerCluster(t *testing.T) {
	const adminOnly = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-admin-only"
	evs := realEvents(t, "findings.log")
	final := int64(0)
	for _, e := range evs {
		if st, _ := e["stage"].(string); st == "" || st == "ResponseComplete" || st == "Panic" {
			final++
		}
	}
	rows := map[string][]map[string]any{}
	for _, e := range evs {
		rows["AKSAudit"] = append(rows["AKSAudit"], aksAuditRow(e, "AKSAudit"))
		rows["AKSAuditAdmin"] = append(rows["AKSAuditAdmin"], aksAuditRow(e, "AKSAuditAdmin"))
		r := aksAuditRow(e, "AKSAuditAdmin")
		r["_ResourceId"] = strings.ToLower(adminOnly)
		rows["AKSAuditAdmin"] = append(rows["AKSAuditAdmin"], r)
	}
	w := &workspace{ID: "ws1", Token: "tok", Rows: rows}
	c := start(t, w)
	rec := &recorder{}
	in, err := c.Read(context.Background(), Options{Workspace: w.ID, Since: since, Until: until, Observer: rec})
	if err != nil || in.Incomplete != "" {
		t.Fatalf("%v %q", err, in.Incomplete)
	}
	if len(rec.ids) != 2*len(evs) {
		t.Errorf("%d events observed, want %d (each cluster's once)", len(rec.ids), 2*len(evs))
	}
	for _, id := range []string{testCluster, adminOnly} {
		if got := in.SourceByCluster[inventory.AuditClusterKey(id)].Events; got != final {
			t.Errorf("%s: %d events counted, want %d", id, got, final)
		}
	}
	if in.SourceEvents != 2*final || strings.Join(in.Categories, ",") != "kube-audit,kube-audit-admin" {
		t.Errorf("%d events, categories %v", in.SourceEvents, in.Categories)
	}
	adminQuery := false
	for _, q := range w.Queries {
		if strings.HasPrefix(q, "AKSAuditAdmin\n") {
			adminQuery = true
			if !strings.Contains(q, `_ResourceId in~ ("`+strings.ToLower(adminOnly)+`")`) {
				t.Errorf("the admin table read beyond the cluster it alone covers:\n%s", q)
			}
		}
	}
	if !adminQuery {
		t.Error("the admin-only cluster's table was not read")
	}
}
