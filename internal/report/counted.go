package report

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// ControlScope is one control on one cluster: Cluster is ClusterOf a
// result ("" for results that name no cluster: Kubernetes objects,
// registries).
type ControlScope struct {
	Control, Cluster string
}

// Counted is how many pass and not-applicable results of one control on
// one cluster the engine counted instead of keeping (engine
// Options.CountPassed), so views that judge per control (frameworks) see
// them.
type Counted struct {
	Pass, NotApplicable int
}

// ClusterOf names the cluster a result is about: the cluster's resource ID
// (an agent pool's ID cut before /agentPools/), else its name (an agent
// pool's "cluster/pool" cut at the last slash); "" for results on anything
// else (Kubernetes objects, registries), which no cluster owns in the report.
func ClusterOf(res check.Result) string {
	r := res.Resource
	switch r.Kind {
	case "ManagedCluster", "Cluster":
		if r.ID != "" {
			return r.ID
		}
		if r.Kind == "Cluster" {
			return "" // the Kubernetes input of no cluster
		}
		return r.Name
	case "AgentPool":
		if i := indexFold(r.ID, "/agentpools/"); i >= 0 {
			return r.ID[:i]
		}
		if i := strings.LastIndexByte(r.Name, '/'); i >= 0 {
			return r.Name[:i]
		}
	}
	return ""
}

// indexFold is strings.Index ignoring ASCII case, without allocating.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
