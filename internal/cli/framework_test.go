package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/source/azure/armtest"
)

var updateFramework = flag.Bool("update-framework", false, "rewrite testdata/framework from the examples")

// TestFrameworkFlagErrors: an unknown --framework is a usage error (exit 2)
// naming the valid ones, before anything is read.
func TestFrameworkFlagErrors(t *testing.T) {
	for _, name := range []string{"cis", "cis-aks-1.9", "pci-dss"} {
		code, out, stderr := runCLI(t, "", "scan", "--framework", name, "does-not-exist")
		if code != ExitError || out != "" || !strings.Contains(stderr, "--framework: unknown framework") ||
			!strings.Contains(stderr, "cis-aks-1.8, cis-aks-1.7, azure-policy") || strings.Contains(stderr, "does-not-exist") {
			t.Errorf("--framework %s: exit %d, stdout %q, stderr %q", name, code, out, stderr)
		}
	}
}

// TestFrameworkExamples: the framework view of both examples, for every
// framework, matches testdata/framework (rewrite with -update-framework and
// read the diff); it is the same whether passes are listed
// (--include-passed) or only counted; the table shows the section after the
// summary.
func TestFrameworkExamples(t *testing.T) {
	for _, ex := range []string{"insecure", "hardened"} {
		for _, fw := range []string{"cis-aks-1.8", "cis-aks-1.7", "azure-policy"} {
			t.Run(ex+"/"+fw, func(t *testing.T) {
				dir := "../../examples/" + ex
				view := func(args ...string) []byte {
					t.Helper()
					_, out, stderr := runCLI(t, "", append([]string{"scan", "--no-config", "-o", "json", today, "--framework", fw}, append(args, dir)...)...)
					var rep struct {
						Framework json.RawMessage `json:"framework"`
					}
					if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Framework) == 0 {
						t.Fatalf("no framework block (%v): %s", err, stderr)
					}
					var b bytes.Buffer
					must(t, json.Indent(&b, rep.Framework, "", "  "))
					b.WriteString("\n")
					return b.Bytes()
				}
				got := view()
				if all := view("--include-passed"); !bytes.Equal(got, all) {
					t.Errorf("the view differs when passes are listed instead of counted:\n--- counted ---\n%s\n--- listed ---\n%s", got, all)
				}
				file := filepath.Join("testdata", "framework", ex+"-"+fw+".json")
				if *updateFramework {
					must(t, os.MkdirAll(filepath.Dir(file), 0o755))
					must(t, os.WriteFile(file, got, 0o644))
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (go test ./internal/cli/ -run TestFrameworkExamples -update-framework writes it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs (-update-framework rewrites it; read the diff)\n--- got ---\n%s", file, got)
				}

				_, table, _ := runCLI(t, "", "scan", "--no-config", today, "--framework", fw, dir)
				head := strings.Index(table, "failed (")
				sec := strings.Index(table, "("+fw+"):")
				if head < 0 || sec < head {
					t.Errorf("the table has no %s section after the summary:\n%s", fw, table)
				}
			})
		}
	}
}

// TestExplainMappings: explain names each mapped item with its title.
func TestExplainMappings(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"AKS-ACC-001", []string{"Compliance mappings", "cis-aks-1.8", "5.4.1", "Restrict Access to the Control Plane Endpoint",
			"azure-policy", "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea", "Authorized IP ranges should be defined on Kubernetes Services"}},
		{"AKS-NOD-002", []string{"Compliance mappings", "none"}},
	} {
		code, out, _ := runCLI(t, "", "explain", tc.id)
		for _, w := range tc.want {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("explain %s: exit %d, lacks %q:\n%s", tc.id, code, w, out)
			}
		}
	}
}

// TestChecksJSONMappings: `checks -o json` carries each control's mappings,
// keyed by --framework name, and none for an unmapped control.
func TestChecksJSONMappings(t *testing.T) {
	_, out, _ := runCLI(t, "", "checks", "-o", "json")
	var list []struct {
		ID       string
		Mappings map[string][]string
	}
	must(t, json.Unmarshal([]byte(out), &list))
	got := map[string]map[string][]string{}
	for _, c := range list {
		got[c.ID] = c.Mappings
	}
	if m := got["AKS-ACC-001"]; strings.Join(m["cis-aks-1.8"], ",") != "5.4.1" || strings.Join(m["azure-policy"], ",") != "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea" {
		t.Errorf("AKS-ACC-001 mappings %v", m)
	}
	if m, ok := got["AKS-NOD-002"]; !ok || m != nil {
		t.Errorf("AKS-NOD-002 mappings %v, want none", m)
	}
}

// TestFrameworkFleet: a fleet read from a local ARM, one cluster
// forbidden: every automated item has a status per cluster, the cluster
// that could not be read is not-assessed on every item and so no item
// passes overall.
func TestFrameworkFleet(t *testing.T) {
	srv := useARM(t)
	srv.On(armtest.Rule{Suffix: "/managedClusters/aks-b", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--all-clusters", "--subscription", armtest.Subscription,
		"--framework", "cis-aks-1.8")
	if code != ExitError {
		t.Fatalf("exit %d (want 2: one cluster could not be read), stderr %s", code, stderr)
	}
	var r struct {
		Framework report.FrameworkView `json:"framework"`
	}
	must(t, json.Unmarshal([]byte(out), &r))
	automated, judged := 0, 0
	for _, it := range r.Framework.Items {
		if it.Status == report.ItemManual {
			continue
		}
		automated++
		if it.Status == "pass" {
			t.Errorf("%s passes although aks-b could not be read", it.ID)
		}
		names := map[string]string{}
		for _, c := range it.Clusters {
			names[c.Name] = c.Status
			if c.Status == "fail" || c.Status == "pass" {
				judged++
			}
		}
		if len(it.Clusters) != 5 || names["aks-b"] != "not-assessed" {
			t.Errorf("%s per cluster %+v, want 5 clusters with aks-b not-assessed", it.ID, it.Clusters)
		}
	}
	if automated == 0 || judged == 0 {
		t.Fatalf("%d automated items, %d judged per cluster", automated, judged)
	}
}
