package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestAuthorizedRule: every control that judges allowed requests applies
// one rule (authorized): the authorizer's decision allow, or a code below
// 400; a request allowed that then failed is reported, its failure and
// code named in the message and the evidence.
func TestAuthorizedRule(t *testing.T) {
	privPod := `{"kind":"Pod","apiVersion":"v1","spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}`
	crb := `{"kind":"ClusterRoleBinding","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","name":"mallory"}]}`
	candidates := []struct {
		c  *check.Control
		ev func(code int, opts ...func(*inventory.AuditEvent)) inventory.AuditEvent
	}{
		{aud001, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("system:anonymous", "list", "pods", "", "", "", code, append(o, group("system:unauthenticated"))...)
		}},
		{aud002, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "create", "pods", "exec", "shop", "web-0", code, o...)
		}},
		{aud003, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "get", "secrets", "", "shop", "db", code, o...)
		}},
		{aud004, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "create", "pods", "", "shop", "p", code, append(o, body(privPod))...)
		}},
		{aud005, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "create", "clusterrolebindings", "", "", "mallory-admin", code, append(o, apiGroup("rbac.authorization.k8s.io"), body(crb))...)
		}},
		{aud009, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "get", "services", "proxy", "kubernetes-dashboard", "https:kubernetes-dashboard:443", code, o...)
		}},
		{aud010, func(code int, o ...func(*inventory.AuditEvent)) inventory.AuditEvent {
			return ev("bob@contoso.com", "delete", "networkpolicies", "", "shop", "deny-all", code, append(o, apiGroup("networking.k8s.io"))...)
		}},
	}
	for _, cd := range candidates {
		if !strings.HasSuffix(cd.c.FailsWhen, allowedRule) {
			t.Errorf("%s: FailsWhen does not end with the rule of allowed requests", cd.c.ID)
		}
		for _, tc := range []struct {
			name     string
			evs      []inventory.AuditEvent
			want     check.Status
			message  string // a part of the message ("" none)
			evidence string // the value of "failed after authorization" ("" none)
		}{
			{name: "succeeded (code only)", evs: []inventory.AuditEvent{cd.ev(200)}, want: check.Fail},
			{name: "succeeded (decision allow)", evs: []inventory.AuditEvent{cd.ev(201, decision("allow"))}, want: check.Fail},
			{name: "allowed without a code", evs: []inventory.AuditEvent{cd.ev(0, decision("allow"))}, want: check.Fail},
			{name: "allowed, then failed", evs: []inventory.AuditEvent{cd.ev(500, decision("allow"))}, want: check.Fail,
				message: "once at 2026-11-30T10:00:00Z (authorized, then failed with code 500)", evidence: "1 of 1 events: 500"},
			{name: "allowed twice, once failed", evs: []inventory.AuditEvent{cd.ev(200, decision("allow")), cd.ev(404, decision("allow"), at(time.Minute))},
				want: check.Fail, message: "2 times from 2026-11-30T10:00:00Z to 2026-11-30T10:01:00Z (1 of them authorized, then failed with code 404)", evidence: "1 of 2 events: 404"},
			{name: "denied by the authorizer", evs: []inventory.AuditEvent{cd.ev(403, decision("forbid"))}, want: check.Pass},
			{name: "denied (code only)", evs: []inventory.AuditEvent{cd.ev(403)}, want: check.Pass},
			{name: "neither decision nor code", evs: []inventory.AuditEvent{cd.ev(0)}, want: check.Pass},
		} {
			t.Run(cd.c.ID+" "+tc.name, func(t *testing.T) {
				// An ordinary read beside the candidate, so that the
				// controls that need reads can pass.
				evs := append([]inventory.AuditEvent{ev("alice@contoso.com", "list", "pods", "", "shop", "", 200)}, tc.evs...)
				rs := judge(cd.c, check.DefaultSettings(), evs, []inventory.AuditInput{input("kube-audit")})
				if len(rs) != 1 || rs[0].Status != tc.want {
					t.Fatalf("got\n%s\nwant one %s", summary(rs), tc.want)
				}
				r := rs[0]
				if r.Status == check.Fail && tc.message == "" && strings.Contains(r.Message, "failed") {
					t.Errorf("message %q names a failure", r.Message)
				}
				if !strings.Contains(r.Message, tc.message) {
					t.Errorf("message %q, want it to hold %q", r.Message, tc.message)
				}
				got := ""
				for _, e := range r.Evidence {
					if e.Path == "failed after authorization (responseStatus.code)" {
						got = e.Value
					}
				}
				if got != tc.evidence {
					t.Errorf("failed evidence %q, want %q", got, tc.evidence)
				}
			})
		}
	}
}
