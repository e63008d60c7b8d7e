//go:build linux && (amd64 || arm64)

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestTHPMode(t *testing.T) {
	for in, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"always madvise [never]":   "never",
		"always madvise never":     "",
		"":                         "",
		"[]":                       "",
	} {
		if got := thpMode(in); got != want {
			t.Errorf("thpMode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGodebugDisablesTHP(t *testing.T) {
	for in, want := range map[string]bool{
		"":                             false,
		"disablethp=1":                 true,
		"gctrace=1,disablethp=1":       true,
		"disablethp=0":                 false,
		"disablethp=1, disablethp=0":   false,
		"madvdontneed=1 ,disablethp=1": true,
		"xdisablethp=1":                false,
	} {
		if got := godebugDisablesTHP(in); got != want {
			t.Errorf("godebugDisablesTHP(%q) = %v, want %v", in, got, want)
		}
	}
}

// hugePagesAdvised reports whether the mapping holding addr is advised
// MADV_HUGEPAGE ("hg" among its VmFlags in /proc/self/smaps).
func hugePagesAdvised(addr uintptr) (bool, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return false, err
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(line+" ", " hg "), nil
		}
	}
	return false, fmt.Errorf("no mapping of /proc/self/smaps holds %#x", addr)
}

// mappingRange parses the "lo-hi perms ..." header of a smaps entry.
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, _ := strings.Cut(line, " ")
	l, h, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.ParseUint(l, 16, 64)
	b, err2 := strconv.ParseUint(h, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(a), uintptr(b), true
}

func requireMadviseMode(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(thpEnabledFile)
	if err != nil {
		t.Skipf("no transparent huge pages here: %v", err)
	}
	if m := thpMode(string(data)); m != "madvise" {
		t.Skipf("transparent huge pages are %q here: the heap is not advised", m)
	}
	if oc, _ := os.ReadFile(overcommitFile); strings.TrimSpace(string(oc)) == "2" {
		t.Skip("strict overcommit here: the heap is not reserved")
	}
}

// TestAdviseHugePages: the whole huge pages inside a range are advised.
func TestAdviseHugePages(t *testing.T) {
	requireMadviseMode(t)
	b := make([]byte, 9<<20)
	lo := uintptr(unsafe.Pointer(&b[0]))
	n := adviseHugePages(lo, lo+uintptr(len(b)))
	if n < 6<<20 || n > len(b) || n%hugePageSize != 0 {
		t.Fatalf("advised %d bytes of a 9 MiB block, want whole huge pages, at least 6 MiB", n)
	}
	mid := uintptr(unsafe.Pointer(&b[len(b)/2]))
	if ok, err := hugePagesAdvised(mid); err != nil || !ok {
		t.Errorf("the middle of the advised block (%#x) is not advised MADV_HUGEPAGE (%v)", mid, err)
	}
	if got := adviseHugePages(lo, lo+1<<20); got != 0 {
		t.Errorf("1 MiB holds no whole huge page, advised %d bytes", got)
	}
	runtime.KeepAlive(b)
}

func init() { crashHooks["hugeheap"] = heapAdvisedHook } // not a crash: a probe

// heapAdvisedHook runs in aksguard's working process (crashHooks) after
// prepareHugeHeap: it allocates what a scan's heap would and prints whether
// that memory is advised.
func heapAdvisedHook() {
	b := make([]byte, 32<<20)
	ok, err := hugePagesAdvised(uintptr(unsafe.Pointer(&b[len(b)/2])))
	fmt.Printf("heap advised: %v %v\n", ok, err) // then the command runs
}

// TestHugeHeap: in the process that does the work, the heap grows into
// memory advised MADV_HUGEPAGE, unless GODEBUG=disablethp=1 says the heap
// is to have no huge pages.
func TestHugeHeap(t *testing.T) {
	requireMadviseMode(t)
	for _, tc := range []struct {
		godebug, want string
	}{
		{"", "heap advised: true <nil>"},
		{"disablethp=1", "heap advised: false <nil>"},
	} {
		cmd := aksguard(t, "hugeheap", "version")
		cmd.Env = append(cmd.Env, "GODEBUG="+tc.godebug)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GODEBUG=%q: %v", tc.godebug, err)
		}
		if got, _, _ := strings.Cut(string(out), "\n"); got != tc.want {
			t.Errorf("GODEBUG=%q: %q, want %q", tc.godebug, got, tc.want)
		}
	}
}
