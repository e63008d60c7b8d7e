// Package access holds the controls of catalog area ACC (API server access
// and authentication), one file per control: its metadata, its judge and its
// remediation.
package access

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		acc001,
		acc002,
		acc003,
		acc004,
		acc005,
		acc006,
		acc007,
		acc008,
	}
}
