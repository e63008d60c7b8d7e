package e2e

import (
	"os"
	"testing"

	"github.com/aksguard/aksguard/internal/testkube"
)

func TestMain(m *testing.M) { os.Exit(testkube.Main(m)) }
