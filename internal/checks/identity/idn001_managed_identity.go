package identity

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn001 = &check.Control{
	ID: "AKS-IDN-001", Title: "Managed identity instead of service principal", Severity: check.Medium, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "A service principal's secret must be rotated by hand and can leak; a managed identity has no secret to manage.",
	FailsWhen:   "The cluster uses a service principal (servicePrincipalProfile.clientId is not \"msi\").",
	Remediation: "Move the cluster to a managed identity.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-managed-identity"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"da6e2401-19da-4532-9141-fb8fbde08431", // Azure Kubernetes Service Clusters should use managed identities
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-managed-identity",
		TF:  `identity { type = "UserAssigned" identity_ids = [<identity-id>] } (remove service_principal)`,
		ARM: `identity: {type: "UserAssigned", ...} and remove properties.servicePrincipalProfile`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		switch usesServicePrincipal(c) {
		case spUnknown:
			o.Unresolved("the cluster identity", kit.Ev(c.ServicePrincipalClientID, ""), kit.Ev(c.IdentityType, ""))
		case spYes:
			o.Fail("the cluster authenticates to Azure with a service principal", kit.Ev(c.ServicePrincipalClientID, ""))
		case spNo:
			o.Pass("the cluster uses a managed identity", kit.Ev(c.IdentityType, ""), kit.Ev(c.ServicePrincipalClientID, ""))
		default:
			o.Unknown("the input names neither a managed identity nor a service principal", kit.Ev(c.IdentityType, ""), kit.Ev(c.ServicePrincipalClientID, ""))
		}
	}),
}
