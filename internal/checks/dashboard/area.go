// Package dashboard holds the controls of catalog area DSH (the Kubernetes
// Dashboard), one file per control: its metadata, its judge and its
// remediation.
package dashboard

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		dsh001,
		dsh002,
		dsh003,
	}
}
