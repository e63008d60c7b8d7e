package identity

import (
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

type spState int

const (
	spNone spState = iota
	spYes
	spNo
	spUnknown
)

// usesServicePrincipal decides whether the cluster runs with a service
// principal: clientId "msi" (or an identity block) means managed identity.
func usesServicePrincipal(c *inventory.Cluster) spState {
	// An identity block means a managed identity, whatever clientId says:
	// recorded az responses sanitise "msi" into a GUID.
	t, sp := c.IdentityType, c.ServicePrincipalClientID
	switch {
	case t.IsUnknown():
		return spUnknown
	case t.IsKnown() && kit.EqFold(t.Val, "SystemAssigned", "UserAssigned"):
		return spNo
	case sp.IsUnknown():
		return spUnknown
	case sp.IsKnown() && strings.EqualFold(sp.Val, "msi"):
		return spNo
	case sp.IsKnown() && sp.Val != "":
		return spYes
	}
	return spNone
}
