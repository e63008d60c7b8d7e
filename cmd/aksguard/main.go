// Command aksguard audits Azure Kubernetes Service clusters against AKS
// security practice. See README.md.
//
// The process the user starts supervises a child copy of itself that does
// the work (supervise.go), so that a Go runtime crash (a stack overflow, a
// fatal error, an unrecovered panic: all exit 2) or a kill by a signal is
// reported as an internal error (exit 3), never as "could not do what was
// asked" (exit 2).
package main

import (
	"os"
	"runtime/debug"

	"github.com/aksguard/aksguard/internal/cli"
)

// testHook, when set (by this package's tests only), runs in the process
// that does the work, before the command.
var testHook func()

func main() {
	if os.Getenv(childEnv) == "" && os.Getenv(noSuperviseEnv) == "" {
		if code, ok := supervise(os.Args[1:]); ok {
			os.Exit(code)
		}
		// No child could be started: do the work in this process.
		os.Exit(work(false))
	}
	os.Exit(work(os.Getenv(childEnv) != ""))
}

// work runs the command in this process and returns its exit code: the
// command's own, or, in a supervised child, that code plus childBase.
func work(child bool) int {
	setMemoryLimit()
	prepareHugeHeap(int(min(debug.SetMemoryLimit(-1), baseMemoryLimit)))
	if testHook != nil {
		testHook()
	}
	code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if child {
		return childBase + code
	}
	return code
}
