package k8sversion

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustLoad(t testing.TB) *Dataset {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("embedded dataset: %v", err)
	}
	return d
}

func TestDatasetEmbedded(t *testing.T) {
	d := mustLoad(t)
	if d.Date != "2026-11-22" || d.DataDate() != date("2026-11-22") {
		t.Errorf("dataset date = %q", d.Date)
	}
	if got := d.DatasetSource(); got != "embedded aks-versions.json dated 2026-11-22" {
		t.Errorf("DatasetSource = %q", got)
	}
	for m := 27; m <= 37; m++ {
		v := Version{Major: 1, Minor: m}.MinorString()
		mi, ok := d.Minor(v + ".3")
		if !ok {
			t.Errorf("minor %s missing", v)
			continue
		}
		if mi.EOL().Day() < 28 || mi.EOL().AddDate(0, 0, 1).Day() != 1 {
			t.Errorf("minor %s: community EOL %s is not the end of a month", v, mi.CommunityEOL)
		}
	}
	// The latest patches of REFERENCE §4's release-note milestones.
	for minor, want := range map[string]string{"1.36": "1.36.3", "1.35": "1.35.7", "1.34": "1.34.10", "1.33": "1.33.13"} {
		if got, src, ok := d.LatestPatch(minor); !ok || got != want || !strings.Contains(src, "dated 2026-11-22") {
			t.Errorf("LatestPatch(%s) = %q, %q, %v; want %s", minor, got, src, ok, want)
		}
	}
	if _, _, ok := d.LatestPatch("1.37"); ok {
		t.Error("LatestPatch(1.37) is known; the dataset says it is not")
	}
	// Only control-plane CVEs, none listed as both included and excluded.
	excluded := map[string]bool{}
	for _, e := range d.Excluded {
		excluded[e.ID] = true
	}
	for _, id := range []string{"CVE-2023-5528", "CVE-2025-1767", "CVE-2025-0426"} {
		if !excluded[id] {
			t.Errorf("%s (node-side) should be listed as excluded", id)
		}
	}
	for _, c := range d.CVEs {
		if c.Component != "kube-apiserver" && c.Component != "kube-controller-manager" && c.Component != "kube-scheduler" {
			t.Errorf("%s: component %q is not a control-plane component", c.ID, c.Component)
		}
		if excluded[c.ID] {
			t.Errorf("%s is both included and excluded", c.ID)
		}
		if c.Confidence != "high" && c.Confidence != "medium" {
			t.Errorf("%s: confidence %q", c.ID, c.Confidence)
		}
	}
}

func TestDatasetSupport(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		name             string
		version          string
		premium, ltsPlan bool
		today            string
		want             Status
		reason           string // substring of the reason
	}{
		{"in window", "1.34.2", false, false, "2026-11-24", Community, "until 2026-11-30"},
		{"minor alias", "1.34", false, false, "2026-11-24", Community, "community support"},
		{"v prefix", "v1.36.3", false, false, "2026-11-24", Community, "until 2027-06-30"},
		{"EOL day is inclusive", "1.34.9", false, false, "2026-11-30", Community, ""},
		{"day after EOL is N-3", "1.34.9", false, false, "2026-12-01", Platform, "platform support (N-3, until 1.38 GA)"},
		{"N-3 platform support", "1.33.5", false, false, "2026-11-24", Platform, "counts as unsupported"},
		{"N-3 with LTS", "1.33.5", true, true, "2026-11-24", LongTerm, "until 2027-07-31"},
		{"LTS plan without Premium", "1.33.5", false, true, "2026-11-24", Platform, "no effect without sku.tier Premium"},
		{"Premium without LTS plan", "1.33.5", true, false, "2026-11-24", Platform, ""},
		{"LTS patch in LTS", "1.31.100", true, true, "2026-11-24", LongTerm, "until 2026-11-30"},
		{"LTS ended", "1.31.101", true, true, "2026-12-01", EndOfLife, "ended on 2026-11-30"},
		{"LTS on a community minor", "1.35.1", true, true, "2026-11-24", Community, ""},
		{"past platform support", "1.32.3", false, false, "2026-11-24", EndOfLife, "ended with 1.36 GA"},
		{"old LTS", "1.27.16", true, true, "2026-11-24", EndOfLife, "ended on 2025-07-31"},
		{"estimated LTS date says so", "1.28.5", true, true, "2025-06-01", LongTerm, "(estimated)"},
		{"older than the data", "1.26.0", false, false, "2026-11-24", EndOfLife, "older than every minor"},
		{"GA not confirmed", "1.37.0", false, false, "2026-11-24", Unknown, "without confirming"},
		{"before planned GA", "1.37.0", false, false, "2026-09-15", Preview, "GA planned for 2026-10"},
		{"newer than the data", "1.38.1", false, false, "2026-11-24", Unknown, "newer than every minor"},
		{"preview before GA", "1.33.0", false, false, "2025-05-01", Preview, "not GA in AKS before 2025-06-01"},
		{"N-3 in 2025", "1.29.9", false, false, "2025-05-01", Platform, "until 1.33 GA"},
		{"N-4 in 2025", "1.28.9", false, false, "2025-05-01", EndOfLife, "ended with 1.32 GA"},
		{"unparsable", "latest", false, false, "2026-11-24", Unknown, "want MAJOR.MINOR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, why := d.Support(tt.version, tt.premium, tt.ltsPlan, date(tt.today))
			if st != tt.want || !strings.Contains(why, tt.reason) {
				t.Errorf("Support(%s, premium=%v, lts=%v, %s) = %s, %q; want %s containing %q", tt.version, tt.premium, tt.ltsPlan, tt.today, st, why, tt.want, tt.reason)
			}
			if st.Supported() != (tt.want == Community || tt.want == LongTerm) {
				t.Errorf("Supported() = %v for %s", st.Supported(), st)
			}
		})
	}
}

