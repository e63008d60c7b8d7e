package scan

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/source/azure"
)

// clusterSummaries gives each cluster of a fleet scan its line: failures by
// severity and not-assessed results on the cluster and its pools, or why it
// could not be scanned.
func clusterSummaries(reads []*azure.Read, results []check.Result) []report.ClusterSummary {
	out := make([]report.ClusterSummary, 0, len(reads))
	index := map[string]int{}
	for _, r := range reads {
		id := r.ID
		if r.Cluster != nil && r.Cluster.ID != "" {
			id = r.Cluster.ID
		}
		s := report.ClusterSummary{ID: id, Name: id[strings.LastIndexByte(id, '/')+1:],
			Fail: map[string]int{"critical": 0, "high": 0, "medium": 0, "low": 0}}
		if r.Err != nil {
			s.Error = readReason(r.Err)
		} else {
			index[strings.ToLower(id)] = len(out)
		}
		out = append(out, s)
	}
	for _, res := range results {
		id := strings.ToLower(res.Resource.ID)
		if i := strings.Index(id, "/agentpools/"); i >= 0 {
			id = id[:i]
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		switch res.Status {
		case check.Fail:
			out[i].Fail[res.Severity.String()]++
		case check.NotAssessed:
			out[i].NotAssessed++
		}
	}
	return out
}
