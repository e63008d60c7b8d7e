//go:build !linux

package testproc

// limitAddressSpace is a no-op where RLIMIT_AS is not available: the
// peak-RSS assertions still hold the child to its budget after the fact.
func limitAddressSpace(int64) error { return nil }