func TestDatasetSupportUsesUTCDay(t *testing.T) {
	d := mustLoad(t)
	// 23:30 on 2026-11-30 in New York is 2026-12-01 in UTC: the day is UTC's.
	ny := time.FixedZone("EST", -5*3600)
	if st, _ := d.Support("1.34.9", false, false, time.Date(2026, 11, 30, 23, 30, 0, 0, ny)); st != Platform {
		t.Errorf("got %s, want %s", st, Platform)
	}
	if st, _ := d.Support("1.34.9", false, false, time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)); st != Community {
		t.Errorf("got %s, want %s", st, Community)
	}
}

func TestDatasetWindows(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		today     string
		community []string
		lts       []string
	}{
		{"2026-11-24", []string{"1.34", "1.35", "1.36"}, []string{"1.31", "1.32", "1.33", "1.34", "1.35", "1.36"}},
		{"2026-12-01", []string{"1.35", "1.36"}, []string{"1.32", "1.33", "1.34", "1.35", "1.36"}},
		{"2026-04-15", []string{"1.33", "1.34", "1.35"}, []string{"1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"2025-01-15", []string{"1.28", "1.29", "1.30", "1.31"}, []string{"1.27", "1.28", "1.29", "1.30", "1.31"}},
	}
	for _, tt := range tests {
		if got := d.CommunityWindow(date(tt.today)); !reflect.DeepEqual(got, tt.community) {
			t.Errorf("CommunityWindow(%s) = %v, want %v", tt.today, got, tt.community)
		}
		if got := d.LTSWindow(date(tt.today)); !reflect.DeepEqual(got, tt.lts) {
			t.Errorf("LTSWindow(%s) = %v, want %v", tt.today, got, tt.lts)
		}
	}
	desc := d.WindowDescription(date("2026-11-24"))
	for _, want := range []string{"on 2026-11-24", "1.34 (until 2026-11-30)", "1.36 (until 2027-06-30)", "1.37 GA planned for 2026-10, not confirmed"} {
		if !strings.Contains(desc, want) {
			t.Errorf("WindowDescription = %q, missing %q", desc, want)
		}
	}
}

func TestDatasetUpgradeTarget(t *testing.T) {
	d := mustLoad(t)
	today := date("2026-11-24")
	tests := []struct {
		version string
		lts     bool
		want    string
		ok      bool
	}{
		{"1.31.5", false, "1.34.10", true}, // straight to the oldest supported minor, latest patch
		{"1.33.13", false, "1.34.10", true},
		{"1.31.100", true, "1.32", true}, // LTS: next LTS minor, patch unknown
		{"1.36.3", false, "", false},     // nothing newer is GA
	}
	for _, tt := range tests {
		got, ok := d.UpgradeTarget(tt.version, tt.lts, today)
		if got != tt.want || ok != tt.ok {
			t.Errorf("UpgradeTarget(%s, lts=%v) = %q, %v; want %q, %v", tt.version, tt.lts, got, ok, tt.want, tt.ok)
		}
	}
}

// liveList is `az aks get-versions` for a region in late 2026: 1.37 GA,
// 1.33 and older LTS-only, 1.38 in preview.
func liveList() *inventory.VersionList {
	return &inventory.VersionList{
		Source:   inventory.Source{File: "versions.json", Line: 1},
		Location: "westeurope",
		Minors: []inventory.VersionMinor{
			{Version: "1.32", SupportPlans: []string{PlanLTS}, Patches: []string{"1.32.100", "1.32.102"}},
			{Version: "1.33", SupportPlans: []string{PlanLTS}, Patches: []string{"1.33.13", "1.33.100", "1.33.101"}},
			{Version: "1.34", SupportPlans: []string{PlanCommunity, PlanLTS}, Patches: []string{"1.34.9", "1.34.11", "1.34.10"}},
			{Version: "1.35", SupportPlans: []string{PlanCommunity, PlanLTS}, Patches: []string{"1.35.7", "1.35.8"}},
			{Version: "1.36", IsDefault: true, SupportPlans: []string{PlanCommunity, PlanLTS}, Patches: []string{"1.36.4"}},
			{Version: "1.37", SupportPlans: []string{PlanCommunity, PlanLTS}, Patches: []string{"1.37.1"}},
			{Version: "1.38", IsPreview: true, SupportPlans: []string{PlanCommunity}, Patches: []string{"1.38.0"}},
		},
	}
}

func TestDatasetMergeLive(t *testing.T) {
	base := mustLoad(t)
	if base.Merge(nil) != base || base.Merge(&inventory.VersionList{}) != base {
		t.Error("Merge of an empty list should return the dataset itself")
	}
	d := base.Merge(liveList())
	if base.Live() != nil {
		t.Fatal("Merge modified the original dataset")
	}
	today := date("2026-11-24")
	tests := []struct {
		version          string
		premium, ltsPlan bool
		want             Status
		reason           string
	}{
		{"1.37.1", false, false, Community, "az aks get-versions output (versions.json, location westeurope) offers 1.37"},
		{"1.38.0", false, false, Preview, "only as a preview"},
		{"1.33.13", false, false, Platform, "only with AKSLongTermSupport"},
		{"1.33.101", true, true, LongTerm, "until 2027-07-31 per the dataset"},
		{"1.32.102", false, false, EndOfLife, "only with AKSLongTermSupport"},
		{"1.31.100", true, true, EndOfLife, "does not offer 1.31"},
		{"1.39.0", false, false, Unknown, "newer than every minor it lists"},
	}
	for _, tt := range tests {
		st, why := d.Support(tt.version, tt.premium, tt.ltsPlan, today)
		if st != tt.want || !strings.Contains(why, tt.reason) {
			t.Errorf("live Support(%s) = %s, %q; want %s containing %q", tt.version, st, why, tt.want, tt.reason)
		}
	}
	if got := d.CommunityWindow(today); !reflect.DeepEqual(got, []string{"1.34", "1.35", "1.36", "1.37"}) {
		t.Errorf("live CommunityWindow = %v", got)
	}
	for minor, want := range map[string]string{"1.34": "1.34.11", "1.33": "1.33.101", "1.36": "1.36.4"} {
		got, src, ok := d.LatestPatch(minor)
		if !ok || got != want || !strings.HasPrefix(src, "az aks get-versions output") {
			t.Errorf("live LatestPatch(%s) = %q, %q, %v; want %s from the live list", minor, got, src, ok, want)
		}
	}
	// A minor the list does not have falls back to the dataset.
	if got, src, ok := d.LatestPatch("1.31"); ok || !strings.Contains(src, "dated 2026-11-22") {
		t.Errorf("LatestPatch(1.31) = %q, %q, %v", got, src, ok)
	}
	src := d.Source()
	if !strings.Contains(src, "az aks get-versions output (versions.json, location westeurope)") || !strings.Contains(src, "dated 2026-11-22") {
		t.Errorf("Source = %q", src)
	}
	if got, ok := d.UpgradeTarget("1.33.13", false, today); !ok || got != "1.34.11" {
		t.Errorf("live UpgradeTarget = %q, %v", got, ok)
	}
}

func TestDatasetCVEsAffecting(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		version   string
		affecting map[string]string // id -> fixed in
		uncovered []string
		lts       bool
		below     bool
		target    string
	}{
		{"1.27.2", map[string]string{"CVE-2023-2727": "1.27.3", "CVE-2023-2728": "1.27.3", "CVE-2024-3177": "1.27.13", "CVE-2025-5187": "1.31.12", "CVE-2025-13281": "1.32.10"}, nil, false, false, "1.32.10"},
		{"1.29.3", map[string]string{"CVE-2024-3177": "1.29.4", "CVE-2025-5187": "1.31.12", "CVE-2025-13281": "1.32.10"}, nil, false, false, "1.32.10"},
		{"1.29.4", map[string]string{"CVE-2025-5187": "1.31.12", "CVE-2025-13281": "1.32.10"}, nil, false, false, "1.32.10"},
		{"1.31.5", map[string]string{"CVE-2025-5187": "1.31.12", "CVE-2025-13281": "1.32.10"}, nil, false, false, "1.32.10"},
		{"1.32.5", map[string]string{"CVE-2025-4563": "1.32.6", "CVE-2025-5187": "1.32.8", "CVE-2025-13281": "1.32.10"}, nil, false, false, "1.32.10"},
		{"v1.33.3", map[string]string{"CVE-2025-5187": "1.33.4", "CVE-2025-13281": "1.33.6"}, nil, false, false, "1.33.6"},
		{"1.34.1", map[string]string{"CVE-2025-13281": "1.34.2"}, nil, false, false, "1.34.2"},
		{"1.34.2", nil, nil, false, false, ""},
		{"1.36.3", nil, nil, false, false, ""},
		// LTS patches: upstream fixes of the same minor are in; a fix only
		// in a later minor may or may not have been backported.
		{"1.31.100", nil, []string{"CVE-2025-13281"}, true, false, ""},
		{"1.33.100", nil, nil, false, false, ""},
		{"1.26.1", map[string]string{"CVE-2023-2727": "1.26.6", "CVE-2023-2728": "1.26.6", "CVE-2024-3177": "1.27.13", "CVE-2025-5187": "1.31.12", "CVE-2025-13281": "1.32.10"}, nil, false, true, "1.32.10"},
	}
	for _, tt := range tests {
		rep, err := d.CVEsAffecting(tt.version)
		if err != nil {
			t.Errorf("CVEsAffecting(%s): %v", tt.version, err)
			continue
		}
		got := map[string]string{}
		for _, m := range rep.Affecting {
			got[m.CVE.ID] = m.FixedIn.String()
		}
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tt.affecting) {
			t.Errorf("CVEsAffecting(%s).Affecting = %v, want %v", tt.version, got, tt.affecting)
		}
		if u := IDs(rep.Uncovered); !(len(u) == 0 && len(tt.uncovered) == 0) && !reflect.DeepEqual(u, tt.uncovered) {
			t.Errorf("CVEsAffecting(%s).Uncovered = %v, want %v", tt.version, u, tt.uncovered)
		}
		if rep.LTSBackports != tt.lts || rep.BelowCoverage != tt.below || rep.Considered != len(d.CVEs) {
			t.Errorf("CVEsAffecting(%s): lts=%v below=%v considered=%d", tt.version, rep.LTSBackports, rep.BelowCoverage, rep.Considered)
		}
		target, ok := FixTarget(rep.Affecting)
		if (tt.target == "") == ok || (ok && target.String() != tt.target) {
			t.Errorf("FixTarget(%s) = %s, %v; want %q", tt.version, target, ok, tt.target)
		}
	}
	for _, bad := range []string{"1.34", "latest", ""} {
		if _, err := d.CVEsAffecting(bad); err == nil {
			t.Errorf("CVEsAffecting(%q): want an error", bad)
		}
	}
}

