package inventory

import (
	"math"
	"sort"
	"strings"
	"time"
)

// The audit-log plane. Audit logs are far larger than anything else a scan
// reads (a week of a busy cluster is many GB), so they are never held in
// the inventory: the audit sources stream every event, once, through the
// observers of the audit controls (AuditObserver, created by the scan
// from check.Control.Audit before loading), and the inventory keeps only
// what each observer accumulated (AuditLog.States) and what the logs
// covered (AuditLog.Inputs). The observers are pure (no I/O); the
// controls judge their accumulated state afterwards like any other input.

// AuditEvent is one Kubernetes audit event (audit.k8s.io/v1 Event) in the
// fields the audit controls read, with where it was read. A source reuses
// one AuditEvent for the next event: an observer must copy what it keeps
// (strings are immutable and may be kept; slices, maps — Annotations,
// User.Extra — and RequestObject may not: the reader reuses them).
type AuditEvent struct {
	AuditID    string
	Stage      string // RequestReceived, ResponseStarted, ResponseComplete, Panic
	Level      string // Metadata, Request, RequestResponse
	Verb       string // get, list, watch, create, update, patch, delete, deletecollection
	RequestURI string
	User       AuditUser
	// Impersonated is set when the request impersonated another user.
	Impersonated *AuditUser
	SourceIPs    []string
	UserAgent    string
	Object       AuditObjectRef
	// Code is responseStatus.code; 0 when the event has none.
	Code int
	// Annotations are the event's annotations
	// (authorization.k8s.io/decision, authorization.k8s.io/reason,
	// pod-security.kubernetes.io/…); nil when none.
	Annotations map[string]string
	// RequestObject is the raw JSON of requestObject (Request and
	// RequestResponse levels), valid only during Observe; nil when absent.
	RequestObject []byte
	Received      time.Time // requestReceivedTimestamp
	StageTime     time.Time // stageTimestamp

	// Input and Line are where the event was read (file and line, or the
	// live query and row).
	Input string
	Line  int
	// ClusterID is the cluster resource ID the Azure envelope names
	// (_ResourceId, ResourceId, resourceId); empty for a plain apiserver
	// log, which the join attributes to the only cluster of the scan.
	ClusterID string
	// Category is the diagnostic category the event came from
	// ("kube-audit", "kube-audit-admin"); empty for a plain apiserver log.
	Category string
}

// AuditUser is the authenticated (or impersonated) user of a request.
type AuditUser struct {
	Username string
	UID      string
	Groups   []string
	// Extra is user.extra (Entra ID: "oid" holds the object ID).
	Extra map[string][]string
}

// AuditObjectRef is the object a request was about.
type AuditObjectRef struct {
	Resource    string
	Subresource string
	Namespace   string
	Name        string
	APIGroup    string
	APIVersion  string
}

// AuditObserver receives every audit event of a scan as the sources stream
// them. Observe is pure (no I/O, no globals) and must not keep ev, its
// slices or its maps. The sources read several logs at once, so the
// observer they are given (Options.Audit) is called concurrently; the
// scan's fanout (internal/scan) serialises the calls, so a control's
// observer sees one event at a time.
type AuditObserver interface {
	Observe(ev *AuditEvent)
}

// Audit-log forms (AuditInput.Form).
const (
	AuditFormJSONLines         = "json-lines"         // kube-apiserver --audit-log-path (plain or gzip)
	AuditFormAKSAuditTable     = "aks-audit-table"    // Log Analytics AKSAudit / AKSAuditAdmin export
	AuditFormAzureDiagnostics  = "azure-diagnostics"  // Log Analytics AzureDiagnostics rows (log_s)
	AuditFormStorageArchive    = "storage-archive"    // insights-logs-kube-audit*/…/PT1H.json
	AuditFormEventHubCapture   = "eventhub-capture"   // {"records": [...]}
	AuditFormLogAnalyticsQuery = "log-analytics-live" // --log-analytics-workspace
)

// AuditInput is what one audit-log input covered: the controls say pass
// only for the time range and the categories the logs held, and
// not-assessed when the logs cannot show what they look for.
type AuditInput struct {
	Input string // file, "-", or "log-analytics:WORKSPACE-ID"
	Line  int    // the first event's line (for results on the input)
	Form  string // AuditForm*
	// Categories are the diagnostic categories read ("kube-audit",
	// "kube-audit-admin"); empty for a plain apiserver log, which holds
	// what the server's audit policy logged.
	Categories []string
	// ClusterIDs are the clusters the envelopes named, as written.
	ClusterIDs []string
	// First and Last are the earliest and latest event times read.
	First, Last time.Time
	// Events counts the audit events streamed to the observers.
	Events int64
	// Skipped counts records that were not audit events of an AKS cluster
	// (other categories in an AzureDiagnostics export, other resources).
	Skipped int64
	// Prefiltered is set when the input streamed only the candidate events
	// a filter pushed down to the source let through (the live Log
	// Analytics read): the observers then saw candidates, not the whole
	// log, and SourceEvents and SourceReads count what the source held in
	// the range [First, Last] (the events of a request's final stage —
	// ResponseComplete, Panic or none —, and the get/list/watch ones among
	// them, as the observers count them), which is what tells whether the
	// logs could show a detection. They are per input: an input naming
	// several clusters counts them together; SourceByCluster splits them.
	Prefiltered               bool
	SourceEvents, SourceReads int64
	// SourceByCluster is what the source held of each cluster in the range
	// (the same counts, and the times of the cluster's first and last
	// event), keyed by AuditClusterKey of the cluster resource ID; the key
	// "" holds the events that name no cluster. nil when the source gave
	// no per-cluster counts. The controls judge each cluster of a shared
	// input (one workspace holding several clusters' logs) by its own
	// counts and range, as if its logs had been read alone.
	SourceByCluster map[string]AuditCounts
	// Incomplete is non-empty when the input could not be read to its end
	// or a part of its range was not returned (a query limit, a truncated
	// gzip stream): why, and what was not read. The controls then never
	// pass on it.
	Incomplete string
}

// AuditCounts is what a source held of one cluster over a read's range:
// the events of a request's final stage, the get/list/watch ones among
// them, the times of its first and last event (of any stage), and the
// diagnostic categories they came from (sorted).
type AuditCounts struct {
	Events, Reads int64
	First, Last   time.Time
	Categories    []string
}

// Add merges o into c (a cluster's counts over several sources); the
// counts saturate rather than wrap.
func (c *AuditCounts) Add(o AuditCounts) {
	c.Events = satAdd(c.Events, o.Events)
	c.Reads = satAdd(c.Reads, o.Reads)
	if !o.First.IsZero() && (c.First.IsZero() || o.First.Before(c.First)) {
		c.First = o.First
	}
	if o.Last.After(c.Last) {
		c.Last = o.Last
	}
	for _, cat := range o.Categories {
		i := sort.SearchStrings(c.Categories, cat)
		if i == len(c.Categories) || c.Categories[i] != cat {
			c.Categories = append(c.Categories[:i:i], append([]string{cat}, c.Categories[i:]...)...)
		}
	}
}

func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// AuditClusterKey is the key of a cluster resource ID in
// AuditInput.SourceByCluster: resource IDs compare case-insensitively.
func AuditClusterKey(id string) string { return strings.ToLower(id) }

// AuditLog is what the scan's audit inputs gave: their coverage, and the
// state each audit control's observer accumulated, by control ID.
type AuditLog struct {
	Inputs []AuditInput
	States map[string]AuditObserver
}
