package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/config"
)

var now = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func waivers(t *testing.T, yaml string) []config.Waiver {
	t.Helper()
	c, err := config.Parse([]byte(yaml), ".aksguard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c.Waivers
}

func TestApplyPolicy(t *testing.T) {
	ws := waivers(t, `waivers:
  - control: AKS-ACC-005
    resource: ManagedCluster/aks-*
    reason: break-glass account until Entra ID rollout (CHG-42)
    expires: 2027-01-31
  - control: AKS-NET-003
    reason: old waiver
    expires: 2026-10-01
`)
	rs := []check.Result{
		{Control: "AKS-ACC-005", Status: check.Fail, Resource: check.Resource{Kind: "ManagedCluster", Name: "aks-prod"}, Message: "local accounts are enabled"},
		{Control: "AKS-ACC-005", Status: check.Fail, Resource: check.Resource{Kind: "ManagedCluster", Name: "other"}, Message: "local accounts are enabled"},
		{Control: "AKS-ACC-005", Status: check.Pass, Resource: check.Resource{Kind: "ManagedCluster", Name: "aks-dev"}},
		{Control: "AKS-NET-003", Status: check.Fail, Resource: check.Resource{Kind: "AgentPool", Name: "aks-prod/user"}, Message: "public IPs"},
		{Control: "AKS-WKL-001", Status: check.Fail, Resource: check.Resource{Kind: "DaemonSet", Namespace: "kube-system", Name: "azure-cns"}, System: true},
		{Control: "AKS-WKL-001", Status: check.Fail, Resource: check.Resource{Kind: "Deployment", Namespace: "sandbox", Name: "x"}},
		{Control: "AKS-WKL-008", Status: check.Fail, Resource: check.Resource{Kind: "DaemonSet", Namespace: "monitoring", Name: "ne"}, WaiveAnnotation: "AKS-WKL-008=reads /proc; AKS-WKL-007=host network"},
		{Control: "AKS-WKL-007", Status: check.Fail, Resource: check.Resource{Kind: "DaemonSet", Namespace: "monitoring", Name: "ne"}, WaiveAnnotation: "AKS-WKL-008=reads /proc; AKS-WKL-007="},
	}
	opts := Options{Now: now, Waivers: ws, ConfigFile: ".aksguard.yaml", ExcludedNamespaces: []string{"sandbox"}}
	out, excluded, by, warnings := applyPolicy(append([]check.Result(nil), rs...), opts)
	got := map[string]check.Status{}
	for _, r := range out {
		got[r.Control+" "+config.ResourcePath(r.Resource)] = r.Status
	}
	want := map[string]check.Status{
		"AKS-ACC-005 ManagedCluster/aks-prod": check.Waived,
		"AKS-ACC-005 ManagedCluster/other":    check.Fail,
		"AKS-ACC-005 ManagedCluster/aks-dev":  check.Pass,
		"AKS-NET-003 AgentPool/aks-prod/user": check.Fail, // expired waiver
		"AKS-WKL-008 DaemonSet/monitoring/ne": check.Waived,
		"AKS-WKL-007 DaemonSet/monitoring/ne": check.Fail, // annotation without a reason
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(out) != len(want) || excluded != 2 || by["AKS-managed or system object"] != 1 || by["namespace sandbox excluded by configuration"] != 1 {
		t.Errorf("out %d, excluded %d %v", len(out), excluded, by)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], ".aksguard.yaml:6: the waiver for AKS-NET-003") || !strings.Contains(warnings[0], "expired on 2026-10-01") {
		t.Errorf("warnings %q", warnings)
	}
	for _, r := range out {
		if r.Status == check.Waived && r.Control == "AKS-ACC-005" && !strings.Contains(r.Message, "break-glass account") {
			t.Errorf("waived message lacks the reason: %q", r.Message)
		}
	}

	// Strict mode ignores annotations; --include-system keeps system objects.
	opts.Strict, opts.IncludeSystem = true, true
	out, excluded, _, _ = applyPolicy(append([]check.Result(nil), rs...), opts)
	for _, r := range out {
		if r.Control == "AKS-WKL-008" && r.Status != check.Fail {
			t.Error("strict mode must ignore annotations")
		}
	}
	if excluded != 1 {
		t.Errorf("include-system: excluded %d, want 1 (the sandbox namespace)", excluded)
	}
}

func TestWaiverLastDayStillApplies(t *testing.T) {
	ws := waivers(t, "waivers:\n  - control: AKS-ACC-005\n    reason: r\n    expires: 2026-11-24\n")
	rs := []check.Result{{Control: "AKS-ACC-005", Status: check.Fail, Resource: check.Resource{Kind: "ManagedCluster", Name: "c"}}}
	out, _, _, warnings := applyPolicy(rs, Options{Now: now.Add(23 * time.Hour), Waivers: ws})
	if out[0].Status != check.Waived || len(warnings) != 0 {
		t.Fatalf("a waiver applies through its expiry day: %+v %v", out, warnings)
	}
}

// TestAnnotationWaiverExpiry: the aksguard.io/waive annotation takes an
// expiry per entry ("ID=reason;expires=YYYY-MM-DD"); an expired or malformed
// one is not applied and is reported like an expired configuration waiver.
func TestAnnotationWaiverExpiry(t *testing.T) {
	for _, tc := range []struct {
		name, annotation string
		want             check.Status
		msg, warning     string
	}{
		{"no expiry", "AKS-WKL-008=log agent", check.Waived, "waived by annotation aksguard.io/waive: log agent", ""},
		{"future expiry", "AKS-WKL-008=log agent;expires=2027-01-31", check.Waived, "waived by annotation aksguard.io/waive until 2027-01-31: log agent", ""},
		{"expiry day itself", "AKS-WKL-008=log agent; expires=2026-11-24", check.Waived, "until 2026-11-24", ""},
		{"expired", "AKS-WKL-008=log agent;expires=2026-11-23", check.Fail, "", "shop.yaml:12: the aksguard.io/waive annotation of DaemonSet/monitoring/ne for AKS-WKL-008 expired on 2026-11-23"},
		{"malformed expiry", "AKS-WKL-008=log agent;expires=31/01/2027", check.Fail, "", `has expires="31/01/2027", which is not a date`},
		{"expiry of another entry", "AKS-WKL-007=host network;expires=2020-01-01;AKS-WKL-008=log agent", check.Waived, "waived by annotation aksguard.io/waive: log agent", ""},
		{"own expiry after another entry", "AKS-WKL-007=x;AKS-WKL-008=log agent;expires=2020-01-01", check.Fail, "", "expired on 2020-01-01"},
		{"newline separated", "AKS-WKL-007=x\nAKS-WKL-008=log agent\nexpires=2027-01-31", check.Waived, "until 2027-01-31", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := []check.Result{{Control: "AKS-WKL-008", Status: check.Fail, Message: "hostPath",
				Resource: check.Resource{Kind: "DaemonSet", Namespace: "monitoring", Name: "ne"},
				Source:   check.Location{File: "shop.yaml", Line: 12}, WaiveAnnotation: tc.annotation}}
			out, _, _, warnings := applyPolicy(rs, Options{Now: now.Add(12 * time.Hour)})
			if out[0].Status != tc.want || !strings.Contains(out[0].Message, tc.msg) {
				t.Errorf("got %s %q, want %s containing %q", out[0].Status, out[0].Message, tc.want, tc.msg)
			}
			switch {
			case tc.warning == "" && len(warnings) != 0:
				t.Errorf("unexpected warnings %q", warnings)
			case tc.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tc.warning)):
				t.Errorf("warnings %q, want one containing %q", warnings, tc.warning)
			}
		})
	}
}

