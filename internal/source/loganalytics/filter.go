package loganalytics

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// The pushed-down filter. A week of a busy cluster's audit log is many GB;
// only the events some audit control could flag leave the workspace. The
// filter only pre-filters: each control's observer still decides exactly,
// so a condition may let through more than its control flags, never less.
// One table (conditions) is rendered both as KQL, per table form, and as
// a Go predicate (Filter.Match), and the tests prove on every fixture event
// of every audit control that the predicate keeps what the control flags.

// field is an audit-event field a condition tests.
type field int

const (
	fUser        field = iota // user.username
	fGroup                    // any of user.groups
	fVerb                     // verb
	fResource                 // objectRef.resource
	fSubresource              // objectRef.subresource
	fAPIGroup                 // objectRef.apiGroup
	fCode                     // responseStatus.code
)

// term holds when the field has one of the values.
type term struct {
	f  field
	in []string
}

// condition keeps an event when all its terms hold.
type condition struct {
	control string
	terms   []term
}

var (
	writeVerbs  = []string{"create", "update", "patch"}
	readVerbs   = []string{"get", "list", "watch"}
	deleteVerbs = []string{"delete", "deletecollection"}
)

// conditions is the one table of what each audit control looks at. A
// control with several conditions keeps an event any of them keeps. An
// audit control the table does not name keeps every event (Filter).
var conditions = []condition{
	// AKS-AUD-001: requests by the anonymous user.
	{"AKS-AUD-001", []term{{fUser, []string{"system:anonymous"}}}},
	{"AKS-AUD-001", []term{{fGroup, []string{"system:unauthenticated"}}}},
	// AKS-AUD-002: exec, attach, port-forward (any verb: websocket clients
	// use get).
	{"AKS-AUD-002", []term{{fSubresource, []string{"exec", "attach", "portforward"}}}},
	// AKS-AUD-003: Secrets read or listed.
	{"AKS-AUD-003", []term{{fResource, []string{"secrets"}}, {fVerb, readVerbs}}},
	// AKS-AUD-004: pods and the workload kinds holding a pod template,
	// written.
	{"AKS-AUD-004", []term{{fResource, []string{"pods", "podtemplates", "replicationcontrollers", "deployments", "replicasets",
		"statefulsets", "daemonsets", "jobs", "cronjobs"}}, {fVerb, writeVerbs}}},
	// AKS-AUD-005: bindings written.
	{"AKS-AUD-005", []term{{fResource, []string{"clusterrolebindings", "rolebindings"}}, {fVerb, writeVerbs}}},
	// AKS-AUD-006: the local admin certificate.
	{"AKS-AUD-006", []term{{fUser, []string{"masterclient", "clusterAdmin", "clusterUser"}}}},
	{"AKS-AUD-006", []term{{fGroup, []string{"system:masters"}}}},
	// AKS-AUD-008: forbidden answers.
	{"AKS-AUD-008", []term{{fCode, []string{"403"}}}},
	// AKS-AUD-009: the API server's proxy to a service or pod (the
	// dashboard is judged on the namespace and name by the control).
	{"AKS-AUD-009", []term{{fSubresource, []string{"proxy"}}}},
	// AKS-AUD-010: deletions of policies, admission configuration and
	// Gatekeeper objects: every deletion in their API groups, and of
	// every resource whose name says policy.
	{"AKS-AUD-010", []term{{fVerb, deleteVerbs}, {fAPIGroup, []string{"networking.k8s.io", "admissionregistration.k8s.io",
		"constraints.gatekeeper.sh", "templates.gatekeeper.sh", "crd.projectcalico.org", "projectcalico.org", "cilium.io",
		"policy.networking.k8s.io", "mutations.gatekeeper.sh", "expansion.gatekeeper.sh", "config.gatekeeper.sh"}}}},
	{"AKS-AUD-010", []term{{fVerb, deleteVerbs}, {fResource, []string{"networkpolicies", "globalnetworkpolicies",
		"ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies", "validatingadmissionpolicies",
		"validatingadmissionpolicybindings", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings",
		"validatingwebhookconfigurations", "mutatingwebhookconfigurations", "constrainttemplates", "adminnetworkpolicies",
		"baselineadminnetworkpolicies"}}}},
}

// sourceIPControl is judged on the cluster's authorized IP ranges
// (rangeCondition), not on the table.
const sourceIPControl = "AKS-AUD-007"

// ClusterRanges are a cluster's authorized IP ranges, as the scan's Azure
// input gives them.
type ClusterRanges struct {
	ClusterID string
	Ranges    []string
}

// Filter is the pre-filter for the audit controls a scan runs.
type Filter struct {
	all   bool // keep every event
	conds []condition
	// ranges: AKS-AUD-007 keeps a cluster's events from an address
	// outside its ranges (or any address not IPv4).
	ranges []clusterPrefixes
}

type clusterPrefixes struct {
	id       string
	prefixes []netip.Prefix
	text     []string
}

// NewFilter builds the filter for the audit controls given (IDs). An ID
// the table does not know keeps every event: a control added later is never
// starved by a filter that does not know it. AKS-AUD-007 keeps, for each
// cluster of ranges, its events from outside them; a cluster whose ranges
// cannot be rendered keeps all its events; clusters without ranges are
// not-assessed by the control and need none.
func NewFilter(controls []string, ranges []ClusterRanges) *Filter {
	f := &Filter{}
	for _, id := range controls {
		if id == sourceIPControl {
			for _, r := range ranges {
				cp := clusterPrefixes{id: r.ClusterID}
				ok := r.ClusterID != ""
				for _, s := range r.Ranges {
					p, err := parseRange(s)
					if err != nil || !p.Addr().Is4() {
						ok = false
						break
					}
					cp.prefixes = append(cp.prefixes, p)
					cp.text = append(cp.text, p.String())
				}
				if !ok || len(cp.prefixes) == 0 {
					// Not renderable as an IPv4 range test (or no
					// cluster ID to tie it to): keep every event.
					f.all = true
					continue
				}
				f.ranges = append(f.ranges, cp)
			}
			continue
		}
		found := false
		for _, c := range conditions {
			if c.control == id {
				f.conds = append(f.conds, c)
				found = true
			}
		}
		if !found {
			f.all = true
		}
	}
	return f
}