// miniDataset is a small valid dataset for parser and LTS-coverage tests.
const miniDataset = `{
  "schema": 1,
  "date": "2026-01-10",
  "minors": [
    {"version": "1.31", "upstreamRelease": "2024-08", "aksGA": "2024-11", "gaConfirmed": true, "communityEOL": "2025-11", "ltsEOL": "2026-11", "latestPatch": "1.31.14"}
  ],
  "cves": [
    {"id": "CVE-2099-0001", "summary": "test", "component": "kube-apiserver", "confidence": "high", "url": "https://example.invalid/1",
     "affected": [{"introduced": "", "fixed": "1.32.3"}], "ltsFixed": {"1.31": "1.31.102"}}
  ]
}`

func TestDatasetLTSFixed(t *testing.T) {
	d, err := ParseDataset([]byte(miniDataset), "mini.json")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := d.Minor("1.31"); m.EOL() != date("2025-11-30") || m.LTSEnd() != date("2026-11-30") {
		t.Errorf("month-only dates: eol %s lts %s", m.EOL(), m.LTSEnd())
	}
	for v, want := range map[string][]string{"1.31.101": {"CVE-2099-0001"}, "1.31.102": nil, "1.31.14": {"CVE-2099-0001"}} {
		rep, err := d.CVEsAffecting(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := IDs(rep.Affecting); !(len(got) == 0 && len(want) == 0) && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: affecting %v, want %v", v, got, want)
		}
		if rep.LTSBackports || len(rep.Uncovered) > 0 {
			t.Errorf("%s: the data covers this LTS minor, got uncovered %v", v, IDs(rep.Uncovered))
		}
	}
	if rep, _ := d.CVEsAffecting("1.31.101"); rep.Affecting[0].FixedIn.String() != "1.31.102" {
		t.Errorf("LTS fix = %s", rep.Affecting[0].FixedIn)
	}
}

