package loganalytics

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/inventory"
)

func ev(user string, groups []string, verb, resource, sub, group string, code int, ips ...string) *inventory.AuditEvent {
	return &inventory.AuditEvent{User: inventory.AuditUser{Username: user, Groups: groups}, Verb: verb,
		Object: inventory.AuditObjectRef{Resource: resource, Subresource: sub, APIGroup: group}, Code: code, SourceIPs: ips,
		ClusterID: testCluster}
}

func TestFilterMatch(t *testing.T) {
	all := []string{"AKS-AUD-001", "AKS-AUD-002", "AKS-AUD-003", "AKS-AUD-004", "AKS-AUD-005", "AKS-AUD-006", "AKS-AUD-007",
		"AKS-AUD-008", "AKS-AUD-009", "AKS-AUD-010"}
	ranges := []ClusterRanges{{ClusterID: strings.ToUpper(testCluster), Ranges: []string{"203.0.113.0/24", "198.51.100.7"}}}
	dev := []string{"dev-team", "system:authenticated"}
	for _, tc := range []struct {
		name     string
		controls []string
		ranges   []ClusterRanges
		ev       *inventory.AuditEvent
		want     bool
	}{
		{"anonymous", all, ranges, ev("system:anonymous", []string{"system:unauthenticated"}, "get", "configmaps", "", "", 200, "203.0.113.9"), true},
		{"exec by get", all, ranges, ev("ops", dev, "get", "pods", "exec", "", 400, "203.0.113.9"), true},
		{"secret list", all, ranges, ev("dev", dev, "list", "secrets", "", "", 200, "203.0.113.9"), true},
		{"secret create is no read", []string{"AKS-AUD-003"}, nil, ev("dev", dev, "create", "secrets", "", "", 201), false},
		{"pod create", all, ranges, ev("dev", dev, "create", "pods", "", "", 201, "203.0.113.9"), true},
		{"pod get", []string{"AKS-AUD-004"}, nil, ev("dev", dev, "get", "pods", "", "", 200), false},
		{"binding patch", all, ranges, ev("p", dev, "patch", "clusterrolebindings", "", "rbac.authorization.k8s.io", 200, "203.0.113.9"), true},
		{"masters group", all, ranges, ev("someone", []string{"system:masters"}, "get", "nodes", "", "", 200, "203.0.113.9"), true},
		{"403", all, ranges, ev("x", dev, "list", "nodes", "", "", 403, "203.0.113.9"), true},
		{"proxy", all, ranges, ev("dev", dev, "get", "services", "proxy", "", 503, "203.0.113.9"), true},
		{"delete netpol", all, ranges, ev("p", dev, "delete", "networkpolicies", "", "networking.k8s.io", 200, "203.0.113.9"), true},
		{"delete constraint", all, ranges, ev("p", dev, "delete", "k8srequiredlabels", "", "constraints.gatekeeper.sh", 200, "203.0.113.9"), true},
		{"delete configmap", all, ranges, ev("p", dev, "delete", "configmaps", "", "", 200, "203.0.113.9"), false},
		{"ordinary read inside the ranges", all, ranges, ev("alice", dev, "list", "pods", "", "", 200, "203.0.113.9"), false},
		{"ordinary read from outside the ranges", all, ranges, ev("alice", dev, "list", "pods", "", "", 200, "192.0.2.1"), true},
		{"inside a /32 given bare", all, ranges, ev("alice", dev, "list", "pods", "", "", 200, "198.51.100.7"), false},
		{"IPv6 source: kept", all, ranges, ev("alice", dev, "list", "pods", "", "", 200, "2001:db8::1"), true},
		{"two sources: kept", all, ranges, ev("alice", dev, "list", "pods", "", "", 200, "203.0.113.9", "10.0.0.1"), true},
		{"AUD-007 without ranges needs nothing", []string{"AKS-AUD-007"}, nil, ev("alice", dev, "list", "pods", "", "", 200, "192.0.2.1"), false},
		{"IPv6 ranges: keep all", []string{"AKS-AUD-007"}, []ClusterRanges{{ClusterID: testCluster, Ranges: []string{"2001:db8::/32"}}},
			ev("alice", dev, "list", "pods", "", "", 200, "203.0.113.9"), true},
		{"a control the table does not know keeps all", []string{"AKS-AUD-099"}, nil, ev("alice", dev, "list", "pods", "", "", 200), true},
	} {
		f := NewFilter(tc.controls, tc.ranges)
		if got := f.Match(tc.ev); got != tc.want {
			t.Errorf("%s: Match %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFilterKQL(t *testing.T) {
	f := NewFilter([]string{"AKS-AUD-001", "AKS-AUD-007", "AKS-AUD-008"}, []ClusterRanges{{ClusterID: testCluster, Ranges: []string{"203.0.113.0/24"}}})
	got := f.KQL(tableColumns)
	for _, want := range []string{
		`(tostring(User.username) in ("system:anonymous"))`,
		`((set_has_element(User.groups, "system:unauthenticated")))`,
		`(toint(ResponseStatus.code) in (403))`,
		`((isempty(_ResourceId) or _ResourceId =~ "` + testCluster + `") and (array_length(SourceIps) != 1 or iff(ipv4_is_in_any_range(tostring(SourceIps[0]), dynamic(["203.0.113.0/24"])), false, true)))`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("KQL lacks %s:\n%s", want, got)
		}
	}
	if d := f.KQL(diagnosticsColumns); !strings.Contains(d, `tostring(e.user.username) in ("system:anonymous")`) {
		t.Errorf("AzureDiagnostics KQL:\n%s", d)
	}
	if NewFilter([]string{"AKS-AUD-099"}, nil).KQL(tableColumns) != "" {
		t.Error("an unknown control must keep everything")
	}
	q := eventsQuery(source{table: "AKSAudit", category: "kube-audit"}, f, since, until, []string{testCluster}, 100)
	for _, want := range []string{"AKSAudit\n| where TimeGenerated >= datetime(2026-11-23T09:00:00.0000000Z) and TimeGenerated < datetime(2026-11-23T10:00:00.0000000Z)",
		"| where _ResourceId in~ (", "| project AuditId,", "| take 101"} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %q:\n%s", want, q)
		}
	}
}

// FuzzKQLString: whatever the text (a cluster ID or range from an input),
// its literal stays one KQL string.
func FuzzKQLString(f *testing.F) {
	for _, s := range []string{"", `a"b`, `\`, "line\nbreak", "/subscriptions/x/resourceGroups/y", "\x00\x1f", `"") or true or (""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		q := kqlString(s)
		if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
			t.Fatalf("%q", q)
		}
		body := q[1 : len(q)-1]
		for i := 0; i < len(body); i++ {
			switch body[i] {
			case '\\':
				i++
			case '"', '\n', '\r':
				t.Fatalf("unescaped %q in %q", body[i], q)
			}
		}
	})
}
