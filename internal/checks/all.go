// Package checks is the catalog's list of controls. Each catalog area is a
// package (access, identity, network, …) with one file per control holding
// its metadata, its judge and its remediation; the machinery they share
// (results and evidence, remediation rendering, per-cluster, per-object and
// mixed runners, system-object rules, the RBAC index, the effective
// security context, the NetworkPolicy union, image references) lives in kit
// and its sub-packages. All is the explicit list; importing this package
// registers it with the check registry once.
package checks

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/access"
	"github.com/aksguard/aksguard/internal/checks/audit"
	"github.com/aksguard/aksguard/internal/checks/dashboard"
	"github.com/aksguard/aksguard/internal/checks/governance"
	"github.com/aksguard/aksguard/internal/checks/identity"
	"github.com/aksguard/aksguard/internal/checks/images"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/monitoring"
	"github.com/aksguard/aksguard/internal/checks/network"
	"github.com/aksguard/aksguard/internal/checks/nodes"
	"github.com/aksguard/aksguard/internal/checks/rbac"
	"github.com/aksguard/aksguard/internal/checks/secrets"
	"github.com/aksguard/aksguard/internal/checks/upgrades"
	"github.com/aksguard/aksguard/internal/checks/workloads"
)

// Area is one catalog area: its package's folder under internal/checks
// (which holds the area's per-control fixtures in testdata/<CONTROL-ID>/)
// and its controls.
type Area struct {
	Dir      string
	Controls []*check.Control
}

// Areas lists the catalog areas in catalog order. A new control is added
// to its area's Controls list; a new area is added here.
func Areas() []Area {
	return []Area{
		{"access", access.Controls()},
		{"identity", identity.Controls()},
		{"network", network.Controls()},
		{"dashboard", dashboard.Controls()},
		{"upgrades", upgrades.Controls()},
		{"nodes", nodes.Controls()},
		{"monitoring", monitoring.Controls()},
		{"governance", governance.Controls()},
		{"images", images.Controls()},
		{"workloads", workloads.Controls()},
		{"secrets", secrets.Controls()},
		{"rbac", rbac.Controls()},
		{"audit", audit.Controls()},
	}
}

// All returns every control of the catalog, area by area.
func All() []*check.Control {
	var all []*check.Control
	for _, a := range Areas() {
		all = append(all, a.Controls...)
	}
	return all
}

func init() {
	for _, c := range All() {
		check.Register(c)
	}
}

// ImageRegistry is the registry host of an image reference, with the
// default registry for Docker Hub short names (the live scan uses it to
// choose the registries to read).
func ImageRegistry(image string) string { return imageref.ImageRegistry(image) }
