package checks

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaAccess = "API server access and authentication"

var refAuthorizedIPs = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"

func init() {
	check.Register(&check.Control{
		ID: "AKS-ACC-001", Title: "API server not reachable from the whole internet", Severity: check.Critical, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "A public API server without authorized IP ranges accepts connections from any address, exposing authentication endpoints and any vulnerability of the API server to the whole internet.",
		FailsWhen:   "The API server is public (not a private cluster) and has no authorized IP ranges, or a range contains 0.0.0.0/0.",
		Remediation: "Restrict the API server to the networks that administer the cluster with authorized IP ranges, or make the cluster private.",
		References:  []string{refAuthorizedIPs, "https://learn.microsoft.com/azure/aks/private-clusters"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --api-server-authorized-ip-ranges <admin-CIDR>[,<CIDR>...]",
			TF:  `api_server_access_profile { authorized_ip_ranges = ["<admin-CIDR>"] }`,
			ARM: `properties.apiServerAccessProfile.authorizedIPRanges: ["<admin-CIDR>"]`,
		}, evalACC001),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-002", Title: "Authorized IP ranges are narrow", Severity: check.High, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Authorized IP ranges only help when they are narrow: a /8 or a service tag admits millions of addresses, including other tenants' machines.",
		FailsWhen:   "An authorized range is wider than the configured prefix (default /16; IPv6 wider than /48), or is a service tag. 0.0.0.0/32 (the load balancer's own egress) is fine. Not applicable on private clusters and on public clusters without ranges (AKS-ACC-001 covers them).",
		Remediation: "Replace wide ranges with the specific egress addresses of your administrators, CI and VPN.",
		References:  []string{refAuthorizedIPs},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --api-server-authorized-ip-ranges <narrow-CIDR>[,<CIDR>...]",
			TF:  `api_server_access_profile { authorized_ip_ranges = ["<narrow-CIDR>"] }`,
			ARM: `properties.apiServerAccessProfile.authorizedIPRanges: ["<narrow-CIDR>"]`,
		}, evalACC002),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-003", Title: "Private cluster", Severity: check.Medium, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "A private cluster's API server has no public endpoint; it is reachable only from the virtual network and peered networks.",
		FailsWhen:   "The API server is public (even with authorized IP ranges). A private cluster whose public FQDN is still enabled fails at low severity.",
		Remediation: "Create the cluster as private (or enable it on a cluster with API Server VNet Integration) and disable the public FQDN.",
		References:  []string{"https://learn.microsoft.com/azure/aks/private-clusters", "https://learn.microsoft.com/azure/aks/api-server-vnet-integration"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-private-cluster (requires API Server VNet Integration; otherwise recreate with az aks create --enable-private-cluster)",
			TF:  "private_cluster_enabled = true (forces a new cluster)",
			ARM: "properties.apiServerAccessProfile.enablePrivateCluster: true",
		}, evalACC003),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-004", Title: "Microsoft Entra ID (AAD) integration", Severity: check.High, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "With managed Entra ID integration, users authenticate with their organisational identity (MFA, conditional access, central offboarding) instead of shared certificates.",
		FailsWhen:   "The cluster has no managed AAD profile (none, or the deprecated legacy AAD integration).",
		Remediation: "Enable AKS-managed Entra ID integration with an admin group.",
		References:  []string{"https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-aad --aad-admin-group-object-ids <group-object-id>",
			TF:  "azure_active_directory_role_based_access_control { admin_group_object_ids = [\"<group-object-id>\"] }",
			ARM: "properties.aadProfile: {managed: true, adminGroupObjectIDs: [\"<group-object-id>\"]}",
		}, evalACC004),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-005", Title: "Local accounts disabled", Severity: check.High, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "The local admin kubeconfig (az aks get-credentials --admin) carries a cluster-admin certificate that bypasses Entra ID and Azure RBAC and cannot be revoked per user.",
		FailsWhen:   "disableLocalAccounts is not true.",
		Remediation: "Disable local accounts (requires managed Entra ID integration with Kubernetes RBAC).",
		References:  []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --disable-local-accounts",
			TF:  "local_account_disabled = true",
			ARM: "properties.disableLocalAccounts: true",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: c.DisableLocalAccounts, want: true, def: false, defNote: "local accounts enabled by default",
				passMsg: "local accounts are disabled", failMsg: "local accounts are enabled: the admin kubeconfig bypasses Entra ID", what: "whether local accounts are disabled"})
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-006", Title: "Kubernetes RBAC enabled", Severity: check.Critical, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Without Kubernetes RBAC every authenticated user is effectively cluster-admin.",
		FailsWhen:   "enableRBAC is false.",
		Remediation: "Kubernetes RBAC can only be chosen at creation: recreate the cluster with RBAC enabled (the default) and migrate workloads.",
		References:  []string{"https://learn.microsoft.com/azure/aks/concepts-identity#kubernetes-rbac", "https://learn.microsoft.com/azure/aks/azure-ad-rbac"},
		Run: perCluster(fix{
			AZ:  "az aks create -g {rg} -n <new-cluster> ... (RBAC is on unless --disable-rbac is given); migrate workloads, then delete {name}",
			TF:  "role_based_access_control_enabled = true (forces a new cluster)",
			ARM: "properties.enableRBAC: true",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			if c.EnableRBAC.State == inventory.Absent && c.Format.Deployed() {
				// Early ARM API versions created clusters without RBAC unless
				// asked; Azure states enableRBAC in every cluster body it
				// returns, so a deployed body without it is incomplete.
				o.unknown("enableRBAC is not in this deployed cluster's body, and its default depended on the API version that created the cluster (early clusters were created without Kubernetes RBAC): scan the complete `az aks show` output",
					ev(c.EnableRBAC, "not stated"))
				return
			}
			// A template or Terraform configuration that omits it deploys
			// with today's default: RBAC on.
			o.judgeBool(boolRule{field: c.EnableRBAC, want: true, def: true, defNote: "Kubernetes RBAC is on by default",
				passMsg: "Kubernetes RBAC is enabled", failMsg: "Kubernetes RBAC is disabled: every authenticated user is cluster-admin", what: "whether Kubernetes RBAC is enabled"})
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-007", Title: "Admin access through groups", Severity: check.Medium, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Cluster-admin granted to an Entra ID group is reviewed and revoked centrally; without admin groups, admin access falls back to individual grants or local accounts.",
		FailsWhen:   "Entra ID is enabled but no admin group object IDs are set. Not applicable without managed Entra ID.",
		Remediation: "Set one or more Entra ID groups as cluster admins.",
		References:  []string{"https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --aad-admin-group-object-ids <group-object-id>",
			TF:  `azure_active_directory_role_based_access_control { admin_group_object_ids = ["<group-object-id>"] }`,
			ARM: `properties.aadProfile.adminGroupObjectIDs: ["<group-object-id>"]`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			if !aadApplies(c, o) {
				return
			}
			g := c.AdminGroupObjectIDs
			switch {
			case g.IsSetUnknown() && g.Len > 0:
				// [data.azuread_group.g.object_id]: the IDs wait for
				// apply, the count does not.
				o.pass(fmt.Sprintf("%d admin group(s) set (object IDs known after apply)", g.Len), ev(g, ""))
			case g.IsUnknown():
				o.unresolved("the admin groups", ev(g, ""))
			case len(g.Val) == 0:
				o.fail("Entra ID is enabled but no admin group is set", ev(g, "no admin groups"))
			default:
				o.pass(fmt.Sprintf("%d admin group(s) set", len(g.Val)), ev(g, ""))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-ACC-008", Title: "Azure RBAC for Kubernetes authorization", Severity: check.Low, Area: areaAccess,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Azure RBAC for Kubernetes authorization manages cluster permissions as Azure role assignments, audited and governed with the rest of the subscription.",
		FailsWhen:   "Entra ID is enabled without Azure RBAC. Not applicable without managed Entra ID.",
		Remediation: "Enable Azure RBAC for Kubernetes authorization.",
		References:  []string{"https://learn.microsoft.com/azure/aks/manage-azure-rbac"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-azure-rbac",
			TF:  "azure_active_directory_role_based_access_control { azure_rbac_enabled = true }",
			ARM: "properties.aadProfile.enableAzureRBAC: true",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			if !aadApplies(c, o) {
				return
			}
			o.judgeBool(boolRule{field: c.AzureRBAC, want: true, def: false, defNote: "off by default",
				passMsg: "Azure RBAC authorizes Kubernetes requests", failMsg: "Entra ID is enabled without Azure RBAC for Kubernetes authorization", what: "whether Azure RBAC is enabled"})
		}),
	})
}

