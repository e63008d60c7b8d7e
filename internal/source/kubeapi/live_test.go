package kubeapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
	"github.com/aksguard/aksguard/internal/testkube"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// readLive scans the test server with a client configuration.
func readLive(t *testing.T, cfg *rest.Config, o kubeapi.Options) (*inventory.Inventory, *kubeapi.Stats) {
	t.Helper()
	o.Config = cfg
	conn, err := kubeapi.Connect(o)
	if err != nil {
		t.Fatal(err)
	}
	b, stats, err := kubeapi.Read(context.Background(), conn, o)
	if err != nil {
		t.Fatal(err)
	}
	return source.Load(nil, source.Options{Live: []*inventory.Batch{b}}), stats
}

func evaluate(inv *inventory.Inventory) []check.Result {
	return engine.Run(inv, engine.Options{Now: today, Settings: check.DefaultSettings(), IncludeSystem: true})
}

// verdicts keys results by control and resource.
func verdicts(rs []check.Result) map[string][]string {
	out := map[string][]string{}
	for _, r := range rs {
		k := r.Control + " " + r.Resource.Kind + "/" + r.Resource.Namespace + "/" + r.Resource.Name
		out[k] = append(out[k], string(r.Status)+": "+r.Message)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// paritySets are manifest sets created in the server one at a time.
var paritySets = [][]string{
	{"../../../examples/insecure/k8s"},
	{"../../../examples/hardened/k8s"},
	{"../../checks/testdata/workloads"},
	{"../../checks/testdata/rbac"},
	{"../../checks/testdata/namespaces"},
	{"../../checks/testdata/netpol"},
	{"../../checks/testdata/services"},
	{"../../checks/testdata/admission"},
	{"../../checks/testdata/dashboard"},
	{"../../checks/testdata/mixed"},
}

func yamlFiles(t *testing.T, dirs []string) []string {
	var out []string
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(d, "*.yaml"))
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Fatalf("no manifests in %v", dirs)
	}
	return out
}

// TestLiveMatchesManifests creates each set of test manifests in a real API
// server, scans it live and scans the objects the server accepted as files:
// every control must reach the same verdict, with the same message, on
// every resource the file scan judged. The live scan sees what the server
// stored (defaults filled in), so this also proves the controls hold on
// defaulted objects.
func TestLiveMatchesManifests(t *testing.T) {
	cfg := testkube.Config(t)
	seen := map[string]map[check.Status]bool{}
	for _, set := range paritySets {
		t.Run(filepath.Base(set[0]), func(t *testing.T) {
			c := testkube.NewCluster(t, cfg)
			defer c.Cleanup()
			before := c.Snapshot(baselineResources)
			accepted := c.Create(testkube.Objects(t, yamlFiles(t, set)...))
			if len(accepted) == 0 {
				t.Fatal("the server accepted no object")
			}
			// The file scan sees what was in the cluster before (as the
			// server holds it) and the set as written.
			file := writeList(t, append(before, accepted...))
			files := source.Load([]string{file}, source.Options{})
			if len(files.Errors) > 0 {
				t.Fatalf("file scan: %v", files.Errors)
			}
			want := verdicts(evaluate(files))
			live, _ := readLive(t, cfg, kubeapi.Options{})
			if len(live.Kube.Unread) > 0 {
				t.Fatalf("admin could not read: %v", live.Kube.Unread)
			}
			liveRs := evaluate(live)
			got := verdicts(liveRs)
			for k, w := range want {
				g := got[k]
				if statuses(g) != statuses(w) && !knownDifference(k, w, g) {
					t.Errorf("%s\n  files: %q\n  live:  %q", k, w, g)
				}
			}
			for _, r := range liveRs {
				if seen[r.Control] == nil {
					seen[r.Control] = map[check.Status]bool{}
				}
				seen[r.Control][r.Status] = true
			}
		})
	}
	// Every Kubernetes-only control reached a verdict live (pass and fail
	// both) somewhere in the sets, so the comparison above judged it.
	for _, c := range check.All() {
		if len(c.Reads) == 0 || len(c.Inputs) != 1 {
			continue
		}
		if c.ID == "AKS-IDN-005" {
			// Live, a pull Secret's registries are known only through the
			// images its users pull: fail or not-assessed, never pass.
			if !seen[c.ID][check.Fail] || !seen[c.ID][check.NotAssessed] {
				t.Errorf("%s: want fail and not-assessed live, got %v", c.ID, seen[c.ID])
			}
			continue
		}
		if !seen[c.ID][check.Pass] || !seen[c.ID][check.Fail] {
			t.Errorf("%s never both passed and failed live: %v", c.ID, seen[c.ID])
		}
	}
}

