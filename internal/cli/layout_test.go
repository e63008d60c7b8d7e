package cli

import (
	"go/build"
	"strings"
	"testing"
)

// TestCLIIsThin: the CLI parses flags, builds a scan.Request, writes the
// report and maps it to an exit code; the data path (the controls, the
// inventory, the engine) is internal/scan's, so the CLI does not import it.
func TestCLIIsThin(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/aksguard/aksguard/internal/"
	for _, imp := range pkg.Imports {
		for _, banned := range []string{"checks", "inventory", "engine"} {
			if imp == mod+banned || strings.HasPrefix(imp, mod+banned+"/") {
				t.Errorf("internal/cli imports %s: go through internal/scan", imp)
			}
		}
	}
}
