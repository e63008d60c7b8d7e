// Package network holds the controls of catalog area NET (network), one file
// per control: its metadata, its judge and its remediation.
package network

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		net001,
		net002,
		net003,
		net004,
		net005,
		net006,
		net007,
	}
}
