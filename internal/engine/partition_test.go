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

// copyTree copies a directory of example files.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	must(t, filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	}))
}

// TestRepositoryOfClusterFolders: scanning a repository root that holds
// several clusters' folders judges each cluster with the manifests in its
// folder (the nearest ancestor folder holding exactly one cluster); a
// manifest whose nearest such folder holds several clusters is judged on
// its own.
func TestRepositoryOfClusterFolders(t *testing.T) {
	type want struct {
		control, resource string
		status            check.Status
		msg               string
	}
	for _, tc := range []struct {
		name   string
		layout map[string]string // destination → example folder
		extra  map[string]string // file → content
		want   []want
	}{
		{name: "two cluster folders", layout: map[string]string{"shop": "../../examples/insecure", "payments": "../../examples/hardened"}, want: []want{
			{"AKS-DSH-001", "aks-shop-prod", check.Fail, "the Kubernetes Dashboard is deployed"},
			{"AKS-DSH-001", "aks-payments-prod", check.Pass, ""},
			{"AKS-GOV-002", "aks-shop-prod", check.Fail, ""},
			{"AKS-GOV-002", "aks-payments-prod", check.Pass, ""},
		}},
		{name: "manifests nested below the cluster's folder", layout: map[string]string{"shop/infra": "../../examples/insecure", "payments": "../../examples/hardened"},
			extra: map[string]string{"shop/apps/web/dash.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: kubernetes-dashboard, namespace: kubernetes-dashboard}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: d, image: kubernetesui/dashboard:v2.7.0}]\n"},
			want: []want{
				{"AKS-DSH-001", "aks-shop-prod", check.Fail, "the Kubernetes Dashboard is deployed"},
				{"AKS-DSH-001", "aks-payments-prod", check.Pass, ""},
			}},
		{name: "shared manifests at the root stay unattributed", layout: map[string]string{"shop": "../../examples/insecure", "payments": "../../examples/hardened"},
			extra: map[string]string{"shared.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: edge, namespace: shared}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n"},
			want: []want{
				{"AKS-DSH-001", "aks-shop-prod", check.Fail, ""},
				{"AKS-NET-005", "edge", check.Fail, ""},
				// Judged alone, the shared input has no Azure half.
				{"AKS-ACC-001", "kubernetes", check.NotAssessed, "no Azure input"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for dst, src := range tc.layout {
				copyTree(t, src, filepath.Join(root, dst))
			}
			for f, content := range tc.extra {
				must(t, os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o755))
				must(t, os.WriteFile(filepath.Join(root, f), []byte(content), 0o644))
			}
			inv := source.Load([]string{root}, source.Options{})
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors: %v", inv.Errors)
			}
			attributed := 0
			for _, kp := range inv.KubeByFolder {
				if kp.Owner.Cluster != nil {
					attributed++
				}
			}
			if attributed != 2 {
				t.Errorf("Kubernetes input attributed to %d clusters, want 2", attributed)
			}
			rs := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now}).Results
			for _, r := range rs {
				if strings.Contains(r.Message, "cannot be attributed") {
					t.Errorf("%s on %s: %s", r.Control, r.Resource.Name, r.Message)
				}
			}
			for _, w := range tc.want {
				var got []string
				ok := false
				for _, r := range rs {
					if r.Control == w.control && r.Resource.Name == w.resource {
						got = append(got, string(r.Status)+": "+r.Message)
						ok = ok || (r.Status == w.status && strings.Contains(r.Message, w.msg))
					}
				}
				if !ok {
					t.Errorf("%s on %s: %q, want %s %q", w.control, w.resource, got, w.status, w.msg)
				}
			}
		})
	}
}

// TestAuditControlsOnPartitionedScan: when the scan is judged cluster by
// cluster (folders), the audit controls still run once over the whole
// scan: one verdict per cluster, none twice.
func TestAuditControlsOnPartitionedScan(t *testing.T) {
	root := t.TempDir()
	copyTree(t, "../../examples/insecure", filepath.Join(root, "shop"))
	copyTree(t, "../../examples/hardened", filepath.Join(root, "payments"))
	inv := source.Load([]string{root}, source.Options{})
	if len(inv.KubeByFolder) == 0 {
		t.Fatal("the scan is not partitioned by folder")
	}
	var shop *inventory.Cluster
	for _, c := range inv.Clusters {
		if c.Name == "aks-shop-prod" {
			shop = c
		}
	}
	c, _ := check.Lookup("AKS-AUD-006")
	obs := c.Audit(check.DefaultSettings())
	obs.Observe(&inventory.AuditEvent{AuditID: "x", Stage: "ResponseComplete", Verb: "list", Code: 200, ClusterID: shop.ID,
		User: inventory.AuditUser{Username: "masterclient", Groups: []string{"system:masters"}}, Received: now, Input: "audit.log", Line: 1})
	inv.Audit = &inventory.AuditLog{Inputs: []inventory.AuditInput{{Input: "audit.log", Line: 1, Form: inventory.AuditFormAKSAuditTable,
		Categories: []string{"kube-audit-admin"}, ClusterIDs: []string{shop.ID}, First: now, Last: now, Events: 1}},
		States: map[string]inventory.AuditObserver{c.ID: obs}}
	rs := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now, Only: map[string]bool{c.ID: true}}).Results
	var got []string
	for _, r := range rs {
		got = append(got, string(r.Status)+" "+r.Resource.Name)
	}
	if strings.Join(got, ", ") != "not-assessed aks-payments-prod, fail aks-shop-prod" {
		t.Errorf("got %v", got)
	}
}
