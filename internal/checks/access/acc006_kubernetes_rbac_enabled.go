package access

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var acc006 = &check.Control{
	ID: "AKS-ACC-006", Title: "Kubernetes RBAC enabled", Severity: check.Critical, Area: kit.AreaAccess,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Without Kubernetes RBAC every authenticated user is effectively cluster-admin.",
	FailsWhen:   "enableRBAC is false.",
	Remediation: "Kubernetes RBAC can only be chosen at creation: recreate the cluster with RBAC enabled (the default) and migrate workloads.",
	References:  []string{"https://learn.microsoft.com/azure/aks/concepts-identity#kubernetes-rbac", "https://learn.microsoft.com/azure/aks/azure-ad-rbac"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"ac4a19c2-fa67-49b4-8ae5-0b2e78c49457", // Role-Based Access Control (RBAC) should be used on Kubernetes Services
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks create -g {rg} -n <new-cluster> ... (RBAC is on unless --disable-rbac is given); migrate workloads, then delete {name}",
		TF:  "role_based_access_control_enabled = true (forces a new cluster)",
		ARM: "properties.enableRBAC: true",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		if c.EnableRBAC.State == inventory.Absent && c.Format.Deployed() {
			// Early ARM API versions created clusters without RBAC unless
			// asked; Azure states enableRBAC in every cluster body it
			// returns, so a deployed body without it is incomplete.
			o.Unknown("enableRBAC is not in this deployed cluster's body, and its default depended on the API version that created the cluster (early clusters were created without Kubernetes RBAC): scan the complete `az aks show` output",
				kit.Ev(c.EnableRBAC, "not stated"))
			return
		}
		// A template or Terraform configuration that omits it deploys
		// with today's default: RBAC on.
		o.JudgeBool(kit.BoolRule{Field: c.EnableRBAC, Want: true, Def: true, DefNote: "Kubernetes RBAC is on by default",
			PassMsg: "Kubernetes RBAC is enabled", FailMsg: "Kubernetes RBAC is disabled: every authenticated user is cluster-admin", What: "whether Kubernetes RBAC is enabled"})
	}),
}
