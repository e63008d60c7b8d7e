package loganalytics

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/aksguard/aksguard/internal/inventory"
)

// FuzzAnswer: whatever a query API answers (decoded by the SDK as it
// decodes a real answer), mapping its rows to events neither panics nor
// loses count: every row is an event, skipped, or recorded as not read.
func FuzzAnswer(f *testing.F) {
	f.Add([]byte(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"Verb","type":"string"},{"name":"Stage","type":"string"},{"name":"User","type":"dynamic"},{"name":"Type","type":"string"}],"rows":[["get","ResponseComplete","{\"username\":\"a\"}","AKSAudit"]]}]}`))
	f.Add([]byte(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"Category","type":"string"},{"name":"log_s","type":"string"}],"rows":[["kube-audit","{\"verb\":\"get\"}"],["kube-apiserver","x"],[null,1.5]]}],"error":{"code":"PartialError","message":"m","details":[]}}`))
	f.Add([]byte(`{"tables":[{"columns":[{"name":"User","type":"dynamic"},{"name":"ObjectRef"}],"rows":[[{"username":["x"]},[1,2]],[],[true]]}]}`))
	f.Add([]byte(`{"tables":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var res azquery.Results
		if err := json.Unmarshal(body, &res); err != nil {
			return
		}
		for _, table := range []string{"AKSAudit", tableDiagnostics} {
			r := &run{o: Options{Since: time.Unix(0, 0), Until: time.Unix(3600, 0)}, in: &inventory.AuditInput{}}
			rows := 0
			for _, tb := range res.Tables {
				if tb == nil {
					continue
				}
				cols := columnIndex(tb)
				for _, row := range tb.Rows {
					rows++
					r.emit(source{table: table, category: "kube-audit"}, tableRow{cols: cols, row: row})
				}
			}
			if got := int(r.in.Events+r.in.Skipped) + r.failed; got != rows {
				t.Fatalf("%d rows, %d events + %d skipped + %d not read", rows, r.in.Events, r.in.Skipped, r.failed)
			}
		}
	})
}

// FuzzProbeAnswer: whatever the summary query's answer holds, reading it
// neither panics nor credits a cluster with events the sources read do
// not hold: the per-cluster counts are non-negative, keyed in lower case,
// and add up to the sources' counts.
func FuzzProbeAnswer(f *testing.F) {
	f.Add([]byte(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"SourceTable","type":"string"},{"name":"Category","type":"string"},{"name":"_ResourceId","type":"string"},{"name":"Events","type":"long"},{"name":"Reads","type":"long"},{"name":"First","type":"datetime"},{"name":"Last","type":"datetime"}],"rows":[["AKSAudit","","/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/A",10,4,"2026-11-23T09:00:00Z","2026-11-23T09:30:00Z"],["AKSAuditAdmin","","/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a",3,0,"2026-11-23T09:10:00Z","2026-11-23T09:20:00Z"],["AzureDiagnostics","kube-audit","",-5,"x","bad",null]]}]}`))
	f.Add([]byte(`{"tables":[{"columns":[{"name":"SourceTable"},{"name":"Events"}],"rows":[["AKSAudit","9223372036854775807"],["AKSAudit","9223372036854775807"],[]]},null]}`))
	f.Add([]byte(`{"tables":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var res azquery.Results
		if err := json.Unmarshal(body, &res); err != nil {
			return
		}
		srcs, _, counts, only := probeAnswer(res)
		for s, ids := range only {
			if s.category != "kube-audit-admin" || len(ids) == 0 {
				t.Fatalf("%s restricted to %v", s, ids)
			}
			for _, id := range ids {
				if _, ok := counts[id]; !ok || id == "" {
					t.Fatalf("%s read for %q, which is counted nowhere", s, id)
				}
			}
		}
		var bySource, byCluster inventory.AuditCounts // saturating sums
		for _, s := range srcs {
			bySource.Add(inventory.AuditCounts{Events: s.events, Reads: s.reads})
		}
		for k, c := range counts {
			if k != inventory.AuditClusterKey(k) || c.Events < 0 || c.Reads < 0 {
				t.Fatalf("cluster %q: %+v", k, c)
			}
			byCluster.Add(inventory.AuditCounts{Events: c.Events, Reads: c.Reads})
		}
		if byCluster.Events != bySource.Events || byCluster.Reads != bySource.Reads {
			t.Fatalf("clusters count %+v; sources %+v", byCluster, bySource)
		}
	})
}
