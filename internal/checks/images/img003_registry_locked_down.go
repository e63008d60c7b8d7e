package images

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var img003 = &check.Control{
	ID: "AKS-IMG-003", Title: "Registry locked down", Severity: check.Medium, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.AZX},
	Rationale:   "A registry reachable from the internet with an admin user (a shared, static password) lets a leaked password push images your clusters will run.",
	FailsWhen:   "A container registry has public network access enabled, the admin user enabled, or no private endpoint connection.",
	Remediation: "Disable the admin user and public network access, and reach the registry through a private endpoint.",
	References:  []string{"https://learn.microsoft.com/azure/container-registry/container-registry-private-link", "https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account"},
	Run:         runIMG003,
}

var registryFix = "az acr update -n {reg} --admin-enabled false --public-network-enabled false; add a private endpoint: az network private-endpoint create --group-id registry --private-connection-resource-id {regid} ..."

func runIMG003(ctx *check.Context) []check.Result {
	var out []check.Result
	if len(ctx.Inv.Registries) == 0 {
		for _, c := range ctx.Inv.Clusters {
			r := check.Result{Status: check.NotAssessed, Resource: kit.ClusterResource(c),
				Message: kit.Absent(c, inventory.CompanionRegistries, "container registry data", "scan `az acr show -n <registry> -o json` for the registries the cluster pulls from"),
				Source:  check.Location{File: c.Source.File, Line: c.Source.Line}}
			out = append(out, r)
		}
		return out
	}
	for _, reg := range ctx.Inv.Registries {
		var problems []string
		var evs []kit.Evidence
		pna := reg.PublicNetworkAccess
		evs = append(evs, kit.Ev(pna, "Enabled by default"))
		// Absent is the API's default, Enabled; an unresolved value (an
		// expression, an unknown variable) is no proof either way.
		unknownPNA := pna.IsUnknown()
		if !unknownPNA && (!pna.IsKnown() || !kit.EqFold(pna.Val, "Disabled")) {
			problems = append(problems, "public network access is enabled")
		}
		evs = append(evs, kit.Ev(reg.AdminUserEnabled, "disabled by default"))
		if reg.AdminUserEnabled.Or(false) {
			problems = append(problems, "the admin user is enabled")
		}
		pe := reg.PrivateEndpoints
		evs = append(evs, kit.Ev(pe, "none"))
		unknownPE := !pe.IsKnown()
		if pe.IsKnown() && pe.Val == 0 {
			problems = append(problems, "no private endpoint connection")
		}
		name := reg.Name
		if name == "" {
			name = reg.LoginServer
		}
		res := check.Result{Resource: check.Resource{Kind: "ContainerRegistry", ID: reg.ID, Name: name},
			Source: check.Location{File: reg.Source.File, Line: reg.Source.Line}}
		res.Evidence, _ = kit.Flatten(evs)
		switch {
		case len(problems) > 0:
			res.Status = check.Fail
			res.Message = "registry " + name + ": " + strings.Join(problems, "; ")
			res.Remediation = strings.NewReplacer("{reg}", kit.OrPlaceholder(reg.Name, "<registry>"), "{regid}", kit.ArmIDOr(reg.ID, "<registry-id>")).Replace(registryFix)
		case unknownPNA:
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": whether public network access is disabled cannot be determined: " + pna.Why
		case unknownPE:
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": private endpoint connections are not in the input"
			if pe.Why != "" {
				res.Message += ": " + pe.Why
			}
		case reg.AdminUserEnabled.IsUnknown():
			// An unresolved expression or a value of the wrong type is no
			// proof that the admin user is off.
			res.Status = check.NotAssessed
			res.Message = "registry " + name + ": whether the admin user is enabled cannot be determined: " + reg.AdminUserEnabled.Why
		default:
			res.Status = check.Pass
			res.Message = "registry " + name + " is private, without admin user"
		}
		out = append(out, res)
	}
	return out
}
