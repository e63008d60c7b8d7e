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

// allowedRule ends the FailsWhen of the controls that judge allowed
// requests (spec.authorized): what "allowed" means, one rule for all.
const allowedRule = " Allowed means authorized: the authorizer's decision allow, or a response code below 400; a request the authorizer allowed that then failed (refused by admission, the kubelet or the object's absence) is reported too, the message and evidence naming its code."

// authorized is the one rule of the audit controls that judge allowed
// requests (spec.authorized): the authorizer let the request through — its
// decision annotation authorization.k8s.io/decision is "allow" —, or the
// API server answered it with a code below 400 (101 for an upgraded exec
// stream; an event without the annotation). What happened after the
// authorizer does not undo the access or the attempt: a request it allowed
// that then failed (admission refused the pod, the kubelet could not open
// the stream, the object did not exist) is reported all the same, and
// failed is then its code (0 when it did not fail), which the finding's
// evidence and message name. An event the authorizer denied, or one with
// neither a decision nor a code, is not authorized.
func authorized(ev *inventory.AuditEvent) (ok bool, failed int) {
	switch {
	case ev.Annotations["authorization.k8s.io/decision"] == "allow":
	case ev.Code > 0 && ev.Code < 400:
	default:
		return false, 0
	}
	if ev.Code >= 400 {
		return true, ev.Code
	}
	return true, 0
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
