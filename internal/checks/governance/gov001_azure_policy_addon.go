package governance

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var gov001 = &check.Control{
	ID: "AKS-GOV-001", Title: "Azure Policy add-on", Severity: check.Medium, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "The Azure Policy add-on runs Gatekeeper with Azure's built-in pod security and image policies, audited centrally across clusters.",
	FailsWhen:   "The azurepolicy add-on is disabled.",
	Remediation: "Enable the Azure Policy add-on and assign the Kubernetes pod security baseline initiative.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-azure-policy", "https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"0a15ec92-a229-4763-bb14-0ea34a568f8d", // Azure Policy Add-on for Kubernetes service (AKS) should be installed and enabled on your clusters
			"a8eff44f-8c92-45c3-a3fb-9880802d67a7", // Deploy Azure Policy Add-on to Azure Kubernetes Service clusters
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks enable-addons -g {rg} -n {name} -a azure-policy",
		TF:  "azure_policy_enabled = true",
		ARM: "properties.addonProfiles.azurepolicy.enabled: true",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: kit.AddonField(c, "azurepolicy"), Want: true, Def: false, DefNote: "add-on not enabled",
			PassMsg: "the Azure Policy add-on is enabled", FailMsg: "the Azure Policy add-on is not enabled", What: "whether the Azure Policy add-on is enabled"})
	}),
}
