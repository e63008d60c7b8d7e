package checks

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// AKS-IDN-006 judges certificates read from a live connection (the
// kubeconfig's CA data and the chain the API server presents) or, from
// Azure input alone, the cluster's creation date: clusters created before
// March 2019 were issued certificates AKS never rotated.
//
// AKS-IDN-007 judges how the kubeconfig used for --kube authenticates.

// certRotationCutoff is when AKS began issuing rotatable certificates.
var certRotationCutoff = time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)

// certExpiryWindow: a certificate expiring sooner fails.
const certExpiryWindow = 30 * 24 * time.Hour

func init() {
	check.Register(&check.Control{
		ID: "AKS-IDN-006", Title: "Cluster certificate lifetime", Severity: check.Medium, Area: areaIdentity,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Rationale:   "The cluster CA and API server certificates authenticate every component; one issued long ago has had years to leak (and client certificates it signed cannot be revoked), and one that expires takes the cluster down. Clusters created before March 2019 got certificates AKS never rotated.",
		FailsWhen:   "From a live connection (--kube): the cluster CA or the API server certificate was issued longer ago than thresholds.certificateMaxAgeDays (default 365) or expires within 30 days; the same for the CA of each cluster of a kubeconfig file in the scanned paths (certificate-authority-data, or the certificate-authority file relative to the kubeconfig). From Azure input, for a cluster judged by neither: the cluster was created (systemData.createdAt) before 2019-03-01. Otherwise not-assessed.",
		Remediation: "Rotate the cluster certificates: az aks rotate-certs (the API server is briefly unavailable and kubeconfigs must be fetched again).",
		References:  []string{"https://learn.microsoft.com/azure/aks/certificate-rotation"},
		Run:         runIDN006,
	})
	check.Register(&check.Control{
		ID: "AKS-IDN-007", Title: "Kubeconfig uses AAD, not a client certificate", Severity: check.Medium, Area: areaIdentity,
		Inputs:      []check.Input{check.K8S},
		Needs:       "a live connection (--kube, --kubeconfig) or a kubeconfig file in the scanned paths",
		Rationale:   "An admin client certificate (system:masters) bypasses RBAC, cannot be revoked short of rotating the cluster CA, and names no person in the audit log; Entra ID sign-in through kubelogin is per user, revocable and subject to Conditional Access.",
		FailsWhen:   "The kubeconfig context used for --kube, or a context of a kubeconfig file in the scanned paths, authenticates with a client certificate in the system:masters group (az aks get-credentials --admin, or local accounts on a cluster without Entra ID). Other methods pass; without a live connection or a kubeconfig file the control is not-assessed.",
		Remediation: "Use Entra ID: az aks get-credentials without --admin, then kubelogin convert-kubeconfig -l azurecli; disable local accounts (az aks update --disable-local-accounts).",
		References:  []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad", "https://azure.github.io/kubelogin/"},
		Run:         runIDN007,
	})
}

// liveTarget returns the cluster the live connection belongs to, the
// resource to report on and the az arguments naming the cluster.
func liveTarget(inv *inventory.Inventory) (*inventory.Cluster, check.Resource, string) {
	target, _ := kubeTarget(inv)
	res := kubeScopeResource(inv)
	rgName := "-g <resource-group> -n <cluster>"
	if target != nil {
		rgName = "-g " + orPlaceholder(target.ResourceGroup, "<resource-group>") + " -n " + orPlaceholder(target.Name, "<cluster>")
	}
	return target, res, rgName
}

