package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

const deploymentOnly = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`

// TestEveryControlSaysSomething: every registered control yields at least
// one result for every cluster of the scan (and for the Kubernetes input
// when it belongs to no cluster); a control that could not run names the
// input it lacks; one with nothing to judge says so (not-applicable).
func TestEveryControlSaysSomething(t *testing.T) {
	dir := t.TempDir()
	k8s := filepath.Join(dir, "k8s")
	must(t, os.MkdirAll(k8s, 0o755))
	must(t, os.WriteFile(filepath.Join(k8s, "web.yaml"), []byte(deploymentOnly), 0o644))
	azure := "../../examples/insecure/aks-shop-prod.json"
	other := "../../examples/hardened/aks-payments-prod.json"
	nodes := filepath.Join(dir, "nodes.yaml")
	// A Node naming aks-shop-prod's node resource group attributes the
	// manifests to that cluster.
	must(t, os.WriteFile(nodes, []byte(`apiVersion: v1
kind: Node
metadata:
  name: aks-nodepool1-1
  labels: {kubernetes.azure.com/cluster: MC_rg-shop-prod_aks-shop-prod_westeurope}
`), 0o644))

	type want struct {
		control, resource string
		status            check.Status
		msg               string
	}
	for _, tc := range []struct {
		name   string
		paths  []string
		scopes []string // every control has a result on each of these
		kube   string   // the scope results on Kubernetes objects belong to
		want   []want
	}{
		{name: "Azure only", paths: []string{azure}, scopes: []string{"ManagedCluster/aks-shop-prod"}, want: []want{
			{"AKS-WKL-001", "ManagedCluster/aks-shop-prod", check.NotAssessed, "no Kubernetes input for this cluster: scan manifests or --kube"},
			{"AKS-RBA-003", "ManagedCluster/aks-shop-prod", check.NotAssessed, "no Kubernetes input for this cluster"},
			{"AKS-IDN-007", "ManagedCluster/aks-shop-prod", check.NotAssessed, "no Kubernetes input for this cluster"},
			{"AKS-AUD-002", "ManagedCluster/aks-shop-prod", check.NotAssessed, "no audit-log input for this cluster: scan its kube-audit logs"},
			{"AKS-AUD-007", "ManagedCluster/aks-shop-prod", check.NotAssessed, "no audit-log input for this cluster"},
		}},
		{name: "manifests only", paths: []string{k8s}, scopes: []string{"Cluster/kubernetes"}, want: []want{
			{"AKS-ACC-001", "Cluster/kubernetes", check.NotAssessed, "no Azure input for this cluster"},
			{"AKS-MON-002", "Cluster/kubernetes", check.NotAssessed, "no Azure input for this cluster"},
			{"AKS-IDN-007", "Cluster/kubernetes", check.NotAssessed, "needs a live connection"},
			{"AKS-NET-005", "Cluster/kubernetes", check.NotApplicable, "nothing this control judges is in the Kubernetes input (it reads: services"},
			{"AKS-RBA-003", "Cluster/kubernetes", check.NotApplicable, "nothing this control judges"},
		}},
		{name: "two clusters, manifests of one", paths: []string{azure, other, k8s, nodes},
			scopes: []string{"ManagedCluster/aks-shop-prod", "ManagedCluster/aks-payments-prod"}, kube: "ManagedCluster/aks-shop-prod", want: []want{
				{"AKS-WKL-001", "ManagedCluster/aks-payments-prod", check.NotAssessed, "the scan's Kubernetes input belongs to aks-shop-prod"},
				{"AKS-NET-005", "ManagedCluster/aks-shop-prod", check.NotApplicable, "nothing this control judges"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := source.Load(tc.paths, source.Options{})
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors: %v", inv.Errors)
			}
			rs := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now, IncludeSystem: true}).Results
			type key struct{ control, scope string }
			has := map[key]bool{}
			for _, r := range rs {
				for _, s := range tc.scopes {
					kind, name, _ := strings.Cut(s, "/")
					if clusterKey(r) == name || strings.HasSuffix(strings.ToLower(clusterKey(r)), "/"+strings.ToLower(name)) ||
						(r.Resource.Kind == kind && r.Resource.Name == name) {
						has[key{r.Control, s}] = true
					}
				}
				// Kubernetes object results belong to the scope holding the input.
				switch r.Resource.Kind {
				case "ManagedCluster", "AgentPool", "Cluster", "ContainerRegistry":
				default:
					if tc.kube != "" {
						has[key{r.Control, tc.kube}] = true
					} else if len(tc.scopes) == 1 {
						has[key{r.Control, tc.scopes[0]}] = true
					}
				}
			}
			for _, c := range check.All() {
				for _, s := range tc.scopes {
					if !has[key{c.ID, s}] {
						t.Errorf("%s: no result on %s", c.ID, s)
					}
				}
			}
			for _, w := range tc.want {
				found := false
				for _, r := range rs {
					if r.Control == w.control && r.Resource.Kind+"/"+r.Resource.Name == w.resource {
						found = true
						if r.Status != w.status || !strings.Contains(r.Message, w.msg) {
							t.Errorf("%s on %s: %s %q, want %s containing %q", w.control, w.resource, r.Status, r.Message, w.status, w.msg)
						}
					}
				}
				if !found {
					t.Errorf("%s on %s: no result", w.control, w.resource)
				}
			}
		})
	}
}

// TestAuditLogScopes: an audit log is a scope like the other inputs. A log
// naming a cluster of the scan belongs to it; a log naming none, in a scan
// of two clusters, is a scope of its own ("audit-log"), where every control
// says something, and the clusters' audit controls say the logs are not
// theirs.
func TestAuditLogScopes(t *testing.T) {
	azure := "../../examples/insecure/aks-shop-prod.json"
	other := "../../examples/hardened/aks-payments-prod.json"
	for _, tc := range []struct {
		name      string
		clusterID func(inv *inventory.Inventory) string
		want      map[string]string // control on resource → message fragment
	}{
		{"a log naming no cluster", func(*inventory.Inventory) string { return "" }, map[string]string{
			"AKS-AUD-002 ManagedCluster/aks-shop-prod": "the scan's audit logs are of audit-log",
			"AKS-AUD-002 Cluster/audit-log":            "the control did not observe",
			"AKS-ACC-001 Cluster/audit-log":            "no Azure input for this cluster",
			"AKS-WKL-001 Cluster/audit-log":            "no Kubernetes input for this cluster",
		}},
		{"a log naming one cluster", func(inv *inventory.Inventory) string { return inv.Clusters[0].ID }, map[string]string{
			"AKS-AUD-002 ManagedCluster/aks-shop-prod":     "the control did not observe",
			"AKS-AUD-002 ManagedCluster/aks-payments-prod": "the scan's audit logs are of aks-shop-prod",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := source.Load([]string{azure, other}, source.Options{})
			if len(inv.Clusters) != 2 || inv.Clusters[0].Name != "aks-shop-prod" {
				t.Fatalf("clusters %v", inv.Clusters)
			}
			in := inventory.AuditInput{Input: "audit.log", Line: 1, Form: inventory.AuditFormJSONLines, Events: 1}
			if id := tc.clusterID(inv); id != "" {
				in.ClusterIDs = []string{id}
			}
			inv.Audit = &inventory.AuditLog{Inputs: []inventory.AuditInput{in}}
			rs := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now, IncludeSystem: true}).Results
			got := map[string]string{}
			for _, r := range rs {
				got[r.Control+" "+r.Resource.Kind+"/"+r.Resource.Name] += string(r.Status) + ": " + r.Message + "\n"
			}
			for k, frag := range tc.want {
				if !strings.Contains(got[k], frag) {
					t.Errorf("%s: %q, want %q", k, got[k], frag)
				}
			}
			if strings.Contains(got["AKS-AUD-002 Cluster/audit-log"], "pass") {
				t.Error("no observer ran: never a pass")
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
