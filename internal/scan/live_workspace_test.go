package scan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
	"github.com/aksguard/aksguard/internal/source/loganalytics/lawtest"
)

type seen struct{ n int }

func (s *seen) Observe(*inventory.AuditEvent) { s.n++ }

func anonymousRow(at string) map[string]any {
	return lawtest.AKSAuditRow(map[string]any{"auditID": "00000000-0000-4000-8000-000000000001", "stage": "ResponseComplete",
		"level": "Metadata", "verb": "list", "requestURI": "/api/v1/namespaces/shop/configmaps",
		"user":      map[string]any{"username": "system:anonymous", "groups": []any{"system:unauthenticated"}},
		"sourceIPs": []any{"203.0.113.24"}, "objectRef": map[string]any{"resource": "configmaps", "namespace": "shop", "apiVersion": "v1"},
		"responseStatus": map[string]any{"code": 200}, "requestReceivedTimestamp": at, "stageTimestamp": at}, "AKSAudit")
}

// TestReadWorkspaces: the workspaces a scan names (or its live clusters'
// diagnostic settings name) stream to the audit observers and are recorded
// as audit inputs; one that refuses is an input error naming it.
func TestReadWorkspaces(t *testing.T) {
	const wsID = "6f1c2b3a-0000-4000-8000-00000000beef"
	liveCluster := &inventory.Cluster{ID: lawtest.Cluster, Source: inventory.Source{File: "azure:" + lawtest.Cluster},
		Diagnostics: &inventory.DiagnosticData{Settings: []inventory.DiagnosticSetting{{Name: "audit", Workspace: wsID,
			Logs: []inventory.LogSetting{{Category: "kube-audit", Enabled: inventory.Set(true, "logs[0].enabled", 1)}}}}}}
	fileCluster := &inventory.Cluster{ID: lawtest.Cluster, Source: inventory.Source{File: "aks.json"},
		Diagnostics: liveCluster.Diagnostics}
	for _, tc := range []struct {
		name      string
		named     []string
		clusters  []*inventory.Cluster
		faults    []string
		inputs    int
		events    int
		errorText string
		warning   string
	}{
		{name: "named", named: []string{wsID}, inputs: 1, events: 1},
		{name: "from the live cluster's diagnostic settings", clusters: []*inventory.Cluster{liveCluster}, inputs: 1, events: 1},
		{name: "a file's diagnostic settings are not a live read", clusters: []*inventory.Cluster{fileCluster}, warning: "no diagnostic setting"},
		{name: "refused", named: []string{wsID}, faults: []string{"403"}, errorText: "log-analytics:" + wsID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &lawtest.Workspace{ID: wsID, Token: "tok", Faults: tc.faults,
				Rows: map[string][]map[string]any{"AKSAudit": {anonymousRow("2026-11-23T09:30:00.5Z")}}}
			cred, copts := lawtest.Start(t, w)
			obs := &seen{}
			fan := &auditFanout{ids: []string{"AKS-AUD-001"}, states: []inventory.AuditObserver{obs}}
			inv := &inventory.Inventory{Clusters: tc.clusters}
			readWorkspaces(context.Background(), &WorkspaceOptions{Workspaces: tc.named,
				Since: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
				NewClient: func() (*loganalytics.Client, error) { return loganalytics.NewClient(cred, copts) }}, inv, fan)
			inputs := 0
			if inv.Audit != nil {
				inputs = len(inv.Audit.Inputs)
			}
			if inputs != tc.inputs || obs.n != tc.events {
				t.Errorf("%d inputs, %d events; want %d, %d (errors %v)", inputs, obs.n, tc.inputs, tc.events, inv.Errors)
			}
			if tc.warning != "" && (len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0].Message, tc.warning)) {
				t.Errorf("warnings %+v", inv.Warnings)
			}
			if tc.errorText != "" && (len(inv.Errors) != 1 || inv.Errors[0].Input != tc.errorText) {
				t.Errorf("errors %+v", inv.Errors)
			}
			if tc.name == "from the live cluster's diagnostic settings" && len(w.Queries) > 0 && !strings.Contains(w.Queries[0], "_ResourceId in~") {
				t.Errorf("the read is not limited to the cluster:\n%s", w.Queries[0])
			}
		})
	}
}
