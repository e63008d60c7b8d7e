package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/aksguard/aksguard/internal/scan"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
)

// workspaceFlags read the AKS audit logs live from Log Analytics.
type workspaceFlags struct {
	workspaces []string // --log-analytics-workspace
	since      string
	until      string
}

func addWorkspaceFlags(fl *pflag.FlagSet, w *workspaceFlags) {
	fl.StringArrayVar(&w.workspaces, "log-analytics-workspace", nil, "read the AKS audit logs (AKSAudit, AKSAuditAdmin, AzureDiagnostics) live from this Log Analytics workspace: its ID (customerId GUID) or resource ID (repeatable; authenticates like --azure-cluster). With --azure-cluster and --since, the workspaces the cluster's diagnostic settings name are read without it")
	fl.StringVar(&w.since, "since", "", "start of the audit-log range read live: RFC 3339 time, YYYY-MM-DD, or a duration before --until such as 72h (default 24h)")
	fl.StringVar(&w.until, "until", "", "end of the audit-log range read live: RFC 3339 time or YYYY-MM-DD (default now)")
}

// newWorkspaceClient builds the Log Analytics query client. Tests point it
// at a local query API; no flag changes the endpoint or skips
// authentication.
var newWorkspaceClient = loganalytics.NewDefaultClient

// options are the live audit-log read the flags ask for; nil when none.
// A live Azure cluster read with --since reads the workspaces its
// diagnostic settings name.
func (w *workspaceFlags) options(now time.Time, azureLive bool) (*scan.WorkspaceOptions, error) {
	if len(w.workspaces) == 0 && !(azureLive && w.since != "") {
		if w.since != "" || w.until != "" {
			return nil, errors.New("--since and --until bound the audit logs read live: give --log-analytics-workspace, or --azure-cluster with --since")
		}
		return nil, nil
	}
	for _, ws := range w.workspaces {
		if strings.TrimSpace(ws) == "" || strings.ContainsAny(ws, " \t\n?#") {
			return nil, fmt.Errorf("--log-analytics-workspace %q: want the workspace ID (a GUID: az monitor log-analytics workspace show --query customerId) or its resource ID", ws)
		}
	}
	until := now
	if w.until != "" {
		t, err := parseWhen(w.until)
		if err != nil {
			return nil, fmt.Errorf("--until %q: %w", w.until, err)
		}
		until = t
	}
	since := until.Add(-24 * time.Hour)
	if w.since != "" {
		if d, err := time.ParseDuration(w.since); err == nil {
			if d <= 0 {
				return nil, fmt.Errorf("--since %q: a duration before --until must be positive", w.since)
			}
			since = until.Add(-d)
		} else {
			t, err := parseWhen(w.since)
			if err != nil {
				return nil, fmt.Errorf("--since %q: %w", w.since, err)
			}
			since = t
		}
	}
	if !until.After(since) {
		return nil, fmt.Errorf("--since (%s) must be before --until (%s)", since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	return &scan.WorkspaceOptions{Workspaces: w.workspaces, Since: since, Until: until, NewClient: newWorkspaceClient}, nil
}

func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("want an RFC 3339 time (2026-11-23T09:00:00Z) or a date (2026-11-23)")
}
