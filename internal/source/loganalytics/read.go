// Package loganalytics reads the AKS audit logs live from a Log Analytics
// workspace (aksguard scan --log-analytics-workspace) through the Azure SDK
// for Go logs query client: the tables AKSAudit and AKSAuditAdmin, and
// AzureDiagnostics rows of the kube-audit categories, filtered in the
// workspace (filter.go) so that only candidate events leave it, over a
// range split into chunks small enough for the query API's limits. Rows
// become events through the row mapping of the file reader
// (internal/source/auditlog) and stream to the scan's audit observer; the
// answer of one query is the only thing held.
package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/auditlog"
)

// Options of a workspace read.
type Options struct {
	// Workspace is the workspace ID (its customerId, a GUID) or its
	// resource ID (/subscriptions/…/workspaces/NAME, queried through the
	// resource-centric endpoint).
	Workspace string
	// Since and Until bound the range read, [Since, Until).
	Since, Until time.Time
	// Clusters restricts the read to these cluster resource IDs (nil:
	// every cluster the workspace holds logs of).
	Clusters []string
	// Filter is the pushed-down pre-filter (NewFilter); nil keeps every
	// event.
	Filter *Filter
	// Observer receives every event read.
	Observer inventory.AuditObserver
	// Chunk is the longest range one query covers (0: DefaultChunk);
	// MaxRows the most rows one answer may hold before its range is split
	// (0: DefaultMaxRows); MinSpan the shortest range split further (0:
	// DefaultMinSpan).
	Chunk   time.Duration
	MaxRows int
	MinSpan time.Duration
}

// Defaults of Options. The query API answers at most 500,000 rows and
// about 64 MB per query; a day of candidate events of a busy cluster is far
// below either, and an answer of more than DefaultMaxRows rows is split in
// halves until it fits, so no answer held is larger than that.
const (
	DefaultChunk   = 24 * time.Hour
	DefaultMaxRows = 50000
	DefaultMinSpan = time.Second
)

// querier runs one query (the SDK's LogsClient): on a workspace by its ID,
// or on a resource by its resource ID (a workspace's, or a cluster's).
type querier interface {
	QueryWorkspace(ctx context.Context, workspaceID string, body azquery.Body, options *azquery.LogsClientQueryWorkspaceOptions) (azquery.LogsClientQueryWorkspaceResponse, error)
	QueryResource(ctx context.Context, resourceID string, body azquery.Body, options *azquery.LogsClientQueryResourceOptions) (azquery.LogsClientQueryResourceResponse, error)
}

// Client reads workspaces.
type Client struct {
	q querier
}

// InputName names a workspace read in events, coverage and errors.
func InputName(workspace string) string { return "log-analytics:" + workspace }

