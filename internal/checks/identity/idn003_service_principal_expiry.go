package identity

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn003 = &check.Control{
	ID: "AKS-IDN-003", Title: "Service principal credential expiry", Severity: check.High, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.AZ, check.AZX},
	Rationale:   "When the cluster's service-principal secret expires, the cluster can no longer manage load balancers, disks or scale nodes.",
	FailsWhen:   "A service principal is used and its secret expires within the configured window (default 30 days) or has expired. Not assessed when the expiry is unknown; not applicable with a managed identity.",
	Remediation: "Reset the service principal credentials before they expire, or move to a managed identity.",
	References:  []string{"https://learn.microsoft.com/azure/aks/update-credentials"},
	Run: kit.PerCluster(kit.Fix{
		AZ: "az aks update-credentials -g {rg} -n {name} --reset-service-principal --service-principal <app-id> --client-secret <new-secret> (or az aks update -g {rg} -n {name} --enable-managed-identity)",
		TF: "service_principal { client_secret = <new secret> } or move to identity { }",
	}, evalIDN003),
}

func evalIDN003(ctx *check.Context, c *inventory.Cluster, o *kit.Out) {
	switch usesServicePrincipal(c) {
	case spNo:
		o.NA("the cluster uses a managed identity: no secret expires", kit.Ev(c.IdentityType, ""))
		return
	case spUnknown, spNone:
		o.Unresolved("the cluster identity", kit.Ev(c.ServicePrincipalClientID, ""), kit.Ev(c.IdentityType, ""))
		return
	}
	appID := c.ServicePrincipalClientID.Val
	if c.Credentials == nil {
		o.Unknown(fmt.Sprintf("the service principal's secret expiry is unknown: scan `az ad app show --id %s -o json` with the cluster", appID),
			kit.Ev(c.ServicePrincipalClientID, ""))
		return
	}
	if len(c.Credentials.Credentials) == 0 {
		o.Unknown("the credential listing holds no credentials for the service principal", kit.Ev(c.ServicePrincipalClientID, ""),
			kit.Fact(c.Credentials.Source.File, "no credentials"))
		return
	}
	window := ctx.Settings.CredentialExpiryWindow
	var bad, unparsed []string
	var latest time.Time
	creds := append([]inventory.Credential(nil), c.Credentials.Credentials...)
	sort.Slice(creds, func(i, j int) bool { return creds[i].EndDateTime < creds[j].EndDateTime })
	for _, cr := range creds {
		end, err := parseTime(cr.EndDateTime)
		label := cr.DisplayName
		if label == "" {
			label = cr.KeyID
		}
		if err != nil {
			unparsed = append(unparsed, label)
			continue
		}
		if end.After(latest) {
			latest = end
		}
		switch {
		case !end.After(ctx.Now):
			bad = append(bad, fmt.Sprintf("%s expired %s", label, end.Format("2006-01-02")))
		case end.Sub(ctx.Now) < window:
			bad = append(bad, fmt.Sprintf("%s expires %s (in %d days)", label, end.Format("2006-01-02"), int(end.Sub(ctx.Now).Hours()/24)))
		}
	}
	src := kit.Fact(c.Credentials.Source.File, fmt.Sprintf("%d credential(s)", len(creds)))
	// The cluster keeps working while any secret is valid beyond the window;
	// but it uses exactly one, so every near-expiry secret is reported.
	switch {
	case len(bad) > 0 && latest.Sub(ctx.Now) < window:
		o.Fail("service principal secret expiring: "+strings.Join(bad, "; "), kit.Ev(c.ServicePrincipalClientID, ""), src)
	case len(bad) > 0:
		o.Fail("some service principal secrets expire soon ("+strings.Join(bad, "; ")+"); make sure the cluster uses the one valid until "+latest.Format("2006-01-02"),
			kit.Ev(c.ServicePrincipalClientID, ""), src)
	case len(unparsed) > 0:
		o.Unknown("credential end dates could not be read: "+strings.Join(unparsed, ", "), src)
	default:
		o.Pass(fmt.Sprintf("service principal secrets valid beyond %d days (latest until %s)", int(window.Hours()/24), latest.Format("2006-01-02")),
			kit.Ev(c.ServicePrincipalClientID, ""), src)
	}
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
