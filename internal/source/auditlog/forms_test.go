package auditlog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

const clusterID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-demo/providers/Microsoft.ContainerService/managedClusters/aks-demo"

// recorder is an observer that keeps a canonical line per event (what
// every form must agree on).
type recorder struct {
	lines      []string
	noImperson bool // the Log Analytics tables have no impersonatedUser column
	events     []inventory.AuditEvent
}

func (r *recorder) Observe(ev *inventory.AuditEvent) {
	imp := ""
	if ev.Impersonated != nil && !r.noImperson {
		imp = ev.Impersonated.Username + fmt.Sprint(ev.Impersonated.Groups)
	}
	ann := make([]string, 0, len(ev.Annotations))
	for k, v := range ev.Annotations {
		ann = append(ann, k+"="+v)
	}
	sort.Strings(ann)
	req := ""
	if ev.RequestObject != nil {
		// Canonical: key order differs between the forms' writers.
		var v any
		if err := json.Unmarshal(ev.RequestObject, &v); err != nil {
			req = "INVALID"
		} else {
			req = mustJSON(v)
		}
	}
	ms := func(t time.Time) string { return t.Truncate(time.Millisecond).Format(time.RFC3339Nano) }
	r.lines = append(r.lines, strings.Join([]string{ev.AuditID, ev.Stage, ev.Level, ev.Verb, ev.RequestURI,
		ev.User.Username, ev.User.UID, fmt.Sprint(ev.User.Groups), fmt.Sprint(ev.User.Extra), imp,
		fmt.Sprint(ev.SourceIPs), ev.UserAgent, fmt.Sprintf("%+v", ev.Object), fmt.Sprint(ev.Code),
		fmt.Sprint(ann), req, ms(ev.Received), ms(ev.StageTime)}, " | "))
	kept := *ev
	kept.RequestObject = nil
	r.events = append(r.events, kept)
}

func readEvents(t testing.TB) []map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var evs []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, m)
	}
	return evs
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// The Log Analytics columns of an event (Azure Monitor's AKSAudit table
// reference), dynamic columns as JSON text (asText) or as objects.
func aksAuditRow(ev map[string]any, table string, asText bool) map[string]any {
	dyn := func(k string) any {
		v, ok := ev[k]
		if !ok {
			return nil
		}
		if asText {
			return mustJSON(v)
		}
		return v
	}
	row := map[string]any{
		"TenantId": "11111111-2222-3333-4444-555555555555", "TimeGenerated": ev["stageTimestamp"],
		"AuditId": ev["auditID"], "Stage": ev["stage"], "Level": ev["level"], "Verb": ev["verb"],
		"RequestUri": ev["requestURI"], "UserAgent": ev["userAgent"], "User": dyn("user"),
		"SourceIps": dyn("sourceIPs"), "ObjectRef": dyn("objectRef"), "ResponseStatus": dyn("responseStatus"),
		"RequestObject": dyn("requestObject"), "ResponseObject": nil, "Annotations": dyn("annotations"),
		"RequestReceivedTime": ev["requestReceivedTimestamp"], "StageReceivedTime": ev["stageTimestamp"],
		"PodName": "kube-apiserver-7b9c8d-abcde", "SourceSystem": "Azure", "_ResourceId": strings.ToLower(clusterID),
		"_SubscriptionId": "00000000-0000-0000-0000-000000000000", "Type": table, "TableName": "PrimaryResult",
	}
	return row
}

// portalTime is a time as the portal's CSV export writes it.
func portalTime(v any) string {
	t, err := time.Parse(time.RFC3339Nano, v.(string))
	if err != nil {
		panic(err)
	}
	return t.Format("1/2/2006, 3:04:05.000 PM")
}