func runIDN006(ctx *check.Context) []check.Result {
	var all []check.Result
	var api *inventory.APIServer
	if ctx.Inv.Kube != nil {
		api = ctx.Inv.Kube.API
	}
	target, res, rgName := liveTarget(ctx.Inv)
	fixCmd := "az aks rotate-certs " + rgName
	fromKubeconfig, judged := kubeconfigCAs(ctx)
	all = append(all, fromKubeconfig...)
	for _, c := range ctx.Inv.Clusters {
		if api != nil && c == target || judged[c] {
			continue // judged from the live or kubeconfig certificates
		}
		o := &out{c: c, fix: fix{AZ: "az aks rotate-certs -g {rg} -n {name}",
			TF:  "run az aks rotate-certs -g <resource-group> -n <cluster> (Terraform has no argument for it)",
			ARM: "run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)"}}
		judgeCreatedAt(c, o)
		all = append(all, o.results...)
	}
	if api == nil {
		return all
	}
	r := check.Result{Resource: res, Source: check.Location{File: "kube:" + orPlaceholder(api.Context, api.Server)}}
	if target != nil {
		r.Resource = clusterResource(target)
	}
	if len(api.Certificates) == 0 {
		r.Status = check.NotAssessed
		r.Message = "no certificate could be read from the kubeconfig or the TLS handshake"
		if api.CertError != "" {
			r.Message += ": " + api.CertError
		}
		return append(all, r)
	}
	judgeCertificates(&r, api.Certificates, ctx.Settings.CertificateMaxAge, ctx.Now, fixCmd, rgName)
	return append(all, r)
}

// judgeCertificates sets the status, message, evidence and fix of an
// AKS-IDN-006 result from the certificates read.
func judgeCertificates(r *check.Result, certs []inventory.CertInfo, maxAge time.Duration, now time.Time, fixCmd, rgName string) {
	var problems []string
	for _, ci := range certs {
		age := now.Sub(ci.NotBefore)
		left := ci.NotAfter.Sub(now)
		r.Evidence = append(r.Evidence, check.Evidence{Path: ci.Role,
			Value: ci.Subject + ", issued " + ci.NotBefore.Format("2006-01-02") + ", expires " + ci.NotAfter.Format("2006-01-02")})
		isServer := strings.HasPrefix(ci.Role, "API server certificate")
		switch {
		case left <= 0:
			problems = append(problems, ci.Role+" expired on "+ci.NotAfter.Format("2006-01-02"))
		case left < certExpiryWindow:
			problems = append(problems, ci.Role+" expires in "+days(left)+" ("+ci.NotAfter.Format("2006-01-02")+")")
		case (ci.IsCA || isServer) && age > maxAge:
			problems = append(problems, ci.Role+" was issued "+days(age)+" ago ("+ci.NotBefore.Format("2006-01-02")+"), more than "+days(maxAge))
		}
	}
	problems = slices.Compact(problems)
	if len(problems) > 0 {
		r.Status = check.Fail
		r.Message = strings.Join(problems, "; ")
		r.Remediation = "Rotate the cluster certificates: " + fixCmd + ", then fetch the kubeconfig again (az aks get-credentials " + rgName + ")."
		return
	}
	r.Status = check.Pass
	// Name what was seen: a handshake may show only the server's own
	// certificate, a kubeconfig without CA data none of the CA.
	var seen []string
	for _, ci := range certs {
		seen = append(seen, ci.Role)
	}
	r.Message = "the certificates read (" + strings.Join(slices.Compact(seen), ", ") + ") were issued within " + days(maxAge) + " and none expires within 30 days"
}

// kubeconfigTarget is the cluster of the scan a kubeconfig cluster entry
// belongs to: the scan's cluster of the same name (az aks get-credentials
// names the entry after the cluster), else the only cluster of the scan
// (or several of one name), else none.
func kubeconfigTarget(inv *inventory.Inventory, entry string) *inventory.Cluster {
	var named []*inventory.Cluster
	for _, c := range inv.Clusters {
		if entry != "" && c.Name == entry {
			named = append(named, c)
		}
	}
	switch {
	case len(named) == 1:
		return named[0]
	case len(inv.Clusters) == 1 || len(inv.Clusters) > 1 && sameName(inv.Clusters):
		return inv.Clusters[0]
	}
	return nil
}

// kubeconfigResource is the resource a kubeconfig result is about: its
// cluster of the scan, else a Cluster named after the kubeconfig entry.
func kubeconfigResource(inv *inventory.Inventory, entry string) (check.Resource, *inventory.Cluster, string) {
	if c := kubeconfigTarget(inv, entry); c != nil {
		return clusterResource(c), c, "-g " + orPlaceholder(c.ResourceGroup, "<resource-group>") + " -n " + orPlaceholder(c.Name, "<cluster>")
	}
	return check.Resource{Kind: "Cluster", Name: orPlaceholder(entry, scopeKubeName)}, nil, "-g <resource-group> -n " + orPlaceholder(entry, "<cluster>")
}

