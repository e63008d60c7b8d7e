package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// baseMemoryLimit is the soft memory limit (Go's accounting: heap, stacks,
// runtime metadata) while the live heap is small: with the binary's own
// pages (about 40 MB) a scan of 50,000 objects stays under 400 MB of RSS
// (docs/performance.md, "Issue #13 targets").
const baseMemoryLimit = 320 << 20

// gcPercent is GOGC unless GOGC is set. A scan's live heap grows while it
// reads (the inventory) and then holds; with GOGC=100 the collector ran 16
// times over a 10,000-object scan, a tenth of its CPU. Under the soft memory
// limit (which bounds the heap of large scans whatever GOGC says) the heap of
// a smaller scan may grow to several times its live size before a
// collection.
const gcPercent = 300

// setMemoryLimit sets GOGC (gcPercent) unless GOGC is set, and the Go
// runtime's soft memory limit unless GOMEMLIMIT is set, and keeps the limit
// following the live heap: after every garbage collection the limit is
// memoryLimit(live heap). A fixed limit below the live heap of a large scan
// made the collector run again and again (a 300 MiB limit doubled the CPU
// of 50,000-object scans; no limit at all let the heap double the live
// heap, 550-690 MB at 50k); a limit that always leaves half the live heap
// as headroom bounds the collector's extra work while the live heap is
// large, and costs nothing while it is small (the heap stays under the
// base limit).
func setMemoryLimit() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	cgroup := cgroupMemoryLimit()
	debug.SetMemoryLimit(memoryLimit(0, cgroup))
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var mu sync.Mutex
	afterEachGC(func() {
		mu.Lock()
		defer mu.Unlock()
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		debug.SetMemoryLimit(memoryLimit(int64(sample[0].Value.Uint64()), cgroup))
	})
}

// memoryLimit is the soft memory limit for a live heap of live bytes: the
// base limit, or the live heap plus half of it when that is more, so the
// collector never runs with less headroom than half the live heap. With a
// cgroup memory limit (cgroup > 0) the soft limit is at most 3/4 of it, so
// that the collector works harder near the limit instead of the process
// being killed for exceeding it.
func memoryLimit(live, cgroup int64) int64 {
	l := max(int64(baseMemoryLimit), live+live/2)
	if cgroup > 0 {
		l = min(l, cgroup/4*3)
	}
	return l
}

// gcSentinel is allocated only to be collected: its cleanup marks the end
// of a garbage collection cycle. It is too large for the tiny allocator
// (objects under 16 bytes without pointers are batched, and their cleanups
// may not run).
type gcSentinel struct {
	_ [32]byte
}

// afterEachGC calls f after every garbage collection cycle, for the life of
// the process, on the runtime's cleanup goroutine (f must be quick and must
// not block).
func afterEachGC(f func()) {
	s := &gcSentinel{}
	runtime.AddCleanup(s, func(f func()) {
		f()
		afterEachGC(f)
	}, f)
}

// cgroupFiles hold the memory limit of this process's cgroup: v2 first,
// then v1. Other systems have neither.
var cgroupFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// cgroupMemoryLimit returns the cgroup memory limit in bytes, or 0 when
// there is none ("max", or v1's "unlimited" of nearly 2^63).
func cgroupMemoryLimit() int64 {
	for _, f := range cgroupFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		return parseCgroupLimit(string(data))
	}
	return 0
}

func parseCgroupLimit(s string) int64 {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= 1<<62 {
		return 0
	}
	return n
}
