package images

import (
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestIMG003UnknownValues: a registry setting the input leaves unresolved
// (an expression, an unknown variable) is no proof: not-assessed naming
// why, never a pass, and never a failure that says "enabled" when nothing
// said so; a known problem still fails.
func TestIMG003UnknownValues(t *testing.T) {
	private := func() *inventory.Registry {
		return &inventory.Registry{Name: "acr",
			PublicNetworkAccess: inventory.Set("Disabled", "properties.publicNetworkAccess", 3),
			AdminUserEnabled:    inventory.Set(false, "properties.adminUserEnabled", 4),
			PrivateEndpoints:    inventory.Set(1, "properties.privateEndpointConnections", 5)}
	}
	for _, c := range []struct {
		name string
		edit func(r *inventory.Registry)
		want check.Status
	}{
		{"private", func(*inventory.Registry) {}, check.Pass},
		{"public network access unresolved", func(r *inventory.Registry) {
			r.PublicNetworkAccess = inventory.Unresolved[string]("unresolved expression [parameters('pna')]", "properties.publicNetworkAccess", 3)
		}, check.NotAssessed},
		{"public network access unresolved, admin user on", func(r *inventory.Registry) {
			r.PublicNetworkAccess = inventory.Unresolved[string]("unresolved expression [parameters('pna')]", "properties.publicNetworkAccess", 3)
			r.AdminUserEnabled = inventory.Set(true, "properties.adminUserEnabled", 4)
		}, check.Fail},
		{"admin user unresolved", func(r *inventory.Registry) {
			r.AdminUserEnabled = inventory.Unresolved[bool]("unresolved expression [variables('admin')]", "properties.adminUserEnabled", 4)
		}, check.NotAssessed},
		{"public network access absent (Enabled by default)", func(r *inventory.Registry) { r.PublicNetworkAccess = inventory.Field[string]{} }, check.Fail},
	} {
		r := private()
		c.edit(r)
		rs := runIMG003(&check.Context{Settings: check.DefaultSettings(), Inv: &inventory.Inventory{Registries: []*inventory.Registry{r}}})
		if len(rs) != 1 || rs[0].Status != c.want {
			t.Errorf("%s: %+v, want one result %s", c.name, rs, c.want)
		}
	}
}
