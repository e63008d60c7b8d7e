package access

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc007 = &check.Control{
	ID: "AKS-ACC-007", Title: "Admin access through groups", Severity: check.Medium, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Cluster-admin granted to an Entra ID group is reviewed and revoked centrally; without admin groups, admin access falls back to individual grants or local accounts.",
	FailsWhen:   "Entra ID is enabled but no admin group object IDs are set. Not applicable without managed Entra ID.",
	Remediation: "Set one or more Entra ID groups as cluster admins.",
	References:  []string{"https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --aad-admin-group-object-ids <group-object-id>",
		TF:  `azure_active_directory_role_based_access_control { admin_group_object_ids = ["<group-object-id>"] }`,
		ARM: `properties.aadProfile.adminGroupObjectIDs: ["<group-object-id>"]`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		if !aadApplies(c, o) {
			return
		}
		g := c.AdminGroupObjectIDs
		switch {
		case g.IsSetUnknown() && g.Len > 0:
			// [data.azuread_group.g.object_id]: the IDs wait for
			// apply, the count does not.
			o.Pass(fmt.Sprintf("%d admin group(s) set (object IDs known after apply)", g.Len), kit.Ev(g, ""))
		case g.IsUnknown():
			o.Unresolved("the admin groups", kit.Ev(g, ""))
		case len(g.Val) == 0:
			o.Fail("Entra ID is enabled but no admin group is set", kit.Ev(g, "no admin groups"))
		default:
			o.Pass(fmt.Sprintf("%d admin group(s) set", len(g.Val)), kit.Ev(g, ""))
		}
	}),
}
