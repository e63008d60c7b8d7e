package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// setMemoryLimit sets the Go runtime's soft memory limit unless GOMEMLIMIT
// is set. With no memory limit on the process (no cgroup limit) none is set:
// the garbage collector's default pacing (GOGC=100) is fastest, and a fixed
// limit below the live heap of a large scan only makes the collector run
// again and again (a 300 MiB limit doubled the time of 50,000-object scans;
// docs/performance.md). In a container with a cgroup memory limit the soft
// limit is 3/4 of it, so that the collector works harder near the limit
// instead of the process being killed for exceeding it.
func setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	if l := cgroupMemoryLimit(); l > 0 {
		debug.SetMemoryLimit(l / 4 * 3)
	}
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
