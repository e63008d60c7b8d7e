package rbacidx

import (
	"sync"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

// TestForSharedAcrossControls: one index per inventory and evaluation,
// whose grants controls resolve concurrently (run with -race) with the
// answers a fresh index gives.
func TestForSharedAcrossControls(t *testing.T) {
	k := &inventory.Kube{ClusterRoles: []*inventory.Role{
		{Meta: rbacMeta("ClusterRole", "", "reader", map[string]string{"rbac.authorization.k8s.io/aggregate-to-view": "true"}),
			Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"secrets"}}}},
	}}
	ctx := &check.Context{Inv: &inventory.Inventory{Kube: k}}
	x := For(ctx, k)
	if For(ctx, k) != x {
		t.Fatal("For built a second index for the same inventory and evaluation")
	}
	if For(&check.Context{Inv: ctx.Inv}, k) == x {
		t.Fatal("another evaluation shares the index")
	}
	fresh := NewIndex(k)
	var wg sync.WaitGroup
	got := make([][]Grant, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range []string{"view", "edit", "admin", "cluster-admin", "reader"} {
				got[i] = append(got[i], x.Grants(x.clusterRoles[name])...)
			}
		}()
	}
	wg.Wait()
	var want []Grant
	for _, name := range []string{"view", "edit", "admin", "cluster-admin", "reader"} {
		want = append(want, fresh.Grants(fresh.clusterRoles[name])...)
	}
	for i, g := range got {
		if len(g) != len(want) {
			t.Fatalf("goroutine %d: %d grants, want %d", i, len(g), len(want))
		}
		for j := range g {
			if g[j].From.Name != want[j].From.Name || g[j].Index != want[j].Index {
				t.Fatalf("goroutine %d: grant %d from %s/%d, want %s/%d", i, j, g[j].From.Name, g[j].Index, want[j].From.Name, want[j].Index)
			}
		}
	}
}