// Read queries the workspace and streams its audit events to the observer.
// The error says why nothing could be read (no access, no such workspace);
// a part of the range that could not be read is in AuditInput.Incomplete,
// and the controls then never pass on it.
func (c *Client) Read(ctx context.Context, o Options) (inventory.AuditInput, error) {
	if o.Chunk <= 0 {
		o.Chunk = DefaultChunk
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MinSpan <= 0 {
		o.MinSpan = DefaultMinSpan
	}
	if o.Filter == nil {
		o.Filter = &Filter{all: true}
	}
	in := inventory.AuditInput{Input: InputName(o.Workspace), Form: inventory.AuditFormLogAnalyticsQuery,
		First: o.Since.UTC(), Last: o.Until.UTC()}
	if !o.Until.After(o.Since) {
		return in, fmt.Errorf("--until (%s) is not after --since (%s)", o.Until.UTC().Format(time.RFC3339), o.Since.UTC().Format(time.RFC3339))
	}
	srcs, clusters, byCluster, only, err := c.probe(ctx, o)
	if err != nil {
		return in, err
	}
	in.ClusterIDs = clusters
	in.Prefiltered = !o.Filter.All()
	in.SourceByCluster = byCluster
	var total inventory.AuditCounts
	for _, s := range srcs {
		total.Add(inventory.AuditCounts{Events: s.events, Reads: s.reads})
	}
	in.SourceEvents, in.SourceReads = total.Events, total.Reads
	if len(srcs) == 0 {
		in.Incomplete = fmt.Sprintf("the workspace holds no AKS audit events from %s to %s (tables AKSAudit, AKSAuditAdmin, AzureDiagnostics): check that a diagnostic setting of the cluster sends kube-audit or kube-audit-admin to it",
			o.Since.UTC().Format(time.RFC3339), o.Until.UTC().Format(time.RFC3339))
		return in, nil
	}
	r := &run{c: c, o: o, in: &in, only: only}
	cats := map[string]bool{}
	for _, s := range srcs {
		cats[s.category] = true
		for from := o.Since; from.Before(o.Until); from = from.Add(o.Chunk) {
			to := from.Add(o.Chunk)
			if to.After(o.Until) {
				to = o.Until
			}
			if err := r.query(ctx, s, from, to); err != nil {
				return in, err
			}
		}
	}
	for cat := range cats {
		in.Categories = append(in.Categories, cat)
	}
	sort.Strings(in.Categories)
	if len(r.notRead) > 0 {
		in.Incomplete = "not read from the workspace: " + strings.Join(r.notRead, "; ")
	}
	return in, nil
}

// probe finds the sources holding audit events in the range. Where a
// cluster's full category (kube-audit) covers the times of its admin
// category (kube-audit-admin, a subset) in the same kind of table, the
// admin source is not read again for that cluster. It also gives each
// cluster's counts over the sources read (AuditInput.SourceByCluster),
// keyed by inventory.AuditClusterKey, and the admin sources read for some
// clusters only (by source, the clusters to read it for).
func (c *Client) probe(ctx context.Context, o Options) ([]source, []string, map[string]inventory.AuditCounts, map[source][]string, error) {
	res, err := c.do(ctx, o.Workspace, probeQuery(o.Since, o.Until, o.Clusters), o.Since, o.Until)
	if err != nil {
		return nil, nil, nil, nil, accessError(o.Workspace, err)
	}
	if res.Error != nil {
		return nil, nil, nil, nil, fmt.Errorf("the workspace answered the query of its audit tables with an error (%s): nothing read", errorCode(res.Error))
	}
	srcs, clusters, counts, only := probeAnswer(res)
	return srcs, clusters, counts, only, nil
}

// probeAnswer reads the summary query's answer: the sources to read, the
// clusters named (as written) and each cluster's counts over those
// sources. A cell that is not a number or a time counts nothing (0, no
// time): a cluster is never credited with events the answer does not
// show. A kube-audit-admin source is read only for the clusters whose
// kube-audit source does not cover it (only), so that a cluster of a
// shared workspace is read, and counted, as it would be alone; for all of
// them when a row naming no cluster is not covered.
func probeAnswer(res azquery.Results) ([]source, []string, map[string]inventory.AuditCounts, map[source][]string) {
	seen := map[source]map[string]inventory.AuditCounts{}
	clusterSet := map[string]bool{}
	for _, t := range res.Tables {
		if t == nil {
			continue
		}
		cols := columnIndex(t)
		for _, row := range t.Rows {
			r := tableRow{cols: cols, row: row}
			tbl, _ := r.Cell("SourceTable")
			cat, _ := r.Cell("Category")
			id, _ := r.Cell("_ResourceId")
			var s source
			switch tbl {
			case auditlog.TableAKSAudit:
				s = source{table: tbl, category: auditlog.CategoryAudit}
			case auditlog.TableAKSAuditAdmin:
				s = source{table: tbl, category: auditlog.CategoryAuditAdmin}
			case tableDiagnostics:
				if cat != auditlog.CategoryAudit && cat != auditlog.CategoryAuditAdmin {
					continue
				}
				s = source{table: tbl, category: cat}
			default:
				continue
			}
			first, _ := r.Cell("First")
			last, _ := r.Cell("Last")
			f, _ := time.Parse(time.RFC3339Nano, first)
			l, _ := time.Parse(time.RFC3339Nano, last)
			ev, _ := r.Cell("Events")
			rd, _ := r.Cell("Reads")
			n, m := count(ev), count(rd)
			if seen[s] == nil {
				seen[s] = map[string]inventory.AuditCounts{}
			}
			k := inventory.AuditClusterKey(id)
			sp := seen[s][k]
			sp.Add(inventory.AuditCounts{Events: n, Reads: m, First: f, Last: l, Categories: []string{s.category}})
			seen[s][k] = sp
			if id != "" {
				clusterSet[id] = true
			}
		}
	}
	// uncovered are the clusters of an admin source whose full source does
	// not cover its times.
	uncovered := func(admin source) map[string]bool {
		full := source{table: admin.table, category: auditlog.CategoryAudit}
		if admin.table == auditlog.TableAKSAuditAdmin {
			full.table = auditlog.TableAKSAudit
		}
		out := map[string]bool{}
		for id, a := range seen[admin] {
			f, ok := seen[full][id]
			if !ok || f.First.IsZero() || a.First.Before(f.First) || a.Last.After(f.Last) {
				out[id] = true
			}
		}
		return out
	}
	var out []source
	counts := map[string]inventory.AuditCounts{}
	only := map[source][]string{}
	for s, byCluster := range seen {
		var read map[string]bool // nil: every cluster's events
		if s.category == auditlog.CategoryAuditAdmin {
			read = uncovered(s)
			if len(read) == 0 {
				continue
			}
			if len(read) == len(byCluster) || read[""] {
				read = nil
			} else {
				for id := range read {
					only[s] = append(only[s], id)
				}
				sort.Strings(only[s])
			}
		}
		var total inventory.AuditCounts
		for id, sp := range byCluster {
			if read != nil && !read[id] {
				continue
			}
			total.Add(sp)
			c := counts[id]
			c.Add(sp)
			counts[id] = c
		}
		s.events, s.reads = total.Events, total.Reads
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	var clusters []string
	for id := range clusterSet {
		clusters = append(clusters, id)
	}
	sort.Strings(clusters)
	return out, clusters, counts, only
}

// count is a count cell of the summary: a non-negative integer, else 0.
func count(cell string) int64 {
	n, err := strconv.ParseInt(cell, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// run is one Read in progress.
type run struct {
	c       *Client
	o       Options
	in      *inventory.AuditInput
	ev      inventory.AuditEvent
	dec     auditlog.EventDecoder
	rows    int
	failed  int // rows that could not be mapped
	notRead []string
	// only restricts a source (by its key) to some clusters (probeAnswer).
	only map[source][]string
}

// maxNotRead bounds the ranges listed as not read; the rest are counted.
const maxNotRead = 5

func (r *run) missed(s source, from, to time.Time, why string) {
	if len(r.notRead) == maxNotRead {
		r.notRead = append(r.notRead, "and more")
	}
	if len(r.notRead) > maxNotRead {
		return
	}
	r.notRead = append(r.notRead, fmt.Sprintf("%s from %s to %s (%s)", s, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), why))
}

// query reads one source over [from, to), splitting the range in halves
// while the answer is larger than MaxRows or the API says the result was
// too large; a range that cannot be split further is recorded as not read.
// Only an error that no other range would escape (no access) is returned.
func (r *run) query(ctx context.Context, s source, from, to time.Time) error {
	clusters := r.o.Clusters
	if ids, ok := r.only[s.key()]; ok {
		clusters = ids
	}
	res, err := r.c.do(ctx, r.o.Workspace, eventsQuery(s, r.o.Filter, from, to, clusters, r.o.MaxRows), from, to)
	if err != nil {
		var re *azcore.ResponseError
		if errors.As(err, &re) && (re.StatusCode == 401 || re.StatusCode == 403 || re.StatusCode == 404) {
			return accessError(r.o.Workspace, err)
		}
		if ctx.Err() != nil {
			r.missed(s, from, to, "stopped: "+ctx.Err().Error())
			return nil
		}
		r.missed(s, from, to, shortError(err))
		return nil
	}
	rows := 0
	for _, t := range res.Tables {
		rows += len(t.Rows)
	}
	tooLarge := rows > r.o.MaxRows || (res.Error != nil && resultTooLarge(res.Error))
	if tooLarge {
		if to.Sub(from) < 2*r.o.MinSpan {
			r.missed(s, from, to, fmt.Sprintf("more than %d candidate events in %s", r.o.MaxRows, to.Sub(from)))
			return nil
		}
		mid := from.Add(to.Sub(from) / 2).Truncate(time.Millisecond)
		if err := r.query(ctx, s, from, mid); err != nil {
			return err
		}
		return r.query(ctx, s, mid, to)
	}
	if res.Error != nil {
		// A partial answer: its rows are read, the range is not complete.
		r.missed(s, from, to, "the workspace answered with a partial error "+errorCode(res.Error))
	}
	for _, t := range res.Tables {
		cols := columnIndex(t)
		for _, row := range t.Rows {
			r.emit(s, tableRow{cols: cols, row: row})
		}
	}
	return nil
}

// emit maps one row and streams it; a row that cannot be mapped makes the
// input incomplete (it might have been flagged), naming the column.
func (r *run) emit(s source, row tableRow) {
	r.rows++
	r.ev.Input, r.ev.Line = r.in.Input, r.rows
	var err error
	if s.table == tableDiagnostics {
		var audit bool
		audit, err = auditlog.FromAzureDiagnosticsRow(row, &r.dec, &r.ev)
		if err == nil && !audit {
			r.in.Skipped++
			return
		}
	} else {
		err = auditlog.FromAKSAuditRow(row, &r.ev)
	}
	if err != nil {
		r.failed++
		at, _ := row.Cell("TimeGenerated")
		r.missed(s, parseOr(at, r.o.Since), parseOr(at, r.o.Until), "a row could not be read: "+err.Error())
		return
	}
	r.in.Events++
	if r.o.Observer != nil {
		r.o.Observer.Observe(&r.ev)
	}
}

func parseOr(s string, def time.Time) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return def
	}
	return t
}

// do runs one query over [from, to) (also given as the API's timespan).
func (c *Client) do(ctx context.Context, ws, query string, from, to time.Time) (azquery.Results, error) {
	ti := azquery.TimeInterval(from.UTC().Format(time.RFC3339Nano) + "/" + to.UTC().Format(time.RFC3339Nano))
	body := azquery.Body{Query: &query, Timespan: &ti}
	if strings.HasPrefix(ws, "/") {
		resp, err := c.q.QueryResource(ctx, ws, body, nil)
		return resp.Results, err
	}
	resp, err := c.q.QueryWorkspace(ctx, ws, body, nil)
	return resp.Results, err
}

// resultTooLarge: the partial error the API gives when an answer passed its
// row or size limit.
func resultTooLarge(e *azquery.ErrorInfo) bool {
	s := strings.ToLower(e.Error())
	return strings.Contains(s, "e_query_result_set_too_large") || strings.Contains(s, "maximum") && strings.Contains(s, "result")
}

// errorCode is the code of a OneAPI error (never its message, which may
// quote the query or data).
func errorCode(e *azquery.ErrorInfo) string {
	if e.Code == "" {
		return "without a code"
	}
	return e.Code
}

// shortError describes a failed query without its URL or body.
func shortError(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return fmt.Sprintf("HTTP %d %s", re.StatusCode, re.ErrorCode)
		}
		return fmt.Sprintf("HTTP %d", re.StatusCode)
	}
	var ce *capError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	return "the query failed: " + strings.SplitN(err.Error(), "\n", 2)[0]
}

// accessError says why a workspace could not be queried at all, and what
// to do, without the request or the answer's body.
func accessError(ws string, err error) error {
	hint := ""
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		switch re.StatusCode {
		case 401, 403:
			hint = ": the identity needs the Log Analytics Reader role (or Microsoft.OperationalInsights/workspaces/query/read) on the workspace"
		case 404:
			hint = ": no such workspace; give the workspace ID (its customerId GUID: az monitor log-analytics workspace show --query customerId)"
		}
	}
	return fmt.Errorf("querying the Log Analytics workspace %s: %s%s", ws, shortError(err), hint)
}
