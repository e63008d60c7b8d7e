package terraform

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// The azurerm resources AKS-IMG-003 reads: a container registry, and the
// private endpoints that connect to it.
const (
	typeACR = "azurerm_container_registry"
	typePE  = "azurerm_private_endpoint"
	// argPETarget is the argument of a private endpoint's
	// private_service_connection block that names the resource it
	// connects to.
	argPETarget = "private_connection_resource_id"
)

func init() {
	// The registry's admin password is exported, never read.
	sensitiveArgs[typeACR] = leaf("admin_password")
}

// pendingRegistry is a registry waiting for its private endpoints.
type pendingRegistry struct {
	reg  *inventory.Registry
	addr string
}

// pendingPE is one private endpoint instance: the resources its
// connections name. why is set when they (or whether the endpoint exists)
// cannot be read offline.
type pendingPE struct {
	addr string
	src  inventory.Source
	to   []link
	why  string
}

// mapRegistry maps an azurerm_container_registry: public network access
// (public_network_access_enabled, true by default), the admin user
// (admin_enabled, false by default). Its private endpoints are separate
// resources, counted when the input is finished (finishRegistries).
func mapRegistry(b block, src inventory.Source) *inventory.Registry {
	addr := b.path()
	reg := &inventory.Registry{Source: src}
	reg.ID = stringOf(b.attr("id")).Or("tf:" + addr)
	reg.Name = stringOf(b.attr("name")).Or(addr)
	reg.LoginServer = stringOf(b.attr("login_server")).Or("")
	pna := boolOf(b.attr("public_network_access_enabled"))
	reg.PublicNetworkAccess = inventory.Field[string]{State: pna.State, Why: pna.Why, Path: pna.Path, Line: pna.Line}
	if pna.State == inventory.Known {
		reg.PublicNetworkAccess.Val = "Disabled"
		if pna.Val {
			reg.PublicNetworkAccess.Val = "Enabled"
		}
	}
	reg.AdminUserEnabled = boolOf(b.attr("admin_enabled"))
	return reg
}

// peLinks reads the private_service_connection blocks of a private
// endpoint; why is set when they cannot be listed or one names nothing
// readable.
func peLinks(b block, linkOf func(block) link) ([]link, string) {
	conns, why := b.blocks("private_service_connection")
	var out []link
	for _, cb := range conns {
		l := linkOf(cb)
		if l.id == "" && len(l.refs) == 0 && why == "" {
			why = fmt.Sprintf("%s.%s = %s names no resource of this configuration", cb.path(), argPETarget, strings.Trim(l.describe(), "()"))
		}
		out = append(out, l)
	}
	return out, why
}

// finishRegistries counts, for each registry, the private endpoints of
// this input that connect to it, and adds the registries to the batch.
// A private endpoint declared elsewhere is not seen, so a registry that
// none connects to has an Unknown count, never zero; so has one whose
// endpoints' targets cannot be read.
func (c *collector) finishRegistries() {
	for _, pr := range c.registries {
		reg := pr.reg
		n, first, unsure := 0, "", ""
		line := 0
		for _, pe := range c.pes {
			hit := false
			for _, l := range pe.to {
				hit = hit || l.names(reg.ID, pr.addr)
			}
			switch {
			case hit && pe.why == "":
				if n == 0 {
					first, line = pe.addr, pe.src.Line
				}
				n++
			case pe.why != "" && unsure == "":
				unsure = fmt.Sprintf("private endpoint %s (%s:%d): %s", pe.addr, pe.src.File, pe.src.Line, pe.why)
			}
		}
		path := pr.addr + " (private endpoints)"
		switch {
		case n > 0:
			reg.PrivateEndpoints = inventory.Set(n, first, line)
		case unsure != "":
			reg.PrivateEndpoints = inventory.Unresolved[int]("whether a private endpoint connects to the registry cannot be read: "+unsure, path, reg.Source.Line)
		default:
			reg.PrivateEndpoints = inventory.Unresolved[int]("no azurerm_private_endpoint in this configuration connects to the registry; one declared in another configuration is not seen", path, reg.Source.Line)
		}
		c.batch.Registries = append(c.batch.Registries, reg)
	}
}

// names reports whether a link names the resource with the given ID or
// address (an address without instance key names an instance only when
// the reference has none either).
func (l link) names(id, addr string) bool {
	if l.id != "" {
		return strings.EqualFold(l.id, id)
	}
	for _, r := range l.refs {
		if r == addr {
			return true
		}
	}
	return false
}
