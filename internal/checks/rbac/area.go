// Package rbac holds the controls of catalog area RBA (Kubernetes RBAC), one
// file per control: its metadata, its judge and its remediation. The
// controls that read the same RBAC index from other areas are AKS-DSH-002
// (dashboard bindings), AKS-IDN-005 (image pull secrets for ACR) and AKS-
// WKL-011 (unneeded service account tokens); the index is kit/rbacidx.
// Decisions are in docs/rbac-controls.md.
package rbac

import "github.com/aksguard/aksguard/internal/check"

// Controls lists the area's controls in ID order.
func Controls() []*check.Control {
	return []*check.Control{
		rba001,
		rba002,
		rba003,
		rba004,
		rba005,
		rba006,
		rba007,
	}
}
