package audit

import (
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// BenchmarkObserveOrdinary streams ordinary events (the 95 % of a real
// log: gets, lists, watches of system components and users from the
// cluster's egress) through the observers of all ten controls, as the
// scan's fan-out does.
func BenchmarkObserveOrdinary(b *testing.B) {
	var obs []inventory.AuditObserver
	for _, c := range Controls() {
		obs = append(obs, c.Audit(check.DefaultSettings()))
	}
	evs := []inventory.AuditEvent{
		ev("system:node:aks-nodepool1-0", "get", "nodes", "", "", "aks-nodepool1-0", 200, ips("20.50.1.1")),
		ev("system:serviceaccount:kube-system:coredns", "watch", "endpointslices", "", "", "", 200, apiGroup("discovery.k8s.io")),
		ev("alice@contoso.com", "list", "pods", "", "shop", "", 200, ips("203.0.113.10")),
		ev("system:kube-controller-manager", "update", "leases", "", "kube-system", "kube-controller-manager", 200, apiGroup("coordination.k8s.io")),
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		e := &evs[i%len(evs)]
		for _, o := range obs {
			o.Observe(e)
		}
	}
}
