package auditlog

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// secret is a value planted in request bodies: no error may quote it.
const secret = "U3VwM3JTM2NyM3RWYWx1ZQ"

func read(t *testing.T, data string, max int) (Kind, Result, *recorder) {
	t.Helper()
	rec := &recorder{}
	br := bufio.NewReaderSize(strings.NewReader(data), 64<<10)
	head, _ := br.Peek(SniffBytes)
	k := Sniff(head)
	return k, Read(br, k, Options{Input: "audit.log", Observer: rec, MaxRecordBytes: max}), rec
}

// Broken records are input errors naming their line, never quoting the
// log, and make the input incomplete; the records after them are read
// unless the structure around them is broken.
func TestBrokenRecords(t *testing.T) {
	events, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(events)), "\n")
	good := lines[0]
	secretLine := lines[1] // a Secret created with its data
	many := good + "\n" + strings.Repeat(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","password":"`+secret+`",`+"\n", 1000) + good + "\n"

	tests := []struct {
		name       string
		data       string
		max        int
		events     int64
		errs       []string // each error: line and part of the message
		incomplete string
	}{
		{name: "a cut record in the middle", data: good + "\n" + secretLine[:len(secretLine)/2] + "\n" + good + "\n", events: 2,
			errs: []string{"2: audit log: invalid JSON at byte"}, incomplete: "1 record(s) could not be read, the first at line 2"},
		{name: "the last record cut", data: good + "\n" + secretLine[:len(secretLine)-40], events: 1,
			errs: []string{"2: audit log: invalid JSON"}, incomplete: "the first at line 2"},
		{name: "a field of the wrong type", data: good + "\n" + strings.Replace(secretLine, `"verb":"create"`, `"verb":["`+secret+`"]`, 1) + "\n", events: 1,
			errs: []string{"2: audit log: verb is a JSON array"}, incomplete: "the first at line 2"},
		{name: "an extra key of the wrong type", data: good + "\n" + strings.Replace(secretLine, `"annotations":{`, `"annotations":{"`+secret+`":1,`, 1) + "\n", events: 1,
			errs: []string{"2: audit log: annotations is a JSON number"}, incomplete: "the first at line 2"},
		{name: "a Kubernetes object among events", data: good + "\n" + `{"apiVersion":"v1","kind":"Secret","data":{"p":"` + secret + `"}}` + "\n", events: 1,
			errs: []string{"2: audit log: not an audit.k8s.io Event"}, incomplete: "the first at line 2"},
		{name: "a bad time", data: strings.Replace(good, `"stageTimestamp":"2026-11-30T10:00:00.145678Z"`, `"stageTimestamp":"`+secret+`"`, 1) + "\n", events: 0,
			errs: []string{"1: audit log: stageTimestamp is not a time"}, incomplete: "the first at line 1"},
		{name: "a thousand broken lines: five listed and a count", data: many, events: 2,
			errs: []string{"2: audit log: invalid JSON", "3: ", "4: ", "5: ", "6: ", "0: audit log: 995 more record(s) could not be read"}, incomplete: "1000 record(s) could not be read, the first at line 2"},
		{name: "a line past the record cap", data: good + "\n" + secretLine + "\n" + good + "\n", max: len(good) + 10, events: 2,
			errs: []string{"2: audit log: a record longer than 0 MiB"}, incomplete: "the first at line 2"},
		{name: "deep JSON", data: good + "\n" + `{"kind":"Event","requestObject":` + strings.Repeat("[", 200000) + "\n" + good + "\n", events: 2,
			errs: []string{"2: audit log: "}, incomplete: "the first at line 2"},
		{name: "an array without its commas ends the input", data: "[" + good + "\n" + good + "\n" + good + "]", events: 1,
			errs: []string{"2: audit log not read to its end: line 2: an array element is not followed by , or ]"}, incomplete: "not read past line 2"},
		{name: "an array cut short", data: "[" + good + ",\n" + good + ",\n" + secretLine[:100], events: 2,
			errs: []string{"3: audit log not read to its end: the input ends inside a record"}, incomplete: "not read past line 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, res, _ := read(t, tc.data, tc.max)
			if k != Events {
				t.Fatalf("kind %v", k)
			}
			if res.Input.Events != tc.events {
				t.Errorf("%d events, want %d", res.Input.Events, tc.events)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Message))
				if strings.Contains(e.Message, secret) || strings.Contains(e.Message, "password") {
					t.Errorf("an error quotes the log: %s", e.Message)
				}
			}
			if len(got) != len(tc.errs) {
				t.Fatalf("errors\n%s\nwant %d", strings.Join(got, "\n"), len(tc.errs))
			}
			for i, w := range tc.errs {
				if !strings.HasPrefix(got[i], w) && !strings.Contains(got[i], w) {
					t.Errorf("error %d %q, want %q", i, got[i], w)
				}
			}
			if !strings.Contains(res.Input.Incomplete, tc.incomplete) || res.Input.Incomplete == "" || strings.Contains(res.Input.Incomplete, secret) {
				t.Errorf("incomplete %q, want %q", res.Input.Incomplete, tc.incomplete)
			}
		})
	}
}

