// Package report holds the scan report (the stable JSON contract) and the
// writers that render it: table, json, sarif, junit, html, markdown. Writers read results
// only; they never judge.
package report

import (
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Tool names the producer of a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts results by status, and failures by severity.
type Summary struct {
	Pass          int            `json:"pass"`
	Fail          int            `json:"fail"`
	NotApplicable int            `json:"notApplicable"`
	NotAssessed   int            `json:"notAssessed"`
	Waived        int            `json:"waived"`
	BySeverity    map[string]int `json:"bySeverity"`
	// Clusters is the number of clusters scanned.
	Clusters int `json:"clusters"`
	// Skipped counts inputs that were not of a kind aksguard reads.
	Skipped map[string]int `json:"skipped,omitempty"`
	// Excluded counts results left out: AKS-managed and system objects
	// (unless --include-system) and namespaces excluded by configuration.
	Excluded   int            `json:"excluded"`
	ExcludedBy map[string]int `json:"excludedBy,omitempty"`
	// Kubernetes describes a live Kubernetes API read (--kube): the server,
	// what was read and what could not be.
	Kubernetes *KubeSummary `json:"kubernetes,omitempty"`
	// Baseline counts the comparison with --baseline (baseline.go).
	Baseline *BaselineCounts `json:"baseline,omitempty"`
}

// KubeSummary is what a live scan of a Kubernetes API server read.
type KubeSummary struct {
	Server  string `json:"server"`
	Context string `json:"context,omitempty"`
	Version string `json:"version,omitempty"`
	// Objects counts the objects read, by kind.
	Objects map[string]int `json:"objects"`
	// Unread names the collections that could not be read completely
	// (forbidden, timed out, broken off) and why; the controls that read
	// them are not-assessed. Empty means the read was complete.
	Unread map[string]string `json:"unread,omitempty"`
}

// Report is the whole outcome of one scan.
type Report struct {
	Tool        Tool      `json:"tool"`
	GeneratedAt time.Time `json:"generatedAt"`
	Summary     Summary   `json:"summary"`
	// Clusters summarises each cluster of a fleet scan (--all-clusters),
	// including the clusters that could not be read; empty otherwise.
	Clusters []ClusterSummary       `json:"clusters,omitempty"`
	Results  []check.Result         `json:"results"`
	Errors   []inventory.InputError `json:"errors"`
	// Warnings are configuration problems met while applying it, e.g. an
	// expired waiver that is no longer applied.
	Warnings []string `json:"warnings,omitempty"`
	// Baseline is the comparison with --baseline: the baseline's findings
	// no longer failing (baseline.go); nil without one.
	Baseline *BaselineComparison `json:"baseline,omitempty"`
	// IncludePassed controls whether writers show pass / not-applicable
	// results; the summary always counts them.
	IncludePassed bool `json:"-"`
	// Counted holds the pass and not-applicable results the engine counted
	// instead of keeping, per control and cluster (see ClusterOf).
	Counted map[ControlScope]Counted `json:"-"`
	// Framework is the compliance view --framework asks for (FrameworkFor).
	Framework *FrameworkView `json:"-"`
	// CountedBy holds the pass and not-applicable results the engine
	// counted instead of keeping, by SummaryRow: the table's per-cluster
	// score.
	CountedBy map[string]Counted `json:"-"`
}

// ClusterSummary is one cluster's line of a fleet scan.
type ClusterSummary struct {
	// ID is the cluster's Azure resource ID.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Fail counts failed results on the cluster and its pools by severity
	// (critical, high, medium, low).
	Fail        map[string]int `json:"fail"`
	NotAssessed int            `json:"notAssessed"`
	// Error says why the cluster could not be scanned; its results are then
	// absent.
	Error string `json:"error,omitempty"`
}

// Visible returns the results a writer should show.
func (r *Report) Visible() []check.Result {
	if r.IncludePassed {
		return r.Results
	}
	out := make([]check.Result, 0, len(r.Results))
	for _, res := range r.Results {
		if res.Status == check.Pass || res.Status == check.NotApplicable {
			continue
		}
		out = append(out, res)
	}
	return out
}

// Summarise counts results.
func Summarise(results []check.Result) Summary {
	s := Summary{BySeverity: map[string]int{}}
	for _, sev := range []check.Severity{check.Critical, check.High, check.Medium, check.Low} {
		s.BySeverity[sev.String()] = 0
	}
	for _, r := range results {
		switch r.Status {
		case check.Pass:
			s.Pass++
		case check.Fail:
			s.Fail++
			s.BySeverity[r.Severity.String()]++
		case check.NotApplicable:
			s.NotApplicable++
		case check.NotAssessed:
			s.NotAssessed++
		case check.Waived:
			s.Waived++
		}
	}
	return s
}

// readLine says what a live Kubernetes read read: the server (or context
// and server), its version, and how many objects ("context prod
// (https://…), v1.31.4, 9,694 objects read"); every part on one line.
func (k *KubeSummary) readLine() string {
	total := 0
	for _, n := range k.Objects {
		total += n
	}
	where := k.Server
	if k.Context != "" {
		where = "context " + k.Context + " (" + k.Server + ")"
	}
	line := oneLine(where)
	if k.Version != "" {
		line += ", " + oneLine(k.Version)
	}
	return line + ", " + plural(total, "object") + " read"
}
