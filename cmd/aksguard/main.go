// Command aksguard audits Azure Kubernetes Service clusters against AKS
// security practice. See README.md.
package main

import (
	"os"
	"runtime/debug"

	"github.com/aksguard/aksguard/internal/cli"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT
// is set: large scans (tens of thousands of objects) then collect garbage
// sooner instead of letting the heap double, keeping peak RSS near 400 MB
// (docs/performance.md). It is soft: a scan that needs more still runs.
const defaultMemoryLimit = 300 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