// All reports whether the filter keeps every event.
func (f *Filter) All() bool { return f.all }

// Empty reports whether the filter keeps nothing (no audit control needs
// the logs).
func (f *Filter) Empty() bool { return !f.all && len(f.conds) == 0 && len(f.ranges) == 0 }

func parseRange(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Match is the filter as a Go predicate, the same table as the KQL.
func (f *Filter) Match(ev *inventory.AuditEvent) bool {
	if f.all {
		return true
	}
	for _, c := range f.conds {
		if c.match(ev) {
			return true
		}
	}
	for _, r := range f.ranges {
		// An event that names no cluster (a plain apiserver log) may be
		// any ranged cluster's.
		if (ev.ClusterID == "" || strings.EqualFold(ev.ClusterID, r.id)) && outside(ev.SourceIPs, r.prefixes) {
			return true
		}
	}
	return false
}

func (c condition) match(ev *inventory.AuditEvent) bool {
	for _, t := range c.terms {
		var ok bool
		switch t.f {
		case fUser:
			ok = slices.Contains(t.in, ev.User.Username)
		case fGroup:
			for _, g := range ev.User.Groups {
				ok = ok || slices.Contains(t.in, g)
			}
		case fVerb:
			ok = slices.Contains(t.in, ev.Verb)
		case fResource:
			ok = slices.Contains(t.in, ev.Object.Resource)
		case fSubresource:
			ok = slices.Contains(t.in, ev.Object.Subresource)
		case fAPIGroup:
			ok = slices.Contains(t.in, ev.Object.APIGroup)
		case fCode:
			ok = slices.Contains(t.in, strconv.Itoa(ev.Code))
		}
		if !ok {
			return false
		}
	}
	return true
}

// outside: not exactly one source address, or one that is not an IPv4
// address inside the prefixes.
func outside(ips []string, ps []netip.Prefix) bool {
	if len(ips) != 1 {
		return true
	}
	a, err := netip.ParseAddr(ips[0])
	if err != nil || !a.Is4() {
		return true
	}
	for _, p := range ps {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// columns are how a form spells the fields: the resource-specific tables
// hold them as columns (dynamic ones for user, objectRef, responseStatus),
// AzureDiagnostics in the event JSON of log_s (parsed as e).
type columns struct {
	user, groups, verb, resource, subresource, apiGroup, code, sourceIPs, resourceID string
}

var (
	tableColumns = columns{user: "tostring(User.username)", groups: "User.groups", verb: "Verb",
		resource: "tostring(ObjectRef.resource)", subresource: "tostring(ObjectRef.subresource)",
		apiGroup: "tostring(ObjectRef.apiGroup)", code: "toint(ResponseStatus.code)", sourceIPs: "SourceIps", resourceID: "_ResourceId"}
	diagnosticsColumns = columns{user: "tostring(e.user.username)", groups: "e.user.groups", verb: "tostring(e.verb)",
		resource: "tostring(e.objectRef.resource)", subresource: "tostring(e.objectRef.subresource)",
		apiGroup: "tostring(e.objectRef.apiGroup)", code: "toint(e.responseStatus.code)", sourceIPs: "e.sourceIPs", resourceID: "_ResourceId"}
)

// KQL renders the filter as a predicate over the form's columns; "" when
// it keeps every event.
func (f *Filter) KQL(cols columns) string {
	if f.all {
		return ""
	}
	var ors []string
	for _, c := range f.conds {
		var ands []string
		for _, t := range c.terms {
			ands = append(ands, t.kql(cols))
		}
		ors = append(ors, "("+strings.Join(ands, " and ")+")")
	}
	for _, r := range f.ranges {
		ip := "tostring(" + cols.sourceIPs + "[0])"
		ors = append(ors, fmt.Sprintf("((isempty(%s) or %s =~ %s) and (array_length(%s) != 1 or iff(ipv4_is_in_any_range(%s, %s), false, true)))",
			cols.resourceID, cols.resourceID, kqlString(r.id), cols.sourceIPs, ip, kqlDynamic(r.text)))
	}
	if len(ors) == 0 {
		return "false"
	}
	sort.Strings(ors)
	ors = slices.Compact(ors)
	return strings.Join(ors, "\n    or ")
}

func (t term) kql(cols columns) string {
	switch t.f {
	case fGroup:
		var ors []string
		for _, v := range t.in {
			ors = append(ors, "set_has_element("+cols.groups+", "+kqlString(v)+")")
		}
		return "(" + strings.Join(ors, " or ") + ")"
	case fCode:
		return cols.code + " in (" + strings.Join(t.in, ", ") + ")"
	}
	col := map[field]string{fUser: cols.user, fVerb: cols.verb, fResource: cols.resource,
		fSubresource: cols.subresource, fAPIGroup: cols.apiGroup}[t.f]
	var vs []string
	for _, v := range t.in {
		vs = append(vs, kqlString(v))
	}
	return col + " in (" + strings.Join(vs, ", ") + ")"
}

// kqlString quotes s as a KQL string literal.
func kqlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func kqlDynamic(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = kqlString(v)
	}
	return "dynamic([" + strings.Join(q, ", ") + "])"
}
