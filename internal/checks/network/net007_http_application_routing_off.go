package network

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net007 = &check.Control{
	ID: "AKS-NET-007", Title: "HTTP application routing add-on off", Severity: check.Medium, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "The HTTP application routing add-on creates public DNS records and an unauthenticated ingress; it was never meant for production and is retired.",
	FailsWhen:   "The httpApplicationRouting add-on is enabled.",
	Remediation: "Disable the add-on and use the application routing add-on (web app routing) or your own ingress controller.",
	References:  []string{"https://learn.microsoft.com/azure/aks/http-application-routing", "https://learn.microsoft.com/azure/aks/app-routing"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks disable-addons -g {rg} -n {name} -a http_application_routing",
		TF:  "http_application_routing_enabled = false",
		ARM: "properties.addonProfiles.httpApplicationRouting.enabled: false",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: kit.AddonField(c, "httpApplicationRouting"), Want: false, Def: false, DefNote: "add-on not enabled",
			PassMsg: "the HTTP application routing add-on is off", FailMsg: "the HTTP application routing add-on is enabled", What: "whether the HTTP application routing add-on is enabled"})
	}),
}
