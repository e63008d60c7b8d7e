package secrets

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var sec003 = &check.Control{
	ID: "AKS-SEC-003", Title: "Secret rotation", Severity: check.Low, Area: kit.AreaSecrets,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Without rotation, pods keep a secret's old value after it is rotated in Key Vault until they restart.",
	FailsWhen:   "The secrets provider is on without enableSecretRotation. Not applicable when the provider is off.",
	Remediation: "Enable secret rotation on the Key Vault secrets provider.",
	References:  []string{"https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options#enable-and-disable-auto-rotation"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks addon update -g {rg} -n {name} -a azure-keyvault-secrets-provider --enable-secret-rotation",
		TF:  "key_vault_secrets_provider { secret_rotation_enabled = true }",
		ARM: "properties.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation: \"true\"",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		on := kit.AddonField(c, "azureKeyvaultSecretsProvider")
		switch {
		case on.IsUnknown():
			o.Unresolved("whether the Key Vault secrets provider is enabled", kit.Ev(on, ""))
			return
		case !on.Or(false):
			o.NA("the Key Vault secrets provider is off (AKS-SEC-002)", kit.Ev(on, "add-on not enabled"))
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
			o.Unresolved("whether secret rotation is enabled", kit.Ev(rot, ""))
		case kit.EqFold(rot.Val, "true"):
			o.Pass("secrets are rotated from Key Vault", kit.Ev(rot, ""))
		default:
			o.Fail("the Key Vault secrets provider does not rotate secrets", kit.Ev(rot, "false by default"))
		}
	}),
}
