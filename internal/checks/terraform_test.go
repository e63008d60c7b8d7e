package checks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

// TestTerraformReading scans Terraform inputs that older provider syntax,
// unrecognised arguments or values known only after apply used to judge
// wrongly (testdata/terraform), and checks the verdicts of the controls
// concerned, with a piece of each message.
func TestTerraformReading(t *testing.T) {
	type want struct {
		status check.Status
		msg    string // contained in a result's message or evidence, "" for any
	}
	tests := []struct {
		dir  string
		want map[string]want
	}{
		{"v2-rbac-off", map[string]want{
			"AKS-ACC-006": {check.Fail, "Kubernetes RBAC is disabled"},
			"AKS-DSH-001": {check.Fail, ""},
			"AKS-NET-007": {check.Fail, ""},
			"AKS-GOV-001": {check.Fail, ""},
			"AKS-MON-001": {check.Pass, "monitoring add-on"},
		}},
		{"v2-aad", map[string]want{
			"AKS-ACC-004": {check.Pass, ""},
			"AKS-ACC-006": {check.Pass, ""},
			"AKS-ACC-007": {check.Pass, "1 admin group(s) set (object IDs known after apply)"},
			"AKS-ACC-008": {check.Pass, ""},
			"AKS-GOV-001": {check.Pass, ""},
			"AKS-NET-007": {check.Pass, ""},
		}},
		{"v2-no-rbac-block", map[string]want{
			"AKS-ACC-006": {check.NotAssessed, "provider 2.x and earlier disable Kubernetes RBAC"},
		}},
		{"v1-agent-pools", map[string]want{
			"AKS-NET-003": {check.Fail, "public"},
			"AKS-ACC-006": {check.Pass, ""},
		}},
		{"unrecognised", map[string]want{
			"AKS-ACC-006": {check.NotAssessed, "azurerm_kubernetes_cluster.c.rbac_mode (testdata/terraform/unrecognised/main.tf:8)"},
			"AKS-NET-003": {check.NotAssessed, "azurerm_kubernetes_cluster.c.default_node_pool[0].public_ip_enabled (testdata/terraform/unrecognised/main.tf:14)"},
			// Not applicable only because Entra ID is not set.
			"AKS-ACC-007": {check.NotAssessed, "on the default the result would be not applicable"},
			// A setting the input states is still judged.
			"AKS-ACC-005": {check.Pass, "local accounts are disabled"},
			// So is a fail on a default.
			"AKS-ACC-001": {check.Fail, ""},
		}},
		{"des-ref", map[string]want{
			"AKS-NOD-003": {check.Pass, "ID known after apply"},
		}},
		{"plan-v2", map[string]want{
			"AKS-ACC-006": {check.Fail, "Kubernetes RBAC is disabled"},
			"AKS-DSH-001": {check.Fail, ""},
			"AKS-NET-007": {check.Fail, ""},
			"AKS-GOV-001": {check.Fail, ""},
			"AKS-MON-001": {check.Pass, "monitoring add-on"},
		}},
		{"plan-unknown-set", map[string]want{
			"AKS-NOD-003": {check.Pass, "ID known after apply"},
			"AKS-ACC-007": {check.Pass, "1 admin group(s) set"},
		}},
		{"plan-var", map[string]want{
			// var.des_id may be null: the disk encryption set is not
			// proven set.
			"AKS-NOD-003": {check.NotAssessed, ""},
		}},
		{"plan-unrecognised", map[string]want{
			"AKS-ACC-006": {check.NotAssessed, "azurerm_kubernetes_cluster.c.rbac_mode"},
			"AKS-ACC-005": {check.Pass, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			inv := source.Load([]string{filepath.Join("testdata/terraform", tt.dir)}, source.Options{})
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors %v", inv.Errors)
			}
			if len(inv.Clusters) != 1 {
				t.Fatalf("%d clusters, want 1", len(inv.Clusters))
			}
			rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
			for id, w := range tt.want {
				if got := statusOf(rs, id); got != w.status {
					t.Errorf("%s: %s, want %s (%s)", id, got, w.status, messages(rs, id))
					continue
				}
				if w.msg != "" && !strings.Contains(messages(rs, id), w.msg) {
					t.Errorf("%s: messages %q, want one containing %q", id, messages(rs, id), w.msg)
				}
			}
		})
	}
}

func messages(rs []check.Result, id string) string {
	var out []string
	for _, r := range rs {
		if r.Control == id {
			out = append(out, r.Message)
			for _, e := range r.Evidence {
				out = append(out, e.Path+"="+e.Value)
			}
		}
	}
	return strings.Join(out, " | ")
}
