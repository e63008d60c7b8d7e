// Package k8sversion knows the AKS Kubernetes version calendar, the latest
// patch of each minor and the Kubernetes control-plane CVEs, from an
// embedded, dated dataset (data/aks-versions.json) that live data overrides.
//
// Nothing here reads the clock or the network: "today" is always passed in
// (check.Context.Now), and the dataset is refreshed by a separate command
// (go run ./internal/k8sversion/refresh, see docs/version-data.md).
package k8sversion

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

//go:embed data/aks-versions.json
var embedded []byte

// EmbeddedName names the embedded dataset in messages.
const EmbeddedName = "aks-versions.json"

// Dataset is the version and CVE data. Obtain it with Load, LoadFile or
// ParseDataset; Merge returns a copy that also knows the live version list.
// A Dataset is not modified after it is returned and is safe for concurrent
// use.
type Dataset struct {
	Schema          int           `json:"schema"`
	Date            string        `json:"date"` // YYYY-MM-DD: when the data was compiled
	Description     string        `json:"description,omitempty"`
	DateConventions string        `json:"dateConventions,omitempty"`
	Sources         []SourceRef   `json:"sources,omitempty"`
	Minors          []Minor       `json:"minors"`
	CVEs            []CVE         `json:"cves"`
	Excluded        []ExcludedCVE `json:"excludedCves,omitempty"`

	date   time.Time
	origin string // "embedded" or the file path
	live   *inventory.VersionList
}

// SourceRef names where part of the data came from.
type SourceRef struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Snapshot string `json:"snapshot,omitempty"`
}

// Minor is one AKS Kubernetes minor version's calendar.
type Minor struct {
	Version         string `json:"version"`         // "1.34"
	UpstreamRelease string `json:"upstreamRelease"` // YYYY-MM
	AKSGA           string `json:"aksGA"`           // YYYY-MM or YYYY-MM-DD
	// GAConfirmed is false while the GA date is only planned.
	GAConfirmed  bool   `json:"gaConfirmed"`
	CommunityEOL string `json:"communityEOL"` // last day of community support
	// LTSEOL is the last day of AKS long-term support ("" when not LTS or
	// unknown); LTSEOLEstimated marks a date derived rather than published.
	LTSEOL          string `json:"ltsEOL,omitempty"`
	LTSEOLEstimated bool   `json:"ltsEOLEstimated,omitempty"`
	PlatformSupport string `json:"platformSupport,omitempty"`
	// LatestPatch is the newest patch known when the data was compiled
	// ("" = unknown), as of LatestPatchAsOf.
	LatestPatch     string `json:"latestPatch"`
	LatestPatchAsOf string `json:"latestPatchAsOf,omitempty"`
	Notes           string `json:"notes,omitempty"`

	v           Version
	ga, eol     time.Time // ga: first day; eol: last day (inclusive)
	ltsEOL      time.Time // zero when unknown
	latestPatch Version   // HasPatch false when unknown
}

// CVE is one Kubernetes control-plane vulnerability.
type CVE struct {
	ID         string  `json:"id"`
	Summary    string  `json:"summary"`
	Component  string  `json:"component"` // kube-apiserver, kube-controller-manager, …
	Severity   string  `json:"severity,omitempty"`
	Conditions string  `json:"conditions,omitempty"` // when a cluster is exposed
	Affected   []Range `json:"affected"`
	// LTSFixed maps a minor ("1.31") to the first AKS LTS patch (≥ .100)
	// that carries the fix, when known. Without an entry, whether an LTS
	// patch has the fix is not covered by the data.
	LTSFixed   map[string]string `json:"ltsFixed,omitempty"`
	URL        string            `json:"url"`
	Confidence string            `json:"confidence"` // high, medium
	Notes      string            `json:"notes,omitempty"`

	ranges []vrange
}

// Range is an affected version range: introduced ≤ v < fixed. An empty
// Introduced means every version before Fixed.
type Range struct {
	Introduced string `json:"introduced"`
	Fixed      string `json:"fixed"`
}

type vrange struct {
	introduced, fixed Version
	open              bool // no lower bound
}

func (r vrange) contains(v Version) bool {
	return (r.open || r.introduced.Compare(v) <= 0) && v.Less(r.fixed)
}

// ExcludedCVE records a CVE deliberately left out, with the reason.
type ExcludedCVE struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Load parses the embedded dataset.
func Load() (*Dataset, error) {
	return ParseDataset(embedded, "")
}

