package auditlog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

// A Tally keeps the range, the counts, the categories and a bounded list
// of clusters, and says when the list was cut.
func TestTally(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		clusters   int
		skipped    int
		incomplete string
	}{
		{name: "one cluster", clusters: 1, skipped: 2},
		{name: "as many clusters as listed", clusters: maxClusterIDs},
		{name: "more clusters than listed", clusters: maxClusterIDs + 1, incomplete: "events of more than 64 clusters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := NewTally("log-analytics:ws", inventory.AuditFormLogAnalyticsQuery)
			for i := range tc.clusters {
				ev := &inventory.AuditEvent{Line: i + 3, ClusterID: fmt.Sprintf("/c/%03d", i), Category: CategoryAuditAdmin,
					Received: t0.Add(time.Duration(tc.clusters-i) * time.Minute), StageTime: t0.Add(time.Duration(tc.clusters-i)*time.Minute + time.Second)}
				tl.Event(ev)
			}
			for range tc.skipped {
				tl.Skip()
			}
			in := tl.Input()
			if in.Events != int64(tc.clusters) || in.Skipped != int64(tc.skipped) || in.Line != 3 || len(in.ClusterIDs) != min(tc.clusters, maxClusterIDs) ||
				fmt.Sprint(in.Categories) != "[kube-audit-admin]" || !in.First.Equal(t0.Add(time.Minute)) || !in.Last.Equal(t0.Add(time.Duration(tc.clusters)*time.Minute+time.Second)) {
				t.Errorf("coverage %+v", in)
			}
			if !strings.Contains(in.Incomplete, tc.incomplete) || (tc.incomplete == "") != (in.Incomplete == "") {
				t.Errorf("incomplete %q, want %q", in.Incomplete, tc.incomplete)
			}
		})
	}
}
