package audit

import (
	"net/netip"
	"path"
	"slices"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Identities the audit controls know.
const (
	userAnonymous       = "system:anonymous"
	groupUnauthenticate = "system:unauthenticated"
	groupMasters        = "system:masters"
	serviceAccountPfx   = "system:serviceaccount:"
)

// aksManagedUsers are the identities AKS's own components authenticate as
// (the resource provider, the node bootstrap client). The local admin
// certificate (masterclient, clusterAdmin) and the local user certificate
// (clusterUser) are not among them: they are a person's credential, and
// AKS-AUD-006 reports them.
var aksManagedUsers = map[string]bool{
	"aksService": true, "nodeclient": true, "hcpService": true, "aks-support": true,
}

// effectiveUser is the identity a request acted as: the impersonated user
// when the request impersonated one, else the authenticated user.
func effectiveUser(ev *inventory.AuditEvent) *inventory.AuditUser {
	if ev.Impersonated != nil && ev.Impersonated.Username != "" {
		return ev.Impersonated
	}
	return &ev.User
}

// isSystemIdentity reports the identities the catalog's system-object rule
// covers: Kubernetes' own (system:* users such as system:kube-controller-
// manager and system:node:NAME, except system:anonymous), the service
// accounts of system namespaces (kube-system, gatekeeper-system, …), and
// AKS-managed users (aksService, nodeclient, aks-*). Their findings carry
// System: the engine excludes and counts them, --include-system shows them.
func isSystemIdentity(user string) bool {
	switch {
	case user == userAnonymous:
		return false
	case strings.HasPrefix(user, serviceAccountPfx):
		ns, _, _ := strings.Cut(strings.TrimPrefix(user, serviceAccountPfx), ":")
		return kit.IsSystemNamespace(ns)
	case strings.HasPrefix(user, "system:"):
		return true
	case aksManagedUsers[user], strings.HasPrefix(user, "aks-"):
		return true
	}
	return false
}

// isReadVerb reports the verbs the kube-audit-admin category leaves out.
func isReadVerb(verb string) bool { return verb == "get" || verb == "list" || verb == "watch" }

// allowed reports a request the API server let through: a response code
// below 400 (101 for an upgraded exec stream), or, without a code, the
// authorizer's decision "allow".
func allowed(ev *inventory.AuditEvent) bool {
	if ev.Code > 0 {
		return ev.Code < 400
	}
	return ev.Annotations["authorization.k8s.io/decision"] == "allow"
}

// inGroup reports whether a user carries a group.
func inGroup(u *inventory.AuditUser, g string) bool { return slices.Contains(u.Groups, g) }

// allowList is the audit allow-list entries of one control.
type allowList []check.AuditAllow

// allowListFor keeps the entries that apply to the control.
func allowListFor(id string, s check.Settings) allowList {
	var out allowList
	for _, a := range s.AuditAllow {
		if len(a.Controls) == 0 || slices.ContainsFunc(a.Controls, func(c string) bool { return strings.EqualFold(c, id) }) {
			out = append(out, a)
		}
	}
	return out
}

// match reports whether an event is allow-listed for the control.
func (l allowList) match(ev *inventory.AuditEvent) bool {
	for _, a := range l {
		if len(a.Users) > 0 && !matchUser(a.Users, ev) {
			continue
		}
		if len(a.SourceIPs) > 0 && !matchIP(a.SourceIPs, ev.SourceIPs) {
			continue
		}
		if len(a.Users) > 0 || len(a.SourceIPs) > 0 {
			return true
		}
	}
	return false
}

// matchUser matches the authenticated and the impersonated user names.
func matchUser(globs []string, ev *inventory.AuditEvent) bool {
	names := []string{ev.User.Username}
	if ev.Impersonated != nil {
		names = append(names, ev.Impersonated.Username)
	}
	for _, g := range globs {
		for _, n := range names {
			if ok, _ := path.Match(g, n); ok || g == n {
				return true
			}
		}
	}
	return false
}

// matchIP reports whether any source IP is in one of the prefixes. An IP
// that does not parse matches nothing.
func matchIP(ps []netip.Prefix, ips []string) bool {
	for _, s := range ips {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		ip = ip.Unmap()
		for _, p := range ps {
			if p.Contains(ip) {
				return true
			}
		}
	}
	return false
}
