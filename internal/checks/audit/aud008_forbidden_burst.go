package audit

import (
	"fmt"
	"slices"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud008Spec = &spec{
	id: "AKS-AUD-008", reads: readsPart, detect: detectForbidden,
	none:    "burst of forbidden (403) responses from one identity",
	burst:   true,
	keep:    burstOf,
	dropped: "identities with forbidden responses below the burst threshold",
	fix:     "Find what the identity tried (objectRef, verb): a burst of denials is an identity probing its permissions (a stolen token enumerating what it can do) or a broken deployment; revoke or rotate the credential if the activity is not expected.",
}

var aud008 = &check.Control{
	ID: "AKS-AUD-008", Title: "Burst of forbidden (403) responses from one identity", Severity: check.Medium, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG},
	Rationale:   "An identity that collects many authorization denials in a short time is probing what it may do: the pattern of a stolen token or a compromised pod enumerating the API.",
	FailsWhen:   "one identity receives at least thresholds.auditForbiddenBurst forbidden (403) responses (default 20) within thresholds.auditForbiddenWindowSeconds (default 300), counted exactly over a sliding window; one finding per identity, with the densest window. A pass on logs without read events (the kube-audit-admin category) is not-assessed: the denied reads are not in them.",
	Remediation: aud008Spec.fix,
	References:  []string{"https://kubernetes.io/docs/reference/access-authn-authz/authorization/", refK8sAudit, refAKSLogs},
	Audit:       aud008Spec.observer,
	Run:         aud008Spec.run,
}

// detectForbidden is AKS-AUD-008's observation: every 403, grouped by
// identity; the burst is decided when the control judges (the events of
// several logs arrive in any order).
func detectForbidden(ev *inventory.AuditEvent) (hit, bool) {
	if ev.Code != 403 {
		return hit{}, false
	}
	return hit{what: "forbidden (403) responses", object: objectName(ev)}, true
}

// burstOf keeps an identity whose densest window holds at least the
// threshold of forbidden responses.
func burstOf(ctx *check.Context, _ *scopeView, f *finding) (bool, []check.Evidence) {
	n, w := ctx.Settings.AuditBurstCount, ctx.Settings.AuditBurstWindow
	if n <= 0 {
		n = check.DefaultSettings().AuditBurstCount
	}
	if w <= 0 {
		w = check.DefaultSettings().AuditBurstWindow
	}
	count, start, end := densestWindow(f.times, w)
	if count < n {
		return false, nil
	}
	return true, []check.Evidence{{Path: "burst",
		Value: fmt.Sprintf("%d forbidden responses within %s, from %s to %s (threshold %d in %s)", count, w, stamp(time.Unix(0, start)), stamp(time.Unix(0, end)), n, w)}}
}

// densestWindow returns the largest number of times within any window of
// length w, and the first and last time of that window. It sorts times.
func densestWindow(times []int64, w time.Duration) (count int, start, end int64) {
	slices.Sort(times)
	i := 0
	for j, t := range times {
		for t-times[i] > int64(w) {
			i++
		}
		if j-i+1 > count {
			count, start, end = j-i+1, times[i], t
		}
	}
	return count, start, end
}
