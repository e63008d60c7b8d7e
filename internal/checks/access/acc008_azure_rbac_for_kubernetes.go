package access

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc008 = &check.Control{
	ID: "AKS-ACC-008", Title: "Azure RBAC for Kubernetes authorization", Severity: check.Low, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Azure RBAC for Kubernetes authorization manages cluster permissions as Azure role assignments, audited and governed with the rest of the subscription.",
	FailsWhen:   "Entra ID is enabled without Azure RBAC. Not applicable without managed Entra ID.",
	Remediation: "Enable Azure RBAC for Kubernetes authorization.",
	References:  []string{"https://learn.microsoft.com/azure/aks/manage-azure-rbac"},
	Mappings: check.Mappings{
		CIS17: []string{"5.5.2"}, CIS18: []string{"5.5.2"},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-azure-rbac",
		TF:  "azure_active_directory_role_based_access_control { azure_rbac_enabled = true }",
		ARM: "properties.aadProfile.enableAzureRBAC: true",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		if !aadApplies(c, o) {
			return
		}
		o.JudgeBool(kit.BoolRule{Field: c.AzureRBAC, Want: true, Def: false, DefNote: "off by default",
			PassMsg: "Azure RBAC authorizes Kubernetes requests", FailMsg: "Entra ID is enabled without Azure RBAC for Kubernetes authorization", What: "whether Azure RBAC is enabled"})
	}),
}