// baselineResources are the kinds a fresh server already holds objects of.
var baselineResources = []schema.GroupVersionResource{
	{Version: "v1", Resource: "namespaces"},
	{Version: "v1", Resource: "services"},
	{Version: "v1", Resource: "serviceaccounts"},
	{Version: "v1", Resource: "configmaps"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
}

// statuses is the verdicts of a result list, without messages (which may
// name objects in another order: files keep document order, the API
// sorts).
func statuses(rs []string) string {
	var out []string
	for _, r := range rs {
		st, _, _ := strings.Cut(r, ":")
		out = append(out, st)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// knownDifference allows the one designed difference: a live scan never
// reads Secret data, so an image pull Secret that no workload uses to pull
// from Azure Container Registry is not-assessed live where its file form
// shows the registries.
//
// And a live scan lists every namespace, so a binding to a ServiceAccount in
// a namespace the files do not hold is not-assessed from files and a fail
// live (the namespace does not exist).
//
// And the certificate and kubeconfig controls (AKS-IDN-006, AKS-IDN-007)
// judge the connection itself: a file scan has none and says not-assessed
// (the engine names the input it needs), where the live scan judges it.
//
// And where the files hold nothing a control judges, the engine says so
// (not-applicable on the scan's scope); the live scan reads the whole
// cluster, whose own objects the control then judges instead.
func knownDifference(key string, files, live []string) bool {
	if len(files) == 1 && strings.HasPrefix(files[0], "not-applicable: nothing this control judges") && len(live) == 0 {
		return true
	}
	if strings.HasPrefix(key, "AKS-IDN-006 ") || strings.HasPrefix(key, "AKS-IDN-007 ") {
		notAssessed := len(files) > 0
		for _, f := range files {
			notAssessed = notAssessed && strings.HasPrefix(f, "not-assessed: ")
		}
		if notAssessed {
			return true
		}
	}
	if strings.HasPrefix(key, "AKS-RBA-006 ") && len(files) > 0 && len(live) == len(files) {
		for i := range files {
			f, l := files[i], live[i]
			if f == l || strings.HasPrefix(f, "not-assessed: namespace ") && strings.Contains(f, "is not in this scan") &&
				strings.HasPrefix(l, "fail: ") && strings.Contains(l, "(the cluster has no namespace ") {
				continue
			}
			return false
		}
		return true
	}
	return strings.HasPrefix(key, "AKS-IDN-005 Secret/") && len(live) == 1 && strings.HasPrefix(live[0], "not-assessed: ") &&
		strings.Contains(live[0], "read as metadata only") && len(files) == 1 && strings.HasPrefix(files[0], "pass: ")
}

func writeList(t *testing.T, objs []*unstructured.Unstructured) string {
	items := make([]any, len(objs))
	for i, o := range objs {
		items[i] = o.Object
	}
	b, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "accepted.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPagination: more objects than one page holds are read completely,
// with one LIST request per page and no request per object.
func TestPagination(t *testing.T) {
	cfg := testkube.Config(t)
	c := testkube.NewCluster(t, cfg)
	defer c.Cleanup()
	const n = 1100
	var objs []*unstructured.Unstructured
	for i := 0; i < n; i++ {
		objs = append(objs, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": fmt.Sprintf("cm-%04d", i), "namespace": "paging"},
			"data":     map[string]any{"k": "v"},
		}})
	}
	c.CreateParallel(objs)
	inv, stats := readLive(t, cfg, kubeapi.Options{PageSize: 250})
	cms := 0
	for _, cm := range inv.Kube.ConfigMaps {
		if cm.Namespace == "paging" {
			cms++
		}
	}
	if cms != n {
		t.Errorf("read %d ConfigMaps in paging, want %d", cms, n)
	}
	if stats.Objects["configmaps"] < n {
		t.Errorf("stats say %d configmaps", stats.Objects["configmaps"])
	}
	// 25 resources, discovery, /version, 2 typed secret lists, and
	// ceil(objects/250) pages for configmaps: nowhere near one request per
	// object.
	if stats.Requests > 60 {
		t.Errorf("%d requests for %d objects: want one LIST per page", stats.Requests, n)
	}
}

// TestSecretsMetadataOnly: Secret data never enters the inventory; pull
// secrets are still recognised by type.
func TestSecretsMetadataOnly(t *testing.T) {
	cfg := testkube.Config(t)
	c := testkube.NewCluster(t, cfg)
	defer c.Cleanup()
	const value = "c3VwZXItc2VjcmV0LXZhbHVl" // base64 of super-secret-value
	c.Create([]*unstructured.Unstructured{
		{Object: map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "db", "namespace": "sec",
			"annotations": map[string]any{"kubectl.kubernetes.io/last-applied-configuration": `{"data":{"password":"` + value + `"}}`}},
			"data": map[string]any{"password": value}}},
		{Object: map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "pull", "namespace": "sec"},
			"type": "kubernetes.io/dockerconfigjson",
			"data": map[string]any{".dockerconfigjson": "eyJhdXRocyI6eyJteWFjci5henVyZWNyLmlvIjp7ImF1dGgiOiJZVHBpIn19fQ=="}}},
	})
	inv, _ := readLive(t, cfg, kubeapi.Options{})
	var found int
	for _, s := range inv.Kube.Secrets {
		if s.Namespace != "sec" {
			continue
		}
		found++
		if !s.MetadataOnly || len(s.Keys) > 0 || len(s.RegistryHosts) > 0 {
			t.Errorf("%s: read more than metadata: %+v", s.Name, s)
		}
		if s.Name == "pull" && s.Type != "kubernetes.io/dockerconfigjson" {
			t.Errorf("pull secret type %q", s.Type)
		}
	}
	if found != 2 {
		t.Fatalf("found %d secrets", found)
	}
	all, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := json.Marshal(evaluate(inv))
	for _, b := range [][]byte{all, rs} {
		if strings.Contains(string(b), value) || strings.Contains(string(b), "super-secret-value") {
			t.Fatal("secret value reached the inventory or the results")
		}
	}
}

