package audit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestFindingEvidence: a finding names the identity (user, groups, Entra
// object id), where it came from, what it did, and up to three examples.
func TestFindingEvidence(t *testing.T) {
	var evs []inventory.AuditEvent
	for i := range 5 {
		evs = append(evs, ev("alice@contoso.com", "create", "pods", "exec", "shop", fmt.Sprintf("web-%d", i), 101,
			group("aad-group-1"), ips("10.224.0.9", "10.224.0.10"), at(time.Duration(i)*time.Minute),
			func(e *inventory.AuditEvent) {
				e.AuditID = fmt.Sprintf("a-%d", i)
				e.Line = 10 + i
				e.User.Extra = map[string][]string{"oid": {"0f0f-oid"}}
			}))
	}
	rs := judge(aud002, check.DefaultSettings(), evs, []inventory.AuditInput{input("kube-audit")})
	if len(rs) != 1 || rs[0].Status != check.Fail {
		t.Fatalf("want one fail, got:\n%s", summary(rs))
	}
	got := map[string]string{}
	for _, e := range rs[0].Evidence {
		got[e.Path] = e.Value
	}
	want := map[string]string{
		"user.username": "alice@contoso.com", "user.groups": "aad-group-1", "user.extra.oid": "0f0f-oid",
		"sourceIPs": "10.224.0.9, 10.224.0.10", "userAgent": "kubectl/v1.31.0", "verb": "create",
		"objectRef":           "pods/exec shop/web-0, pods/exec shop/web-1, pods/exec shop/web-2, pods/exec shop/web-3, pods/exec shop/web-4",
		"responseStatus.code": "101", "count": "5", "first": "2026-11-30T10:00:00Z", "last": "2026-11-30T10:04:00Z",
		"auditID (examples)": "a-0, a-1, a-2",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("evidence %s = %q, want %q", k, got[k], v)
		}
	}
	if rs[0].Source.File != "audit.log" || rs[0].Source.Line != 10 {
		t.Errorf("source %+v, want the first example's line audit.log:10", rs[0].Source)
	}
	if rs[0].Remediation == "" {
		t.Error("a finding carries the remediation")
	}
}

// TestIdenticalEventsAreOneFinding: a million identical events are one
// finding with a count; the observer keeps one group.
func TestIdenticalEventsAreOneFinding(t *testing.T) {
	obs := aud003.Audit(check.DefaultSettings())
	e := ev("alice", "get", "secrets", "", "shop", "db", 200)
	for range 1_000_000 {
		obs.Observe(&e)
	}
	o := obs.(*observer)
	if len(o.groups) != 1 {
		t.Fatalf("%d groups, want 1", len(o.groups))
	}
	for _, f := range o.groups {
		if f.count != 1_000_000 || len(f.examples) != maxExamples {
			t.Errorf("count %d, examples %d", f.count, len(f.examples))
		}
	}
}

