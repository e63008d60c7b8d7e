package k8sversion

import (
	"fmt"
	"slices"
	"strings"
)

// CVEMatch is one CVE that applies to a version, with the version that
// fixes it: the first fixed patch of the same minor, or of a later minor
// when the version's minor never got the fix.
type CVEMatch struct {
	CVE     *CVE
	FixedIn Version
}

// CVEReport is what the data says about one control-plane version.
type CVEReport struct {
	Version Version
	// Affecting lists the CVEs whose affected range contains the version
	// and that are fixed in a later patch (of the same minor or a later one).
	Affecting []CVEMatch
	// Uncovered lists CVEs whose upstream range contains an AKS LTS patch
	// (≥ .100) although AKS may have backported the fix into it, and the
	// data has no LTS fix information for that minor.
	Uncovered []CVEMatch
	// LTSBackports is set when the version is an LTS patch and Uncovered is
	// not empty: the data does not cover AKS backports for it.
	LTSBackports bool
	// BelowCoverage is set when the version's minor is older than every
	// minor in the dataset: older CVEs are not curated, so an empty
	// Affecting list proves nothing.
	BelowCoverage bool
	// Considered is the number of CVEs in the data.
	Considered int
	Source     string
}

// IDs lists the CVE ids of matches.
func IDs(ms []CVEMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.CVE.ID
	}
	return out
}

// CVEsAffecting matches a full control-plane version ("1.33.2",
// "v1.31.100") against the curated CVEs. A minor alias without a patch is an
// error: the patch decides.
func (d *Dataset) CVEsAffecting(version string) (CVEReport, error) {
	v, err := Parse(version)
	if err != nil {
		return CVEReport{}, err
	}
	if !v.HasPatch {
		return CVEReport{}, fmt.Errorf("version %q has no patch number; the CVE data needs the running patch", version)
	}
	rep := CVEReport{Version: v, Considered: len(d.CVEs), Source: d.DatasetSource()}
	if len(d.Minors) > 0 && v.CompareMinor(d.Minors[0].v) < 0 {
		rep.BelowCoverage = true
	}
	for i := range d.CVEs {
		c := &d.CVEs[i]
		r, ok := c.containing(v)
		if !ok {
			continue
		}
		if v.IsLTSPatch() {
			if lf, ok := c.LTSFixed[v.MinorString()]; ok {
				fix := MustParse(lf)
				if v.Less(fix) {
					rep.Affecting = append(rep.Affecting, CVEMatch{CVE: c, FixedIn: fix})
				}
				continue
			}
			rep.Uncovered = append(rep.Uncovered, CVEMatch{CVE: c, FixedIn: r.fixed})
			continue
		}
		rep.Affecting = append(rep.Affecting, CVEMatch{CVE: c, FixedIn: r.fixed})
	}
	rep.LTSBackports = v.IsLTSPatch() && len(rep.Uncovered) > 0
	byID := func(a, b CVEMatch) int { return strings.Compare(a.CVE.ID, b.CVE.ID) }
	slices.SortFunc(rep.Affecting, byID)
	slices.SortFunc(rep.Uncovered, byID)
	return rep, nil
}

// containing returns the affected range holding v. An AKS LTS patch of a
// minor is matched as upstream sees it: a fix released in that minor's
// upstream patches (< .100) is in every LTS build, which AKS bases on the
// last upstream patch; a fix only in a later minor is not known to be.
func (c *CVE) containing(v Version) (vrange, bool) {
	for _, r := range c.ranges {
		if r.contains(v) {
			return r, true
		}
	}
	return vrange{}, false
}

// FixTarget is a version that fixes every match: the highest FixedIn,
// raised while it still falls in an affected range of one of the matches
// (a fix in a later minor can come at a higher patch there).
func FixTarget(ms []CVEMatch) (Version, bool) {
	var best Version
	for _, m := range ms {
		if !best.HasPatch || best.Less(m.FixedIn) {
			best = m.FixedIn
		}
	}
	for range 16 {
		raised := false
		for _, m := range ms {
			if r, ok := m.CVE.containing(best); ok {
				best, raised = r.fixed, true
			}
		}
		if !raised {
			break
		}
	}
	return best, best.HasPatch
}
