// Package nodes holds the controls of catalog area NOD (nodes), one file per
// control: its metadata, its judge and its remediation.
package nodes

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		nod001,
		nod002,
		nod003,
		nod004,
	}
}
