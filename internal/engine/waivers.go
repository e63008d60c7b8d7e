package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/config"
	"github.com/aksguard/aksguard/internal/report"
)

// applyPolicy turns failing results into waived ones where a waiver
// matches, drops excluded results (counting them), and warns about expired
// waivers, which are no longer applied, and waivers that match no result.
func applyPolicy(rs []check.Result, opts Options) ([]check.Result, int, map[string]int, []string) {
	p := newPolicy(opts)
	a := p.apply(rs, false)
	return a.kept, a.excluded, a.by, p.warnings([]applied{a})
}

// policy is the configuration applied to the controls' results: waivers,
// exclusions of system objects and namespaces. apply is safe to call from
// several goroutines at once (each on its own results); the engine applies
// it to each control's results as soon as the control has run, so that the
// pass results it only counts are never all held at once.
type policy struct {
	opts       Options
	active     []config.Waiver // the waivers not expired
	expired    []string        // warnings about the expired ones
	excludedNS map[string]bool
}

func newPolicy(opts Options) *policy {
	p := &policy{opts: opts, active: make([]config.Waiver, 0, len(opts.Waivers)), excludedNS: map[string]bool{}}
	for _, w := range opts.Waivers {
		if !w.ExpiresAt().IsZero() && opts.Now.After(w.ExpiresAt()) {
			p.expired = append(p.expired, fmt.Sprintf("%s:%d: the waiver for %s on %q expired on %s and is no longer applied: renew it with a new date or fix the finding",
				opts.ConfigFile, w.Line, w.Control, orAll(w.Resource), w.Expires))
			continue
		}
		p.active = append(p.active, w)
	}
	for _, ns := range opts.ExcludedNamespaces {
		p.excludedNS[ns] = true
	}
	return p
}

// applied is what applying the policy to some results gave.
type applied struct {
	kept []check.Result
	// passed and notApplicable count the results left out of kept when
	// counting was asked for.
	passed, notApplicable int
	// counted and countedBy split passed and notApplicable by control
	// and cluster and by summary row (countDropped).
	counted   map[report.ControlScope]report.Counted
	countedBy map[string]report.Counted
	excluded  int
	by        map[string]int
	// warnings are the annotation warnings, each once, in result order.
	warnings []string
	// matched tells, for each active waiver, whether it matched one of
	// the results (whatever its status, excluded results included).
	matched []bool
}

// apply waives, excludes and (with count) counts pass and not-applicable
// results instead of keeping them. It reuses rs's array for kept.
func (p *policy) apply(rs []check.Result, count bool) applied {
	opts := p.opts
	a := applied{by: map[string]int{}, matched: make([]bool, len(p.active))}
	for i, w := range p.active {
		for j := range rs {
			if w.Match(rs[j].Control, rs[j].Resource) {
				a.matched[i] = true
				break
			}
		}
	}
	seen := map[string]bool{}
	warn := func(w string) {
		if !seen[w] {
			seen[w] = true
			a.warnings = append(a.warnings, w)
		}
	}
	out := rs[:0]
	for _, r := range rs {
		switch {
		case r.System && !opts.IncludeSystem:
			a.excluded++
			a.by["AKS-managed or system object"]++
			continue
		case r.Resource.Namespace != "" && p.excludedNS[r.Resource.Namespace]:
			a.excluded++
			a.by["namespace "+r.Resource.Namespace+" excluded by configuration"]++
			continue
		}
		if r.Status == check.Fail {
			if w, ok := firstMatch(p.active, r); ok {
				r.Status = check.Waived
				r.Message = fmt.Sprintf("waived until %s: %s (%s:%d) — finding: %s", w.Expires, w.Reason, opts.ConfigFile, w.Line, r.Message)
			} else if aw, ok := annotationWaiver(r); ok && !opts.Strict {
				switch {
				case aw.bad != "":
					warn(fmt.Sprintf("%s: the aksguard.io/waive annotation of %s for %s %s, so it is not applied: write %s=REASON;expires=YYYY-MM-DD",
						where(r), config.ResourcePath(r.Resource), r.Control, aw.bad, r.Control))
				case !aw.expires.IsZero() && opts.Now.After(aw.expires):
					warn(fmt.Sprintf("%s: the aksguard.io/waive annotation of %s for %s expired on %s and is no longer applied: renew it with a new date or fix the finding",
						where(r), config.ResourcePath(r.Resource), r.Control, aw.expiresText))
				case aw.expiresText != "":
					r.Status = check.Waived
					r.Message = fmt.Sprintf("waived by annotation aksguard.io/waive until %s: %s — finding: %s", aw.expiresText, aw.reason, r.Message)
				default:
					r.Status = check.Waived
					r.Message = fmt.Sprintf("waived by annotation aksguard.io/waive: %s — finding: %s", aw.reason, r.Message)
				}
			}
		}
		if count && (r.Status == check.Pass || r.Status == check.NotApplicable) {
			a.countDropped(r)
			continue
		}
		out = append(out, r)
	}
	clear(rs[len(out):]) // let the dropped results' evidence be collected
	a.kept = out
	return a
}

