package access

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc005 = &check.Control{
	ID: "AKS-ACC-005", Title: "Local accounts disabled", Severity: check.High, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "The local admin kubeconfig (az aks get-credentials --admin) carries a cluster-admin certificate that bypasses Entra ID and Azure RBAC and cannot be revoked per user.",
	FailsWhen:   "disableLocalAccounts is not true.",
	Remediation: "Disable local accounts (requires managed Entra ID integration with Kubernetes RBAC).",
	References:  []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"993c2fcd-2b29-49d2-9eb0-df2c3a730c32", // Azure Kubernetes Service Clusters should have local authentication methods disabled
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --disable-local-accounts",
		TF:  "local_account_disabled = true",
		ARM: "properties.disableLocalAccounts: true",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: c.DisableLocalAccounts, Want: true, Def: false, DefNote: "local accounts enabled by default",
			PassMsg: "local accounts are disabled", FailMsg: "local accounts are enabled: the admin kubeconfig bypasses Entra ID", What: "whether local accounts are disabled"})
	}),
}
