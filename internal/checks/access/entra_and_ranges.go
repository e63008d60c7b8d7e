package access

import (
	"net/netip"
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var refAuthorizedIPs = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"

// aadApplies emits not-applicable / not-assessed unless managed AAD is on.
func aadApplies(c *inventory.Cluster, o *kit.Out) bool {
	switch {
	case c.AADManaged.IsUnknown():
		o.Unresolved("whether managed Entra ID is enabled", kit.Ev(c.AADManaged, ""))
		return false
	case c.AADProfile.IsUnknown():
		o.Unresolved("whether Entra ID is enabled", kit.Ev(c.AADProfile, ""))
		return false
	case !c.AADManaged.Or(false):
		o.NA("managed Entra ID integration is not enabled (see AKS-ACC-004)", kit.Ev(c.AADManaged, "no managed AAD"))
		return false
	}
	return true
}

// parseRange reads a CIDR or a bare address (a /32 or /128).
func parseRange(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