// Records of other categories are skipped and counted, not errors; rows
// that lack what an event needs are errors naming the column, never
// quoting it.
func TestTableRows(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		kind      Kind
		events    int64
		skipped   int64
		errs      []string
		cats      string
		incomplet bool
	}{
		{name: "AzureDiagnostics of other categories", kind: AzureDiagnosticsJSON, skipped: 2, cats: "[]",
			data: `[{"Category":"kube-apiserver","log_s":"` + secret + `"},{"Category":"guard","log_s":"x"}]`},
		{name: "AzureDiagnostics audit row without log_s", kind: AzureDiagnosticsJSON, cats: "[]", incomplet: true,
			data: `[{"Category":"kube-audit","ResourceId":"/x","log_s":null,"Type":"AzureDiagnostics"}]`, errs: []string{"a kube-audit row without log_s"}},
		{name: "AzureDiagnostics log_s not an event", kind: AzureDiagnosticsJSON, cats: "[]", incomplet: true,
			data: `[{"Category":"kube-audit","log_s":"{\"p\": \"` + secret + `\"}"}]`, errs: []string{"log_s: not an audit.k8s.io Event"}},
		{name: "AKSAudit row with a bad dynamic column", kind: AKSAuditJSON, incomplet: true, cats: "[]",
			data: `[{"AuditId":"a","Stage":"ResponseComplete","Verb":"get","Type":"AKSAudit","User":"{\"username\": ` + secret + `"}]`, errs: []string{"column User is not the JSON object"}},
		{name: "AKSAudit row of another table", kind: AKSAuditJSON, incomplet: true, cats: "[]",
			data: `[{"AuditId":"a","Stage":"ResponseComplete","Verb":"get","Type":"ContainerLogV2"}]`, errs: []string{"the Type column names another table"}},
		{name: "AKSAudit rows without Type: category unknown", kind: AKSAuditJSON, events: 1, cats: "[" + CategoryUnknown + "]",
			data: `[{"AuditId":"a","Stage":"ResponseComplete","Verb":"get","TimeGenerated":"2026-11-30T10:00:00Z"}]`},
		{name: "an archive of another category", kind: Archive, skipped: 2, cats: "[]",
			data: `{"category":"kube-apiserver","resourceId":"/X","time":"2026-11-30T10:00:00Z","properties":{"log":"` + secret + `"}}` + "\n" +
				`{"category":"cluster-autoscaler","resourceId":"/X","time":"2026-11-30T10:00:00Z","properties":{"log":"x"}}` + "\n"},
		{name: "a CSV row with another number of columns", kind: AKSAuditCSV, events: 1, cats: "[kube-audit]", incomplet: true,
			data: "AuditId,Stage,Verb,Type,TimeGenerated [UTC]\na,ResponseComplete,get,AKSAudit,\"11/30/2026, 10:00:00.000 AM\"\nb," + secret + "\n", errs: []string{"a row with another number of columns"}},
		{name: "a CSV broken quote ends the input", kind: AKSAuditCSV, events: 1, cats: "[kube-audit]", incomplet: true,
			data: "AuditId,Stage,Verb,Type\na,ResponseComplete,get,AKSAudit\nb,\"" + secret + "\"x,get,AKSAudit\n", errs: []string{"CSV: a broken quote at line 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, res, _ := read(t, tc.data, 0)
			if k != tc.kind {
				t.Fatalf("kind %v, want %v", k, tc.kind)
			}
			in := res.Input
			if in.Events != tc.events || in.Skipped != tc.skipped || fmt.Sprint(in.Categories) != tc.cats || (in.Incomplete != "") != tc.incomplet {
				t.Errorf("coverage %+v", in)
			}
			if len(res.Errors) != len(tc.errs) {
				t.Fatalf("errors %+v, want %q", res.Errors, tc.errs)
			}
			for i, e := range res.Errors {
				if !strings.Contains(e.Message, tc.errs[i]) || strings.Contains(e.Message, secret) {
					t.Errorf("error %q, want %q and no log content", e.Message, tc.errs[i])
				}
			}
		})
	}
}

