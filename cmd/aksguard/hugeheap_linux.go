//go:build linux && (amd64 || arm64)

package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePageSize is the size of a transparent huge page on linux/amd64 and
// arm64 with 4 KiB base pages.
const hugePageSize = 2 << 20

// thpEnabledFile holds the system's transparent huge page mode.
const thpEnabledFile = "/sys/kernel/mm/transparent_hugepage/enabled"

// overcommitFile holds the kernel's overcommit mode: in mode 2 (strict)
// mapped memory counts against a commit limit whether touched or not, and
// the reservation could make a later allocation fail.
const overcommitFile = "/proc/sys/vm/overcommit_memory"

// reserveChunk is the size of the blocks prepareHugeHeap allocates. The
// runtime zeroes a new object whose pages were used before, the whole of
// it: one block of 320 MiB that began on a few reused pages was zeroed and
// made resident entire (4 runs in 30). A chunk is zeroed only when it
// starts on reused pages, which are resident anyway.
const reserveChunk = 4 << 20

// prepareHugeHeap lets the Go heap of this process grow on transparent huge
// pages where the system gives them only to memory that asks for them
// (mode "madvise", the default of Debian's and Ubuntu's kernels), as it
// does without asking in mode "always".
//
// Every page of memory a process touches for the first time costs a page
// fault, and on virtual machines a fault is expensive: on the 2-core VM of
// docs/performance.md a 10,000-object scan took 28,000 faults, about a
// third of its CPU time; on 2 MiB pages it takes 6,000. The Go runtime does
// not advise its heap (it did in Go 1.21.0 and stopped: long-running
// servers with sparse heaps grew), so the process reserves it before the
// command runs: it allocates up to size bytes in chunks (mapped, not
// touched), advises the address range they span MADV_HUGEPAGE, and frees
// them again with debug.FreeOSMemory, so that the heap grows into the
// advised range as it needs it. The advice is a property of the mapping,
// kept when the runtime later returns free pages (MADV_DONTNEED); nothing
// is made resident by it, and peak RSS stays what it was (a scan's heap is
// dense).
//
// GODEBUG=disablethp=1 (the Go runtime's own switch for huge pages in the
// heap) turns it off, as does a mode other than madvise or strict
// overcommit.
func prepareHugeHeap(size int) {
	if size < 2*hugePageSize || godebugDisablesTHP(os.Getenv("GODEBUG")) {
		return
	}
	mode, err := os.ReadFile(thpEnabledFile)
	if err != nil || thpMode(string(mode)) != "madvise" {
		return
	}
	if oc, err := os.ReadFile(overcommitFile); err != nil || strings.TrimSpace(string(oc)) == "2" {
		return
	}
	// No collection while the chunks are allocated (six of them otherwise,
	// as the heap passes each goal and the soft limit): the one that frees
	// them follows.
	gcPercent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	chunks := make([][]byte, size/reserveChunk)
	lo, hi := ^uintptr(0), uintptr(0)
	for i := range chunks {
		chunks[i] = make([]byte, reserveChunk)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(chunks[i])))
		lo, hi = min(lo, p), max(hi, p+reserveChunk)
	}
	adviseHugePages(lo, hi)
	runtime.KeepAlive(chunks)
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(gcPercent)
	debug.FreeOSMemory()
}

// adviseHugePages advises the whole huge pages within [lo, hi)
// MADV_HUGEPAGE and returns how many bytes it advised (0 when the range
// holds no whole huge page or the kernel refused). The range is heap the
// caller holds: advice changes no contents, only how the kernel backs it.
func adviseHugePages(lo, hi uintptr) int {
	start := (lo + hugePageSize - 1) &^ (hugePageSize - 1)
	end := hi &^ (hugePageSize - 1)
	if end <= start {
		return 0
	}
	if _, _, errno := unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_HUGEPAGE); errno != 0 {
		return 0
	}
	return int(end - start)
}

// thpMode returns the selected mode of a transparent_hugepage/enabled file
// ("always [madvise] never" → "madvise"), or "" when none is marked.
func thpMode(s string) string {
	for _, f := range strings.Fields(s) {
		if len(f) > 2 && f[0] == '[' && f[len(f)-1] == ']' {
			return f[1 : len(f)-1]
		}
	}
	return ""
}

// godebugDisablesTHP reports whether a GODEBUG value sets disablethp=1; as
// in the runtime, a later setting of the same name wins.
func godebugDisablesTHP(godebug string) bool {
	off := false
	for _, kv := range strings.Split(godebug, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "disablethp" {
			off = v == "1"
		}
	}
	return off
}
