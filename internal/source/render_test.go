package source

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

var (
	chartsDir    = filepath.Join("testdata", "charts")
	kustomizeDir = filepath.Join("testdata", "kustomize")
)

// describe sums up what a rendered input decoded into.
func describe(inv *inventory.Inventory) []string {
	var out []string
	if inv.Kube == nil {
		return nil
	}
	for _, w := range inv.Kube.Workloads {
		c := w.Spec.Containers[0]
		priv := c.SecurityContext != nil && c.SecurityContext.Privileged != nil && *c.SecurityContext.Privileged
		out = append(out, fmt.Sprintf("%s %s:%d image=%s privileged=%v", w.Ref(), filepath.ToSlash(w.Source.File), w.Source.Line, c.Image, priv))
	}
	for _, s := range inv.Kube.Services {
		out = append(out, fmt.Sprintf("%s %s type=%s lb-annotated=%v", s.Ref(), filepath.ToSlash(s.Source.File), s.Spec.Type, s.Annotations != nil))
	}
	for _, sa := range inv.Kube.ServiceAccounts {
		out = append(out, fmt.Sprintf("%s %s", sa.Ref(), filepath.ToSlash(sa.Source.File)))
	}
	return out
}

func TestRenderHelmChart(t *testing.T) {
	chart := filepath.Join(chartsDir, "web")
	prod, err := LoadHelmValues([]string{filepath.Join(chartsDir, "prod-values.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"default values", Options{}, []string{
			"Deployment/default/aksguard-web testdata/charts/web/templates/deployment.yaml:1 image=nginx:1.27 privileged=false",
			"Service/default/aksguard-web testdata/charts/web/templates/service.yaml type=ClusterIP lb-annotated=false",
		}},
		{"--values and --namespace", Options{HelmValues: prod, Namespace: "shop"}, []string{
			"Deployment/shop/aksguard-web testdata/charts/web/templates/deployment.yaml:1 image=myacr.azurecr.io/web:1.27 privileged=true",
			"Service/shop/aksguard-web testdata/charts/web/templates/service.yaml type=LoadBalancer lb-annotated=true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := Load([]string{chart}, tt.opts)
			if len(inv.Errors) != 0 {
				t.Fatalf("errors: %v", inv.Errors)
			}
			if got := describe(inv); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			// Chart.yaml and values.yaml are not read raw; NOTES.txt and
			// the empty extra.yaml render nothing.
			if len(inv.Skipped) != 0 {
				t.Errorf("skipped %v", inv.Skipped)
			}
			if inv.Kube.Inputs != 2 {
				t.Errorf("%d Kubernetes inputs, want 2 (deployment.yaml, service.yaml)", inv.Kube.Inputs)
			}
		})
	}
}

func TestRenderKustomizeOverlay(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"base", []string{"Deployment/shop/api testdata/kustomize/base:1 image=myacr.azurecr.io/api:1.0 privileged=false"}},
		{filepath.Join("overlays", "prod"), []string{"Deployment/shop/prod-api testdata/kustomize/overlays/prod:1 image=myacr.azurecr.io/api:1.0 privileged=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			inv := Load([]string{filepath.Join(kustomizeDir, tt.dir)}, Options{})
			if len(inv.Errors) != 0 {
				t.Fatalf("errors: %v", inv.Errors)
			}
			if got := describe(inv); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(inv.Skipped) != 0 {
				t.Errorf("skipped %v (the kustomization's files are not read raw)", inv.Skipped)
			}
		})
	}
}

// A chart or kustomization that cannot be rendered is an error naming it;
// the other inputs are still read.
func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name, path, input, want string
	}{
		{"broken template", filepath.Join(chartsDir, "broken"), "", "rendering the Helm chart: parse error at (broken/templates/configmap.yaml:4)"},
		{"missing dependency", filepath.Join(chartsDir, "needsdep"), "", "the Helm chart's dependencies redis are not in its charts/ directory: run `helm dependency build`"},
		{"remote base", filepath.Join(kustomizeDir, "remote"), filepath.Join(kustomizeDir, "remote", "kustomization.yaml:3"),
			`field "resources": "https://github.com/example/manifests//base?ref=v1.0.0" is a remote URL: aksguard never fetches`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := Load([]string{tt.path, filepath.Join(kustomizeDir, "base")}, Options{})
			if len(inv.Errors) != 1 {
				t.Fatalf("errors: %v", inv.Errors)
			}
			e := inv.Errors[0]
			input := tt.input
			if input == "" {
				input = tt.path
			}
			if where := strings.TrimSuffix(e.Error(), ": "+e.Message); where != input || !strings.Contains(e.Message, tt.want) {
				t.Errorf("error %q: %q, want %q: ...%s...", where, e.Message, input, tt.want)
			}
			if inv.Kube == nil || len(inv.Kube.Workloads) != 1 {
				t.Errorf("the other input was not read")
			}
		})
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Objects whose templates set no namespace are installed by helm into the
// release namespace (--namespace, default when not given), and by kustomize
// into the kustomization's namespace; cluster-scoped kinds stay without one
// and an explicit namespace is kept.
func TestRenderNamespace(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "chart")
	writeFile(t, filepath.Join(chart, "Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n")
	writeFile(t, filepath.Join(chart, "templates", "objects.yaml"), `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: nginx}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: pinned}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
`)
	kust := filepath.Join(dir, "kust")
	writeFile(t, filepath.Join(kust, "kustomization.yaml"), "namespace: team-k\nresources: [objects.yaml]\n")
	writeFile(t, filepath.Join(kust, "objects.yaml"), `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: nginx}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
`)
	tests := []struct {
		name string
		path string
		opts Options
		want []string
	}{
		{"chart without --namespace: default, as helm", chart, Options{}, []string{
			"Deployment/default/api", "NetworkPolicy/default/deny", "ServiceAccount/pinned/api", "ClusterRole/reader"}},
		{"chart with --namespace", chart, Options{Namespace: "team-a"}, []string{
			"Deployment/team-a/api", "NetworkPolicy/team-a/deny", "ServiceAccount/pinned/api", "ClusterRole/reader"}},
		{"kustomization namespace", kust, Options{Namespace: "team-a"}, []string{
			"Deployment/team-k/api", "ClusterRole/reader"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := Load([]string{tt.path}, tt.opts)
			if len(inv.Errors) != 0 {
				t.Fatalf("errors: %v", inv.Errors)
			}
			var got []string
			unset := 0
			inv.Kube.EachObject(func(m *inventory.Meta) {
				got = append(got, m.Ref())
				if !m.NamespaceSet() {
					unset++
				}
			})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if unset != 0 {
				t.Errorf("%d objects left without a namespace", unset)
			}
		})
	}
}

