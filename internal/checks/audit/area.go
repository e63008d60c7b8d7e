// Package audit holds the controls of catalog area AUD (audit-log
// detections), one file per control: its metadata, what it detects in one
// audit event, and its remediation. The machinery they share lives in
// files named for what they hold: identities (identity.go), the bounded
// grouping of events into findings (observer.go), the judgement per
// cluster with the coverage of the logs (judge.go) and the pod templates
// read from request bodies (podspec.go).
package audit

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		aud001,
		aud002,
		aud003,
		aud004,
		aud005,
		aud006,
		aud007,
		aud008,
		aud009,
		aud010,
	}
}
