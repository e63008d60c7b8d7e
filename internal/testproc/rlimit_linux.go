package testproc

import (
	"fmt"
	"syscall"
)

// limitAddressSpace sets this process's RLIMIT_AS.
func limitAddressSpace(n int64) error {
	lim := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		return fmt.Errorf("setting RLIMIT_AS to %d bytes: %w", n, err)
	}
	return nil
}
