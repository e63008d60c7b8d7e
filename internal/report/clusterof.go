package report

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// resultClusterOf names the cluster a result on a cluster, one of its
// pools, or a cluster-wide Kubernetes result of a scanned cluster (kind
// Cluster with the cluster's ID) is about: the cluster's name (a pool's
// "cluster/pool" cut at the last slash) and resource ID (a pool's cut
// before /agentPools/). ok is false for results on anything else. The
// table's groups and the HTML page's cluster filter place results by it.
func resultClusterOf(res check.Resource) (name, id string, ok bool) {
	if res.Kind != "ManagedCluster" && res.Kind != "AgentPool" && (res.Kind != "Cluster" || res.ID == "") {
		return "", "", false
	}
	name, id = res.Name, res.ID
	if res.Kind == "AgentPool" {
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[:i]
		}
		if i := indexFold(id, "/agentpools/"); i >= 0 {
			id = id[:i]
		}
	}
	return name, id, true
}
