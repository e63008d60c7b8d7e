package engine

import (
	"sync"
	"sync/atomic"
)

// parallel calls f for every item on up to workers goroutines and returns
// the results in the items' order, so the output does not depend on the
// scheduling. With one worker (or one item) it runs in the caller's
// goroutine. A panic in f is raised again in the caller's goroutine once
// the workers have stopped (the first one, by item order), as it would be
// without workers.
func parallel[T, R any](items []T, workers int, f func(T) R) []R {
	out := make([]R, len(items))
	if workers > len(items) {
		workers = len(items)
	}
	if workers <= 1 {
		for i, it := range items {
			out[i] = f(it)
		}
		return out
	}
	panics := make([]any, len(items))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				func() {
					defer func() {
						if v := recover(); v != nil {
							panics[i] = v
						}
					}()
					out[i] = f(items[i])
				}()
			}
		}()
	}
	wg.Wait()
	for _, v := range panics {
		if v != nil {
			panic(v)
		}
	}
	return out
}