// warnings are the policy's warnings after it was applied to every result
// of the scan, in parts: the expired waivers, the waivers that matched no
// result, then the annotation warnings in result order, each once.
func (p *policy) warnings(parts []applied) []string {
	matched := make([]bool, len(p.active))
	for _, a := range parts {
		for i, m := range a.matched {
			matched[i] = matched[i] || m
		}
	}
	out := append([]string(nil), p.expired...)
	out = append(out, unmatchedWaivers(p.active, matched, p.opts)...)
	seen := map[string]bool{}
	for _, a := range parts {
		for _, w := range a.warnings {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func orAll(pattern string) string {
	if pattern == "" {
		return "*"
	}
	return pattern
}

func firstMatch(ws []config.Waiver, r check.Result) (config.Waiver, bool) {
	for _, w := range ws {
		if w.Match(r.Control, r.Resource) {
			return w, true
		}
	}
	return config.Waiver{}, false
}

// annotationEntry is one control's entry of an aksguard.io/waive annotation.
type annotationEntry struct {
	reason      string
	expiresText string    // as written; empty when the entry sets none
	expires     time.Time // the end of the expiry day (UTC)
	bad         string    // why the entry cannot be applied (a malformed expiry)
}

// annotationWaiver reads the result's control from an aksguard.io/waive
// annotation: entries "AKS-WKL-008=reason", separated by ';' or newlines,
// each optionally followed by "expires=YYYY-MM-DD" (which belongs to the
// entry before it), e.g. "AKS-WKL-008=log agent;expires=2027-01-31;
// AKS-WKL-010=reason". An entry without a reason does not waive; one whose
// expiry is not a date is reported and does not waive either.
func annotationWaiver(r check.Result) (annotationEntry, bool) {
	if r.WaiveAnnotation == "" {
		return annotationEntry{}, false
	}
	var cur *annotationEntry
	var found annotationEntry
	ok := false
	for _, entry := range strings.FieldsFunc(r.WaiveAnnotation, func(c rune) bool { return c == ';' || c == '\n' }) {
		key, val, hasEq := strings.Cut(entry, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !hasEq {
			continue
		}
		if strings.EqualFold(key, "expires") {
			if cur != nil {
				cur.expiresText = val
				t, err := time.Parse("2006-01-02", val)
				if err != nil {
					cur.bad = fmt.Sprintf("has expires=%q, which is not a date like 2027-01-31", val)
				} else {
					cur.expires = t.Add(24*time.Hour - time.Nanosecond)
				}
			}
			continue
		}
		cur = nil
		if strings.EqualFold(key, r.Control) && val != "" && !ok {
			found = annotationEntry{reason: val}
			cur, ok = &found, true
		}
	}
	return found, ok
}

// where names the place of a result for a warning.
func where(r check.Result) string {
	if r.Source.File == "" {
		return config.ResourcePath(r.Resource)
	}
	if r.Source.Line > 0 {
		return fmt.Sprintf("%s:%d", r.Source.File, r.Source.Line)
	}
	return r.Source.File
}

// unmatchedWaivers warns about configuration waivers that match no result of
// the scan at all (whatever its status, excluded results included; matched
// tells which did): a typo in control or resource would otherwise be ignored
// silently. Waivers of controls that did not run (--control, disabled) are
// not reported.
func unmatchedWaivers(ws []config.Waiver, matched []bool, opts Options) []string {
	var out []string
	for i, w := range ws {
		if matched[i] {
			continue
		}
		ran := false
		for _, c := range check.All() {
			if w.MatchControl(c.ID) {
				if !opts.Disabled[c.ID] && (len(opts.Only) == 0 || opts.Only[c.ID]) {
					ran = true
				}
			}
		}
		if !ran {
			continue
		}
		out = append(out, fmt.Sprintf("%s:%d: the waiver for %s on %q matches no result of this scan: check its control and resource (resources are named Kind/namespace/name or Kind/name, as in the report)",
			opts.ConfigFile, w.Line, w.Control, orAll(w.Resource)))
	}
	return out
}

// now returns the options' time or the current time.
func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}
