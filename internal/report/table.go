package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
)

// The human report: results grouped by cluster (a cluster and its agent
// pools), then other Azure resources, then Kubernetes resources by
// namespace; within a group by catalog area. Each area is a table
//
//	STATUS  SEVERITY  CONTROL  RESOURCE  MESSAGE
//
// laid out by text/tabwriter to fit 120 columns: long resource names and
// messages are cut with "…" (a cut message is repeated in full on a "msg:"
// line). Under a failing row come its "fix:" (remediation, never cut) and
// "at:" (file:line) lines. The report ends with the summary line, the input
// errors and the skipped inputs.

const (
	tableWidth      = 120
	tableIndent     = "    " // table rows
	detailIndent    = "      "
	maxResourceCols = 32
	minMessageCols  = 24
)

// ANSI styles.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[1;35m"
	ansiCyan    = "\x1b[36m"
)

var statusLabels = map[check.Status]string{
	check.Fail:          "FAIL",
	check.Pass:          "PASS",
	check.NotApplicable: "N/A",
	check.NotAssessed:   "NOT-ASSESSED",
	check.Waived:        "WAIVED",
}

var statusStyles = map[check.Status]string{
	check.Fail:          ansiBoldRed,
	check.Pass:          ansiGreen,
	check.NotApplicable: ansiDim,
	check.NotAssessed:   ansiYellow,
	check.Waived:        ansiBlue,
}

var severityStyles = map[check.Severity]string{
	check.Critical: ansiMagenta,
	check.High:     ansiRed,
	check.Medium:   ansiYellow,
	check.Low:      ansiCyan,
}

// kubeClusterScoped are Kubernetes kinds without a namespace; they are
// grouped with the Kubernetes resources rather than as Azure resources.
var kubeClusterScoped = map[string]bool{
	"APIService": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "IngressClass": true,
	"MutatingWebhookConfiguration": true, "Namespace": true, "Node": true,
	"PersistentVolume": true, "PriorityClass": true, "RuntimeClass": true,
	"StorageClass": true, "ValidatingAdmissionPolicy": true,
	"ValidatingAdmissionPolicyBinding": true, "ValidatingWebhookConfiguration": true,
}

type painter bool

func (p painter) paint(style, s string) string {
	if !p || style == "" || s == "" {
		return s
	}
	return style + s + ansiReset
}

type tableGroup struct {
	rank  int // clusters, then other Azure resources, then Kubernetes
	key   string
	title string
	areas map[string]*tableArea
	// folded holds the controls not assessed for lack of an input, by the
	// message naming that input: one line each instead of one per control.
	folded map[string][]string
}

type tableArea struct {
	name  string
	first string // smallest control ID: areas follow the catalog's order
	rows  []check.Result
}

