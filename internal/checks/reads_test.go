package checks_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// connectionOnly controls judge the live connection (certificates,
// kubeconfig), not objects.
var connectionOnly = map[string]bool{"AKS-IDN-006": true, "AKS-IDN-007": true}

// readsCorpus holds objects of every collection, so that taking one away
// changes the verdict of every control that reads it.
var readsCorpus = []string{
	"testdata/admission", "testdata/corpus-net", "testdata/corpus-rbac", "testdata/dashboard",
	"testdata/mixed", "testdata/namespaces", "testdata/netpol", "testdata/rbac", "testdata/services", "testdata/workloads",
	"../../examples/insecure",
}

// TestReadsDeclared proves each Kubernetes control declares every
// collection it reads (check.Control.Reads): emptying a collection it does
// not declare must leave its results unchanged. An undeclared read would let
// a live scan that could not list that collection judge from part of the
// cluster instead of saying not-assessed.
func TestReadsDeclared(t *testing.T) {
	inv := source.Load(readsCorpus, source.Options{})
	if inv.Kube == nil || len(inv.Kube.Workloads) == 0 {
		t.Fatal("corpus has no Kubernetes objects")
	}
	k := inv.Kube
	declareNamespaces(k)
	read := map[string]bool{}
	for _, c := range check.All() {
		for _, col := range c.Reads {
			read[col] = true
		}
	}
	for _, col := range inventory.AllCollections {
		if read[col] && empty(k.Without(col), k) {
			t.Errorf("corpus has no %s: add some so the test can see who reads them", col)
		}
	}
	now := mustDate(t, "2026-11-24")
	for _, c := range check.All() {
		if !slices.Contains(c.Inputs, check.K8S) {
			if len(c.Reads) > 0 {
				t.Errorf("%s declares Reads but has no K8S input", c.ID)
			}
			continue
		}
		if len(c.Reads) == 0 && !connectionOnly[c.ID] {
			t.Errorf("%s reads Kubernetes objects but declares no Reads", c.ID)
		}
		opts := engine.Options{Now: now, Only: map[string]bool{c.ID: true}, IncludeSystem: true, Settings: check.DefaultSettings()}
		base := resultsJSON(t, engine.Run(inv, opts))
		for _, col := range inventory.AllCollections {
			if slices.Contains(c.Reads, col) {
				continue
			}
			cp := *inv
			cp.Kube = k.Without(col)
			if got := resultsJSON(t, engine.Run(&cp, opts)); got != base {
				t.Errorf("%s reads %s but does not declare it in Reads", c.ID, col)
			}
		}
	}
}

// TestUnreadMakesNotAssessed: a collection a live scan could not read turns
// exactly the controls that read it into one not-assessed result naming
// the reason, and leaves the others alone.
func TestUnreadMakesNotAssessed(t *testing.T) {
	inv := source.Load([]string{"testdata/rbac", "testdata/workloads"}, source.Options{})
	const why = "forbidden: the identity may not list secrets cluster-wide (grant get/list on secrets, see deploy/rbac.yaml)"
	inv.Kube.MarkUnread(inventory.ColSecrets, why)
	rs := engine.Run(inv, engine.Options{Now: mustDate(t, "2026-11-24"), Settings: check.DefaultSettings()})
	by := map[string][]check.Result{}
	for _, r := range rs {
		by[r.Control] = append(by[r.Control], r)
	}
	for _, c := range check.All() {
		got := by[c.ID]
		if slices.Contains(c.Reads, inventory.ColSecrets) {
			if len(got) != 1 || got[0].Status != check.NotAssessed || !contains(got[0].Message, why) {
				t.Errorf("%s reads secrets: want one not-assessed naming the reason, got %+v", c.ID, got)
			}
			continue
		}
		for _, r := range got {
			if r.Status == check.NotAssessed && contains(r.Message, why) {
				t.Errorf("%s does not read secrets but was made not-assessed", c.ID)
			}
		}
	}
}

// declareNamespaces adds a Namespace object for every namespace an object
// lives in, as a live cluster has: then no control learns of a namespace
// only from the objects in it.
func declareNamespaces(k *inventory.Kube) {
	have := map[string]bool{}
	for _, n := range k.Namespaces {
		have[n.Name] = true
	}
	k.EachObject(func(m *inventory.Meta) {
		ns := m.EffectiveNamespace()
		if m.ClusterScoped || have[ns] {
			return
		}
		have[ns] = true
		k.Namespaces = append(k.Namespaces, &inventory.Namespace{Meta: inventory.Meta{APIVersion: "v1", Kind: "Namespace", Name: ns, ClusterScoped: true}})
	})
}

// TestUnreadOnTheManagedCluster: with the cluster's Azure input in the
// scan, a control that could not be run lands on that cluster, like its
// other results.
func TestUnreadOnTheManagedCluster(t *testing.T) {
	inv := source.Load([]string{"../../examples/insecure/aks-shop-prod.json", "testdata/rbac"}, source.Options{})
	inv.Kube.MarkUnread(inventory.ColSecrets, "forbidden")
	rs := runOne(t, inv, "AKS-IDN-005")
	if len(rs) != 1 || rs[0].Status != check.NotAssessed || rs[0].Resource.Kind != "Cluster" || rs[0].Resource.Name != "aks-shop-prod" {
		t.Fatalf("got %+v", rs)
	}
}

func empty(without, k *inventory.Kube) bool {
	a, _ := json.Marshal(without)
	b, _ := json.Marshal(k)
	return string(a) == string(b)
}

func resultsJSON(t *testing.T, rs []check.Result) string {
	t.Helper()
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
