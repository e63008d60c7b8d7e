package check

import (
	"sync"
	"sync/atomic"
	"testing"
)

type memoKey struct{ n int }

// TestMemoOncePerKey calls Memo from many goroutines at once: each key's
// value is computed once and every caller gets it, and a builder may call
// Memo with another key while its own is being computed.
func TestMemoOncePerKey(t *testing.T) {
	tests := []struct {
		name    string
		callers int
		keys    int
		nested  bool
	}{
		{"one key", 32, 1, false},
		{"many keys", 32, 8, false},
		{"builder memoises another key", 32, 8, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := &Context{}
			var calls [16]atomic.Int32
			build := func(k int) any {
				calls[k].Add(1)
				if tt.nested {
					inner := ctx.Memo(memoKey{k + 8}, func() any { calls[k+8].Add(1); return k + 8 }).(int)
					return k*100 + inner
				}
				return k * 100
			}
			var wg sync.WaitGroup
			got := make([]int, tt.callers)
			for i := range tt.callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					k := i % tt.keys
					got[i] = ctx.Memo(memoKey{k}, func() any { return build(k) }).(int)
				}()
			}
			wg.Wait()
			for i, v := range got {
				k := i % tt.keys
				want := k * 100
				if tt.nested {
					want += k + 8
				}
				if v != want {
					t.Errorf("caller %d: %d, want %d", i, v, want)
				}
			}
			for k := range calls {
				want := int32(0)
				if k < tt.keys || (tt.nested && k >= 8 && k < 8+tt.keys) {
					want = 1
				}
				if n := calls[k].Load(); n != want {
					t.Errorf("key %d computed %d times, want %d", k, n, want)
				}
			}
		})
	}
}