// TestUnmatchedWaiverWarns: a configuration waiver that matches no result of
// the scan (a typo in resource or control) is reported, unless its control
// did not run.
func TestUnmatchedWaiverWarns(t *testing.T) {
	ws := waivers(t, `waivers:
  - control: AKS-ACC-005
    resource: ManagedCluster/aks-prod
    reason: r
    expires: 2027-01-31
  - control: AKS-ACC-005
    resource: ManagedCluster/aks-prdo
    reason: typo
    expires: 2027-01-31
  - control: AKS-WKL-*
    resource: Deployment/shop/storefront
    reason: r
    expires: 2027-01-31
  - control: AKS-NET-003
    reason: matches a passing result
    expires: 2027-01-31
  - control: AKS-WKL-001
    resource: Deployment/kube-system/x
    reason: matches an excluded result
    expires: 2027-01-31
`)
	rs := []check.Result{
		{Control: "AKS-ACC-005", Status: check.Fail, Resource: check.Resource{Kind: "ManagedCluster", Name: "aks-prod"}},
		{Control: "AKS-NET-003", Status: check.Pass, Resource: check.Resource{Kind: "AgentPool", Name: "aks-prod/user"}},
		{Control: "AKS-WKL-001", Status: check.Fail, System: true, Resource: check.Resource{Kind: "Deployment", Namespace: "kube-system", Name: "x"}},
	}
	for _, tc := range []struct {
		name  string
		only  map[string]bool
		lines []string
	}{
		{"all controls", nil, []string{".aksguard.yaml:6:", ".aksguard.yaml:10:"}},
		{"only AKS-ACC-005 ran", map[string]bool{"AKS-ACC-005": true}, []string{".aksguard.yaml:6:"}},
		{"only AKS-NET-003 ran", map[string]bool{"AKS-NET-003": true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, warnings := applyPolicy(append([]check.Result(nil), rs...), Options{Now: now, Waivers: ws, ConfigFile: ".aksguard.yaml", Only: tc.only})
			if len(warnings) != len(tc.lines) {
				t.Fatalf("warnings %q, want %d", warnings, len(tc.lines))
			}
			for i, l := range tc.lines {
				if !strings.HasPrefix(warnings[i], l) || !strings.Contains(warnings[i], "matches no result of this scan") {
					t.Errorf("warning %q, want %s… matches no result", warnings[i], l)
				}
			}
		})
	}
}

