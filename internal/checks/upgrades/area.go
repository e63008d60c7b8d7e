// Package upgrades holds the controls of catalog area UPG (upgrades and versions), one file
// per control: its metadata, its judge and its remediation.
package upgrades

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{upg001, upg002, upg003, upg004, upg005, upg006, upg007, upg008, upg009, upg010}
}
