package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var mon005 = &check.Control{
	ID: "AKS-MON-005", Title: "Defender for Containers", Severity: check.Medium, Area: kit.AreaMonitoring,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Defender's sensor detects runtime threats (crypto miners, reverse shells, suspicious API calls) and scans images for vulnerabilities.",
	FailsWhen:   "The Defender profile is not enabled on the cluster (securityProfile.defender.securityMonitoring.enabled), or it is enabled but the subscription's Defender for Containers plan (Microsoft.Security/pricings/Containers, when given or read live) is Free. Not assessed when the profile is enabled and a live scan could not read the plan.",
	Remediation: "Enable the Defender profile (and the Defender for Containers plan on the subscription).",
	References:  []string{"https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction", "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"a1840de2-8088-4ea8-b153-b4c723e9cb01", // Azure Kubernetes Service clusters should have Defender profile enabled
			"64def556-fbad-4622-930e-72d1d5589bf5", // Configure Azure Kubernetes Service clusters to enable Defender profile
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-defender",
		TF:  "microsoft_defender { log_analytics_workspace_id = <workspace id> }",
		ARM: "properties.securityProfile.defender: {logAnalyticsWorkspaceResourceId: <workspace id>, securityMonitoring: {enabled: true}}",
	}, evalMON005),
}

// evalMON005 judges the cluster's Defender profile and, when the scan holds
// it, the subscription's Defender for Containers plan: the sensor raises no
// alerts while the plan is off.
func evalMON005(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	d := c.Defender
	why := c.UnreadReason(inventory.CompanionDefender)
	if !d.Or(false) || (c.DefenderPricing == nil && why == "") {
		o.JudgeBool(kit.BoolRule{Field: d, Want: true, Def: false, DefNote: "not enabled",
			PassMsg: "the Defender profile is enabled", FailMsg: "the Defender profile is not enabled", What: "whether Defender is enabled"})
		return
	}
	if c.DefenderPricing == nil {
		o.Unknown("the Defender profile is enabled, but the subscription's Defender for Containers plan was not read: "+why, kit.Ev(d, ""))
		return
	}
	tier := c.DefenderPricing.Tier
	plan := kit.FactAt("pricings/Containers."+kit.OrPlaceholder(tier.Path, "pricingTier"), tier.Or("not set"), inventory.Source{File: c.DefenderPricing.Source.File, Line: tier.Line})
	switch {
	case tier.IsKnown() && kit.EqFold(tier.Val, "Standard"):
		o.Pass("the Defender profile is enabled and the subscription's Defender for Containers plan is on (Standard)", kit.Ev(d, ""), plan)
	case tier.IsKnown():
		o.Fix = kit.Fix{
			AZ:  "az security pricing create -n Containers --tier standard --subscription " + kit.OrPlaceholder(c.Subscription, "<subscription>"),
			TF:  `an azurerm_security_center_subscription_pricing with resource_type = "Containers" and tier = "Standard"`,
			ARM: "a Microsoft.Security/pricings resource named Containers with properties.pricingTier: Standard (subscription scope)",
		}
		o.Fail("the Defender profile is enabled but the subscription's Defender for Containers plan is "+tier.Val+" (off): the sensor raises no alerts", kit.Ev(d, ""), plan)
	default:
		o.Unknown("the Defender profile is enabled, but the subscription's Defender for Containers plan cannot be read from this input", kit.Ev(d, ""), plan)
	}
}
