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

func TestPermissionsDocFresh(t *testing.T) {
	got, err := os.ReadFile("../../docs/live-kubernetes.md")
	if err != nil {
		t.Fatal(err)
	}
	want, ok := ReplacePermissions(string(got))
	if !ok {
		t.Fatal("docs/live-kubernetes.md has no permission table markers")
	}
	if want != string(got) {
		t.Fatal("the permission table in docs/live-kubernetes.md is stale: run `make docs` and commit the result")
	}
}

func TestFrameworksDocFresh(t *testing.T) {
	want := FrameworksMarkdown()
	got, err := os.ReadFile("../../docs/frameworks.md")
	if err != nil {
		t.Fatalf("docs/frameworks.md: %v (run make docs)", err)
	}
	if string(got) != want {
		t.Fatal("docs/frameworks.md is stale: run `make docs` and commit the result")
	}
	for _, c := range check.All() {
		if !strings.Contains(want, "| ["+c.ID+"](controls.md#") {
			t.Errorf("%s missing from the generated frameworks page", c.ID)
		}
	}
}
