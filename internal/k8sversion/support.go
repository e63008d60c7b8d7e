package k8sversion

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Status is where a Kubernetes minor stands in AKS support on a given day.
type Status string

// Support statuses. Only Community and LongTerm count as supported: AKS
// platform support (N-3) gives no Kubernetes fixes, so CATALOG AKS-UPG-001
// treats it as unsupported.
const (
	Community Status = "community"         // in the N-2 community window
	LongTerm  Status = "long-term-support" // past community support, covered by AKS LTS
	Platform  Status = "platform-support"  // N-3: Azure platform issues only
	EndOfLife Status = "end-of-life"       // no support at all
	Preview   Status = "preview"           // not GA (no support, no SLA)
	Unknown   Status = "unknown"           // the data cannot tell
)

// Supported reports community or long-term support.
func (s Status) Supported() bool { return s == Community || s == LongTerm }

// Support plan names (managedClusters properties.supportPlan and the
// capabilities.supportPlan list of kubernetesVersions).
const (
	PlanCommunity = "KubernetesOfficial"
	PlanLTS       = "AKSLongTermSupport"
)

// Support judges a control-plane version on today, implementing CATALOG
// AKS-UPG-001: the community window holds the GA minors whose community end
// of life (inclusive) is not past; N-3 platform support is reported as
// Platform (unsupported); long-term support applies only when the cluster
// has sku.tier Premium AND supportPlan AKSLongTermSupport, and only until the
// minor's LTS end of life. With a merged live list, the list decides which
// minors are offered and under which plans. The reason is one sentence for
// a report.
func (d *Dataset) Support(version string, tierPremium, ltsPlan bool, today time.Time) (Status, string) {
	v, err := Parse(version)
	if err != nil {
		return Unknown, err.Error()
	}
	today = day(today)
	var st Status
	var why string
	if d.live != nil {
		st, why = d.supportLive(v, tierPremium && ltsPlan, today)
	} else {
		st, why = d.supportData(v, tierPremium && ltsPlan, today)
	}
	if ltsPlan && !tierPremium && !st.Supported() {
		why += "; supportPlan AKSLongTermSupport has no effect without sku.tier Premium"
	}
	return st, why
}

func (d *Dataset) supportData(v Version, lts bool, today time.Time) (Status, string) {
	m, ok := d.minor(v)
	if !ok {
		oldest, newest := d.Minors[0], d.Minors[len(d.Minors)-1]
		if v.CompareMinor(oldest.v) < 0 {
			return EndOfLife, fmt.Sprintf("%s is older than every minor in the data (the oldest, %s, left community support on %s)", v.MinorString(), oldest.Version, ymd(oldest.eol))
		}
		return Unknown, fmt.Sprintf("%s is newer than every minor in the data (newest %s); supply az aks get-versions output or refresh the data", v.MinorString(), newest.Version)
	}
	return d.judge(m, lts, today)
}

// judge applies the calendar to one minor.
func (d *Dataset) judge(m *Minor, lts bool, today time.Time) (Status, string) {
	switch {
	case today.Before(m.ga) && m.GAConfirmed:
		return Preview, fmt.Sprintf("%s is not GA in AKS before %s", m.Version, ymd(m.ga))
	case today.Before(m.ga):
		return Preview, fmt.Sprintf("%s is not GA in AKS (GA planned for %s)", m.Version, m.AKSGA)
	case !m.GAConfirmed:
		return Unknown, fmt.Sprintf("the data lists %s GA as planned for %s without confirming it; supply az aks get-versions output or refresh the data", m.Version, m.AKSGA)
	case !today.After(m.eol):
		return Community, fmt.Sprintf("%s is in AKS community support until %s", m.Version, ymd(m.eol))
	}
	if lts {
		switch {
		case m.ltsEOL.IsZero():
			return Unknown, fmt.Sprintf("%s left community support on %s and the data has no long-term-support end date for it", m.Version, ymd(m.eol))
		case !today.After(m.ltsEOL):
			return LongTerm, fmt.Sprintf("%s left community support on %s; AKS long-term support covers it until %s%s", m.Version, ymd(m.eol), ymd(m.ltsEOL), estimated(m))
		default:
			return EndOfLife, fmt.Sprintf("AKS long-term support for %s ended on %s%s", m.Version, ymd(m.ltsEOL), estimated(m))
		}
	}
	return d.afterCommunity(m, today)
}