// LoadFile reads a dataset file (e.g. one written by the refresh command).
func LoadFile(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("version data: %w", err)
	}
	return ParseDataset(b, path)
}

// ParseDataset decodes and validates a dataset. origin is the file it was
// read from ("" for the embedded copy); it appears in every provenance line.
func ParseDataset(b []byte, origin string) (*Dataset, error) {
	name := origin
	if name == "" {
		name = "embedded " + EmbeddedName
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	d := &Dataset{}
	if err := dec.Decode(d); err != nil {
		return nil, fmt.Errorf("version data %s: %v", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("version data %s: trailing data after the JSON object", name)
	}
	d.origin = origin
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("version data %s: %v", name, err)
	}
	return d, nil
}

func (d *Dataset) validate() error {
	if d.Schema != 1 {
		return fmt.Errorf("schema %d not supported (want 1)", d.Schema)
	}
	t, err := parseDate(d.Date, false)
	if err != nil || len(d.Date) != len("2006-01-02") {
		return fmt.Errorf("date %q: want YYYY-MM-DD", d.Date)
	}
	d.date = t
	if len(d.Minors) == 0 {
		return errors.New("no minors")
	}
	seen := map[string]bool{}
	for i := range d.Minors {
		m := &d.Minors[i]
		v, err := Parse(m.Version)
		if err != nil || v.HasPatch {
			return fmt.Errorf("minors[%d]: version %q is not a MAJOR.MINOR minor", i, m.Version)
		}
		if seen[v.MinorString()] {
			return fmt.Errorf("minors[%d]: duplicate minor %s", i, v)
		}
		seen[v.MinorString()] = true
		m.v = v
		if _, err := parseDate(m.UpstreamRelease, false); m.UpstreamRelease != "" && err != nil {
			return fmt.Errorf("minor %s: upstreamRelease: %v", v, err)
		}
		if m.ga, err = parseDate(m.AKSGA, false); err != nil {
			return fmt.Errorf("minor %s: aksGA: %v", v, err)
		}
		if m.eol, err = parseDate(m.CommunityEOL, true); err != nil {
			return fmt.Errorf("minor %s: communityEOL: %v", v, err)
		}
		if m.eol.Before(m.ga) {
			return fmt.Errorf("minor %s: communityEOL %s before aksGA %s", v, m.CommunityEOL, m.AKSGA)
		}
		if m.LTSEOL != "" {
			if m.ltsEOL, err = parseDate(m.LTSEOL, true); err != nil {
				return fmt.Errorf("minor %s: ltsEOL: %v", v, err)
			}
			if m.ltsEOL.Before(m.eol) {
				return fmt.Errorf("minor %s: ltsEOL %s before communityEOL %s", v, m.LTSEOL, m.CommunityEOL)
			}
		}
		if m.LatestPatch != "" {
			p, err := Parse(m.LatestPatch)
			if err != nil || !p.HasPatch || !p.SameMinor(v) {
				return fmt.Errorf("minor %s: latestPatch %q is not a patch of %s", v, m.LatestPatch, v)
			}
			m.latestPatch = p
		}
		if m.LatestPatchAsOf != "" {
			if _, err := parseDate(m.LatestPatchAsOf, false); err != nil {
				return fmt.Errorf("minor %s: latestPatchAsOf: %v", v, err)
			}
		}
	}
	slices.SortFunc(d.Minors, func(a, b Minor) int { return a.v.Compare(b.v) })
	ids := map[string]bool{}
	for i := range d.CVEs {
		c := &d.CVEs[i]
		if !strings.HasPrefix(c.ID, "CVE-") || c.URL == "" || c.Component == "" {
			return fmt.Errorf("cves[%d] %q: id (CVE-…), component and url are required", i, c.ID)
		}
		if ids[c.ID] {
			return fmt.Errorf("duplicate CVE %s", c.ID)
		}
		ids[c.ID] = true
		if len(c.Affected) == 0 {
			return fmt.Errorf("%s: no affected ranges", c.ID)
		}
		c.ranges = c.ranges[:0]
		for j, r := range c.Affected {
			fixed, err := Parse(r.Fixed)
			if err != nil || !fixed.HasPatch {
				return fmt.Errorf("%s: affected[%d]: fixed %q must be a full version", c.ID, j, r.Fixed)
			}
			vr := vrange{fixed: fixed, open: r.Introduced == "" || r.Introduced == "0"}
			if !vr.open {
				in, err := Parse(r.Introduced)
				if err != nil {
					return fmt.Errorf("%s: affected[%d]: introduced: %v", c.ID, j, err)
				}
				if !in.Less(fixed) {
					return fmt.Errorf("%s: affected[%d]: introduced %s is not before fixed %s", c.ID, j, in, fixed)
				}
				vr.introduced = in
			}
			c.ranges = append(c.ranges, vr)
		}
		for minor, p := range c.LTSFixed {
			mv, err1 := Parse(minor)
			pv, err2 := Parse(p)
			if err1 != nil || err2 != nil || mv.HasPatch || !pv.IsLTSPatch() || !pv.SameMinor(mv) {
				return fmt.Errorf("%s: ltsFixed %q: %q must be an LTS patch (≥ .%d) of that minor", c.ID, minor, p, LTSPatchFloor)
			}
		}
	}
	return nil
}

// parseDate reads YYYY-MM-DD or YYYY-MM. A month-only date is the first day
// of the month, or its last day when endOfMonth is set (end-of-life dates).
func parseDate(s string, endOfMonth bool) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or YYYY-MM", s)
	}
	if endOfMonth {
		t = t.AddDate(0, 1, -1)
	}
	return t, nil
}

