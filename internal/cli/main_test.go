package cli

import (
	"os"
	"testing"

	"github.com/aksguard/aksguard/internal/testkube"
	"github.com/aksguard/aksguard/internal/testproc"
)

// The live tests of this package read a real kube-apiserver (started once
// for the test binary) and a local ARM server (armtest). The hostile-input
// tests run the CLI in a child copy of the test binary (testproc), which
// serves it before any server is started.
func TestMain(m *testing.M) {
	testproc.Serve(func(args []string) int { return Main(args, os.Stdin, os.Stdout, os.Stderr) })
	os.Exit(testkube.Main(m))
}