// Sniff claims the audit forms and nothing else aksguard reads.
func TestSniff(t *testing.T) {
	tests := []struct {
		name, head string
		want       Kind
	}{
		{"an event line cut by the head", `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"x","stage":"ResponseComplete","requestObject":{"data":{"a":"`, Events},
		{"an event without kind", `{"auditID":"x","stage":"ResponseComplete","verb":"get"}`, Events},
		{"a pretty EventList", "{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [", Events},
		{"an array of events", `[{"kind":"Event","apiVersion":"audit.k8s.io/v1"}]`, Events},
		{"an Event Hub body", `{"records": [{"category": "kube-audit"`, EventHub},
		{"a PT1H.json line", `{ "attrs": "{}", "category": "kube-audit-admin", "operationName": "x", "properties": {"log": "{}"}, "resourceId": "/X", "time": "t"}`, Archive},
		{"AKSAudit rows", "[\n  {\n    \"AuditId\": \"x\",\n    \"Verb\": \"get\"", AKSAuditJSON},
		{"AzureDiagnostics rows", `[{"TenantId":"t","Category":"kube-audit","log_s":"{`, AzureDiagnosticsJSON},
		{"AKSAudit CSV", "\ufeffTenantId,TimeGenerated [UTC],AuditId,Verb,Stage\n", AKSAuditCSV},
		{"AzureDiagnostics CSV", "TimeGenerated [UTC],Category,log_s\n", AzureDiagnosticsCSV},
		{"a core v1 Event", `{"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},"reason":"auditID"}`, None},
		{"a Kubernetes list", `{"apiVersion":"v1","kind":"List","items":[{"kind":"Event","apiVersion":"audit.k8s.io/v1"}]}`, None},
		{"az aks show", `{"id":"/subscriptions/s","name":"aks","properties":{}}`, None},
		{"an Activity Log list", `[{"authorization":{},"category":{"value":"Administrative","localizedValue":"Administrative"},"eventTimestamp":"t","properties":{},"resourceId":"/x"}]`, None},
		{"diagnostic settings list", `[{"id":"/x","logs":[{"category":"kube-audit","enabled":true}]}]`, None},
		{"YAML", "apiVersion: audit.k8s.io/v1\nkind: Policy\n", None},
		{"a CSV of something else", "name,log_s\n", None},
		{"empty", " \n", None},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

var _ inventory.AuditObserver = (*recorder)(nil)