// aadApplies emits not-applicable / not-assessed unless managed AAD is on.
func aadApplies(c *inventory.Cluster, o *out) bool {
	switch {
	case c.AADManaged.IsUnknown():
		o.unresolved("whether managed Entra ID is enabled", ev(c.AADManaged, ""))
		return false
	case c.AADProfile.IsUnknown():
		o.unresolved("whether Entra ID is enabled", ev(c.AADProfile, ""))
		return false
	case !c.AADManaged.Or(false):
		o.na("managed Entra ID integration is not enabled (see AKS-ACC-004)", ev(c.AADManaged, "no managed AAD"))
		return false
	}
	return true
}

func evalACC001(_ *check.Context, c *inventory.Cluster, o *out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.unresolved("whether the cluster is private", ev(priv, ""))
		return
	case priv.Or(false):
		o.pass("private cluster: the API server has no public endpoint", ev(priv, ""))
		return
	}
	r := c.AuthorizedIPRanges
	pe := ev(priv, "public API server by default")
	switch {
	case r.IsUnknown():
		o.unresolved("the authorized IP ranges", pe, ev(r, ""))
	case len(r.Val) == 0:
		o.fail("public API server without authorized IP ranges: reachable from the whole internet", pe, ev(r, "no ranges"))
	default:
		for _, cidr := range r.Val {
			if p, err := parseRange(cidr); err == nil && p.Bits() == 0 {
				o.fail(fmt.Sprintf("authorized range %s admits the whole internet", cidr), pe, ev(r, ""))
				return
			}
		}
		o.pass(fmt.Sprintf("public API server restricted to %d authorized range(s)", len(r.Val)), pe, ev(r, ""))
	}
}

