package azure_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/source/azure"
	"github.com/aksguard/aksguard/internal/source/azure/armtest"
)

func TestListClustersFollowsSkipToken(t *testing.T) {
	srv := armtest.New(t)
	ids, err := srv.NewClient(t, nil).ListClusters(context.Background(), []string{armtest.Subscription})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, id := range ids {
		names = append(names, id[strings.LastIndexByte(id, '/')+1:])
	}
	if strings.Join(names, ",") != "aks-a,aks-b,aks-c,aks-d,aks-e" {
		t.Errorf("clusters %v", names)
	}
	if n := srv.Count("/providers/Microsoft.ResourceGraph/resources"); n != 2 {
		t.Errorf("Resource Graph requests: %d, want 2 pages", n)
	}
}

func TestListClustersForbidden(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/providers/Microsoft.ResourceGraph/resources", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	_, err := srv.NewClient(t, nil).ListClusters(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "Resource Graph") || !strings.Contains(err.Error(), "403") {
		t.Fatalf("error %v", err)
	}
}

func TestReadClustersBoundedAndIsolated(t *testing.T) {
	srv := armtest.New(t)
	srv.Delay = 15 * time.Millisecond
	c := srv.NewClient(t, nil)
	ids, err := c.ListClusters(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.On(armtest.Rule{Suffix: "/managedClusters/aks-c", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	srv.On(armtest.Rule{Suffix: "/managedClusters/aks-d", Status: http.StatusNotFound, Code: "ResourceNotFound"})
	var calls atomic.Int32
	reads := c.ReadClusters(context.Background(), ids, azure.FleetOptions{Parallel: 2, Progress: func(done, total int) {
		calls.Add(1)
		if total != 5 || done < 1 || done > 5 {
			t.Errorf("progress %d/%d", done, total)
		}
	}})
	if calls.Load() != 5 {
		t.Errorf("progress calls: %d", calls.Load())
	}
	if m := srv.MaxInflight(); m > 2 || m < 2 {
		t.Errorf("max requests in flight: %d, want 2 (--parallel 2)", m)
	}
	failed := map[string]string{}
	for _, r := range reads {
		if r.Err != nil {
			failed[r.ID[strings.LastIndexByte(r.ID, '/')+1:]] = r.Err.Error()
		}
	}
	if len(failed) != 2 || !strings.Contains(failed["aks-c"], "Microsoft.ContainerService/managedClusters/read") || !strings.Contains(failed["aks-d"], "az aks list") {
		t.Errorf("failed clusters: %v", failed)
	}
	inv, by := evaluate(t, azure.Batches(reads))
	if len(inv.Clusters) != 3 || len(inv.Errors) > 0 {
		t.Errorf("clusters %d, errors %v", len(inv.Clusters), inv.Errors)
	}
	if len(inv.Registries) != 1 {
		t.Errorf("a registry shared by the clusters should be kept once: %d", len(inv.Registries))
	}
	if n := len(by["AKS-MON-003"]); n != 3 {
		t.Errorf("AKS-MON-003 results: %d, want one per scanned cluster", n)
	}
}

func TestReadClustersTimeout(t *testing.T) {
	srv := armtest.New(t)
	c := srv.NewClient(t, nil)
	ids, err := c.ListClusters(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// aks-e hangs far longer than the per-cluster timeout; without the
	// timeout its read would succeed (late) and the test fails on Err. The
	// timeout is generous so that the other clusters' reads finish within it
	// on a saturated machine too.
	srv.On(armtest.Rule{Suffix: "/managedClusters/aks-e", Delay: 5 * time.Minute})
	reads := c.ReadClusters(context.Background(), ids, azure.FleetOptions{Parallel: 5, Timeout: 3 * time.Second})
	for _, r := range reads {
		hung := strings.HasSuffix(r.ID, "/aks-e")
		switch {
		case hung && (r.Err == nil || !strings.Contains(r.Err.Error(), "timed out")):
			t.Errorf("aks-e: %v", r.Err)
		case !hung && r.Err != nil:
			t.Errorf("%s: %v", r.ID, r.Err)
		}
	}
}