func toCSV(rows []map[string]any, cols []string, times map[string]bool) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c
		if times[c] {
			head[i] = c + " [UTC]"
		}
	}
	_ = w.Write(head)
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			switch v := r[c].(type) {
			case nil:
			case string:
				rec[i] = v
				if times[c] {
					rec[i] = portalTime(v)
				}
			default:
				rec[i] = mustJSON(v)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

func diagRecord(ev map[string]any, category string) map[string]any {
	return map[string]any{
		"attrs": "{}", "category": category, "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
		"properties": map[string]any{"log": mustJSON(ev), "pod": "kube-apiserver-7b9c8d-abcde", "stream": "stdout"},
		"resourceId": strings.ToUpper(clusterID), "time": ev["stageTimestamp"],
	}
}

// forms converts the JSON-lines events into every other form aksguard reads.
func forms(t testing.TB) map[string][]byte {
	evs := readEvents(t)
	raw, _ := os.ReadFile("testdata/events.jsonl")
	out := map[string][]byte{"json-lines": raw}

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	out["json-lines.gz"] = gz.Bytes()

	arr, _ := json.MarshalIndent(evs, "", "  ")
	out["event-array"] = arr
	list, _ := json.MarshalIndent(map[string]any{"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": map[string]any{}, "items": evs}, "", " ")
	out["event-list"] = list
	var pretty bytes.Buffer
	for _, e := range evs {
		b, _ := json.MarshalIndent(e, "", "    ")
		pretty.Write(b)
		pretty.WriteString("\n")
	}
	out["events-pretty"] = pretty.Bytes()

	var rows, rowsObj, admin []map[string]any
	for _, e := range evs {
		rows = append(rows, aksAuditRow(e, TableAKSAudit, true))
		rowsObj = append(rowsObj, aksAuditRow(e, TableAKSAudit, false))
		admin = append(admin, aksAuditRow(e, TableAKSAuditAdmin, true))
	}
	out["aks-audit-az"], _ = json.MarshalIndent(rows, "", "  ")
	out["aks-audit-objects"], _ = json.Marshal(rowsObj)
	// Time columns named with their unit, as the portal names them.
	var withUnits []map[string]any
	for _, r := range rowsObj {
		u := map[string]any{}
		for k, v := range r {
			if k == "TimeGenerated" || k == "RequestReceivedTime" || k == "StageReceivedTime" {
				k += " [UTC]"
			}
			u[k] = v
		}
		withUnits = append(withUnits, u)
	}
	out["aks-audit-units"], _ = json.MarshalIndent(withUnits, "", "\t")
	out["aks-audit-admin-az"], _ = json.MarshalIndent(admin, "", "  ")
	cols := []string{"TenantId", "TimeGenerated", "Level", "AuditId", "Stage", "RequestUri", "Verb", "User", "SourceIps",
		"UserAgent", "ObjectRef", "ResponseStatus", "RequestObject", "ResponseObject", "RequestReceivedTime",
		"StageReceivedTime", "Annotations", "PodName", "SourceSystem", "Type", "_ResourceId"}
	times := map[string]bool{"TimeGenerated": true, "RequestReceivedTime": true, "StageReceivedTime": true}
	out["aks-audit-csv"] = toCSV(rows, cols, times)

	var diag []map[string]any
	for i, e := range evs {
		cat := CategoryAudit
		if i%2 == 1 {
			cat = CategoryAuditAdmin
		}
		diag = append(diag, map[string]any{"TenantId": "11111111-2222-3333-4444-555555555555", "TimeGenerated": e["stageTimestamp"],
			"ResourceId": strings.ToUpper(clusterID), "Category": cat, "ResourceProvider": "MICROSOFT.CONTAINERSERVICE",
			"log_s": mustJSON(e), "pod_s": "kube-apiserver-7b9c8d-abcde", "stream_s": "stdout", "Type": "AzureDiagnostics"})
		if i == 2 {
			diag = append(diag, map[string]any{"TimeGenerated": e["stageTimestamp"], "ResourceId": strings.ToUpper(clusterID),
				"Category": "kube-apiserver", "log_s": "I1130 10:02:00.000000 1 controller.go:624] quota admission added evaluator", "Type": "AzureDiagnostics"})
		}
	}
	out["azure-diagnostics-az"], _ = json.MarshalIndent(diag, "", "  ")
	out["azure-diagnostics-csv"] = toCSV(diag, []string{"TenantId", "TimeGenerated", "ResourceId", "Category", "ResourceProvider", "log_s", "pod_s", "stream_s", "Type"}, map[string]bool{"TimeGenerated": true})

	var archive bytes.Buffer
	var records []any
	for i, e := range evs {
		r := diagRecord(e, CategoryAudit)
		archive.WriteString(mustJSON(r) + "\n")
		records = append(records, r)
		if i == 0 {
			other := map[string]any{"category": "kube-apiserver", "properties": map[string]any{"log": "I1130 started", "stream": "stderr"},
				"resourceId": strings.ToUpper(clusterID), "time": e["stageTimestamp"]}
			archive.WriteString(mustJSON(other) + "\n")
		}
	}
	out["storage-archive"] = archive.Bytes()
	b1, _ := json.MarshalIndent(map[string]any{"records": records[:3]}, "", "  ")
	b2, _ := json.Marshal(map[string]any{"records": records[3:]})
	out["eventhub"] = append(append(b1, '\n'), b2...)
	return out
}

// readForm sniffs and reads one input as Load does (gzip by magic bytes).
func readForm(t testing.TB, name string, data []byte, obs inventory.AuditObserver) (Kind, Result) {
	t.Helper()
	var r = bytes.NewReader(data)
	br := bufio.NewReaderSize(r, 256<<10)
	if IsGzip(data) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			t.Fatal(err)
		}
		br = bufio.NewReaderSize(zr, 256<<10)
	}
	head, _ := br.Peek(SniffBytes)
	k := Sniff(head)
	return k, Read(br, k, Options{Input: name, Observer: obs})
}