// day truncates a time to its UTC calendar day, so an end-of-life date
// counts as supported for the whole day.
func day(t time.Time) time.Time {
	y, m, dd := t.UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// DataDate is the dataset's compilation date.
func (d *Dataset) DataDate() time.Time { return d.date }

// AgeDays is how many days old the dataset is on today.
func (d *Dataset) AgeDays(today time.Time) int {
	return int(day(today).Sub(d.date).Hours() / 24)
}

// Minor returns the calendar entry of v's minor ("1.34", "1.34.2",
// "v1.31.100" all find 1.34 / 1.31).
func (d *Dataset) Minor(v string) (*Minor, bool) {
	pv, err := Parse(v)
	if err != nil {
		return nil, false
	}
	return d.minor(pv)
}

func (d *Dataset) minor(v Version) (*Minor, bool) {
	for i := range d.Minors {
		if d.Minors[i].v.SameMinor(v) {
			return &d.Minors[i], true
		}
	}
	return nil, false
}

// GA is the AKS GA date (first day of the month when only a month is known).
func (m *Minor) GA() time.Time { return m.ga }

// EOL is the last day of community support.
func (m *Minor) EOL() time.Time { return m.eol }

// LTSEnd is the last day of long-term support (zero when unknown).
func (m *Minor) LTSEnd() time.Time { return m.ltsEOL }

// Merge returns a copy of the dataset that also uses live, the supported
// version list from `az aks get-versions` (or the kubernetesVersions API) for
// the cluster's region: it decides which minors are offered, under which
// support plans, and the latest patch. The calendar (end-of-life dates) and
// the CVEs still come from the dataset. A nil or empty list returns d.
func (d *Dataset) Merge(live *inventory.VersionList) *Dataset {
	if live == nil || len(live.Minors) == 0 {
		return d
	}
	cp := *d
	cp.live = live
	return &cp
}

// Live returns the merged live list, or nil.
func (d *Dataset) Live() *inventory.VersionList { return d.live }

// DatasetSource describes the dataset alone: "embedded aks-versions.json
// dated 2026-11-22".
func (d *Dataset) DatasetSource() string {
	name := "embedded " + EmbeddedName
	if d.origin != "" {
		name = d.origin
	}
	return name + " dated " + d.Date
}

// LiveSource describes the live list ("" without one).
func (d *Dataset) LiveSource() string {
	if d.live == nil {
		return ""
	}
	s := "az aks get-versions output"
	var detail []string
	if d.live.Source.File != "" {
		detail = append(detail, d.live.Source.File)
	}
	if d.live.Location != "" {
		detail = append(detail, "location "+d.live.Location)
	}
	if len(detail) > 0 {
		s += " (" + strings.Join(detail, ", ") + ")"
	}
	return s
}

// Source says which data results are based on, for evidence.
func (d *Dataset) Source() string {
	if d.live == nil {
		return d.DatasetSource()
	}
	return d.LiveSource() + " for offered versions and patches; " + d.DatasetSource() + " for dates and CVEs"
}
