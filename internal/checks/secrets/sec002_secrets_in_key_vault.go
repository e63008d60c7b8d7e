package secrets

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var sec002 = &check.Control{
	ID: "AKS-SEC-002", Title: "Secrets externalised to Key Vault", Severity: check.Medium, Area: kit.AreaSecrets,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Kubernetes Secrets are base64 in etcd and readable by anyone with get on secrets; the Key Vault provider keeps secrets in Key Vault with its access policies, audit and rotation.",
	FailsWhen:   "The Key Vault secrets provider add-on (azureKeyvaultSecretsProvider) is disabled.",
	Remediation: "Enable the Azure Key Vault provider for the Secrets Store CSI driver.",
	References:  []string{"https://learn.microsoft.com/azure/aks/csi-secrets-store-driver"},
	Mappings: check.Mappings{
		CIS17: []string{"4.5.2"}, CIS18: []string{"4.5.2"},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks enable-addons -g {rg} -n {name} -a azure-keyvault-secrets-provider --enable-secret-rotation",
		TF:  "key_vault_secrets_provider { secret_rotation_enabled = true }",
		ARM: "properties.addonProfiles.azureKeyvaultSecretsProvider: {enabled: true, config: {enableSecretRotation: \"true\"}}",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: kit.AddonField(c, "azureKeyvaultSecretsProvider"), Want: true, Def: false, DefNote: "add-on not enabled",
			PassMsg: "the Key Vault secrets provider is enabled", FailMsg: "the Key Vault secrets provider is not enabled", What: "whether the Key Vault secrets provider is enabled"})
	}),
}