// Every form gives the same event stream as the JSON lines it was
// converted from, with the coverage of its form.
func TestEveryFormSameEvents(t *testing.T) {
	all := forms(t)
	want := &recorder{}
	if k, res := readForm(t, "events.jsonl", all["json-lines"], want); k != Events || len(res.Errors) > 0 || res.Input.Incomplete != "" {
		t.Fatalf("json-lines: kind %v, %+v", k, res)
	}
	if len(want.lines) != 7 {
		t.Fatalf("read %d events from events.jsonl, want 7", len(want.lines))
	}
	wantNoImp := &recorder{noImperson: true}
	_, _ = readForm(t, "events.jsonl", all["json-lines"], wantNoImp)

	tests := []struct {
		form       string
		kind       Kind
		cats       string
		cluster    bool
		skipped    int64
		noImperson bool
	}{
		{"json-lines.gz", Events, "[]", false, 0, false},
		{"event-array", Events, "[]", false, 0, false},
		{"event-list", Events, "[]", false, 0, false},
		{"events-pretty", Events, "[]", false, 0, false},
		{"aks-audit-az", AKSAuditJSON, "[kube-audit]", true, 0, true},
		{"aks-audit-objects", AKSAuditJSON, "[kube-audit]", true, 0, true},
		{"aks-audit-units", AKSAuditJSON, "[kube-audit]", true, 0, true},
		{"aks-audit-admin-az", AKSAuditJSON, "[kube-audit-admin]", true, 0, true},
		{"aks-audit-csv", AKSAuditCSV, "[kube-audit]", true, 0, true},
		{"azure-diagnostics-az", AzureDiagnosticsJSON, "[kube-audit kube-audit-admin]", true, 1, false},
		{"azure-diagnostics-csv", AzureDiagnosticsCSV, "[kube-audit kube-audit-admin]", true, 1, false},
		{"storage-archive", Archive, "[kube-audit]", true, 1, false},
		{"eventhub", EventHub, "[kube-audit]", true, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.form, func(t *testing.T) {
			got := &recorder{noImperson: tc.noImperson}
			k, res := readForm(t, tc.form, all[tc.form], got)
			if k != tc.kind {
				t.Fatalf("kind %v, want %v", k, tc.kind)
			}
			if len(res.Errors) > 0 || res.Input.Incomplete != "" {
				t.Fatalf("errors %+v, incomplete %q", res.Errors, res.Input.Incomplete)
			}
			w := want
			if tc.noImperson {
				w = wantNoImp
			}
			if strings.Join(got.lines, "\n") != strings.Join(w.lines, "\n") {
				t.Errorf("events differ:\n got %s\nwant %s", strings.Join(got.lines, "\n     "), strings.Join(w.lines, "\n     "))
			}
			in := res.Input
			if in.Form != tc.kind.Form() || in.Events != 7 || in.Skipped != tc.skipped || fmt.Sprint(in.Categories) != tc.cats {
				t.Errorf("coverage %+v", in)
			}
			if first, last := in.First.Format(time.RFC3339Nano), in.Last.Truncate(time.Millisecond).Format(time.RFC3339Nano); !strings.HasPrefix(first, "2026-11-30T10:00:00.123") || last != "2026-11-30T10:06:00Z" {
				t.Errorf("range %s .. %s", first, last)
			}
			if tc.cluster != (len(in.ClusterIDs) == 1) || tc.cluster && !strings.EqualFold(in.ClusterIDs[0], clusterID) {
				t.Errorf("cluster IDs %v", in.ClusterIDs)
			}
			for _, ev := range got.events {
				if tc.cluster && !strings.EqualFold(ev.ClusterID, clusterID) || ev.Input != tc.form || ev.Line < 1 {
					t.Errorf("event %s: cluster %q, input %q, line %d", ev.AuditID, ev.ClusterID, ev.Input, ev.Line)
				}
			}
		})
	}
}
