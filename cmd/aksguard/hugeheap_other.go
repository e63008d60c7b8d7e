//go:build !linux || !(amd64 || arm64)

package main

// prepareHugeHeap does nothing where the heap cannot be advised onto
// transparent huge pages (see hugeheap_linux.go).
func prepareHugeHeap(int) {}