// WriteTable writes the human-readable report; color adds ANSI styles (the
// caller decides: a terminal and NO_COLOR unset).
func WriteTable(w io.Writer, r *Report, color bool) error {
	p := painter(color)
	var b bytes.Buffer

	groups := groupForTable(r.Visible())
	if len(groups) == 0 {
		b.WriteString("No results to show.\n")
	}
	for i, g := range groups {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p.paint(ansiBold, oneLine(g.title)) + "\n")
		for _, a := range sortedAreas(g) {
			b.WriteString("  " + p.paint(ansiBold, oneLine(a.name)) + "\n")
			if err := writeArea(&b, a.rows, p); err != nil {
				return err
			}
		}
		writeFolded(&b, g.folded, p)
	}

	b.WriteString("\n" + summaryLine(r.Summary, p) + "\n")
	writeBaseline(&b, r, p)
	writeFrameworkTable(&b, r.Framework, p)
	if k := r.Summary.Kubernetes; k != nil {
		total := 0
		for _, n := range k.Objects {
			total += n
		}
		where := k.Server
		if k.Context != "" {
			where = "context " + k.Context + " (" + k.Server + ")"
		}
		line := "Kubernetes API: " + oneLine(where)
		if k.Version != "" {
			line += ", " + oneLine(k.Version)
		}
		b.WriteString(line + ", " + plural(total, "object") + " read\n")
		if len(k.Unread) > 0 {
			b.WriteString(p.paint(ansiBoldRed, "incomplete read:") + " the controls that need these are not-assessed\n")
			for _, col := range sortedKeys(k.Unread) {
				b.WriteString("  " + oneLine(col+": "+k.Unread[col]) + "\n")
			}
		}
	}
	if len(r.Clusters) > 0 {
		b.WriteString("\n")
		writeClusters(&b, r.Clusters, p)
	}
	if len(r.Errors) > 0 {
		b.WriteString("\n" + p.paint(ansiBoldRed, "errors:") + "\n")
		for _, e := range r.Errors {
			b.WriteString("  " + oneLine(inputLabel(e.Input, e.Line)+": "+e.Message) + "\n")
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "warnings:") + "\n")
		for _, w := range r.Warnings {
			b.WriteString("  " + oneLine(w) + "\n")
		}
	}
	if r.Summary.Excluded > 0 {
		var parts []string
		for _, reason := range sortedKeys(r.Summary.ExcludedBy) {
			parts = append(parts, oneLine(reason)+" ("+strconv.Itoa(r.Summary.ExcludedBy[reason])+")")
		}
		b.WriteString("excluded " + plural(r.Summary.Excluded, "result") + ": " + strings.Join(parts, ", ") + " (--include-system or includeSystem shows system objects)\n")
	}
	if len(r.Summary.Skipped) > 0 {
		total := 0
		var parts []string
		for _, reason := range sortedKeys(r.Summary.Skipped) {
			n := r.Summary.Skipped[reason]
			total += n
			parts = append(parts, oneLine(reason)+" ("+strconv.Itoa(n)+")")
		}
		b.WriteString("skipped " + plural(total, "input") + ": " + strings.Join(parts, ", ") + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func groupForTable(results []check.Result) []*tableGroup {
	byKey := map[string]*tableGroup{}
	for _, res := range results {
		rank, key, title := tableGroupOf(res.Resource)
		id := strconv.Itoa(rank) + "\x00" + key
		g := byKey[id]
		if g == nil {
			g = &tableGroup{rank: rank, key: key, title: title, areas: map[string]*tableArea{}, folded: map[string][]string{}}
			byKey[id] = g
		}
		if res.MissingInput && res.Status == check.NotAssessed {
			// A control that lacks several inputs (the engine joins them
			// with "; ") is listed under each.
			for _, missing := range strings.Split(res.Message, "; ") {
				if !slices.Contains(g.folded[missing], res.Control) {
					g.folded[missing] = append(g.folded[missing], res.Control)
				}
			}
			continue
		}
		area := res.Area
		if area == "" {
			area = "Other"
		}
		a := g.areas[area]
		if a == nil {
			a = &tableArea{name: area, first: res.Control}
			g.areas[area] = a
		}
		if res.Control < a.first {
			a.first = res.Control
		}
		a.rows = append(a.rows, res)
	}
	groups := make([]*tableGroup, 0, len(byKey))
	for _, id := range sortedKeys(byKey) {
		groups = append(groups, byKey[id])
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].rank != groups[j].rank {
			return groups[i].rank < groups[j].rank
		}
		return groups[i].key < groups[j].key
	})
	return groups
}

