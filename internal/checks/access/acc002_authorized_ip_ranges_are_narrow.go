package access

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc002 = &check.Control{
	ID: "AKS-ACC-002", Title: "Authorized IP ranges are narrow", Severity: check.High, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Authorized IP ranges only help when they are narrow: a /8 or a service tag admits millions of addresses, including other tenants' machines.",
	FailsWhen:   "An authorized range is wider than the configured prefix (default /16; IPv6 wider than /48), or is a service tag. 0.0.0.0/32 (the load balancer's own egress) is fine. Not applicable on private clusters and on public clusters without ranges (AKS-ACC-001 covers them).",
	Remediation: "Replace wide ranges with the specific egress addresses of your administrators, CI and VPN.",
	References:  []string{refAuthorizedIPs},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --api-server-authorized-ip-ranges <narrow-CIDR>[,<CIDR>...]",
		TF:  `api_server_access_profile { authorized_ip_ranges = ["<narrow-CIDR>"] }`,
		ARM: `properties.apiServerAccessProfile.authorizedIPRanges: ["<narrow-CIDR>"]`,
	}, evalACC002),
}

func evalACC002(ctx *check.Context, c *inventory.Cluster, o *kit.Out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.Unresolved("whether the cluster is private", kit.Ev(priv, ""))
		return
	case priv.Or(false):
		o.NA("private cluster: authorized IP ranges do not apply", kit.Ev(priv, ""))
		return
	}
	r := c.AuthorizedIPRanges
	switch {
	case r.IsUnknown():
		o.Unresolved("the authorized IP ranges", kit.Ev(r, ""))
		return
	case len(r.Val) == 0:
		o.NA("public cluster without authorized ranges (AKS-ACC-001 reports it)", kit.Ev(r, "no ranges"))
		return
	}
	max4 := ctx.Settings.AuthorizedRangeMaxPrefix
	if max4 <= 0 {
		max4 = 16
	}
	const max6 = 48
	var wide []string
	for _, cidr := range r.Val {
		p, err := parseRange(cidr)
		switch {
		case err != nil:
			wide = append(wide, cidr+" (not a CIDR: a service tag spans a whole cloud's address space)")
		case p.Addr().Is4() && p.Bits() < max4:
			wide = append(wide, fmt.Sprintf("%s (wider than /%d)", cidr, max4))
		case p.Addr().Is6() && p.Bits() < max6:
			wide = append(wide, fmt.Sprintf("%s (wider than /%d)", cidr, max6))
		}
	}
	if len(wide) > 0 {
		o.Fail("authorized IP ranges too wide: "+strings.Join(wide, "; "), kit.Ev(r, ""), kit.Fact("threshold", fmt.Sprintf("/%d (IPv4), /%d (IPv6)", max4, max6)))
		return
	}
	o.Pass(fmt.Sprintf("all %d authorized range(s) are /%d or narrower", len(r.Val), max4), kit.Ev(r, ""))
}
