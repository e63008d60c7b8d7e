package scan

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/loganalytics"
)

// WorkspaceOptions read the AKS audit logs live from Log Analytics.
type WorkspaceOptions struct {
	// Workspaces are the workspaces named (their ID, or resource ID); every
	// cluster's logs in them are read. Empty: the workspaces the diagnostic
	// settings of the clusters read live from Azure send kube-audit or
	// kube-audit-admin to, each read for its cluster only.
	Workspaces []string
	// Since and Until bound the range read.
	Since, Until time.Time
	// NewClient builds the query client (nil: loganalytics.NewDefaultClient).
	NewClient func() (*loganalytics.Client, error)
}

// workspaceRead is one workspace and the clusters read from it (nil: all).
type workspaceRead struct {
	workspace string
	clusters  []string
}

// readWorkspaces streams the workspaces' audit events to the audit
// controls' observers and records what they covered in the inventory; a
// workspace that cannot be read is an input error naming it.
func readWorkspaces(ctx context.Context, w *WorkspaceOptions, inv *inventory.Inventory, audit *auditFanout) {
	if w == nil || audit == nil {
		return
	}
	reads := workspaceTargets(w, inv)
	if len(reads) == 0 {
		// --since with a live cluster, and none of its diagnostic settings
		// sends the audit categories to a workspace: say so (the audit
		// controls say not-assessed for want of a log).
		inv.Warnings = append(inv.Warnings, inventory.InputError{Input: "--since",
			Message: "no diagnostic setting of the clusters read live sends kube-audit or kube-audit-admin to a Log Analytics workspace, so no audit log was read: give --log-analytics-workspace ID, or an exported log"})
		return
	}
	newClient := w.NewClient
	if newClient == nil {
		newClient = loganalytics.NewDefaultClient
	}
	client, err := newClient()
	if err != nil {
		inv.Errors = append(inv.Errors, inventory.InputError{Input: loganalytics.InputName(reads[0].workspace), Message: err.Error()})
		return
	}
	filter := loganalytics.NewFilter(audit.ids, clusterRanges(inv))
	for _, r := range reads {
		in, err := client.Read(ctx, loganalytics.Options{Workspace: r.workspace, Since: w.Since, Until: w.Until,
			Clusters: r.clusters, Filter: filter, Observer: audit})
		if err != nil {
			inv.Errors = append(inv.Errors, inventory.InputError{Input: loganalytics.InputName(r.workspace), Message: err.Error()})
			continue
		}
		if inv.Audit == nil {
			inv.Audit = &inventory.AuditLog{}
		}
		inv.Audit.Inputs = append(inv.Audit.Inputs, in)
	}
}

// workspaceTargets are the workspaces named, or those the live clusters'
// diagnostic settings send audit logs to.
func workspaceTargets(w *WorkspaceOptions, inv *inventory.Inventory) []workspaceRead {
	if len(w.Workspaces) > 0 {
		out := make([]workspaceRead, len(w.Workspaces))
		for i, ws := range w.Workspaces {
			out[i] = workspaceRead{workspace: ws}
		}
		return out
	}
	byWS := map[string][]string{}
	for _, c := range inv.Clusters {
		if c.Diagnostics == nil || !strings.HasPrefix(c.Source.File, "azure:") {
			continue
		}
		for _, ds := range c.Diagnostics.Settings {
			if ds.Workspace != "" && sendsAudit(ds) && !contains(byWS[ds.Workspace], c.ID) {
				byWS[ds.Workspace] = append(byWS[ds.Workspace], c.ID)
			}
		}
	}
	var out []workspaceRead
	for ws, ids := range byWS {
		out = append(out, workspaceRead{workspace: ws, clusters: ids})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].workspace < out[j].workspace })
	return out
}

// sendsAudit: the setting enables kube-audit or kube-audit-admin (by name
// or through the audit / allLogs category groups).
func sendsAudit(ds inventory.DiagnosticSetting) bool {
	for _, l := range ds.Logs {
		if !l.Enabled.IsKnown() || !l.Enabled.Val {
			continue
		}
		switch strings.ToLower(l.Category) {
		case "kube-audit", "kube-audit-admin":
			return true
		}
		switch strings.ToLower(l.CategoryGroup) {
		case "audit", "alllogs":
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// clusterRanges are the authorized IP ranges each cluster of the scan
// knows (AKS-AUD-007's pre-filter).
func clusterRanges(inv *inventory.Inventory) []loganalytics.ClusterRanges {
	var out []loganalytics.ClusterRanges
	for _, c := range inv.Clusters {
		if c.ID != "" && c.AuthorizedIPRanges.IsKnown() && len(c.AuthorizedIPRanges.Val) > 0 {
			out = append(out, loganalytics.ClusterRanges{ClusterID: c.ID, Ranges: c.AuthorizedIPRanges.Val})
		}
	}
	return out
}
