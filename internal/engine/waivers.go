package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/config"
)

// applyPolicy turns failing results into waived ones where a waiver
// matches, drops excluded results (counting them), and warns about expired
// waivers, which are no longer applied.
func applyPolicy(rs []check.Result, opts Options) ([]check.Result, int, map[string]int, []string) {
	var warnings []string
	active := make([]config.Waiver, 0, len(opts.Waivers))
	for _, w := range opts.Waivers {
		if !w.ExpiresAt().IsZero() && opts.Now.After(w.ExpiresAt()) {
			warnings = append(warnings, fmt.Sprintf("%s:%d: the waiver for %s on %q expired on %s and is no longer applied: renew it with a new date or fix the finding",
				opts.ConfigFile, w.Line, w.Control, orAll(w.Resource), w.Expires))
			continue
		}
		active = append(active, w)
	}
	warnings = append(warnings, unmatchedWaivers(active, rs, opts)...)
	excludedNS := map[string]bool{}
	for _, ns := range opts.ExcludedNamespaces {
		excludedNS[ns] = true
	}
	seen := map[string]bool{}
	warn := func(w string) {
		if !seen[w] {
			seen[w] = true
			warnings = append(warnings, w)
		}
	}
	out := rs[:0]
	excluded := 0
	by := map[string]int{}
	for _, r := range rs {
		switch {
		case r.System && !opts.IncludeSystem:
			excluded++
			by["AKS-managed or system object"]++
			continue
		case r.Resource.Namespace != "" && excludedNS[r.Resource.Namespace]:
			excluded++
			by["namespace "+r.Resource.Namespace+" excluded by configuration"]++
			continue
		}
		if r.Status == check.Fail {
			if w, ok := firstMatch(active, r); ok {
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
		out = append(out, r)
	}
	return out, excluded, by, warnings
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
// the scan at all (whatever its status, excluded results included): a typo
// in control or resource would otherwise be ignored silently. Waivers of
// controls that did not run (--control, disabled) are not reported.
func unmatchedWaivers(ws []config.Waiver, rs []check.Result, opts Options) []string {
	var out []string
	for _, w := range ws {
		matched, ran := false, false
		for _, r := range rs {
			if w.Match(r.Control, r.Resource) {
				matched = true
				break
			}
		}
		if matched {
			continue
		}
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