func TestDatasetParseErrors(t *testing.T) {
	mod := func(old, new string) string {
		if !strings.Contains(miniDataset, old) {
			panic(old)
		}
		return strings.Replace(miniDataset, old, new, 1)
	}
	tests := map[string]string{
		"unknown field":         mod(`"schema": 1,`, `"schema": 1, "bogus": true,`),
		"schema":                mod(`"schema": 1`, `"schema": 2`),
		"date":                  mod(`"2026-01-10"`, `"2026-01"`),
		"no minors":             `{"schema": 1, "date": "2026-01-10", "minors": [], "cves": []}`,
		"minor with patch":      mod(`"version": "1.31"`, `"version": "1.31.2"`),
		"bad GA":                mod(`"aksGA": "2024-11"`, `"aksGA": "Nov 2024"`),
		"EOL before GA":         mod(`"communityEOL": "2025-11"`, `"communityEOL": "2024-01"`),
		"LTS before EOL":        mod(`"ltsEOL": "2026-11"`, `"ltsEOL": "2025-01"`),
		"latest of other minor": mod(`"latestPatch": "1.31.14"`, `"latestPatch": "1.32.1"`),
		"alias fixed":           mod(`"fixed": "1.32.3"`, `"fixed": "1.32"`),
		"introduced after fix":  mod(`"introduced": ""`, `"introduced": "1.33.0"`),
		"no ranges":             mod(`"affected": [{"introduced": "", "fixed": "1.32.3"}]`, `"affected": []`),
		"not a CVE id":          mod(`"CVE-2099-0001"`, `"GHSA-xxxx"`),
		"ltsFixed not LTS":      mod(`"1.31.102"`, `"1.31.15"`),
		"trailing data":         miniDataset + `{}`,
		"not JSON":              `schema: 1`,
		"duplicate minor":       mod(`"minors": [`, `"minors": [{"version": "1.31", "aksGA": "2024-11", "communityEOL": "2025-11"},`),
	}
	for name, in := range tests {
		if _, err := ParseDataset([]byte(in), "t.json"); err == nil {
			t.Errorf("%s: ParseDataset accepted invalid data", name)
		} else if !strings.Contains(err.Error(), "t.json") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}

func TestDatasetLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aks-versions.json")
	if err := os.WriteFile(path, embedded, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Source(); got != path+" dated 2026-11-22" {
		t.Errorf("Source = %q", got)
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
}

func TestDatasetAge(t *testing.T) {
	d := mustLoad(t)
	if got := d.AgeDays(date("2026-11-24")); got != 2 {
		t.Errorf("AgeDays = %d", got)
	}
}

func FuzzDatasetParse(f *testing.F) {
	f.Add(embedded)
	f.Add([]byte(miniDataset))
	f.Add([]byte(`{"schema":1,"date":"2026-01-01","minors":[{"version":"1.1","aksGA":"2020-01","communityEOL":"2020-02"}],"cves":[]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDataset(b, "fuzz.json")
		if err != nil {
			if d != nil {
				t.Fatal("error with a dataset")
			}
			return
		}
		today := date("2026-11-24")
		for _, v := range []string{"1.1", "1.31.100", "1.34.2", "0.0.0", "1.99.99"} {
			d.Support(v, true, true, today)
			d.Support(v, false, false, today)
			d.LatestPatch(v)
			d.UpgradeTarget(v, true, today)
			if rep, err := d.CVEsAffecting(v); err == nil {
				FixTarget(rep.Affecting)
			}
		}
		d.WindowDescription(today)
		d.Merge(liveList()).Support("1.34.2", false, false, today)
	})
}
