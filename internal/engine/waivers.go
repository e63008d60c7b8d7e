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
	excludedNS := map[string]bool{}
	for _, ns := range opts.ExcludedNamespaces {
		excludedNS[ns] = true
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
			} else if reason, ok := annotationWaiver(r); ok && !opts.Strict {
				r.Status = check.Waived
				r.Message = fmt.Sprintf("waived by annotation aksguard.io/waive: %s — finding: %s", reason, r.Message)
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

// annotationWaiver reads "AKS-WKL-008=reason; AKS-WKL-010=reason" for the
// result's control. An entry without a reason does not waive.
func annotationWaiver(r check.Result) (string, bool) {
	if r.WaiveAnnotation == "" {
		return "", false
	}
	for _, entry := range strings.FieldsFunc(r.WaiveAnnotation, func(c rune) bool { return c == ';' || c == '\n' }) {
		id, reason, ok := strings.Cut(entry, "=")
		if ok && strings.EqualFold(strings.TrimSpace(id), r.Control) && strings.TrimSpace(reason) != "" {
			return strings.TrimSpace(reason), true
		}
	}
	return "", false
}

// now returns the options' time or the current time.
func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}