func evalACC002(ctx *check.Context, c *inventory.Cluster, o *out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.unresolved("whether the cluster is private", ev(priv, ""))
		return
	case priv.Or(false):
		o.na("private cluster: authorized IP ranges do not apply", ev(priv, ""))
		return
	}
	r := c.AuthorizedIPRanges
	switch {
	case r.IsUnknown():
		o.unresolved("the authorized IP ranges", ev(r, ""))
		return
	case len(r.Val) == 0:
		o.na("public cluster without authorized ranges (AKS-ACC-001 reports it)", ev(r, "no ranges"))
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
		o.fail("authorized IP ranges too wide: "+strings.Join(wide, "; "), ev(r, ""), fact("threshold", fmt.Sprintf("/%d (IPv4), /%d (IPv6)", max4, max6)))
		return
	}
	o.pass(fmt.Sprintf("all %d authorized range(s) are /%d or narrower", len(r.Val), max4), ev(r, ""))
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

func evalACC003(_ *check.Context, c *inventory.Cluster, o *out) {
	priv := c.PrivateCluster
	switch {
	case priv.IsUnknown():
		o.unresolved("whether the cluster is private", ev(priv, ""))
	case !priv.Or(false):
		o.fail("the API server is public", ev(priv, "public by default"), ev(c.AuthorizedIPRanges, "no ranges"))
	case c.PrivateClusterPublicFQDN.IsUnknown():
		o.unresolved("whether the private cluster's public FQDN is enabled", ev(priv, ""), ev(c.PrivateClusterPublicFQDN, ""))
	case c.PrivateClusterPublicFQDN.Or(false):
		o.fail("private cluster with its public FQDN still enabled: the API server's private address is resolvable from public DNS",
			ev(priv, ""), ev(c.PrivateClusterPublicFQDN, ""))
		res := &o.results[len(o.results)-1]
		res.Severity = check.Low
		res.Remediation = publicFQDNFix.render(c, nil)
	default:
		o.pass("private cluster without a public FQDN", ev(priv, ""), ev(c.PrivateClusterPublicFQDN, "disabled by default"))
	}
}

var publicFQDNFix = fix{
	AZ:  "az aks update -g {rg} -n {name} --disable-public-fqdn",
	TF:  "private_cluster_public_fqdn_enabled = false",
	ARM: "properties.apiServerAccessProfile.enablePrivateClusterPublicFQDN: false",
}

func evalACC004(_ *check.Context, c *inventory.Cluster, o *out) {
	switch {
	case c.AADProfile.IsUnknown():
		o.unresolved("the AAD profile", ev(c.AADProfile, ""))
	case c.AADManaged.IsUnknown():
		o.unresolved("whether AAD is managed", ev(c.AADManaged, ""))
	case c.AADManaged.Or(false):
		o.pass("AKS-managed Entra ID integration is enabled", ev(c.AADManaged, ""))
	case c.AADProfile.Or(false):
		o.fail("legacy (non-managed) AAD integration: it is deprecated; migrate to AKS-managed Entra ID", ev(c.AADProfile, ""), ev(c.AADManaged, "legacy AAD"))
	default:
		o.fail("no Entra ID integration: users authenticate with certificates or tokens outside Entra ID", ev(c.AADProfile, "no AAD profile"))
	}
}
