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
