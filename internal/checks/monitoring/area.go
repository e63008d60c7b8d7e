// Package monitoring holds the controls of catalog area MON (monitoring and
// threat protection), one file per control: its metadata, its judge and its
// remediation.
package monitoring

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		mon001,
		mon002,
		mon003,
		mon004,
		mon005,
	}
}
