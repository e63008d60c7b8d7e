package cli

import (
	"os"
	"testing"

	"github.com/aksguard/aksguard/internal/testkube"
)

// The live tests of this package read a real kube-apiserver (started once
// for the test binary) and a local ARM server (armtest).
func TestMain(m *testing.M) { os.Exit(testkube.Main(m)) }
