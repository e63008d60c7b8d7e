package scan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/scan"
)

// Two root modules scanned together that both define
// azurerm_kubernetes_cluster.main (and name the cluster alike) are two
// clusters with their own result identity: each cluster ID carries its
// root module's directory, no result ID or SARIF fingerprint is shared,
// and a diagnostic setting joins its own root module's cluster only. A root
// module scanned alone keeps the plain tf:ADDRESS.
func TestTerraformRootModulesKeepTheirIdentity(t *testing.T) {
	prod, dev := filepath.Join("testdata", "tfroots", "prod"), filepath.Join("testdata", "tfroots", "dev")
	run := func(paths ...string) *report.Report {
		t.Helper()
		rep, err := scan.Run(context.Background(), scan.Request{Paths: paths, Settings: check.DefaultSettings(),
			Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Version: "test", IncludePassed: true}) // the passes are read
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) != 0 {
			t.Fatalf("errors: %+v", rep.Errors)
		}
		return rep
	}
	const addr = "azurerm_kubernetes_cluster.main"
	prodID, devID := "tf:"+filepath.ToSlash(prod)+"/"+addr, "tf:"+filepath.ToSlash(dev)+"/"+addr

	tests := []struct {
		name  string
		paths []string
		// status of a control by cluster ID
		want map[string]map[string]check.Status
	}{
		{"both root modules", []string{prod, dev}, map[string]map[string]check.Status{
			prodID: {"AKS-ACC-005": check.Fail, "AKS-MON-002": check.NotAssessed}, // dev's setting is not prod's
			devID:  {"AKS-ACC-005": check.Pass, "AKS-MON-002": check.Pass},
		}},
		{"one root module alone", []string{prod}, map[string]map[string]check.Status{
			"tf:" + addr: {"AKS-ACC-005": check.Fail},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := run(tt.paths...)
			if rep.Summary.Clusters != len(tt.want) {
				t.Errorf("clusters = %d, want %d", rep.Summary.Clusters, len(tt.want))
			}
			type key struct{ control, kind, id, name string }
			seen := map[key]bool{}
			got := map[string]map[string]check.Status{}
			for _, r := range rep.Results {
				k := key{r.Control, r.Resource.Kind, r.Resource.ID, r.Resource.Name}
				if seen[k] {
					t.Errorf("two results share the identity %+v", k)
				}
				seen[k] = true
				if r.Resource.Kind == "ManagedCluster" {
					if got[r.Resource.ID] == nil {
						got[r.Resource.ID] = map[string]check.Status{}
					}
					got[r.Resource.ID][r.Control] = r.Status
				}
			}
			for id, controls := range tt.want {
				for c, st := range controls {
					if got[id][c] != st {
						t.Errorf("%s on %s: %q, want %q", c, id, got[id][c], st)
					}
				}
			}
			var sarif bytes.Buffer
			if err := report.WriteSARIF(&sarif, rep, check.All()); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Runs []struct {
					Results []struct {
						Fingerprints map[string]string `json:"partialFingerprints"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(sarif.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			fps := map[string]bool{}
			for _, r := range doc.Runs[0].Results {
				for _, fp := range r.Fingerprints {
					if fps[fp] {
						t.Errorf("SARIF fingerprint %s shared by two results", fp)
					}
					fps[fp] = true
				}
			}
			if len(fps) == 0 {
				t.Error("no SARIF results")
			}
		})
	}
}

// The other Terraform forms reach the controls through a directory walk:
// *.tf.json with terraform.tfvars.json, an override file that turns local
// accounts back on, and a raw state file.
func TestTerraformForms(t *testing.T) {
	tests := []struct {
		dir  string
		want check.Status // AKS-ACC-005
	}{
		{"json", check.Pass},     // the tfvars.json value wins over the default false
		{"override", check.Fail}, // local_override.tf sets local_account_disabled = false
		{"state", check.Fail},    // observed local_account_disabled = false
		{"state-hardened", check.Pass},
		{"override-hardened", check.Pass}, // an override turning local accounts off
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			rep, err := scan.Run(context.Background(), scan.Request{Paths: []string{filepath.Join("testdata", "tfforms", tt.dir)},
				Settings: check.DefaultSettings(), Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Version: "test",
				IncludePassed: true}) // the passes are read
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) != 0 || rep.Summary.Clusters != 1 {
				t.Fatalf("errors %+v, %d clusters", rep.Errors, rep.Summary.Clusters)
			}
			var got check.Status
			for _, r := range rep.Results {
				if r.Control == "AKS-ACC-005" {
					got = r.Status
				}
			}
			if got != tt.want {
				t.Errorf("AKS-ACC-005 %q, want %q", got, tt.want)
			}
			var js bytes.Buffer
			if err := report.WriteJSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(js.Bytes(), []byte("state-secret-kubeconfig")) {
				t.Error("a sensitive state attribute reached the report")
			}
		})
	}
}
