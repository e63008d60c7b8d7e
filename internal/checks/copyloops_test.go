package checks_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

// TestTemplateCopyLoopVerdicts: an ARM copy loop gives one cluster (and one
// pool) per copy, each judged on its own values: in the fail-* fixtures of
// the copy loops, only the copy that sets the failing value fails.
func TestTemplateCopyLoopVerdicts(t *testing.T) {
	cases := []struct {
		control, path string
		want          []string // "status name", sorted
	}{
		{"AKS-ACC-005", "access/testdata/AKS-ACC-005/fail-template-copy-loop.json", []string{"fail aks-prod", "pass aks-dev"}},
		{"AKS-NET-003", "network/testdata/AKS-NET-003/fail-template-copy-loop.json", []string{"fail aks-prod/user", "pass aks-dev"}},
	}
	for _, tc := range cases {
		t.Run(tc.control, func(t *testing.T) {
			inv := source.Load([]string{tc.path}, source.Options{})
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors %v", inv.Errors)
			}
			var got []string
			for _, r := range engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today}) {
				if r.Control == tc.control {
					got = append(got, string(r.Status)+" "+r.Resource.Name)
				}
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("results %q, want %q", got, tc.want)
			}
		})
	}
}
