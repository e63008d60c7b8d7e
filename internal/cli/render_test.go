package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// A Helm chart directory is rendered (defaults, then --values), and its
// results point at the template the object came from.
func TestScanHelmChart(t *testing.T) {
	chart := filepath.Join("..", "source", "testdata", "charts", "web")
	values := filepath.Join("..", "source", "testdata", "charts", "prod-values.yaml")
	template := filepath.Join(chart, "templates", "deployment.yaml")

	privileged := func(args ...string) (string, jsonReport) {
		t.Helper()
		_, out, stderr := runCLI(t, "", append([]string{"scan", "-o", "json", "--include-passed", "--no-config", today, "--control", "AKS-WKL-001"}, args...)...)
		r := decode(t, out)
		if len(r.Errors) != 0 {
			t.Fatalf("errors: %+v\n%s", r.Errors, stderr)
		}
		for _, res := range r.Results {
			if res.Control == "AKS-WKL-001" && res.Resource.Name == "aksguard-web" {
				if res.Source.File != template {
					t.Errorf("result source %q, want the template %q", res.Source.File, template)
				}
				return res.Status, r
			}
		}
		t.Fatalf("no AKS-WKL-001 result for aksguard-web: %s", out)
		return "", r
	}
	if s, _ := privileged(chart); s != "pass" {
		t.Errorf("default values: AKS-WKL-001 %s, want pass", s)
	}
	s, r := privileged("--values", values, "--namespace", "shop", chart)
	if s != "fail" {
		t.Errorf("--values %s: AKS-WKL-001 %s, want fail", values, s)
	}
	for _, res := range r.Results {
		if res.Resource.Name == "aksguard-web" && res.Resource.Namespace != "shop" {
			t.Errorf("namespace %q, want shop", res.Resource.Namespace)
		}
	}

	code, _, stderr := runCLI(t, "", "scan", "--no-config", "--values", filepath.Join(t.TempDir(), "missing.yaml"), chart)
	if code != ExitError || !strings.Contains(stderr, "--values") {
		t.Errorf("missing values file: exit %d, %s", code, stderr)
	}
}
