package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // registers the controls
	"github.com/aksguard/aksguard/internal/config"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestPolicyOnAuditFindings: waivers, the system-identity exclusion and
// the allow-list apply to audit findings like to any other result.
func TestPolicyOnAuditFindings(t *testing.T) {
	const id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-demo"
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	events := []inventory.AuditEvent{
		{AuditID: "a1", Stage: "ResponseComplete", Verb: "create", Code: 101, ClusterID: id, Received: t0, Input: "audit.log", Line: 3,
			User: inventory.AuditUser{Username: "alice@contoso.com"}, SourceIPs: []string{"203.0.113.9"},
			Object: inventory.AuditObjectRef{Resource: "pods", Subresource: "exec", Namespace: "shop", Name: "web-0"}},
		{AuditID: "a2", Stage: "ResponseComplete", Verb: "create", Code: 101, ClusterID: id, Received: t0, Input: "audit.log", Line: 4,
			User:   inventory.AuditUser{Username: "aksService"},
			Object: inventory.AuditObjectRef{Resource: "pods", Subresource: "exec", Namespace: "kube-system", Name: "coredns-0"}},
	}
	in := inventory.AuditInput{Input: "audit.log", Line: 1, Form: inventory.AuditFormJSONLines, ClusterIDs: []string{id}, First: t0, Last: t0, Events: 2}
	run := func(t *testing.T, cfgText string, includeSystem bool) engine.Outcome {
		cfg, err := config.Parse([]byte(cfgText), ".aksguard.yaml")
		if err != nil {
			t.Fatal(err)
		}
		s := check.DefaultSettings()
		cfg.Apply(&s)
		c, _ := check.Lookup("AKS-AUD-002")
		obs := c.Audit(s)
		for i := range events {
			obs.Observe(&events[i])
		}
		inv := &inventory.Inventory{Clusters: []*inventory.Cluster{{ID: id, Name: "aks-demo"}},
			Audit: &inventory.AuditLog{Inputs: []inventory.AuditInput{in}, States: map[string]inventory.AuditObserver{c.ID: obs}}}
		return engine.Evaluate(inv, engine.Options{Settings: s, Now: t0, Only: map[string]bool{c.ID: true},
			Waivers: cfg.Waivers, ConfigFile: cfg.File, IncludeSystem: includeSystem})
	}
	statuses := func(o engine.Outcome) string {
		var out []string
		for _, r := range o.Results {
			out = append(out, string(r.Status)+" "+r.Resource.Kind+"/"+r.Resource.Name)
		}
		return strings.Join(out, ", ")
	}

	o := run(t, "", false)
	if got := statuses(o); got != "fail ManagedCluster/aks-demo" || o.Excluded != 1 {
		t.Errorf("default: %s, excluded %d; want alice's fail, aksService's excluded", got, o.Excluded)
	}
	o = run(t, "", true)
	if got := statuses(o); got != "fail ManagedCluster/aks-demo, fail ManagedCluster/aks-demo" || o.Excluded != 0 {
		t.Errorf("--include-system: %s, excluded %d", got, o.Excluded)
	}
	o = run(t, "waivers:\n  - control: AKS-AUD-002\n    resource: ManagedCluster/aks-demo\n    reason: break-glass drill OPS-7\n    expires: 2027-01-31\n", false)
	if got := statuses(o); got != "waived ManagedCluster/aks-demo" || !strings.Contains(o.Results[0].Message, "break-glass drill OPS-7") {
		t.Errorf("waiver: %s: %v", got, o.Results)
	}
	o = run(t, "allow:\n  audit:\n    - users: [\"alice@*\"]\n      sourceIPs: [203.0.113.0/24]\n", false)
	if got := statuses(o); got != "pass ManagedCluster/aks-demo" {
		t.Errorf("allow-list: %s", got)
	}
	found := false
	for _, e := range o.Results[0].Evidence {
		found = found || (strings.HasPrefix(e.Path, "allow-listed events") && e.Value == "1")
	}
	if !found {
		t.Errorf("the pass does not count the allow-listed event: %+v", o.Results[0].Evidence)
	}
	o = run(t, "allow:\n  audit:\n    - users: [\"alice@*\"]\n      sourceIPs: [198.51.100.0/24]\n", false)
	if got := statuses(o); got != "fail ManagedCluster/aks-demo" {
		t.Errorf("allow-list entry of another address: %s", got)
	}
}
