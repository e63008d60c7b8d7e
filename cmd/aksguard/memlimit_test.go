package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name         string
		live, cgroup int64
		want         int64
	}{
		{"small heap, no cgroup", 0, 0, baseMemoryLimit},
		{"live heap below the base's two thirds", 200 * mib, 0, baseMemoryLimit},
		{"live heap leaves half of itself as headroom", 300 * mib, 0, 450 * mib},
		{"large cgroup limit", 300 * mib, 8 << 30, 450 * mib},
		{"small cgroup limit caps the base", 0, 256 * mib, 192 * mib},
		{"cgroup limit caps the headroom", 1 << 30, 1 << 30, 768 * mib},
	} {
		if got := memoryLimit(tc.live, tc.cgroup); got != tc.want {
			t.Errorf("%s: memoryLimit(%d, %d) = %d MiB, want %d MiB", tc.name, tc.live, tc.cgroup, got/mib, tc.want/mib)
		}
	}
}

// TestAfterEachGC: the hook runs once per collection, again and again.
func TestAfterEachGC(t *testing.T) {
	fired := make(chan struct{}, 16)
	afterEachGC(func() {
		select {
		case fired <- struct{}{}:
		default:
		}
	})
	for range 3 {
		runtime.GC()
		<-fired
	}
}

// TestSetMemoryLimit: without GOMEMLIMIT the limit follows the live heap
// after a collection; with it, the runtime's limit is left alone.
func TestSetMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	// First with GOMEMLIMIT, before the hook of the second part is armed
	// (it stays armed for the life of the test binary).
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(math.MaxInt64)
	setMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: limit %d, want it left alone", got)
	}

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	setMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got < 192<<20 || got > baseMemoryLimit {
		t.Errorf("limit %d after setMemoryLimit, want at most the base %d", got, baseMemoryLimit)
	}
	debug.SetMemoryLimit(1) // the hook sets it again after the next collection
	fired := make(chan struct{}, 1)
	afterEachGC(func() {
		select {
		case fired <- struct{}{}:
		default:
		}
	})
	for debug.SetMemoryLimit(-1) == 1 {
		runtime.GC()
		<-fired
	}
	if got := debug.SetMemoryLimit(-1); got < 192<<20 {
		t.Errorf("limit %d after a collection, want the policy's", got)
	}
}

// TestGCPercent: without GOGC a scan runs with gcPercent; with it, the
// runtime's setting (the user's) is left alone.
func TestGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "1GiB") // only GOGC is under test
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	setMemoryLimit()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC=50 set: GC percent %d, want it left alone", got)
	}
	t.Setenv("GOGC", "")
	setMemoryLimit()
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC unset: GC percent %d, want %d", got, gcPercent)
	}
}
