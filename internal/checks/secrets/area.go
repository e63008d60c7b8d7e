// Package secrets holds the controls of catalog area SEC (secrets), one file
// per control: its metadata, its judge and its remediation.
package secrets

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		sec001,
		sec002,
		sec003,
		sec004,
	}
}
