package docgen

import (
	"os"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
)

func TestControlsDocFresh(t *testing.T) {
	want := ControlsMarkdown()
	got, err := os.ReadFile("../../docs/controls.md")
	if err != nil {
		t.Fatalf("docs/controls.md: %v (run make docs)", err)
	}
	if string(got) != want {
		t.Fatal("docs/controls.md is stale: run `make docs` and commit the result")
	}
	for _, c := range check.All() {
		if !strings.Contains(want, "### "+c.ID+"\n") {
			t.Errorf("%s missing from the generated docs", c.ID)
		}
	}
}
