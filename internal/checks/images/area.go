// Package images holds the controls of catalog area IMG (images and
// registries), one file per control: its metadata, its judge and its
// remediation.
package images

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		img001,
		img002,
		img003,
		img004,
		img005,
	}
}
