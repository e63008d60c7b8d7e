package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/source"
)

// TestSameClusterReportedOnce: the same cluster as az JSON and as Terraform
// is one cluster in the report: where the inputs agree, one result; where
// they disagree (Terraform says local accounts are disabled, Azure says
// they are enabled), one result per input, each naming the drift, so a fail
// in any view fails.
func TestSameClusterReportedOnce(t *testing.T) {
	tfSrc, err := os.ReadFile("../../examples/insecure/terraform/main.tf")
	must(t, err)
	drifted := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(drifted, "terraform"), 0o755))
	must(t, os.WriteFile(filepath.Join(drifted, "terraform", "main.tf"),
		[]byte(strings.Replace(string(tfSrc), "local_account_disabled            = false", "local_account_disabled            = true", 1)), 0o644))
	azSrc, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(drifted, "aks.json"), azSrc, 0o644))

	for _, tc := range []struct {
		name  string
		paths []string
		// control → statuses of its results on the cluster, in order
		want  map[string][]check.Status
		drift string
	}{
		{"agreeing inputs", []string{"../../examples/insecure/aks-shop-prod.json", "../../examples/insecure/terraform"},
			map[string][]check.Status{"AKS-ACC-005": {check.Fail}, "AKS-ACC-001": {check.Fail}, "AKS-ACC-006": {check.Pass}}, ""},
		{"drift on local accounts", []string{drifted},
			map[string][]check.Status{"AKS-ACC-005": {check.Fail, check.Pass}, "AKS-ACC-001": {check.Fail}}, "drift: the inputs disagree"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := source.Load(tc.paths, source.Options{})
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors: %v", inv.Errors)
			}
			o := Evaluate(inv, Options{Settings: check.DefaultSettings(), Now: now})
			rep := Build(inv, o, "test", now, true)
			if rep.Summary.Clusters != 1 {
				t.Errorf("summary counts %d clusters, want 1", rep.Summary.Clusters)
			}
			got := map[string][]check.Status{}
			files := map[string][]string{}
			for _, r := range o.Results {
				if r.Resource.Kind != "ManagedCluster" {
					continue
				}
				if r.Resource.Name != "aks-shop-prod" || !strings.Contains(r.Resource.ID, "/managedClusters/aks-shop-prod") {
					t.Errorf("%s names %+v, not the one cluster", r.Control, r.Resource)
				}
				got[r.Control] = append(got[r.Control], r.Status)
				files[r.Control] = append(files[r.Control], r.Source.File)
			}
			for control, want := range tc.want {
				if strings.Join(statusStrings(got[control]), ",") != strings.Join(statusStrings(want), ",") {
					t.Errorf("%s: %v, want %v", control, got[control], want)
				}
			}
			if tc.drift != "" {
				for _, r := range o.Results {
					if r.Control == "AKS-ACC-005" && !strings.Contains(r.Message, tc.drift) {
						t.Errorf("AKS-ACC-005 %s: message %q lacks %q", r.Source.File, r.Message, tc.drift)
					}
				}
				if f := files["AKS-ACC-005"]; len(f) != 2 || f[0] == f[1] {
					t.Errorf("AKS-ACC-005 results do not name each input: %v", f)
				}
			}
		})
	}
}

func statusStrings(ss []check.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
