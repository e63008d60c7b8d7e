package access

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc004 = &check.Control{
	ID: "AKS-ACC-004", Title: "Microsoft Entra ID (AAD) integration", Severity: check.High, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "With managed Entra ID integration, users authenticate with their organisational identity (MFA, conditional access, central offboarding) instead of shared certificates.",
	FailsWhen:   "The cluster has no managed AAD profile (none, or the deprecated legacy AAD integration).",
	Remediation: "Enable AKS-managed Entra ID integration with an admin group.",
	References:  []string{"https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id"},
	// CIS 5.5.2 (Azure RBAC) too: it needs Entra ID, so this control's
	// failure fails it, and AKS-ACC-008 (not-applicable without Entra ID)
	// judges the rest.
	Mappings: check.Mappings{
		CIS17: []string{"5.5.1", "5.5.2"}, CIS18: []string{"5.5.1", "5.5.2"},
		AzurePolicy: []string{
			"450d2877-ebea-41e8-b00c-e286317d21bf", // Azure Kubernetes Service Clusters should enable Microsoft Entra ID integration
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-aad --aad-admin-group-object-ids <group-object-id>",
		TF:  "azure_active_directory_role_based_access_control { admin_group_object_ids = [\"<group-object-id>\"] }",
		ARM: "properties.aadProfile: {managed: true, adminGroupObjectIDs: [\"<group-object-id>\"]}",
	}, evalACC004),
}

func evalACC004(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	switch {
	case c.AADProfile.IsUnknown():
		o.Unresolved("the AAD profile", kit.Ev(c.AADProfile, ""))
	case c.AADManaged.IsUnknown():
		o.Unresolved("whether AAD is managed", kit.Ev(c.AADManaged, ""))
	case c.AADManaged.Or(false):
		o.Pass("AKS-managed Entra ID integration is enabled", kit.Ev(c.AADManaged, ""))
	case c.AADProfile.Or(false):
		o.Fail("legacy (non-managed) AAD integration: it is deprecated; migrate to AKS-managed Entra ID", kit.Ev(c.AADProfile, ""), kit.Ev(c.AADManaged, "legacy AAD"))
	default:
		o.Fail("no Entra ID integration: users authenticate with certificates or tokens outside Entra ID", kit.Ev(c.AADProfile, "no AAD profile"))
	}
}
