package secrets

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var sec004 = &check.Control{
	ID: "AKS-SEC-004", Title: "etcd encryption with Key Vault KMS", Severity: check.Medium, Area: kit.AreaSecrets,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "KMS encrypts Secrets in etcd with a key you hold in Key Vault, so you can rotate or revoke it.",
	FailsWhen:   "Key Vault KMS is not enabled.",
	Remediation: "Enable KMS etcd encryption with a Key Vault key.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption"},
	Mappings: check.Mappings{
		CIS17: []string{"5.3.1"}, CIS18: []string{"5.3.1"},
		AzurePolicy: []string{
			"dbbdc317-9734-4dd8-9074-993b29c69008", // Azure Kubernetes Clusters should enable Key Management Service (KMS)
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id> --azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id <vault-id>",
		TF:  "key_management_service { key_vault_key_id = <key id> key_vault_network_access = \"Private\" }",
		ARM: "properties.securityProfile.azureKeyVaultKms: {enabled: true, keyId: <key id>}",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: c.KMS, Want: true, Def: false, DefNote: "not enabled",
			PassMsg: "Secrets in etcd are encrypted with a Key Vault key", FailMsg: "Key Vault KMS etcd encryption is not enabled", What: "whether KMS is enabled"})
	}),
}
