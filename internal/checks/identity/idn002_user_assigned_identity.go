package identity

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn002 = &check.Control{
	ID: "AKS-IDN-002", Title: "User-assigned control-plane identity", Severity: check.Low, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "A system-assigned identity dies with the cluster, so role assignments must be recreated when the cluster is rebuilt; a user-assigned identity is managed and pre-authorised independently.",
	FailsWhen:   "The control plane uses a system-assigned identity. Not applicable with a service principal.",
	Remediation: "Assign a user-assigned managed identity to the control plane.",
	References:  []string{"https://learn.microsoft.com/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-user-assigned-managed-identity"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-managed-identity --assign-identity <user-assigned-identity-resource-id>",
		TF:  `identity { type = "UserAssigned" identity_ids = [<identity-id>] }`,
		ARM: `identity: {type: "UserAssigned", userAssignedIdentities: {"<identity-id>": {}}}`,
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		switch usesServicePrincipal(c) {
		case spYes:
			o.NA("the cluster uses a service principal (AKS-IDN-001 reports it)", kit.Ev(c.ServicePrincipalClientID, ""))
			return
		case spUnknown:
			o.Unresolved("the cluster identity", kit.Ev(c.IdentityType, ""), kit.Ev(c.ServicePrincipalClientID, ""))
			return
		}
		t := c.IdentityType
		switch {
		case t.IsUnknown():
			o.Unresolved("the identity type", kit.Ev(t, ""))
		case kit.EqFold(t.Val, "UserAssigned"):
			o.Pass("user-assigned control-plane identity", kit.Ev(t, ""))
		case kit.EqFold(t.Val, "SystemAssigned"):
			o.Fail("system-assigned control-plane identity: it cannot be reused when the cluster is recreated", kit.Ev(t, ""))
		default:
			o.Unknown("the identity type is not stated", kit.Ev(t, ""))
		}
	}),
}
