package checks

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaSecrets = "Secrets"

func init() {
	check.Register(&check.Control{
		ID: "AKS-SEC-002", Title: "Secrets externalised to Key Vault", Severity: check.Medium, Area: areaSecrets,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Kubernetes Secrets are base64 in etcd and readable by anyone with get on secrets; the Key Vault provider keeps secrets in Key Vault with its access policies, audit and rotation.",
		FailsWhen:   "The Key Vault secrets provider add-on (azureKeyvaultSecretsProvider) is disabled.",
		Remediation: "Enable the Azure Key Vault provider for the Secrets Store CSI driver.",
		References:  []string{"https://learn.microsoft.com/azure/aks/csi-secrets-store-driver"},
		Run: perCluster(fix{
			AZ:  "az aks enable-addons -g {rg} -n {name} -a azure-keyvault-secrets-provider --enable-secret-rotation",
			TF:  "key_vault_secrets_provider { secret_rotation_enabled = true }",
			ARM: "properties.addonProfiles.azureKeyvaultSecretsProvider: {enabled: true, config: {enableSecretRotation: \"true\"}}",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: addonField(c, "azureKeyvaultSecretsProvider"), want: true, def: false, defNote: "add-on not enabled",
				passMsg: "the Key Vault secrets provider is enabled", failMsg: "the Key Vault secrets provider is not enabled", what: "whether the Key Vault secrets provider is enabled"})
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-SEC-003", Title: "Secret rotation", Severity: check.Low, Area: areaSecrets,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Without rotation, pods keep a secret's old value after it is rotated in Key Vault until they restart.",
		FailsWhen:   "The secrets provider is on without enableSecretRotation. Not applicable when the provider is off.",
		Remediation: "Enable secret rotation on the Key Vault secrets provider.",
		References:  []string{"https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options#enable-and-disable-auto-rotation"},
		Run: perCluster(fix{
			AZ:  "az aks addon update -g {rg} -n {name} -a azure-keyvault-secrets-provider --enable-secret-rotation",
			TF:  "key_vault_secrets_provider { secret_rotation_enabled = true }",
			ARM: "properties.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation: \"true\"",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			on := addonField(c, "azureKeyvaultSecretsProvider")
			switch {
			case on.IsUnknown():
				o.unresolved("whether the Key Vault secrets provider is enabled", ev(on, ""))
				return
			case !on.Or(false):
				o.na("the Key Vault secrets provider is off (AKS-SEC-002)", ev(on, "add-on not enabled"))
				return
			}
			rot := inventory.Field[string]{Path: "addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation", Line: on.Line}
			if a := c.Addon("azureKeyvaultSecretsProvider"); a != nil {
				if f, ok := a.Config["enablesecretrotation"]; ok {
					rot = f
				} else if a.ConfigUnknown.IsUnknown() {
					rot = a.ConfigUnknown
				}
			}
			switch {
			case rot.IsUnknown():
				o.unresolved("whether secret rotation is enabled", ev(rot, ""))
			case eqFold(rot.Val, "true"):
				o.pass("secrets are rotated from Key Vault", ev(rot, ""))
			default:
				o.fail("the Key Vault secrets provider does not rotate secrets", ev(rot, "false by default"))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-SEC-004", Title: "etcd encryption with Key Vault KMS", Severity: check.Medium, Area: areaSecrets,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "KMS encrypts Secrets in etcd with a key you hold in Key Vault, so you can rotate or revoke it.",
		FailsWhen:   "Key Vault KMS is not enabled.",
		Remediation: "Enable KMS etcd encryption with a Key Vault key.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id> --azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id <vault-id>",
			TF:  "key_management_service { key_vault_key_id = <key id> key_vault_network_access = \"Private\" }",
			ARM: "properties.securityProfile.azureKeyVaultKms: {enabled: true, keyId: <key id>}",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			o.judgeBool(boolRule{field: c.KMS, want: true, def: false, defNote: "not enabled",
				passMsg: "Secrets in etcd are encrypted with a Key Vault key", failMsg: "Key Vault KMS etcd encryption is not enabled", what: "whether KMS is enabled"})
		}),
	})
}
