package checks_test

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// TestRBA006LiveIsAuthoritative: a live scan lists every namespace, so a
// subject in a namespace it did not see does not exist.
func TestRBA006LiveIsAuthoritative(t *testing.T) {
	const ref = "ServiceAccount ci/deployer"
	for _, live := range []bool{false, true} {
		inv := source.Load([]string{"testdata/rbac"}, source.Options{})
		if live {
			inv.Kube.API = &inventory.APIServer{Server: "https://aks"}
		}
		var got []check.Result
		for _, r := range runOne(t, inv, "AKS-RBA-006") {
			if strings.Contains(r.Message, ref) {
				got = append(got, r)
			}
		}
		want := check.NotAssessed
		if live {
			want = check.Fail
		}
		if len(got) != 1 || got[0].Status != want {
			t.Errorf("live=%v: %+v", live, got)
		}
	}
}

// runOne runs one control the way a scan does, system objects included.
func runOne(t *testing.T, inv *inventory.Inventory, id string) []check.Result {
	t.Helper()
	return engine.Run(inv, engine.Options{Now: mustDate(t, "2026-11-24"), Settings: check.DefaultSettings(),
		Only: map[string]bool{id: true}, IncludeSystem: true})
}
