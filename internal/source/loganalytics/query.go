package loganalytics

import (
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/source/auditlog"
)

// A source is one table (and, for AzureDiagnostics, one category) holding a
// cluster's audit events in the workspace.
type source struct {
	table    string // AKSAudit, AKSAuditAdmin, AzureDiagnostics
	category string // kube-audit, kube-audit-admin
	// events and reads count what the source holds in the range (the
	// probe): the events of a request's final stage, and the
	// get/list/watch ones among them.
	events, reads int64
}

// key is the source without its counts: its key in probeAnswer's maps.
func (s source) key() source { return source{table: s.table, category: s.category} }

func (s source) String() string {
	if s.table == tableDiagnostics {
		return s.table + " (" + s.category + ")"
	}
	return s.table
}

const tableDiagnostics = "AzureDiagnostics"

// tableProjection is what the row mapping of the resource-specific tables
// reads (auditlog.FromAKSAuditRow); diagnosticsProjection that of
// AzureDiagnostics (auditlog.FromAzureDiagnosticsRow).
const (
	tableProjection = "AuditId, Stage, Level, Verb, RequestUri, UserAgent, User, SourceIps, ObjectRef, ResponseStatus, " +
		"Annotations, RequestObject, RequestReceivedTime, StageReceivedTime, TimeGenerated, _ResourceId, Type"
	diagnosticsProjection = "Category, ResourceId, _ResourceId, log_s, TimeGenerated"
)

// kqlTime renders t as a KQL datetime literal.
func kqlTime(t time.Time) string {
	return "datetime(" + t.UTC().Format("2006-01-02T15:04:05.0000000Z") + ")"
}

func timeWhere(from, to time.Time) string {
	return "| where TimeGenerated >= " + kqlTime(from) + " and TimeGenerated < " + kqlTime(to)
}

func clusterWhere(clusters []string) string {
	if len(clusters) == 0 {
		return ""
	}
	q := make([]string, len(clusters))
	for i, c := range clusters {
		q[i] = kqlString(c)
	}
	return "\n| where _ResourceId in~ (" + strings.Join(q, ", ") + ")"
}

// probeQuery counts, per table, category and cluster, the audit events of
// the range, with their first and last time: which sources to read. Events
// and Reads count the events the audit controls judge, those of a
// request's final stage (ResponseComplete, Panic, or no stage), as the
// controls' observers count them: RequestReceived and ResponseStarted
// events repeat a request, and a log of only those cannot show a
// detection.
func probeQuery(from, to time.Time, clusters []string) string {
	return "union withsource=SourceTable isfuzzy=true AKSAudit, AKSAuditAdmin, " +
		"(AzureDiagnostics | where Category in (\"" + auditlog.CategoryAudit + "\", \"" + auditlog.CategoryAuditAdmin + "\"))\n" +
		timeWhere(from, to) + clusterWhere(clusters) + "\n" +
		"| extend V = iff(isnotempty(Verb), tostring(Verb), tostring(parse_json(log_s).verb)), " +
		"S = iff(isnotempty(Stage), tostring(Stage), tostring(parse_json(log_s).stage))\n" +
		"| extend F = isempty(S) or S in (\"ResponseComplete\", \"Panic\")\n" +
		"| summarize Events = countif(F), Reads = countif(F and V in (\"get\", \"list\", \"watch\")), First = min(TimeGenerated), Last = max(TimeGenerated) by SourceTable, Category = tostring(Category), _ResourceId"
}

// eventsQuery reads the candidate events of one source in [from, to), at
// most limit+1 rows (more than limit: the range is split).
func eventsQuery(s source, f *Filter, from, to time.Time, clusters []string, limit int) string {
	var b strings.Builder
	if s.table == tableDiagnostics {
		b.WriteString(tableDiagnostics + "\n" + timeWhere(from, to))
		b.WriteString("\n| where Category == " + kqlString(s.category))
		b.WriteString(clusterWhere(clusters))
		if w := f.KQL(diagnosticsColumns); w != "" {
			b.WriteString("\n| extend e = parse_json(log_s)\n| where " + w)
		}
		b.WriteString("\n| project " + diagnosticsProjection)
	} else {
		b.WriteString(s.table + "\n" + timeWhere(from, to))
		b.WriteString(clusterWhere(clusters))
		if w := f.KQL(tableColumns); w != "" {
			b.WriteString("\n| where " + w)
		}
		b.WriteString("\n| project " + tableProjection)
	}
	fmt.Fprintf(&b, "\n| take %d", limit+1)
	return b.String()
}
