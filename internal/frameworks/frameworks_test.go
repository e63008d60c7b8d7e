package frameworks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/testcorpus"
)

// TestMappingsExist: every CIS id and policy GUID a control names is an
// item (not a section) of the embedded data, named once, and a CIS v1.7
// mapping is the same recommendation as the control's v1.8 one.
func TestMappingsExist(t *testing.T) {
	mapped := 0
	for _, c := range check.All() {
		for _, bad := range Unknown(c) {
			t.Errorf("%s names %s, which the embedded data does not hold as an item", c.ID, bad)
		}
		for _, f := range All() {
			ids := f.Of(c.Mappings)
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
				t.Errorf("%s names an item of %s twice: %v", c.ID, f.Name, ids)
			}
		}
		cis17, cis18 := mustFind(t, "cis-aks-1.7"), mustFind(t, "cis-aks-1.8")
		for _, id := range c.Mappings.CIS17 {
			a, _ := cis17.Item(id)
			b, ok := cis18.Item(id)
			if !slices.Contains(c.Mappings.CIS18, id) || !ok || stripStatus(a.Title) != stripStatus(b.Title) {
				t.Errorf("%s maps CIS v1.7 %s (%q) but not the same v1.8 recommendation", c.ID, id, a.Title)
			}
		}
		for _, id := range c.Mappings.CIS18 {
			if _, in17 := cis17.Item(id); in17 && !slices.Contains(c.Mappings.CIS17, id) {
				t.Errorf("%s maps CIS v1.8 %s, which v1.7 holds too, but not v1.7's", c.ID, id)
			}
		}
		if !c.Mappings.Empty() {
			mapped++
		}
	}
	// A floor, not the count: a mapping removed by accident shows here.
	if mapped < 30 {
		t.Errorf("only %d controls carry mappings", mapped)
	}
}

// stripStatus drops the "(Automated)"/"(Manual)" assessment status, which
// changed between v1.7 and v1.8 for the same recommendation.
func stripStatus(title string) string {
	for _, s := range []string{" (Automated)", " (Manual)"} {
		title = strings.TrimSuffix(title, s)
	}
	return title
}

func mustFind(t *testing.T, name string) *Framework {
	t.Helper()
	f, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestEmbeddedEqualsShared: the embedded copies are the shared reference's
// files byte for byte, when the shared folder is beside the repository.
func TestEmbeddedEqualsShared(t *testing.T) {
	sh := testcorpus.SharedDir()
	if sh == "" {
		t.Skip("no shared/ folder beside the repository")
	}
	entries, err := data.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tsv") {
			continue
		}
		n++
		got, err := data.ReadFile("data/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(sh, "reference", e.Name()))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("internal/frameworks/data/%s differs from shared/reference/%s: copy it again", e.Name(), e.Name())
		}
	}
	if n != 3 {
		t.Errorf("%d embedded tables, want 3", n)
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		name, want, err string
	}{
		{"cis-aks-1.8", "cis-aks-1.8", ""},
		{"CIS-AKS-1.7", "cis-aks-1.7", ""},
		{" azure-policy ", "azure-policy", ""},
		{"cis-1.8", "", `unknown framework "cis-1.8" (want cis-aks-1.8, cis-aks-1.7, azure-policy)`},
		{"", "", `unknown framework ""`},
	} {
		f, err := Lookup(tc.name)
		switch {
		case tc.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("Lookup(%q) = %v, want error %q", tc.name, err, tc.err)
			}
		case err != nil || f.Name != tc.want:
			t.Errorf("Lookup(%q) = %v, %v, want %s", tc.name, f, err, tc.want)
		}
	}
}

// TestEmbeddedData: the tables read as the benchmark's structure (sections
// and items in published order) and the policy list as its GUIDs.
func TestEmbeddedData(t *testing.T) {
	for _, tc := range []struct {
		name            string
		items, sections int
		first, last     string
	}{
		{"cis-aks-1.8", 51, 18, "2.1.1", "5.5.2"},
		{"cis-aks-1.7", 45, 18, "2.1.1", "5.5.2"},
		{"azure-policy", 147, 0, "4002015b-1272-4dfb-8943-fed4aeec39b6", "3abeb944-26af-43ee-b83d-32aaf060fb94"},
	} {
		f := mustFind(t, tc.name)
		var items []Item
		sections := 0
		for _, it := range f.Items {
			if it.Section {
				sections++
			} else {
				items = append(items, it)
			}
		}
		if len(items) != tc.items || sections != tc.sections || items[0].ID != tc.first || items[len(items)-1].ID != tc.last {
			t.Errorf("%s: %d items, %d sections, %s … %s; want %d, %d, %s … %s", tc.name, len(items), sections,
				items[0].ID, items[len(items)-1].ID, tc.items, tc.sections, tc.first, tc.last)
		}
	}
	it, _ := mustFind(t, "cis-aks-1.8").Item("3.2.6")
	if it.Title != "Ensure that the --make-iptables-util-chains argument is set to true (Automated)" {
		t.Errorf("3.2.6 title %q: trailing space not trimmed", it.Title)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, err string
		policies        bool
	}{
		{"no tab", "5.4.1 Restrict\n", "line 1: want a dotted id", false},
		{"bad id", "5.x\tTitle\n", "line 1: want a dotted id", false},
		{"empty title", "5\t \n", "line 1: want a dotted id", false},
		{"twice", "5\tA\n5\tB\n", "line 2: id 5 listed twice", false},
		{"no header", "Kubernetes\tX\tbad\n", "line 1: want the header", true},
		{"bad guid", "category\tdisplayName\tname\tv\te\te\tf\nK\tX\tnot-a-guid\t1\tA\tA\tf\n", "line 2: want 7", true},
		{"short row", "category\tdisplayName\tname\tv\te\te\tf\nK\tX\n", "line 2: want 7", true},
	} {
		var err error
		if tc.policies {
			_, err = parsePolicies(tc.data)
		} else {
			_, err = parseCIS(tc.data)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

// FuzzParse: neither table reader panics, and what one accepts is well
// formed (ids valid and unique, titles non-empty and without tabs).
func FuzzParse(f *testing.F) {
	for _, name := range []string{"cis_aks-1.8.tsv", "azure_policy_aks_builtins.tsv"} {
		b, err := data.ReadFile("data/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("5\tManaged Services\n5.4\tCluster Networking\n5.4.1\tRestrict\n")
	f.Add("category\tdisplayName\tname(GUID)\tv\te\te\tf\nK\tX\t0e246bcf-5f6f-4f87-bc6f-775d4712c7ea\t1\tA\tA\tf\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) ([]Item, error){parseCIS, parsePolicies} {
			items, err := parse(s)
			if err != nil {
				continue
			}
			seen := map[string]bool{}
			for _, it := range items {
				if it.ID == "" || it.Title == "" || strings.ContainsAny(it.Title, "\t\n") || seen[it.ID] {
					t.Fatalf("accepted a malformed item %+v", it)
				}
				seen[it.ID] = true
			}
		}
	})
}
