package report

import (
	"slices"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
)

// TestSARIFFrameworkTags: a rule carries one CIS tag per recommendation its
// control maps to, and no rule has more tags than GitHub shows.
func TestSARIFFrameworkTags(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"AKS-ACC-001", []string{"CIS-AKS-1.8:5.4.1", "CIS-AKS-1.7:5.4.1"}},
		{"AKS-WKL-007", []string{"CIS-AKS-1.8:4.2.2", "CIS-AKS-1.8:4.2.3", "CIS-AKS-1.8:4.2.4", "CIS-AKS-1.7:4.2.2", "CIS-AKS-1.7:4.2.3", "CIS-AKS-1.7:4.2.4"}},
		{"AKS-ACC-005", nil}, // a policy mapping only: no tag
	} {
		c, ok := check.Lookup(tc.id)
		if !ok {
			t.Fatalf("no %s", tc.id)
		}
		if got := frameworkTags(c); !slices.Equal(got, tc.want) {
			t.Errorf("%s tags %v, want %v", tc.id, got, tc.want)
		}
	}
	for _, c := range check.All() {
		if tags := sarifRuleFor(c).Properties.Tags; len(tags) > sarifMaxTags {
			t.Errorf("%s has %d tags, GitHub shows %d: %v", c.ID, len(tags), sarifMaxTags, tags)
		}
	}
}
