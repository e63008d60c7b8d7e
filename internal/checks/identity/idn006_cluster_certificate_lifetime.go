package identity

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn006 = &check.Control{
	ID: "AKS-IDN-006", Title: "Cluster certificate lifetime", Severity: check.Medium, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Rationale:   "The cluster CA and API server certificates authenticate every component; one issued long ago has had years to leak (and client certificates it signed cannot be revoked), and one that expires takes the cluster down. Clusters created before March 2019 got certificates AKS never rotated.",
	FailsWhen:   "From a live connection (--kube): the cluster CA or the API server certificate was issued longer ago than thresholds.certificateMaxAgeDays (default 365) or expires within 30 days; the same for the CA of each cluster of a kubeconfig file in the scanned paths (certificate-authority-data, or the certificate-authority file relative to the kubeconfig). From Azure input, for a cluster judged by neither: the cluster was created (systemData.createdAt) before 2019-03-01. Otherwise not-assessed.",
	Remediation: "Rotate the cluster certificates: az aks rotate-certs (the API server is briefly unavailable and kubeconfigs must be fetched again).",
	References:  []string{"https://learn.microsoft.com/azure/aks/certificate-rotation"},
	Run:         runIDN006,
}

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
		o := &kit.Out{Cluster: c, Fix: kit.Fix{AZ: "az aks rotate-certs -g {rg} -n {name}",
			TF:  "run az aks rotate-certs -g <resource-group> -n <cluster> (Terraform has no argument for it)",
			ARM: "run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)"}}
		judgeCreatedAt(c, o)
		all = append(all, o.Results...)
	}
	if api == nil {
		return all
	}
	r := check.Result{Resource: res, Source: check.Location{File: "kube:" + kit.OrPlaceholder(api.Context, api.Server)}}
	if target != nil {
		r.Resource = kit.ClusterResource(target)
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

// kubeconfigCAs judges the CA of every cluster entry of the kubeconfig
// files of the scan. done lists the clusters judged from certificates.
func kubeconfigCAs(ctx *check.Context) (rs []check.Result, done map[*inventory.Cluster]bool) {
	done = map[*inventory.Cluster]bool{}
	for _, kc := range ctx.Inv.Kubeconfigs {
		for _, e := range kc.Clusters {
			res, target, rgName := kubeconfigResource(ctx.Inv, e.Name)
			r := check.Result{Resource: res, Source: check.Location{File: kc.Source.File, Line: kc.Source.Line},
				Evidence: []check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "cluster " + e.Name + " (" + kit.OrPlaceholder(e.Server, "no server") + ")"}}}
			if len(e.Certificates) == 0 {
				r.Status = check.NotAssessed
				r.Message = "kubeconfig cluster " + e.Name + ": " + e.CertError
				r.Evidence = append(r.Evidence, check.Evidence{Path: e.CAPath, Value: "not read"})
				rs = append(rs, r)
				continue
			}
			r.Evidence = append(r.Evidence, check.Evidence{Path: e.CAPath, Value: kit.Plural(len(e.Certificates), "certificate")})
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
func judgeCreatedAt(c *inventory.Cluster, o *kit.Out) {
	f := c.CreatedAt
	switch f.State {
	case inventory.Known:
		t, err := time.Parse(time.RFC3339, f.Val)
		if err != nil {
			o.Unknown("systemData.createdAt is not a date ("+f.Val+")", kit.Ev(f, ""))
			return
		}
		if t.Before(certRotationCutoff) {
			o.Fail("the cluster was created on "+t.Format("2006-01-02")+", before AKS rotated certificates (March 2019): its certificates are the original ones unless az aks rotate-certs was run", kit.Ev(f, ""))
			return
		}
		o.Unknown("the cluster was created on "+t.Format("2006-01-02")+"; certificate ages need a live connection (scan with --kube) or the cluster's kubeconfig file", kit.Ev(f, ""))
	case inventory.Unknown:
		o.Unresolved("the cluster's creation date", kit.Ev(f, ""))
	default:
		o.Unknown("the input has no creation date (systemData.createdAt), no live connection and no kubeconfig: scan with --kube, add the cluster's kubeconfig file, or give az aks show output", kit.Fact("systemData.createdAt", "absent"))
	}
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
