// Package rbac holds the controls of catalog area RBA (Kubernetes RBAC), one file
// per control: its metadata, its judge and its remediation.
package rbac

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{rba001, rba002, rba003, rba004, rba005, rba006, rba007}
}
