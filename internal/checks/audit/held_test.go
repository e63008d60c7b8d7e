package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestPrefilteredSourceCounts: a pre-filtered input (only candidates
// streamed) is judged by the counts of its source, never by its
// candidates alone.
func TestPrefilteredSourceCounts(t *testing.T) {
	const other = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-other"
	pre := func(events, reads int64, clusters ...string) inventory.AuditInput {
		in := input("kube-audit")
		in.Input, in.Form, in.Events = "log-analytics:ws", inventory.AuditFormLogAnalyticsQuery, 0
		in.Prefiltered, in.SourceEvents, in.SourceReads, in.ClusterIDs = true, events, reads, clusters
		return in
	}
	// byCluster is an input of both clusters with per-cluster counts
	// (the workspace read): this cluster's, keyed in lower case, and the
	// other's, which held reads.
	byCluster := func(mine *inventory.AuditCounts) inventory.AuditInput {
		in := pre(900, 600, clusterID, other)
		in.SourceByCluster = map[string]inventory.AuditCounts{
			strings.ToLower(other): {Events: 500, Reads: 500, First: t0, Last: t0.Add(time.Hour)}}
		if mine != nil {
			in.SourceByCluster[strings.ToLower(clusterID)] = *mine
		}
		return in
	}
	own := func(events, reads int64) *inventory.AuditCounts {
		return &inventory.AuditCounts{Events: events, Reads: reads, First: t0.Add(10 * time.Minute), Last: t0.Add(20 * time.Minute)}
	}
	secretsRead := ev("bob@contoso.com", "get", "secrets", "", "shop", "db", 200)
	write := ev("bob@contoso.com", "create", "pods", "", "shop", "web", 201)
	for _, tc := range []struct {
		name string
		c    *check.Control
		evs  []inventory.AuditEvent
		in   inventory.AuditInput
		want string // status and a part of the message
	}{
		{"no candidate, the source held reads: pass over the range", aud003, nil, pre(500, 400, clusterID),
			"pass: the audit logs from 2026-11-30T10:00:00Z to 2026-11-30T11:00:00Z hold no get, list or watch of Secrets"},
		{"no candidate, the source held no read: not-assessed", aud003, nil, pre(500, 0, clusterID),
			"not-assessed: the audit logs cannot show this: the logs hold no get, list or watch event at all"},
		{"no candidate, the source held nothing", aud002, nil, pre(0, 0, clusterID),
			"not-assessed: the audit logs cannot show this: the audit logs of this cluster hold no events"},
		{"no candidate of a write control, the source held events: pass", aud002, nil, pre(500, 0, clusterID),
			"pass: the audit logs from"},
		{"a candidate is judged as always", aud003, []inventory.AuditEvent{secretsRead}, pre(500, 400, clusterID),
			"fail: user bob@contoso.com: read Secrets in namespace shop, once"},
		{"reads counted over two clusters: not this cluster's", aud009, []inventory.AuditEvent{write}, pre(500, 400, clusterID, other),
			"not-assessed: the audit logs cannot show this: the workspace counted get, list and watch events of several clusters together (log-analytics:ws)"},
		{"events counted over two clusters, no candidate of this one", aud002, nil, pre(500, 400, clusterID, other),
			"not-assessed: the audit logs cannot show this: the workspace counted the audit events of several clusters together (log-analytics:ws), so whether this cluster's logs hold any is not known: scan the cluster alone live"},
		{"events counted over two clusters, a candidate of this one: a write control passes", aud002, []inventory.AuditEvent{write}, pre(500, 0, clusterID, other),
			"pass: the audit logs from"},
		{"no candidate, the source held only early-stage events (counted 0)", aud002, nil, pre(0, 0, clusterID),
			"not-assessed: the audit logs cannot show this: the audit logs of this cluster hold no events"},
		{"reads counted over two clusters, a candidate read of this one: pass", aud009, []inventory.AuditEvent{secretsRead}, pre(500, 400, clusterID, other),
			"pass: the audit logs from"},
		{"per-cluster counts: the cluster's own reads, over its own range", aud003, nil, byCluster(own(400, 300)),
			"pass: the audit logs from 2026-11-30T10:10:00Z to 2026-11-30T10:20:00Z hold no get, list or watch of Secrets"},
		{"per-cluster counts: the cluster held no read, the other did", aud003, nil, byCluster(own(400, 0)),
			"not-assessed: the audit logs cannot show this: the logs hold no get, list or watch event at all"},
		{"per-cluster counts: the cluster held nothing, the other did", aud002, nil, byCluster(nil),
			"not-assessed: the audit logs cannot show this: the audit logs of this cluster hold no events"},
		{"per-cluster counts: only early-stage events of this cluster (counted 0)", aud002, nil, byCluster(own(0, 0)),
			"not-assessed: the audit logs cannot show this: the audit logs of this cluster hold no events"},
		{"per-cluster counts: a candidate is judged as always", aud003, []inventory.AuditEvent{secretsRead}, byCluster(own(400, 300)),
			"fail: user bob@contoso.com: read Secrets in namespace shop, once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := judge(tc.c, check.DefaultSettings(), tc.evs, []inventory.AuditInput{tc.in}, cluster())
			var mine []check.Result
			for _, r := range rs {
				if r.Resource.ID == clusterID {
					mine = append(mine, r)
				}
			}
			if got := summary(mine); len(mine) != 1 || !strings.HasPrefix(got, tc.want) {
				t.Errorf("got\n%s\nwant a result starting %q", got, tc.want)
			}
		})
	}
}
