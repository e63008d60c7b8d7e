package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/auditlog"
	"github.com/aksguard/aksguard/internal/source/azure/armtest"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
	"github.com/aksguard/aksguard/internal/source/loganalytics/lawtest"
)

// workspaceRows are the events a real kube-apiserver wrote
// (internal/e2e/testdata/auditlog) as rows of AKSAudit.
func workspaceRows(t *testing.T, log string) []map[string]any {
	t.Helper()
	f, err := os.Open("../e2e/testdata/auditlog/" + log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, lawtest.AKSAuditRow(ev, "AKSAudit"))
	}
	return rows
}

// keepCandidates stands for the KQL filter the scan pushes down: the same
// table of conditions as a Go predicate (loganalytics.Filter.Match; the
// rendering of the KQL from it is loganalytics' TestFilterKQL).
func keepCandidates(t *testing.T) func(string, map[string]any) bool {
	var ids []string
	for _, c := range check.All() {
		if c.Audit != nil {
			ids = append(ids, c.ID)
		}
	}
	f := loganalytics.NewFilter(ids, nil)
	return func(_ string, row map[string]any) bool {
		cells := auditlog.MapRow{}
		for k, v := range row {
			if s, ok := v.(string); ok {
				cells[k] = s
			}
		}
		var ev inventory.AuditEvent
		if err := auditlog.FromAKSAuditRow(cells, &ev); err != nil {
			t.Errorf("row: %v", err)
			return true
		}
		return f.Match(&ev)
	}
}

func useWorkspace(t *testing.T, w *lawtest.Workspace) {
	t.Helper()
	cred, opts := lawtest.Start(t, w)
	old := newWorkspaceClient
	newWorkspaceClient = func() (*loganalytics.Client, error) { return loganalytics.NewClient(cred, opts) }
	t.Cleanup(func() { newWorkspaceClient = old })
}

// TestScanLogAnalyticsWorkspace: `aksguard scan --log-analytics-workspace`
// against a local query API holding the real apiserver's detected actions
// gives the findings the file gives, each by the identity that acted;
// the workspace's ordinary day none.
func TestScanLogAnalyticsWorkspace(t *testing.T) {
	const ws = "6f1c2b3a-0000-4000-8000-00000000beef"
	for _, tc := range []struct {
		log  string
		want map[string]string // control → the identity its findings name
	}{
		{"findings.log", map[string]string{"AKS-AUD-001": "system:anonymous", "AKS-AUD-002": "ops@contoso.com", "AKS-AUD-003": "dev@contoso.com",
			"AKS-AUD-004": "dev@contoso.com", "AKS-AUD-005": "platform@contoso.com", "AKS-AUD-006": "masterclient",
			"AKS-AUD-008": "intruder@contoso.com", "AKS-AUD-009": "dev@contoso.com", "AKS-AUD-010": "platform@contoso.com"}},
		{"ordinary.log", map[string]string{}},
	} {
		t.Run(tc.log, func(t *testing.T) {
			w := &lawtest.Workspace{ID: ws, Token: "tok", Rows: map[string][]map[string]any{"AKSAudit": workspaceRows(t, tc.log)},
				Keep: keepCandidates(t)}
			useWorkspace(t, w)
			code, out, stderr := runCLI(t, "", "scan", "-o", "json", "--include-passed", today, "--fail-on", "none",
				"--log-analytics-workspace", ws, "--since", "2026-11-23T00:00:00Z", "--until", "2026-11-24T00:00:00Z")
			if code != ExitClean {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			r := decode(t, out)
			if len(r.Errors) > 0 {
				t.Fatalf("errors %+v", r.Errors)
			}
			got := map[string]string{}
			for _, res := range r.Results {
				if res.Status != "fail" || !strings.HasPrefix(res.Control, "AKS-AUD-") {
					continue
				}
				user := ""
				for _, e := range res.Evidence {
					if e.Path == "user.username" {
						user = e.Value
					}
				}
				if prev, ok := got[res.Control]; ok && prev != user {
					t.Errorf("%s: findings name %s and %s", res.Control, prev, user)
				}
				got[res.Control] = user
			}
			var keys []string
			for k := range got {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if len(got) != len(tc.want) {
				t.Errorf("failing audit controls %v, want %d of them", keys, len(tc.want))
			}
			for id, user := range tc.want {
				if got[id] != user {
					t.Errorf("%s: finding names %q, want %q", id, got[id], user)
				}
			}
			// Only candidates left the workspace: the query carried the filter.
			q := strings.Join(w.Queries, "\n")
			if !strings.Contains(q, `| where (`) || !strings.Contains(q, "toint(ResponseStatus.code) in (403)") {
				t.Errorf("no filter pushed down:\n%s", q)
			}
		})
	}
}

func TestWorkspaceFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"scan", "--since", "24h", "x.json"}, "--since and --until bound the audit logs read live"},
		{[]string{"scan", "--log-analytics-workspace", "ws", "--since", "2026-11-24", "--until", "2026-11-23"}, "must be before --until"},
		{[]string{"scan", "--log-analytics-workspace", "ws", "--until", "yesterday"}, `--until "yesterday"`},
		{[]string{"scan", "--log-analytics-workspace", "a b"}, "want the workspace ID"},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != ExitError || !strings.Contains(stderr, tc.err) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.err)
		}
	}
}

// TestScanAzureClusterSince: --since with a live cluster whose diagnostic
// settings send no audit category to a workspace says so; nothing passes
// for want of a log.
func TestScanAzureClusterSince(t *testing.T) {
	useARM(t)
	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--include-passed", "--fail-on", "none",
		"--azure-cluster", armtest.ClusterID, "--since", "72h")
	if code != ExitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Warnings []string
		Results  []struct{ Control, Status string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "no audit log was read") {
		t.Errorf("warnings %q", r.Warnings)
	}
	for _, res := range r.Results {
		if strings.HasPrefix(res.Control, "AKS-AUD-") && res.Status == "pass" {
			t.Errorf("%s passed without a log", res.Control)
		}
	}
}
