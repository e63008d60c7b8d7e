// Package lawtest is a local HTTPS server answering like the Log Analytics
// query API, for the tests of the live audit-log read: it holds rows of the
// tables and answers the SDK's queries with them (see Workspace).
package lawtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
)

// Workspace is a local HTTPS server answering like the Log Analytics query
// API (POST /v1/workspaces/{id}/query; body {"query", "timespan"}; answer
// {"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}, a
// PartialError beside the tables, OneAPI errors, 429 with Retry-After:
// Azure Monitor's "Log Analytics API response format" and "errors" pages).
// It holds rows of the tables and answers a query with the rows of its
// first table inside the timespan and of the clusters the query names
// (`| where _ResourceId in~ (…)`, case-insensitive), up to the query's
// take; it does not evaluate the KQL filter (Filter's own tests do).
// The summary query counts per table, category and _ResourceId.
type Workspace struct {
	ID    string
	Token string
	mu    sync.Mutex
	Rows  map[string][]map[string]any // table → rows (column → value)
	// Faults, consumed in order, one per query: "" (none), "429", "403",
	// "partial", "too-large".
	Faults  []string
	Queries []string
	Spans   []string
	// Keep, when set, stands for the query's filter: an events query
	// returns only the rows it keeps (the summary query counts them all),
	// as the workspace does with the KQL the query carries.
	Keep func(table string, row map[string]any) bool
}

var (
	takeRe    = regexp.MustCompile(`\| take (\d+)\s*$`)
	clusterRe = regexp.MustCompile(`\| where _ResourceId in~ \(([^)]*)\)`)
)

// clusterIn is the query's restriction to clusters: whether a row is of
// one of them (every row when the query names none).
func clusterIn(query string) func(map[string]any) bool {
	m := clusterRe.FindStringSubmatch(query)
	if m == nil {
		return func(map[string]any) bool { return true }
	}
	ids := map[string]bool{}
	for _, q := range strings.Split(m[1], ", ") {
		id, err := strconv.Unquote(q)
		if err != nil {
			return func(map[string]any) bool { return false }
		}
		ids[strings.ToLower(id)] = true
	}
	return func(row map[string]any) bool {
		id, _ := row["_ResourceId"].(string)
		return ids[strings.ToLower(id)]
	}
}

func (w *Workspace) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	path := "/v1/workspaces/" + w.ID + "/query"
	if strings.HasPrefix(w.ID, "/") {
		path = "/v1" + w.ID + "/query" // the resource-centric endpoint
	}
	if r.Method != http.MethodPost || r.URL.Path != path {
		oneAPIError(rw, 404, "PathNotFoundError", "The requested path does not exist")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+w.Token {
		oneAPIError(rw, 401, "AuthorizationRequiredError", "Valid authentication was not provided")
		return
	}
	var body struct{ Query, Timespan string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		oneAPIError(rw, 400, "BadArgumentError", "The request had some invalid properties")
		return
	}
	w.Queries = append(w.Queries, body.Query)
	w.Spans = append(w.Spans, body.Timespan)
	fault := ""
	if len(w.Faults) > 0 {
		fault, w.Faults = w.Faults[0], w.Faults[1:]
	}
	switch fault {
	case "429":
		rw.Header().Set("Retry-After", "1")
		oneAPIError(rw, 429, "ThrottledError", "Your request was throttled")
		return
	case "403":
		oneAPIError(rw, 403, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation")
		return
	}
	parts := strings.SplitN(body.Timespan, "/", 2)
	from, _ := time.Parse(time.RFC3339Nano, parts[0])
	to, _ := time.Parse(time.RFC3339Nano, parts[1])
	ofCluster := clusterIn(body.Query)
	in := func(row map[string]any) bool {
		t, _ := time.Parse(time.RFC3339Nano, row["TimeGenerated"].(string))
		return !t.Before(from) && t.Before(to) && ofCluster(row)
	}
	var ans map[string]any
	if strings.Contains(body.Query, "summarize Events") {
		ans = w.probe(in)
	} else {
		table := strings.TrimSpace(strings.SplitN(body.Query, "\n", 2)[0])
		var cols []string
		var rows [][]any
		limit := -1
		if m := takeRe.FindStringSubmatch(body.Query); m != nil {
			limit, _ = strconv.Atoi(m[1])
		}
		for _, row := range w.Rows[table] {
			if !in(row) || (table == "AzureDiagnostics" && !strings.Contains(body.Query, `Category == "`+row["Category"].(string)+`"`)) {
				continue
			}
			if w.Keep != nil && !w.Keep(table, row) {
				continue
			}
			if cols == nil {
				for c := range row {
					cols = append(cols, c)
				}
				sort.Strings(cols)
			}
			if limit >= 0 && len(rows) == limit {
				break
			}
			r := make([]any, len(cols))
			for i, c := range cols {
				r[i] = row[c]
			}
			rows = append(rows, r)
		}
		ans = map[string]any{"tables": []any{table1(cols, rows)}}
	}
	switch fault {
	case "partial":
		ans["error"] = partialError("Query execution has exceeded the allowed limits", "ServiceError")
	case "too-large":
		ans["error"] = partialError("Query result set has exceeded the internal data size limit 8388608 bytes", "E_QUERY_RESULT_SET_TOO_LARGE")
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(rw).Encode(ans)
}

func (w *Workspace) probe(in func(map[string]any) bool) map[string]any {
	type key struct{ table, cat, id string }
	type agg struct {
		n, reads    int
		first, last string
	}
	sums := map[key]*agg{}
	for table, rows := range w.Rows {
		for _, row := range rows {
			if !in(row) {
				continue
			}
			cat, _ := row["Category"].(string)
			id, _ := row["_ResourceId"].(string)
			k := key{table, cat, id}
			a := sums[k]
			tg := row["TimeGenerated"].(string)
			if a == nil {
				a = &agg{first: tg, last: tg}
				sums[k] = a
			}
			verb, _ := row["Verb"].(string)
			stage, _ := row["Stage"].(string)
			if l, ok := row["log_s"].(string); ok {
				var ev struct{ Verb, Stage string }
				_ = json.Unmarshal([]byte(l), &ev)
				verb, stage = ev.Verb, ev.Stage
			}
			// The summary counts the final stage's events only.
			if stage == "" || stage == "ResponseComplete" || stage == "Panic" {
				a.n++
				if verb == "get" || verb == "list" || verb == "watch" {
					a.reads++
				}
			}
			if tg < a.first {
				a.first = tg
			}
			if tg > a.last {
				a.last = tg
			}
		}
	}
	var rows [][]any
	for k, a := range sums {
		rows = append(rows, []any{k.table, k.cat, k.id, a.n, a.reads, a.first, a.last})
	}
	return map[string]any{"tables": []any{map[string]any{"name": "PrimaryResult",
		"columns": []any{col("SourceTable", "string"), col("Category", "string"), col("_ResourceId", "string"),
			col("Events", "long"), col("Reads", "long"), col("First", "datetime"), col("Last", "datetime")}, "rows": rows}}}
}

func col(name, typ string) map[string]any { return map[string]any{"name": name, "type": typ} }

var columnTypes = map[string]string{"TimeGenerated": "datetime", "RequestReceivedTime": "datetime", "StageReceivedTime": "datetime",
	"User": "dynamic", "SourceIps": "dynamic", "ObjectRef": "dynamic", "ResponseStatus": "dynamic", "RequestObject": "dynamic",
	"ResponseObject": "dynamic", "Annotations": "dynamic"}

func table1(cols []string, rows [][]any) map[string]any {
	cs := []any{}
	for _, c := range cols {
		t := columnTypes[c]
		if t == "" {
			t = "string"
		}
		cs = append(cs, col(c, t))
	}
	if rows == nil {
		rows = [][]any{}
	}
	return map[string]any{"name": "PrimaryResult", "columns": cs, "rows": rows}
}

func oneAPIError(rw http.ResponseWriter, status int, code, msg string) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"error": map[string]any{"message": msg, "code": code,
		"correlationId": "a1b2c3d4-0000-4000-8000-000000000000"}})
}

