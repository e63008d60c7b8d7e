package audit

import (
	"net/netip"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var aud007Spec = &spec{
	id: "AKS-AUD-007", reads: readsNone, detect: detectPublicSource,
	none:    "request from a public address outside the authorized IP ranges",
	egress:  true,
	scope:   authorizedRanges,
	keep:    outsideRanges,
	dropped: "groups of requests from inside the authorized ranges or the cluster's own egress",
	fix:     "Find who connected from the address (user, userAgent); if the ranges were bypassed, check for a change of apiServerAccessProfile.authorizedIPRanges and for proxies in front of the API server; otherwise add the address to the authorized ranges (az aks update --api-server-authorized-ip-ranges).",
}

var aud007 = &check.Control{
	ID: "AKS-AUD-007", Title: "Request from an IP outside the authorized ranges", Severity: check.High, Area: kit.AreaAudit,
	Inputs:      []check.Input{check.LOG, check.AZ},
	Rationale:   "Authorized IP ranges are the API server's network perimeter: a request from outside them means the ranges changed, a proxy relays traffic, or the setting is not what the configuration says.",
	FailsWhen:   "a request (any verb, allowed or not) whose source IPs hold a public address outside the cluster's apiServerAccessProfile.authorizedIPRanges, read from the Azure input of the same scan; private, loopback, link-local and shared (100.64.0.0/10) addresses are the cluster's own network and are not judged, nor are the public addresses the nodes (system:node:* users) connect from, which are the cluster's egress that AKS allows implicitly; one finding per identity and address. Not-assessed without the cluster's Azure input or with ranges that cannot be read; not-applicable on a private cluster and on a public cluster without ranges (AKS-ACC-001 judges that).",
	Remediation: aud007Spec.fix,
	References:  []string{"https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges", refK8sAudit, refAKSLogs},
	Audit:       aud007Spec.observer,
	Run:         aud007Spec.run,
}

// shared is the carrier-grade NAT range (RFC 6598), which is not public.
var shared = netip.MustParsePrefix("100.64.0.0/10")

// publicAddr parses an address that is public (not private, loopback,
// link-local, unspecified or shared).
func publicAddr(s string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	ip = ip.Unmap()
	if ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() || shared.Contains(ip) {
		return netip.Addr{}, false
	}
	return ip, true
}

// detectPublicSource is AKS-AUD-007's observation: every request from a
// public address, grouped by identity and address; the ranges are
// applied when the control judges (they come from the Azure input).
func detectPublicSource(ev *inventory.AuditEvent) (hit, bool) {
	var pub []string
	for _, s := range ev.SourceIPs {
		if _, ok := publicAddr(s); ok {
			pub = append(pub, s)
		}
	}
	if len(pub) == 0 {
		return hit{}, false
	}
	ips := strings.Join(pub, ",")
	return hit{what: "request from " + ips, object: objectName(ev), ip: ips}, true
}

// rangesOf is the cluster's authorized ranges as prefixes.
type rangesOf struct {
	prefixes []netip.Prefix
	text     string
}

// authorizedRanges decides what AKS-AUD-007 can judge on a scope.
func authorizedRanges(_ *check.Context, v *scopeView) *check.Result {
	c := v.cluster
	if c == nil {
		return &check.Result{Status: check.NotAssessed, Message: "no Azure input for this cluster: its authorized IP ranges are unknown; scan the cluster's az aks show output (or template, Terraform, --azure-cluster) with the logs"}
	}
	ev := []check.Evidence{{Path: c.PrivateCluster.Path, Value: kit.Ev(c.PrivateCluster, "public").Value},
		{Path: c.AuthorizedIPRanges.Path, Value: kit.Ev(c.AuthorizedIPRanges, "no ranges").Value}}
	switch {
	case c.PrivateCluster.State == inventory.Unknown:
		return &check.Result{Status: check.NotAssessed, Message: "whether the API server is private cannot be determined from the Azure input", Evidence: ev}
	case c.PrivateCluster.State == inventory.Known && c.PrivateCluster.Val:
		return &check.Result{Status: check.NotApplicable, Message: "private cluster: the API server has no public endpoint for authorized IP ranges to guard", Evidence: ev}
	case c.AuthorizedIPRanges.State == inventory.Unknown:
		return &check.Result{Status: check.NotAssessed, Message: "the authorized IP ranges cannot be determined from the Azure input", Evidence: ev}
	case len(c.AuthorizedIPRanges.Val) == 0:
		return &check.Result{Status: check.NotApplicable, Message: "the API server has no authorized IP ranges: every address may reach it (AKS-ACC-001 judges that)", Evidence: ev}
	}
	r := &rangesOf{text: strings.Join(c.AuthorizedIPRanges.Val, ", ")}
	for _, s := range c.AuthorizedIPRanges.Val {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			a, aerr := netip.ParseAddr(strings.TrimSpace(s))
			if aerr != nil {
				return &check.Result{Status: check.NotAssessed, Message: "authorized IP range " + s + " is not an address or CIDR range", Evidence: ev}
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		r.prefixes = append(r.prefixes, p.Masked())
	}
	v.data = r
	return nil
}

// outsideRanges keeps a finding whose addresses include one outside the
// ranges that is not the cluster's egress.
func outsideRanges(_ *check.Context, v *scopeView, f *finding) (bool, []check.Evidence) {
	r, _ := v.data.(*rangesOf)
	if r == nil {
		return true, nil
	}
	if strings.Contains(f.ip, "…#") {
		// Source IPs past maxIDText bytes (a forged X-Forwarded-For):
		// not all can be read, so the request is reported.
		return true, []check.Evidence{{Path: "sourceIPs", Value: "too long to judge one by one: reported"},
			{Path: "apiServerAccessProfile.authorizedIPRanges", Value: r.text}}
	}
	var out []string
	for _, s := range strings.Split(f.ip, ",") {
		ip, ok := publicAddr(s)
		if !ok || v.stats.egress[ip.String()] {
			continue
		}
		in := false
		for _, p := range r.prefixes {
			in = in || p.Contains(ip)
		}
		if !in {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return false, nil
	}
	return true, []check.Evidence{{Path: "outside the authorized ranges", Value: strings.Join(out, ", ")},
		{Path: "apiServerAccessProfile.authorizedIPRanges", Value: r.text}}
}
