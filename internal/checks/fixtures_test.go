package checks_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// statusOf returns the cluster-level status of a control (the first result
// on the ManagedCluster, else the worst pool result).
func statusOf(rs []check.Result, id string) check.Status {
	var pool check.Status
	for _, r := range rs {
		if r.Control != id {
			continue
		}
		if r.Resource.Kind == "ManagedCluster" {
			return r.Status
		}
		if pool == "" || r.Status == check.Fail {
			pool = r.Status
		}
	}
	return pool
}

// TestSharedFixtures parses every real managed-cluster body and asserts the
// decisions its index.csv row implies.
func TestSharedFixtures(t *testing.T) {
	f, err := os.Open("testdata/fixtures/index.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) < 20 {
		t.Fatalf("index.csv has %d rows, want every fixture", len(rows))
	}
	for _, row := range rows[1:] {
		get := func(k string) string { return row[col[k]] }
		t.Run(filepath.Base(get("file")), func(t *testing.T) {
			inv := source.Load([]string{filepath.Join("testdata/fixtures", get("file"))}, source.Options{})
			if len(inv.Errors) > 0 || len(inv.Clusters) != 1 {
				t.Fatalf("want 1 cluster and no errors, got %d clusters, errors %v", len(inv.Clusters), inv.Errors)
			}
			rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
			expect := func(id string, want check.Status, why string) {
				t.Helper()
				if got := statusOf(rs, id); got != want {
					t.Errorf("%s = %s, want %s (%s)", id, got, want, why)
				}
			}
			pf := func(ok bool) check.Status {
				if ok {
					return check.Pass
				}
				return check.Fail
			}
			expect("AKS-ACC-006", pf(get("enableRBAC") != "false"), "enableRBAC="+get("enableRBAC"))
			expect("AKS-ACC-004", pf(get("aad_managed") == "true"), "aad_managed="+get("aad_managed"))
			expect("AKS-ACC-005", pf(get("disableLocalAccounts") == "true"), "disableLocalAccounts="+get("disableLocalAccounts"))
			private := get("privateCluster") == "true"
			expect("AKS-ACC-003", pf(private && get("privateClusterPublicFQDN") != "true"), "private="+get("privateCluster")+" publicFQDN="+get("privateClusterPublicFQDN"))
			ranges := get("authorizedIPRanges") != ""
			expect("AKS-ACC-001", pf(private || ranges), "private/ranges")
			switch {
			case private || !ranges:
				expect("AKS-ACC-002", check.NotApplicable, "no ranges or private")
			default:
				expect("AKS-ACC-002", check.Pass, "narrow ranges "+get("authorizedIPRanges"))
			}
			np := get("networkPolicy")
			expect("AKS-NET-001", pf(np != "" && np != "none"), "networkPolicy="+np)
			expect("AKS-NET-003", pf(get("nodePublicIP_anyPool") != "true"), "nodePublicIP="+get("nodePublicIP_anyPool"))
			expect("AKS-NOD-003", pf(get("diskEncryptionSetID") == "set" || get("encryptionAtHost_anyPool") == "true"), "DES/EAH")
			switch get("identity") {
			case "SystemAssigned":
				expect("AKS-IDN-001", check.Pass, "managed identity")
				expect("AKS-IDN-002", check.Fail, "system-assigned")
			case "UserAssigned":
				expect("AKS-IDN-001", check.Pass, "managed identity")
				expect("AKS-IDN-002", check.Pass, "user-assigned")
			case "servicePrincipal":
				expect("AKS-IDN-001", check.Fail, "service principal")
				expect("AKS-IDN-002", check.NotApplicable, "service principal")
				expect("AKS-IDN-003", check.NotAssessed, "no credential data")
			default:
				expect("AKS-IDN-001", check.NotAssessed, "neither identity nor service principal")
			}
			switch get("autoUpgrade") {
			case "NodeImage", "SecurityPatch":
				expect("AKS-UPG-005", check.Pass, "node OS channel")
				expect("AKS-UPG-009", check.NotApplicable, "node OS channel")
			case "":
				expect("AKS-UPG-005", check.NotAssessed, "node OS channel unset in an ARM body")
			}
			expect("AKS-UPG-004", check.Fail, "no upgradeChannel in any fixture")
			expect("AKS-MON-002", check.NotAssessed, "no diagnostic settings given")
		})
	}
}
