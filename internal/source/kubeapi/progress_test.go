package kubeapi_test

import (
	"sync"
	"testing"

	"github.com/aksguard/aksguard/internal/source/kubeapi"
	"github.com/aksguard/aksguard/internal/testkube"
)

// TestReadProgress: against the real API server, Options.Progress hears of
// every kind listed once, counting 1 to the number of kinds.
func TestReadProgress(t *testing.T) {
	cfg := testkube.Config(t)
	var mu sync.Mutex
	seen := map[int]bool{}
	totals := map[int]bool{}
	readLive(t, cfg, kubeapi.Options{Progress: func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if seen[done] {
			t.Errorf("done %d reported twice", done)
		}
		seen[done] = true
		totals[total] = true
	}})
	if len(totals) != 1 {
		t.Fatalf("totals %v, want one", totals)
	}
	for total := range totals {
		if total < 10 || len(seen) != total {
			t.Fatalf("%d calls for %d kinds", len(seen), total)
		}
		for i := 1; i <= total; i++ {
			if !seen[i] {
				t.Errorf("done %d never reported", i)
			}
		}
	}
}