// afterCommunity tells platform support (N-3) from end of life for a minor
// past its community end of life.
func (d *Dataset) afterCommunity(m *Minor, today time.Time) (Status, string) {
	successor := m.v.nextMinor(4)
	if n, ok := d.minor(successor); ok && n.GAConfirmed && !today.Before(n.ga) {
		return EndOfLife, fmt.Sprintf("%s left community support on %s and platform support ended with %s GA (%s)", m.Version, ymd(m.eol), n.Version, ymd(n.ga))
	}
	return Platform, fmt.Sprintf("%s left community support on %s; it has only AKS platform support (N-3, until %s GA), which gives no Kubernetes fixes and counts as unsupported", m.Version, ymd(m.eol), successor.MinorString())
}

func (d *Dataset) supportLive(v Version, lts bool, today time.Time) (Status, string) {
	src := d.LiveSource()
	lm := d.liveMinor(v)
	if lm == nil {
		if newest := d.liveNewest(); newest != nil && v.CompareMinor(*newest) > 0 {
			return Unknown, fmt.Sprintf("%s does not offer %s, which is newer than every minor it lists (newest %s)", src, v.MinorString(), newest.MinorString())
		}
		st, detail := EndOfLife, ""
		if m, ok := d.minor(v); ok && m.GAConfirmed && today.After(m.eol) {
			st, detail = d.afterCommunity(m, today)
			detail = "; " + detail
		}
		return st, fmt.Sprintf("%s does not offer %s (not even with long-term support)%s", src, v.MinorString(), detail)
	}
	community := len(lm.SupportPlans) == 0 || hasPlan(lm.SupportPlans, PlanCommunity)
	ltsOffered := hasPlan(lm.SupportPlans, PlanLTS)
	eolNote := ""
	if m, ok := d.minor(v); ok {
		eolNote = fmt.Sprintf("; community end of life %s per the dataset", ymd(m.eol))
	}
	switch {
	case lm.IsPreview:
		return Preview, fmt.Sprintf("%s offers %s only as a preview", src, v.MinorString())
	case community:
		return Community, fmt.Sprintf("%s offers %s with community support (KubernetesOfficial)%s", src, v.MinorString(), eolNote)
	case ltsOffered && lts:
		until := ""
		if m, ok := d.minor(v); ok && !m.ltsEOL.IsZero() {
			until = fmt.Sprintf(", until %s%s per the dataset", ymd(m.ltsEOL), estimated(m))
		}
		return LongTerm, fmt.Sprintf("%s offers %s only with AKSLongTermSupport, which the cluster uses%s", src, v.MinorString(), until)
	case ltsOffered:
		st := EndOfLife
		if m, ok := d.minor(v); ok && m.GAConfirmed && today.After(m.eol) {
			st, _ = d.afterCommunity(m, today)
		}
		return st, fmt.Sprintf("%s offers %s only with AKSLongTermSupport, which needs sku.tier Premium and supportPlan AKSLongTermSupport on the cluster", src, v.MinorString())
	}
	return Unknown, fmt.Sprintf("%s lists %s with unrecognised support plans %s", src, v.MinorString(), strings.Join(lm.SupportPlans, ", "))
}

func (d *Dataset) liveMinor(v Version) *inventory.VersionMinor {
	if d.live == nil {
		return nil
	}
	for i := range d.live.Minors {
		lv, err := Parse(d.live.Minors[i].Version)
		if err == nil && lv.SameMinor(v) {
			return &d.live.Minors[i]
		}
	}
	return nil
}

func (d *Dataset) liveNewest() *Version {
	var best *Version
	for _, lm := range d.live.Minors {
		lv, err := Parse(lm.Version)
		if err != nil {
			continue
		}
		if best == nil || lv.CompareMinor(*best) > 0 {
			b := lv.MinorOf()
			best = &b
		}
	}
	return best
}

func hasPlan(plans []string, want string) bool {
	for _, p := range plans {
		if strings.EqualFold(p, want) {
			return true
		}
	}
	return false
}

func estimated(m *Minor) string {
	if m.LTSEOLEstimated {
		return " (estimated)"
	}
	return ""
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }

// CommunityWindow lists the minors with community support on today, oldest
// first: from the live list when merged (offered with KubernetesOfficial,
// not preview), else the GA-confirmed dataset minors whose community end of
// life is not past.
func (d *Dataset) CommunityWindow(today time.Time) []string {
	today = day(today)
	var out []Version
	if d.live != nil {
		for _, lm := range d.live.Minors {
			v, err := Parse(lm.Version)
			if err != nil || lm.IsPreview || !(len(lm.SupportPlans) == 0 || hasPlan(lm.SupportPlans, PlanCommunity)) {
				continue
			}
			out = append(out, v.MinorOf())
		}
	} else {
		for i := range d.Minors {
			m := &d.Minors[i]
			if m.GAConfirmed && !today.Before(m.ga) && !today.After(m.eol) {
				out = append(out, m.v)
			}
		}
	}
	return minorStrings(out)
}

// LTSWindow lists the minors AKS long-term support covers on today.
func (d *Dataset) LTSWindow(today time.Time) []string {
	today = day(today)
	var out []Version
	if d.live != nil {
		for _, lm := range d.live.Minors {
			if v, err := Parse(lm.Version); err == nil && !lm.IsPreview && hasPlan(lm.SupportPlans, PlanLTS) {
				out = append(out, v.MinorOf())
			}
		}
	} else {
		for i := range d.Minors {
			m := &d.Minors[i]
			if m.GAConfirmed && !m.ltsEOL.IsZero() && !today.Before(m.ga) && !today.After(m.ltsEOL) {
				out = append(out, m.v)
			}
		}
	}
	return minorStrings(out)
}

func minorStrings(vs []Version) []string {
	slices.SortFunc(vs, Version.Compare)
	vs = slices.CompactFunc(vs, func(a, b Version) bool { return a.Compare(b) == 0 })
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.MinorString()
	}
	return out
}

// WindowDescription renders the community window for evidence, with end of
// life dates and minors whose GA the data does not confirm. Source() says
// which data it comes from.
func (d *Dataset) WindowDescription(today time.Time) string {
	win := d.CommunityWindow(today)
	parts := make([]string, 0, len(win))
	for _, w := range win {
		if m, ok := d.Minor(w); ok {
			parts = append(parts, fmt.Sprintf("%s (until %s)", w, ymd(m.eol)))
		} else {
			parts = append(parts, w)
		}
	}
	s := strings.Join(parts, ", ")
	if s == "" {
		s = "none"
	}
	if d.live == nil {
		t := day(today)
		for i := range d.Minors {
			m := &d.Minors[i]
			if !m.GAConfirmed && !t.Before(m.ga) {
				s += fmt.Sprintf("; %s GA planned for %s, not confirmed", m.Version, m.AKSGA)
			}
		}
	}
	return "on " + ymd(today) + ": " + s
}

// LatestPatch returns the newest patch of v's minor and where that comes
// from: the live list when it lists the minor with patches, else the
// dataset's latest known patch (with its as-of date). ok is false when
// neither knows.
func (d *Dataset) LatestPatch(minor string) (patch string, source string, ok bool) {
	v, err := Parse(minor)
	if err != nil {
		return "", "", false
	}
	if lm := d.liveMinor(v); lm != nil {
		var best Version
		for _, p := range lm.Patches {
			pv, err := Parse(p)
			if err != nil || !pv.HasPatch || !pv.SameMinor(v) {
				continue
			}
			if !best.HasPatch || best.Less(pv) {
				best = pv
			}
		}
		if best.HasPatch {
			return best.String(), d.LiveSource(), true
		}
	}
	m, found := d.minor(v)
	if !found || !m.latestPatch.HasPatch {
		return "", d.DatasetSource(), false
	}
	src := d.DatasetSource()
	if m.LatestPatchAsOf != "" {
		src += ", patch list as of " + m.LatestPatchAsOf
	}
	return m.latestPatch.String(), src, true
}

// UpgradeTarget suggests where a cluster outside support should go: the
// oldest minor newer than v that is supported on today under the cluster's
// plan (AKS lets an unsupported cluster upgrade straight to the oldest
// supported minor), as its latest patch when known, else as the minor alias.
func (d *Dataset) UpgradeTarget(version string, lts bool, today time.Time) (string, bool) {
	v, err := Parse(version)
	if err != nil {
		return "", false
	}
	win := d.CommunityWindow(today)
	if lts {
		win = append(win, d.LTSWindow(today)...)
	}
	var cands []Version
	for _, w := range win {
		if wv, err := Parse(w); err == nil && wv.CompareMinor(v) > 0 {
			cands = append(cands, wv)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	slices.SortFunc(cands, Version.Compare)
	target := cands[0].MinorString()
	if p, _, ok := d.LatestPatch(target); ok {
		return p, true
	}
	return target, true
}