// TestGroupsAreBounded: past maxGroups distinct groups, the events are
// counted in one result that says so (a fail where every such event is a
// finding, not-assessed where they could not be judged).
func TestGroupsAreBounded(t *testing.T) {
	for _, tc := range []struct {
		c    *check.Control
		want check.Status
		mk   func(i int) inventory.AuditEvent
	}{
		{aud003, check.Fail, func(i int) inventory.AuditEvent {
			return ev(fmt.Sprintf("user-%d", i), "get", "secrets", "", "shop", "db", 200)
		}},
		{aud007, check.NotAssessed, func(i int) inventory.AuditEvent {
			return ev("alice", "get", "pods", "", "shop", "", 200, ips(fmt.Sprintf("198.%d.%d.%d", i>>16&255, i>>8&255, i&255)))
		}},
	} {
		obs := tc.c.Audit(check.DefaultSettings())
		for i := range maxGroups + 7 {
			e := tc.mk(i)
			obs.Observe(&e)
		}
		inv := &inventory.Inventory{Clusters: []*inventory.Cluster{cluster("203.0.113.0/24")},
			Audit: &inventory.AuditLog{Inputs: []inventory.AuditInput{input("kube-audit")}, States: map[string]inventory.AuditObserver{tc.c.ID: obs}}}
		rs := tc.c.Run(&check.Context{Inv: inv, Settings: check.DefaultSettings()})
		found := false
		for _, r := range rs {
			if strings.Contains(r.Message, "7 more events") {
				found = true
				if r.Status != tc.want {
					t.Errorf("%s: overflow result %s, want %s", tc.c.ID, r.Status, tc.want)
				}
			}
			if r.Status == check.Pass {
				t.Errorf("%s: a pass beside an overflow: %s", tc.c.ID, r.Message)
			}
		}
		if !found {
			t.Errorf("%s: no result counts the 7 events past the bound", tc.c.ID)
		}
		if n := len(obs.(*observer).groups); n != maxGroups {
			t.Errorf("%s: %d groups kept, want %d", tc.c.ID, n, maxGroups)
		}
	}
}

// TestKeptStringsAreBounded: a hostile user agent is kept clipped.
func TestKeptStringsAreBounded(t *testing.T) {
	obs := aud002.Audit(check.DefaultSettings())
	e := ev(strings.Repeat("u", 1<<20), "create", "pods", "exec", "shop", "web", 101, func(e *inventory.AuditEvent) { e.UserAgent = strings.Repeat("x", 1<<20) })
	obs.Observe(&e)
	obs.Observe(&e) // the same long user falls in the same group
	o := obs.(*observer)
	if len(o.groups) != 1 {
		t.Fatalf("%d groups, want 1", len(o.groups))
	}
	for _, f := range o.groups {
		if len(f.user) > maxText+len("…#")+16 || len(f.agents.vals[0]) > maxText+len("…") || f.count != 2 {
			t.Errorf("kept %d and %d bytes, count %d", len(f.user), len(f.agents.vals[0]), f.count)
		}
	}
}

func TestDensestWindow(t *testing.T) {
	s := func(d ...int) []int64 {
		var out []int64
		for _, x := range d {
			out = append(out, t0.Add(time.Duration(x)*time.Second).UnixNano())
		}
		return out
	}
	for _, tc := range []struct {
		times []int64
		w     time.Duration
		want  int
	}{
		{s(), time.Minute, 0},
		{s(0), time.Minute, 1},
		{s(0, 30, 60, 61, 200), time.Minute, 3},
		{s(200, 61, 0, 60, 30), time.Minute, 3}, // any order (several logs)
		{s(0, 100, 200, 300), time.Minute, 1},
	} {
		if got, _, _ := densestWindow(tc.times, tc.w); got != tc.want {
			t.Errorf("%v in %s: %d, want %d", tc.times, tc.w, got, tc.want)
		}
	}
}

// TestScopes: events without a cluster ID belong to the only cluster of the
// scan; with several clusters to the audit logs' own scope.
func TestScopes(t *testing.T) {
	e := ev("alice", "create", "pods", "exec", "shop", "web", 101, func(e *inventory.AuditEvent) { e.ClusterID = ""; e.Category = "" })
	in := input()
	in.ClusterIDs = nil
	rs := judge(aud002, check.DefaultSettings(), []inventory.AuditEvent{e}, []inventory.AuditInput{in}, cluster())
	if len(rs) != 1 || rs[0].Resource.ID != clusterID {
		t.Errorf("one cluster: %+v", rs)
	}
	other := &inventory.Cluster{ID: clusterID + "2", Name: "aks-demo2"}
	rs = judge(aud002, check.DefaultSettings(), []inventory.AuditEvent{e}, []inventory.AuditInput{in}, cluster(), other)
	if len(rs) != 1 || rs[0].Resource.Name != check.AuditLogScopeName {
		t.Errorf("two clusters: %+v", rs)
	}
}