// tableGroupOf places a resource: a cluster with its pools; a Kubernetes
// resource by namespace ("" for cluster-scoped, sorted first); any other
// Azure resource on its own.
func tableGroupOf(res check.Resource) (rank int, key, title string) {
	switch {
	case res.Kind == "ManagedCluster" || res.Kind == "AgentPool" || (res.Kind == "Cluster" && res.ID != ""):
		// A Kubernetes result on a cluster of the scan (kind Cluster, with
		// its ID) goes with the cluster's other results.
		name, id := res.Name, res.ID
		if res.Kind == "AgentPool" {
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				name = name[:i]
			}
			if i := strings.Index(strings.ToLower(id), "/agentpools/"); i >= 0 {
				id = id[:i]
			}
		}
		key = name + "\x00" + strings.ToLower(id)
		return 0, key, "cluster " + name + clusterOrigin(id)
	case res.Namespace != "":
		return 2, res.Namespace, "Kubernetes namespace " + res.Namespace
	case kubeClusterScoped[res.Kind]:
		return 2, "", "Kubernetes cluster-scoped resources"
	}
	return 1, res.Kind + "\x00" + res.Name, strings.TrimSpace(res.Kind + " " + res.Name)
}

// clusterOrigin tells clusters of the same name apart in group titles: the
// same cluster is often scanned as az JSON and as Terraform together.
func clusterOrigin(id string) string {
	switch {
	case strings.HasPrefix(id, "tf:"):
		return " (Terraform " + strings.TrimPrefix(id, "tf:") + ")"
	case strings.HasPrefix(id, "template:"):
		file := strings.TrimPrefix(id, "template:")
		if i := strings.IndexByte(file, '#'); i >= 0 {
			file = file[:i]
		}
		return " (ARM template " + file + ")"
	}
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "resourceGroups") {
			return " (resource group " + parts[i+1] + ")"
		}
	}
	return ""
}

// writeFolded writes the controls not assessed for lack of an input: one
// line per missing input with the number of controls, then their IDs.
func writeFolded(b *bytes.Buffer, folded map[string][]string, p painter) {
	if len(folded) == 0 {
		return
	}
	b.WriteString("  " + p.paint(ansiBold, "Not assessed for lack of input") + "\n")
	for _, msg := range sortedKeys(folded) {
		ids := folded[msg]
		sort.Strings(ids)
		b.WriteString(tableIndent + p.paint(statusStyles[check.NotAssessed], statusLabel(check.NotAssessed)) + "  " +
			plural(len(ids), "control") + ": " + oneLine(msg) + "\n")
		b.WriteString(detailIndent + "controls: " + strings.Join(ids, ", ") + "\n")
	}
}

func sortedAreas(g *tableGroup) []*tableArea {
	areas := make([]*tableArea, 0, len(g.areas))
	for _, name := range sortedKeys(g.areas) {
		areas = append(areas, g.areas[name])
	}
	sort.SliceStable(areas, func(i, j int) bool { return areas[i].first < areas[j].first })
	for _, a := range areas {
		sort.SliceStable(a.rows, func(i, j int) bool { return a.rows[i].Control < a.rows[j].Control })
	}
	return areas
}

