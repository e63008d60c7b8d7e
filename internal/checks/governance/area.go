// Package governance holds the controls of catalog area GOV (governance:
// Azure Policy and admission policies), one file per control: its metadata,
// its judge and its remediation.
package governance

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		gov001,
		gov002,
	}
}
