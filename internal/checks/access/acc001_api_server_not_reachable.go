package access

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc001 = &check.Control{
	ID: "AKS-ACC-001", Title: "API server not reachable from the whole internet", Severity: check.Critical, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "A public API server without authorized IP ranges accepts connections from any address, exposing authentication endpoints and any vulnerability of the API server to the whole internet.",
	FailsWhen:   "The API server is public (not a private cluster) and has no authorized IP ranges, or a range contains 0.0.0.0/0.",
	Remediation: "Restrict the API server to the networks that administer the cluster with authorized IP ranges, or make the cluster private.",
	References:  []string{refAuthorizedIPs, "https://learn.microsoft.com/azure/aks/private-clusters"},
	Mappings: check.Mappings{
		CIS17: []string{"5.4.1"}, CIS18: []string{"5.4.1"},
		AzurePolicy: []string{
			"0e246bcf-5f6f-4f87-bc6f-775d4712c7ea", // Authorized IP ranges should be defined on Kubernetes Services
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --api-server-authorized-ip-ranges <admin-CIDR>[,<CIDR>...]",
		TF:  `api_server_access_profile { authorized_ip_ranges = ["<admin-CIDR>"] }`,
		ARM: `properties.apiServerAccessProfile.authorizedIPRanges: ["<admin-CIDR>"]`,
	}, evalACC001),
}

func evalACC001(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.Unresolved("whether the cluster is private", kit.Ev(priv, ""))
		return
	case priv.Or(false):
		o.Pass("private cluster: the API server has no public endpoint", kit.Ev(priv, ""))
		return
	}
	r := c.AuthorizedIPRanges
	pe := kit.Ev(priv, "public API server by default")
	switch {
	case r.IsUnknown():
		o.Unresolved("the authorized IP ranges", pe, kit.Ev(r, ""))
	case len(r.Val) == 0:
		o.Fail("public API server without authorized IP ranges: reachable from the whole internet", pe, kit.Ev(r, "no ranges"))
	default:
		for _, cidr := range r.Val {
			if p, err := parseRange(cidr); err == nil && p.Bits() == 0 {
				o.Fail(fmt.Sprintf("authorized range %s admits the whole internet", cidr), pe, kit.Ev(r, ""))
				return
			}
		}
		o.Pass(fmt.Sprintf("public API server restricted to %d authorized range(s)", len(r.Val)), pe, kit.Ev(r, ""))
	}
}