// writeArea lays out one area's rows with tabwriter, then interleaves the
// detail lines and the colours (after layout, so escapes never count as
// width).
func writeArea(b *bytes.Buffer, rows []check.Result, p painter) error {
	header := []string{"STATUS", "SEVERITY", "CONTROL", "RESOURCE", "MESSAGE"}
	cells := make([][]string, len(rows))
	for i, res := range rows {
		cells[i] = []string{
			statusLabel(res.Status),
			oneLine(res.Severity.String()),
			oneLine(res.Control),
			truncateMiddle(oneLine(resourceLabel(res.Resource)), maxResourceCols),
			"",
		}
	}
	// The message gets what the other columns leave of the line.
	used := len(tableIndent)
	for col := 0; col < 4; col++ {
		wmax := utf8.RuneCountInString(header[col])
		for _, c := range cells {
			wmax = max(wmax, utf8.RuneCountInString(c[col]))
		}
		used += wmax + 2
	}
	msgCols := max(tableWidth-used, minMessageCols)
	full := make([]string, len(rows))
	for i, res := range rows {
		full[i] = oneLine(messageOf(res))
		cells[i][4] = truncateEnd(full[i], msgCols)
	}

	var laid bytes.Buffer
	tw := tabwriter.NewWriter(&laid, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, tableIndent+strings.Join(header, "\t"))
	for _, c := range cells {
		fmt.Fprintln(tw, tableIndent+strings.Join(c, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(laid.String(), "\n"), "\n")
	if len(lines) != len(rows)+1 {
		return fmt.Errorf("table layout: %d lines for %d rows", len(lines), len(rows))
	}

	b.WriteString(p.paint(ansiDim, strings.TrimRight(lines[0], " ")) + "\n")
	for i, res := range rows {
		b.WriteString(paintRow(strings.TrimRight(lines[i+1], " "), res, p) + "\n")
		if cells[i][4] != full[i] {
			b.WriteString(detailIndent + p.paint(ansiDim, "msg:") + " " + full[i] + "\n")
		}
		if res.Status != check.Fail {
			continue
		}
		if res.Remediation != "" {
			b.WriteString(detailIndent + p.paint(ansiGreen, "fix:") + " " + oneLine(res.Remediation) + "\n")
		}
		if at := sourceLabel(res.Source); at != "" {
			b.WriteString(detailIndent + p.paint(ansiDim, "at:") + "  " + oneLine(at) + "\n")
		}
	}
	return nil
}

// paintRow colours the status and severity cells of a laid-out row.
func paintRow(line string, res check.Result, p painter) string {
	if !p {
		return line
	}
	label := statusLabel(res.Status)
	if !strings.HasPrefix(line, tableIndent+label) {
		return line
	}
	rest := line[len(tableIndent)+len(label):]
	sev := res.Severity.String()
	if i := strings.Index(rest, sev); i >= 0 {
		rest = rest[:i] + p.paint(severityStyles[res.Severity], sev) + rest[i+len(sev):]
	}
	return tableIndent + p.paint(statusStyles[res.Status], label) + rest
}

func summaryLine(s Summary, p painter) string {
	failed := strconv.Itoa(s.Fail) + " failed"
	if s.Fail > 0 {
		failed = p.paint(ansiBoldRed, failed)
	} else {
		failed = p.paint(ansiGreen, failed)
	}
	return fmt.Sprintf("%s (critical %d, high %d, medium %d, low %d), %d passed, %d not applicable, %d not assessed, %d waived across %s",
		failed, s.BySeverity["critical"], s.BySeverity["high"], s.BySeverity["medium"], s.BySeverity["low"],
		s.Pass, s.NotApplicable, s.NotAssessed, s.Waived, plural(s.Clusters, "cluster"))
}

func statusLabel(s check.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return strings.ToUpper(string(s))
}

func messageOf(res check.Result) string {
	msg := res.Message
	if msg == "" {
		msg = res.Title
	}
	if res.BaselineState != "" {
		msg = "[" + res.BaselineState + "] " + msg // scan --baseline
	}
	return msg
}

// resourceLabel names a resource in one line: a cluster by name, a pool as
// cluster/pool, anything else as kind/namespace/name.
func resourceLabel(r check.Resource) string {
	name := r.Name
	if name == "" {
		name = r.ID
	}
	switch r.Kind {
	case "ManagedCluster", "AgentPool", "":
		return name
	}
	if r.Namespace != "" {
		return r.Kind + "/" + r.Namespace + "/" + name
	}
	return r.Kind + "/" + name
}

// displayFile shows an input path; standard input ("-") is "stdin".
func displayFile(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// sourceLabel is file:line, file alone when the line is unknown, or "".
func sourceLabel(l check.Location) string {
	if l.File == "" {
		return ""
	}
	return inputLabel(l.File, l.Line)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// oneLine keeps text on its line and the terminal safe: runs of spaces,
// tabs and line breaks become one space, and other control characters
// (which could carry escape sequences from an input file) become U+FFFD.
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func truncateEnd(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}

// truncateMiddle keeps both ends: the cluster and the pool of a long
// cluster/pool name.
func truncateMiddle(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(rs[:head]) + "…" + string(rs[len(rs)-tail:])
}