// Render errors never quote a value of the chart or a generator literal,
// and still name the template they point at, even when a value is part of
// its name.
func TestRenderErrorRedaction(t *testing.T) {
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	writeFile(t, filepath.Join(web, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n")
	writeFile(t, filepath.Join(web, "values.yaml"), "image: web\nblock: |\n  password: Pl4ntedValue\n  {{ .Values.nope.x }}\n")
	writeFile(t, filepath.Join(web, "templates", "d.yaml"), "x: {{ tpl .Values.block . }}\n")
	kust := filepath.Join(dir, "kust")
	writeFile(t, filepath.Join(kust, "kustomization.yaml"), "secretGenerator:\n- name: s\n  literals: [Pl4ntedLiteral]\n")
	tests := []struct {
		name, path, keep, planted string
	}{
		{"helm tpl error", web, "web/templates/d.yaml", "Pl4ntedValue"},
		{"kustomize literal without =", kust, "invalid literal source", "Pl4ntedLiteral"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := Load([]string{tt.path}, Options{})
			if len(inv.Errors) != 1 {
				t.Fatalf("errors %v", inv.Errors)
			}
			msg := inv.Errors[0].Error()
			if strings.Contains(msg, tt.planted) {
				t.Errorf("error quotes the planted value: %s", msg)
			}
			if !strings.Contains(msg, tt.keep) || !strings.Contains(msg, "[redacted]") {
				t.Errorf("error %q lacks %q or the redaction mark", msg, tt.keep)
			}
		})
	}
}

// The tree a kustomization may read is the git repository holding it, else
// the scanned path: an overlay scanned on its own reaches ../base inside a
// repository, and outside one it is told to scan the directory above.
func TestKustomizeScanRoot(t *testing.T) {
	for _, git := range []bool{true, false} {
		t.Run(fmt.Sprintf("git=%v", git), func(t *testing.T) {
			dir := t.TempDir()
			if git {
				writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
			}
			writeFile(t, filepath.Join(dir, "base", "kustomization.yaml"), "resources: [d.yaml]\n")
			writeFile(t, filepath.Join(dir, "base", "d.yaml"), canaryDeployment)
			overlay := filepath.Join(dir, "overlays", "prod")
			writeFile(t, filepath.Join(overlay, "kustomization.yaml"), "resources: [../../base]\nnamePrefix: prod-\n")
			inv := Load([]string{overlay}, Options{})
			if git {
				if len(inv.Errors) != 0 || inv.Kube == nil || len(inv.Kube.Workloads) != 1 || inv.Kube.Workloads[0].Name != "prod-canary" {
					t.Errorf("errors %v, kube %v", inv.Errors, inv.Kube)
				}
				return
			}
			if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, "outside the scanned tree") ||
				!strings.Contains(inv.Errors[0].Message, "scan a directory that holds its bases too") {
				t.Errorf("errors %v", inv.Errors)
			}
			// Scanning the directory above builds it.
			inv = Load([]string{dir}, Options{})
			if len(inv.Errors) != 0 {
				t.Errorf("scanning %s: %v", dir, inv.Errors)
			}
		})
	}
}

// Inline patches in patchesStrategicMerge, on several lines or as a
// one-line JSON object, are not references: the kustomization builds.
func TestKustomizeInlinePatches(t *testing.T) {
	for name, patch := range map[string]string{
		"block": "- |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: canary}\n  spec: {template: {spec: {containers: [{name: c, securityContext: {privileged: true}}]}}}\n",
		"json":  "- '{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"canary\"}, \"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"c\", \"securityContext\": {\"privileged\": true}}]}}}}'\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "kustomization.yaml"), "resources: [d.yaml]\npatchesStrategicMerge:\n"+patch)
			writeFile(t, filepath.Join(dir, "d.yaml"), canaryDeployment)
			inv := Load([]string{dir}, Options{})
			if len(inv.Errors) != 0 || inv.Kube == nil || len(inv.Kube.Workloads) != 1 {
				t.Fatalf("errors %v", inv.Errors)
			}
			if sc := inv.Kube.Workloads[0].Spec.Containers[0].SecurityContext; sc == nil || sc.Privileged == nil || !*sc.Privileged {
				t.Errorf("the patch was not applied")
			}
		})
	}
}