// TestSortOrder sorts results given in every order of a small set and
// checks the order Sort promises: cluster (pools with their cluster),
// control, kind, namespace, name, file, line; equal results keep their
// order.
func TestSortOrder(t *testing.T) {
	want := []check.Result{
		{Control: "AKS-A", Resource: check.Resource{ID: "/s/x/managedClusters/b/agentPools/p", Kind: "AgentPool", Name: "b/p"}},
		{Control: "AKS-A", Resource: check.Resource{ID: "/s/x/managedClusters/b", Kind: "ManagedCluster", Name: "b"}},
		{Control: "AKS-A", Resource: check.Resource{Kind: "AgentPool", Name: "a/p1"}, Message: "first"},
		{Control: "AKS-A", Resource: check.Resource{Kind: "AgentPool", Name: "a/p1"}, Message: "second"},
		{Control: "AKS-A", Resource: check.Resource{Kind: "ManagedCluster", Name: "a"}},
		{Control: "AKS-B", Resource: check.Resource{Kind: "AgentPool", Name: "a/p0"}},
		{Control: "AKS-B", Resource: check.Resource{Kind: "Pod", Namespace: "x", Name: "a"}, Source: check.Location{File: "f", Line: 2}},
		{Control: "AKS-B", Resource: check.Resource{Kind: "Pod", Namespace: "x", Name: "a"}, Source: check.Location{File: "f", Line: 10}},
	}
	perms := [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {7, 6, 5, 4, 2, 3, 1, 0}, {4, 7, 2, 5, 0, 6, 3, 1}, {2, 1, 3, 6, 7, 5, 4, 0}}
	for _, p := range perms {
		rs := make([]check.Result, len(p))
		for i, k := range p {
			rs[i] = want[k]
		}
		Sort(rs)
		for i := range rs {
			if rs[i].Resource != want[i].Resource || rs[i].Control != want[i].Control || rs[i].Source != want[i].Source || rs[i].Message != want[i].Message {
				t.Fatalf("order %v: position %d is %+v, want %+v", p, i, rs[i], want[i])
			}
		}
	}
}