func partialError(msg, inner string) map[string]any {
	return map[string]any{"message": "There were some errors when processing your query.", "code": "PartialError",
		"details": []any{map[string]any{"code": "EngineError", "message": msg, "innererror": map[string]any{"code": inner}}}}
}

// StaticToken is the credential of the tests.
type StaticToken string

func (s StaticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Start serves w and returns the SDK client options that point the logs
// query client at it (and the credential to use).
func Start(t testing.TB, w *Workspace) (azcore.TokenCredential, *azquery.LogsClientOptions) {
	t.Helper()
	srv := httptest.NewTLSServer(w)
	t.Cleanup(srv.Close)
	return StaticToken(w.Token), &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: srv.URL + "/v1", Audience: "https://api.loganalytics.io"}}},
		Transport: srv.Client(),
		Retry:     policy.RetryOptions{MaxRetries: 2, RetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Second},
	}}
}

// Cluster is the cluster the rows name.
const Cluster = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod"

func jsonText(v any) any {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// AKSAuditRow is an event as a row of AKSAudit / AKSAuditAdmin (Azure
// Monitor's table reference: dynamic columns as JSON text).
func AKSAuditRow(ev map[string]any, table string) map[string]any {
	return map[string]any{"TenantId": "11111111-2222-3333-4444-555555555555", "TimeGenerated": ev["stageTimestamp"],
		"AuditId": ev["auditID"], "Stage": ev["stage"], "Level": ev["level"], "Verb": ev["verb"], "RequestUri": ev["requestURI"],
		"UserAgent": ev["userAgent"], "User": jsonText(ev["user"]), "SourceIps": jsonText(ev["sourceIPs"]),
		"ObjectRef": jsonText(ev["objectRef"]), "ResponseStatus": jsonText(ev["responseStatus"]),
		"RequestObject": jsonText(ev["requestObject"]), "ResponseObject": jsonText(ev["responseObject"]),
		"Annotations": jsonText(ev["annotations"]), "RequestReceivedTime": ev["requestReceivedTimestamp"],
		"StageReceivedTime": ev["stageTimestamp"], "PodName": "kube-apiserver-7b9c8d-abcde", "SourceSystem": "Azure",
		"_ResourceId": strings.ToLower(Cluster), "Type": table}
}

// DiagnosticsRow is an event as an AzureDiagnostics row (the event in
// log_s).
func DiagnosticsRow(ev map[string]any, category string) map[string]any {
	return map[string]any{"TenantId": "11111111-2222-3333-4444-555555555555", "TimeGenerated": ev["stageTimestamp"],
		"ResourceId": strings.ToUpper(Cluster), "_ResourceId": strings.ToLower(Cluster), "Category": category,
		"ResourceProvider": "MICROSOFT.CONTAINERSERVICE", "log_s": jsonText(ev), "pod_s": "kube-apiserver-7b9c8d-abcde",
		"stream_s": "stdout", "Type": "AzureDiagnostics"}
}