// kubeconfigCAs judges the CA of every cluster entry of the kubeconfig
// files of the scan. done lists the clusters judged from certificates.
func kubeconfigCAs(ctx *check.Context) (rs []check.Result, done map[*inventory.Cluster]bool) {
	done = map[*inventory.Cluster]bool{}
	for _, kc := range ctx.Inv.Kubeconfigs {
		for _, e := range kc.Clusters {
			res, target, rgName := kubeconfigResource(ctx.Inv, e.Name)
			r := check.Result{Resource: res, Source: check.Location{File: kc.Source.File, Line: kc.Source.Line},
				Evidence: []check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "cluster " + e.Name + " (" + orPlaceholder(e.Server, "no server") + ")"}}}
			if len(e.Certificates) == 0 {
				r.Status = check.NotAssessed
				r.Message = "kubeconfig cluster " + e.Name + ": " + e.CertError
				r.Evidence = append(r.Evidence, check.Evidence{Path: e.CAPath, Value: "not read"})
				rs = append(rs, r)
				continue
			}
			r.Evidence = append(r.Evidence, check.Evidence{Path: e.CAPath, Value: plural(len(e.Certificates), "certificate")})
			judgeCertificates(&r, e.Certificates, ctx.Settings.CertificateMaxAge, ctx.Now, "az aks rotate-certs "+rgName, rgName)
			if target != nil {
				// The same cluster read from several formats (az JSON
				// and Terraform) shares its name.
				for _, c := range ctx.Inv.Clusters {
					if c == target || c.Name != "" && c.Name == target.Name {
						done[c] = true
					}
				}
			}
			rs = append(rs, r)
		}
	}
	return rs, done
}

// judgeCreatedAt is the Azure-only half: only a creation before March 2019
// proves certificates are old; anything else needs a live connection.
func judgeCreatedAt(c *inventory.Cluster, o *out) {
	f := c.CreatedAt
	switch f.State {
	case inventory.Known:
		t, err := time.Parse(time.RFC3339, f.Val)
		if err != nil {
			o.unknown("systemData.createdAt is not a date ("+f.Val+")", ev(f, ""))
			return
		}
		if t.Before(certRotationCutoff) {
			o.fail("the cluster was created on "+t.Format("2006-01-02")+", before AKS rotated certificates (March 2019): its certificates are the original ones unless az aks rotate-certs was run", ev(f, ""))
			return
		}
		o.unknown("the cluster was created on "+t.Format("2006-01-02")+"; certificate ages need a live connection (scan with --kube) or the cluster's kubeconfig file", ev(f, ""))
	case inventory.Unknown:
		o.unresolved("the cluster's creation date", ev(f, ""))
	default:
		o.unknown("the input has no creation date (systemData.createdAt), no live connection and no kubeconfig: scan with --kube, add the cluster's kubeconfig file, or give az aks show output", fact("systemData.createdAt", "absent"))
	}
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// adminCertNames are the common names AKS gives its admin client
// certificates.
var adminCertNames = []string{"masterclient", "clusterAdmin"}

func runIDN007(ctx *check.Context) []check.Result {
	rs := kubeconfigUsers(ctx.Inv)
	if ctx.Inv.Kube == nil || ctx.Inv.Kube.API == nil {
		return rs
	}
	api := ctx.Inv.Kube.API
	target, res, rgName := liveTarget(ctx.Inv)
	r := check.Result{Resource: res, Source: check.Location{File: api.Kubeconfig}}
	if target != nil {
		r.Resource = clusterResource(target)
	}
	ctxName := orPlaceholder(api.Context, "(current)")
	r.Evidence = []check.Evidence{{Path: "kubeconfig context", Value: ctxName}}
	judgeAuth(&r, api.Auth, "context "+ctxName, rgName)
	return append(rs, r)
}

// kubeconfigUsers judges the users of the kubeconfig files of the scan,
// one result per context (a user no context names is judged on its own,
// against the kubeconfig's only cluster entry, if it has one).
func kubeconfigUsers(inv *inventory.Inventory) []check.Result {
	var rs []check.Result
	for _, kc := range inv.Kubeconfigs {
		users := map[string]inventory.ClientAuth{}
		for _, u := range kc.Users {
			users[u.Name] = u.Auth
		}
		used := map[string]bool{}
		judge := func(what, cluster, user string, ev []check.Evidence) {
			a, ok := users[user]
			if !ok {
				a = inventory.ClientAuth{Method: inventory.AuthNone, User: user}
			}
			res, _, rgName := kubeconfigResource(inv, cluster)
			r := check.Result{Resource: res, Source: check.Location{File: kc.Source.File, Line: kc.Source.Line}, Evidence: ev}
			if !ok {
				r.Status = check.NotAssessed
				r.Message = what + " names user " + user + ", which the kubeconfig does not define"
				rs = append(rs, r)
				return
			}
			judgeAuth(&r, a, what, rgName)
			rs = append(rs, r)
		}
		for _, c := range kc.Contexts {
			used[c.User] = true
			judge("kubeconfig "+kc.Source.File+" context "+c.Name, c.Cluster, c.User,
				[]check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "context " + c.Name + " (cluster " + c.Cluster + ")"}})
		}
		for _, u := range kc.Users {
			if used[u.Name] {
				continue
			}
			cluster := ""
			if len(kc.Clusters) == 1 {
				cluster = kc.Clusters[0].Name
			}
			judge("kubeconfig "+kc.Source.File+" user "+u.Name, cluster, u.Name,
				[]check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "user " + u.Name + " (no context names it)"}})
		}
	}
	return rs
}

