package e2e

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/aksguard/aksguard/internal/cli"
	"github.com/aksguard/aksguard/internal/testkube"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

type result struct {
	Control  string
	Status   string
	Message  string
	Resource struct{ Kind, Namespace, Name string }
	Source   struct{ File string }
}

type report struct {
	Summary struct {
		Kubernetes *struct {
			Server, Context, Version string
			Objects                  map[string]int
			Unread                   map[string]string
		}
	}
	Results []result
	Errors  []struct{ Input, Message string }
}

// TestScanLiveCluster runs `aksguard scan --kubeconfig` as a user would
// against a real API server holding the insecure example's objects.
func TestScanLiveCluster(t *testing.T) {
	kc := testkube.Kubeconfig(t)
	c := testkube.NewCluster(t, testkube.Config(t))
	defer c.Cleanup()
	const secretValue = "aHVudGVyMi1kby1ub3QtcHJpbnQ=" // base64 of hunter2-do-not-print
	objs := testkube.Objects(t, "../../examples/insecure/k8s/shop.yaml", "../../examples/insecure/k8s/platform.yaml", "../../deploy/rbac.yaml")
	objs = append(objs, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "db-password", "namespace": "shop"}, "data": map[string]any{"password": secretValue}}})
	c.Create(objs)

	code, stdout, stderr := run(t, "scan", "--kubeconfig", kc, "--no-config", "-o", "json", "--include-passed", "--today=2026-11-24")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (findings)\n%s", code, stderr)
	}
	for _, s := range []string{stdout, stderr} {
		if strings.Contains(s, secretValue) || strings.Contains(s, "hunter2") {
			t.Fatal("a Secret value reached the output")
		}
	}
	var r report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	// Without Azure input the Azure-side controls are silent: say so.
	if !strings.Contains(stderr, "only the Kubernetes API was scanned") || !strings.Contains(stderr, "--azure-cluster") {
		t.Errorf("no warning about the missing Azure half: %q", stderr)
	}
	k := r.Summary.Kubernetes
	if k == nil || !strings.HasPrefix(k.Server, "https://127.0.0.1:") || k.Version != testkube.Version || len(k.Unread) > 0 || k.Objects["Deployment"] == 0 {
		t.Fatalf("summary.kubernetes = %+v", k)
	}
	want := map[string]string{
		"AKS-WKL-001 DaemonSet/default": "fail", // the insecure example runs a privileged log shipper
		"AKS-IDN-007 Cluster/":          "fail", // the test kubeconfig holds a system:masters certificate
		"AKS-IDN-006 Cluster/":          "pass", // the test server's certificates are minutes old
	}
	got := map[string]string{}
	for _, res := range r.Results {
		key := res.Control + " " + res.Resource.Kind + "/" + res.Resource.Namespace
		if _, ok := want[key]; ok && (got[key] == "" || res.Status == "fail") {
			got[key] = res.Status
		}
		if res.Resource.Kind == "Deployment" && !strings.HasPrefix(res.Source.File, "kube:") {
			t.Errorf("%s on %s: source %q, want kube:<context>", res.Control, res.Resource.Name, res.Source.File)
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}

	// The table names the API server read.
	_, table, _ := run(t, "scan", "--kubeconfig", kc, "--no-config", "--today=2026-11-24")
	if !strings.Contains(table, "Kubernetes API: context ") || !strings.Contains(table, testkube.Version) {
		t.Errorf("table output does not name the API server:\n%s", table)
	}
}

// TestScanLiveErrors: a context that does not exist, a server that does not
// answer, and --kube with a fleet are exit 2, with a message naming the
// input and what to do.
func TestScanLiveErrors(t *testing.T) {
	kc := testkube.Kubeconfig(t)
	code, _, stderr := run(t, "scan", "--kubeconfig", kc, "--all-clusters", "--no-config")
	if code != 2 || !strings.Contains(stderr, "--kube reads one cluster") {
		t.Errorf("--kube with --all-clusters: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, "scan", "--kubeconfig", kc, "--context", "no-such-context", "--no-config")
	if code != 2 || !strings.Contains(stderr, "no-such-context") || !strings.Contains(stderr, kc) {
		t.Errorf("unknown context: exit %d, stderr %q", code, stderr)
	}

	cfg, err := clientcmd.LoadFromFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range cfg.Clusters {
		cl.Server = "https://127.0.0.1:1"
	}
	dead := filepath.Join(t.TempDir(), "dead.kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, dead); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "scan", "--kubeconfig", dead, "--no-config", "--kube-timeout", "10s")
	if code != 2 || !strings.Contains(stderr, "127.0.0.1:1") || !strings.Contains(stderr, "cannot reach") {
		t.Errorf("dead server: exit %d, stderr %q", code, stderr)
	}
}
