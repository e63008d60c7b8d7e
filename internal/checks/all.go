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
	"github.com/aksguard/aksguard/internal/checks/dashboard"
	"github.com/aksguard/aksguard/internal/checks/governance"
	"github.com/aksguard/aksguard/internal/checks/identity"
	"github.com/aksguard/aksguard/internal/checks/images"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/monitoring"
	"github.com/aksguard/aksguard/internal/checks/network"
	"github.com/aksguard/aksguard/internal/checks/nodes"
	"github.com/aksguard/aksguard/internal/checks/rbac"
	"github.com/aksguard/aksguard/internal/checks/secrets"
	"github.com/aksguard/aksguard/internal/checks/upgrades"
	"github.com/aksguard/aksguard/internal/checks/workloads"
)

// All returns every control of the catalog, area by area.
func All() []*check.Control {
	var all []*check.Control
	for _, area := range [][]*check.Control{
		access.Controls(),
		identity.Controls(),
		network.Controls(),
		dashboard.Controls(),
		upgrades.Controls(),
		nodes.Controls(),
		monitoring.Controls(),
		governance.Controls(),
		images.Controls(),
		workloads.Controls(),
		secrets.Controls(),
		rbac.Controls(),
	} {
		all = append(all, area...)
	}
	return all
}

func init() {
	for _, c := range All() {
		check.Register(c)
	}
	// The engine names per-scan Kubernetes results through this hook; the
	// join of the Kubernetes input to its cluster is decided in kit.
	check.KubeScope = kit.KubeScopeResource
}

// ImageRegistry is the registry host of an image reference, with the
// default registry for Docker Hub short names (the live scan uses it to
// choose the registries to read).
func ImageRegistry(image string) string { return imageref.ImageRegistry(image) }