// judgeAuth judges one kubeconfig user's authentication for AKS-IDN-007;
// what names it in messages ("context x").
func judgeAuth(r *check.Result, a inventory.ClientAuth, what, rgName string) {
	r.Evidence = append(r.Evidence, check.Evidence{Path: "users[" + orPlaceholder(a.User, "?") + "]", Value: a.Method})
	switch a.Method {
	case inventory.AuthServiceToken:
		r.Status, r.Message = check.NotApplicable, "aksguard runs in a pod with its service account: no kubeconfig is in use"
	case inventory.AuthClientCert:
		r.Evidence = append(r.Evidence, check.Evidence{Path: "client certificate subject",
			Value: "CN=" + a.CertCommonName + ", O=" + strings.Join(a.CertOrganizations, ",")})
		if slices.Contains(a.CertOrganizations, "system:masters") || slices.Contains(adminCertNames, a.CertCommonName) {
			r.Status = check.Fail
			r.Message = what + " authenticates with a cluster-admin client certificate (" + a.CertCommonName + ", group system:masters): it bypasses RBAC and cannot be revoked"
			r.Remediation = "Sign in with Entra ID: az aks get-credentials " + rgName + " (without --admin), kubelogin convert-kubeconfig -l azurecli; then az aks update " + rgName + " --disable-local-accounts."
		} else {
			r.Status = check.Pass
			r.Message = what + " uses a client certificate (" + a.CertCommonName + ") outside system:masters; Entra ID sign-in would still be revocable where a certificate is not"
		}
	case inventory.AuthExec:
		r.Evidence = append(r.Evidence, check.Evidence{Path: "exec", Value: strings.TrimSpace(a.ExecCommand + " " + strings.Join(a.ExecArgs, " "))})
		r.Status = check.Pass
		r.Message = what + " signs in through the exec plugin " + a.ExecCommand
		if strings.Contains(a.ExecCommand, "kubelogin") {
			r.Message += " (Entra ID)"
		}
	case inventory.AuthProvider:
		r.Status = check.Pass
		r.Message = what + " signs in through the " + a.AuthProvider + " auth provider (legacy: move to kubelogin)"
	default:
		r.Status = check.Pass
		r.Message = what + " authenticates with " + a.Method + ", not a client certificate"
	}
}
