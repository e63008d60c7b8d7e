package e2e

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/source/loganalytics/lawtest"
)

// The identities of the runs (auditlog_live_test.go); a finding names the
// identity it is about.
var auditUsers = []string{"system:anonymous", userOps, userDev, userPlatform, userIntruder, userMaster, userAlice}

// wantFindings are the audit controls' failing results on the detected
// actions the real server logged (testdata/auditlog/findings.log): the
// identities each control's findings name. AKS-AUD-007 needs the cluster's
// authorized ranges (an Azure input) and is not-assessed here.
var wantFindings = map[string][]string{
	"AKS-AUD-001": {"system:anonymous"},
	"AKS-AUD-002": {userOps},
	"AKS-AUD-003": {userDev},
	"AKS-AUD-004": {userDev},
	"AKS-AUD-005": {userPlatform},
	"AKS-AUD-006": {userMaster},
	"AKS-AUD-008": {userIntruder},
	"AKS-AUD-009": {userDev},
	"AKS-AUD-010": {userPlatform},
}

// auditForms converts the real server's events into every form aksguard
// reads, the Azure ones with the shapes of Azure Monitor's documentation:
// the AKSAudit table as `az monitor log-analytics query -o json` prints it
// (dynamic columns as JSON text), AzureDiagnostics rows (the event in
// log_s), a storage account's PT1H.json (one resource-log record per line,
// the event in properties.log) and an Event Hub message ({"records": […]}).
func auditForms(t *testing.T, log string) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var evs []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var ev map[string]any
		if err := json.Unmarshal(l, &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(raw)
	_ = zw.Close()

	var table, diag []map[string]any
	var archive bytes.Buffer
	var records []any
	for _, ev := range evs {
		table = append(table, lawtest.AKSAuditRow(ev, "AKSAudit"))
		diag = append(diag, lawtest.DiagnosticsRow(ev, "kube-audit"))
		text, _ := json.Marshal(ev)
		rec := map[string]any{"time": ev["stageTimestamp"], "resourceId": strings.ToUpper(lawtest.Cluster), "category": "kube-audit",
			"operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
			"properties":    map[string]any{"log": string(text), "stream": "stdout", "pod": "kube-apiserver-7b9c8d-abcde"}}
		line, _ := json.Marshal(rec)
		archive.Write(append(line, '\n'))
		records = append(records, rec)
	}
	js := func(v any) []byte {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return map[string][]byte{
		"kube-audit.log":        raw,
		"kube-audit.log.gz":     gz.Bytes(),
		"aksaudit.json":         js(table),
		"azurediagnostics.json": js(diag),
		"PT1H.json":             archive.Bytes(),
		"eventhub-message.json": js(map[string]any{"records": records}),
	}
}

// auditResults scans one log file and returns the AKS-AUD results.
func auditResults(t *testing.T, path string) []result {
	t.Helper()
	code, stdout, stderr := run(t, "scan", path, "--no-config", "-o", "json", "--include-passed", "--today=2026-11-24", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", path, code, stderr)
	}
	var rep struct {
		Results []struct {
			result
			Evidence json.RawMessage
		}
		Errors []struct{ Input, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("%s: errors %+v", path, rep.Errors)
	}
	var out []result
	for _, r := range rep.Results {
		if strings.HasPrefix(r.Control, "AKS-AUD-") {
			r.result.Message += " " + string(r.Evidence)
			out = append(out, r.result)
		}
	}
	return out
}

// findingUsers maps each failing audit control to the identities its
// findings name.
func findingUsers(rs []result) map[string][]string {
	got := map[string][]string{}
	for _, r := range rs {
		if r.Status != "fail" {
			continue
		}
		for _, u := range auditUsers {
			if strings.Contains(r.Message, `"`+u+`"`) || strings.Contains(r.Message, " "+u) {
				if !contains(got[r.Control], u) {
					got[r.Control] = append(got[r.Control], u)
				}
			}
		}
		if got[r.Control] == nil {
			got[r.Control] = []string{}
		}
	}
	for _, us := range got {
		sort.Strings(us)
	}
	return got
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestAuditLogFindings scans what the real kube-apiserver logged, in every
// form: the detected actions give exactly the expected findings, the
// ordinary day none.
func TestAuditLogFindings(t *testing.T) {
	for _, tc := range []struct {
		log  string
		want map[string][]string
	}{
		{filepath.Join("testdata", "auditlog", "findings.log"), wantFindings},
		{filepath.Join("testdata", "auditlog", "ordinary.log"), map[string][]string{}},
	} {
		for name, data := range auditForms(t, tc.log) {
			t.Run(filepath.Base(tc.log)+"/"+name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), name)
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
				rs := auditResults(t, path)
				got := findingUsers(rs)
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(tc.want)
				if string(gj) != string(wj) {
					t.Errorf("findings by control and identity:\n got %s\nwant %s", gj, wj)
				}
				for _, r := range rs {
					if r.Control == "AKS-AUD-007" && r.Status != "not-assessed" {
						t.Errorf("AKS-AUD-007 without authorized ranges: %s %s", r.Status, r.Message)
					}
				}
			})
		}
	}
}

// TestExampleAuditLogs: the examples' audit logs are the real server's runs
// (TestAuditLogLive -update writes both).
func TestExampleAuditLogs(t *testing.T) {
	for example, run := range map[string]string{"insecure": "findings.log", "hardened": "ordinary.log"} {
		a, err := os.ReadFile(filepath.Join("..", "..", "examples", example, "audit", "kube-audit.log"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("testdata", "auditlog", run))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("examples/%s/audit/kube-audit.log is not testdata/auditlog/%s: run go test ./internal/e2e -run TestAuditLogLive -update", example, run)
		}
	}
}