// TestOwnedPodsJudgedThroughOwner: in a real cluster a Deployment's pods
// are owned by a ReplicaSet it owns; results land on the Deployment only.
func TestOwnedPodsJudgedThroughOwner(t *testing.T) {
	cfg := testkube.Config(t)
	c := testkube.NewCluster(t, cfg)
	defer c.Cleanup()
	priv := map[string]any{"containers": []any{map[string]any{"name": "app", "image": "contoso.azurecr.io/app:1.0",
		"securityContext": map[string]any{"privileged": true}}}}
	owner := func(kind, name string) []any {
		return []any{map[string]any{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": "00000000-0000-0000-0000-00000000000" + string(kind[0]), "controller": true}}
	}
	labels := map[string]any{"app": "web"}
	c.Create([]*unstructured.Unstructured{
		{Object: map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "web", "namespace": "owned"},
			"spec": map[string]any{"selector": map[string]any{"matchLabels": labels}, "template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": priv}}}},
		{Object: map[string]any{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": map[string]any{"name": "web-5d4f", "namespace": "owned", "ownerReferences": owner("Deployment", "web")},
			"spec": map[string]any{"selector": map[string]any{"matchLabels": labels}, "template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": priv}}}},
		{Object: map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "web-5d4f-x2x", "namespace": "owned", "labels": labels, "ownerReferences": owner("ReplicaSet", "web-5d4f")},
			"spec": priv}},
	})
	inv, _ := readLive(t, cfg, kubeapi.Options{})
	var on []string
	for _, r := range evaluate(inv) {
		if r.Control == "AKS-WKL-001" && r.Resource.Namespace == "owned" {
			on = append(on, r.Resource.Kind+"/"+r.Resource.Name+"="+string(r.Status))
		}
	}
	if strings.Join(on, ",") != "Deployment/web=fail" {
		t.Errorf("AKS-WKL-001 results in owned: %v, want the Deployment only", on)
	}
}
