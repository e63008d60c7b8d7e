package azure

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

// FleetOptions tune ReadClusters.
type FleetOptions struct {
	Options
	// Parallel bounds how many clusters are read at once (default 4).
	Parallel int
	// Timeout bounds the read of one cluster (0: none).
	Timeout time.Duration
	// Progress, when set, is called after each cluster with the number done
	// and the total (from the reading goroutines, one call at a time).
	Progress func(done, total int)
}

// ReadClusters reads clusters concurrently, at most Parallel at a time. One
// cluster that cannot be read (403, 404, timeout) never stops the others:
// its Read carries the error. Reads come back in the order of ids.
func (c *Client) ReadClusters(ctx context.Context, ids []string, opts FleetOptions) []*Read {
	n := opts.Parallel
	if n <= 0 {
		n = 4
	}
	reads := make([]*Read, len(ids))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cctx, cancel := ctx, context.CancelFunc(func() {})
			if opts.Timeout > 0 {
				cctx, cancel = context.WithTimeout(ctx, opts.Timeout)
			}
			reads[i] = c.ReadCluster(cctx, id, opts.Options)
			cancel()
			mu.Lock()
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(ids))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return reads
}

// Batches returns the batches of all reads for source.Options.Live, with
// registries shared by several clusters kept once.
func Batches(reads []*Read) []*inventory.Batch {
	var out []*inventory.Batch
	seen := map[string]bool{}
	for _, r := range reads {
		for _, b := range r.Batches {
			if len(b.Registries) > 0 {
				kept := make([]*inventory.Registry, 0, len(b.Registries))
				for _, reg := range b.Registries {
					k := strings.ToLower(reg.ID)
					if k != "" && seen[k] {
						continue
					}
					seen[k] = true
					kept = append(kept, reg)
				}
				b.Registries = kept
			}
			out = append(out, b)
		}
	}
	return out
}
