// Package workloads holds the controls of catalog area WKL (workloads), one
// file per control: its metadata, its judge and its remediation.
package workloads

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		wkl001,
		wkl002,
		wkl003,
		wkl004,
		wkl005,
		wkl006,
		wkl007,
		wkl008,
		wkl009,
		wkl010,
		wkl011,
		wkl012,
		wkl013,
		wkl014,
	}
}
