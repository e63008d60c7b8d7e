// Package identity holds the controls of catalog area IDN (cluster identity
// and credentials), one file per control: its metadata, its judge and its
// remediation.
package identity

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		idn001,
		idn002,
		idn003,
		idn004,
		idn005,
		idn006,
		idn007,
	}
}
