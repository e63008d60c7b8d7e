package check

import (
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// AuditLogScopeName names the scope of audit logs that belong to no cluster
// of the scan and name none themselves (a plain apiserver log in a scan of
// several clusters, or of none).
const AuditLogScopeName = "audit-log"

// AuditScopeResource names the scope audit events (and audit inputs) that
// carry clusterID belong to, so that the audit controls and the engine's
// coverage agree on it:
//
//   - an ID of a cluster of the scan: that cluster (its primary view); an
//     ID whose last segment is the name of exactly one cluster of the scan
//     that has no ARM ID of its own (Terraform, templates): that cluster;
//   - an ID of no cluster of the scan: that cluster, named by the ID's
//     last segment (a scope of its own, without Azure input);
//   - no ID (a plain apiserver log): the only cluster of the scan; else the
//     scan's Kubernetes scope when the scan has no cluster; else the
//     audit logs' own scope (Cluster "audit-log"), which the engine's
//     coverage reports beside the clusters.
func AuditScopeResource(inv *inventory.Inventory, clusterID string) Resource {
	var primaries []*inventory.Cluster
	for _, c := range inv.Clusters {
		if c.Primary == nil {
			primaries = append(primaries, c)
		}
	}
	if clusterID != "" {
		for _, c := range inv.Clusters {
			if strings.EqualFold(c.ID, clusterID) {
				return ClusterResource(c.Same())
			}
		}
		name := clusterID
		if i := strings.LastIndexByte(strings.TrimRight(name, "/"), '/'); i >= 0 {
			name = strings.TrimRight(name, "/")[i+1:]
		}
		var byName []*inventory.Cluster
		for _, c := range primaries {
			if strings.EqualFold(c.Name, name) && !strings.HasPrefix(strings.ToLower(c.ID), "/subscriptions/") {
				byName = append(byName, c)
			}
		}
		if len(byName) == 1 {
			return ClusterResource(byName[0])
		}
		return Resource{Kind: "ManagedCluster", ID: clusterID, Name: name}
	}
	if len(primaries) == 1 {
		return ClusterResource(primaries[0])
	}
	if len(primaries) == 0 && (inv.Kube != nil || inv.Kubernetes) {
		return KubeScopeResource(inv)
	}
	return Resource{Kind: "Cluster", Name: AuditLogScopeName}
}
