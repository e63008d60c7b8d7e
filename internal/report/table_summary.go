package report

import (
	"sort"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// The summary at the head of the table report: one row per cluster (a
// cluster's results and its pools'), one for the Azure resources outside
// the clusters (registries), one for the Kubernetes objects, and the whole
// scan, each with its failures by severity, waived, not-assessed, passed
// and not-applicable results and its score.
//
// The score is passed ÷ (passed + failed + waived), rounded down: the share
// of the assessed results that pass. Not-assessed and not-applicable results
// count on neither side, so what could not be judged never raises it, and a
// waived failure still lowers it. Nothing assessed: no score ("-").

// Summary row kinds, in the order the rows are listed.
const (
	rowCluster = iota
	rowAzure
	rowKube
)

// SummaryRow names the summary row a result on res counts in; the engine
// keys Report.CountedBy with it.
// The engine calls it for every counted pass, so it builds no title.
func SummaryRow(res check.Resource) string {
	if name, id, ok := resultClusterOf(res); ok {
		return strconv.Itoa(rowCluster) + "\x00" + clusterGroupKey(name, id)
	}
	if res.ID != "" && res.Namespace == "" && !kubeClusterScoped[res.Kind] {
		return strconv.Itoa(rowAzure)
	}
	return strconv.Itoa(rowKube)
}

// summaryRowOf places a result: on a cluster or its pools (or a Kubernetes
// result on a cluster of the scan: kind Cluster with its ID) in the
// cluster's row; on another Azure resource (it has a resource ID and is no
// Kubernetes kind) in the Azure row; anything else (Kubernetes objects,
// the Kubernetes input of no cluster) in the Kubernetes row.
func summaryRowOf(res check.Resource) (rank int, key, title string) {
	rank, key, title = tableGroupOf(res)
	switch {
	case rank == rowCluster:
		return rank, key, title
	case res.ID != "" && res.Namespace == "" && !kubeClusterScoped[res.Kind]:
		return rowAzure, "", "Azure resources outside the clusters"
	}
	return rowKube, "", "Kubernetes objects"
}

type summaryRow struct {
	key, title string
	rank       int
	fail       [4]int // low, medium, high, critical (check.Severity-1)
	waived     int
	notAssd    int
	pass, na   int
}

func (s *summaryRow) add(res *check.Result) {
	switch res.Status {
	case check.Fail:
		if i := int(res.Severity) - int(check.Low); i >= 0 && i < len(s.fail) {
			s.fail[i]++
		}
	case check.Waived:
		s.waived++
	case check.NotAssessed:
		s.notAssd++
	case check.Pass:
		s.pass++
	case check.NotApplicable:
		s.na++
	}
}

func (s *summaryRow) failed() int { return s.fail[0] + s.fail[1] + s.fail[2] + s.fail[3] }

// score is the row's score as "NN%", or "-" when it has no assessed result.
func (s *summaryRow) score() string {
	den := s.pass + s.failed() + s.waived
	if den == 0 {
		return "-"
	}
	return strconv.Itoa(100*s.pass/den) + "%"
}

// summaryRows counts every result (shown or not) by row, adds what the
// engine counted, and reports whether the rows add up to the report's
// summary; when they do not (a report whose passes were counted without
// their rows), the rows' passed, not-applicable and score columns are
// unknown and shown as "-".
func summaryRows(r *Report) (rows []*summaryRow, total summaryRow, reconciled bool) {
	byKey := map[string]*summaryRow{}
	row := func(res check.Resource) *summaryRow {
		key := SummaryRow(res)
		s := byKey[key]
		if s == nil {
			rank, _, title := summaryRowOf(res)
			s = &summaryRow{key: key, title: title, rank: rank}
			byKey[key] = s
		}
		return s
	}
	for i := range r.Results {
		row(r.Results[i].Resource).add(&r.Results[i])
	}
	var pass, na int
	for key, c := range r.CountedBy {
		s := byKey[key]
		if s == nil {
			s = &summaryRow{key: key, title: countedTitle(key), rank: countedRank(key)}
			byKey[key] = s
		}
		s.pass += c.Pass
		s.na += c.NotApplicable
	}
	for _, s := range byKey {
		pass += s.pass
		na += s.na
		rows = append(rows, s)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].rank != rows[j].rank {
			return rows[i].rank < rows[j].rank
		}
		return rows[i].key < rows[j].key
	})
	sm := r.Summary
	total = summaryRow{title: "all", waived: sm.Waived, notAssd: sm.NotAssessed, pass: sm.Pass, na: sm.NotApplicable}
	for i, sev := range []string{"low", "medium", "high", "critical"} {
		total.fail[i] = sm.BySeverity[sev]
	}
	return rows, total, pass == sm.Pass && na == sm.NotApplicable
}

// countedTitle and countedRank name a row known only from the engine's
// counts (all its results passed or did not apply).
func countedTitle(key string) string {
	rank, rest, _ := strings.Cut(key, "\x00")
	switch rank {
	case strconv.Itoa(rowAzure):
		return "Azure resources outside the clusters"
	case strconv.Itoa(rowKube):
		return "Kubernetes objects"
	}
	name, id, _ := strings.Cut(rest, "\x00")
	return "cluster " + name + clusterOrigin(id)
}

func countedRank(key string) int {
	rank, _, _ := strings.Cut(key, "\x00")
	n, _ := strconv.Atoi(rank)
	return n
}

var summaryHeader = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "WAIVED", "NOT ASSESSED", "PASSED", "N/A", "SCORE"}

func (s *summaryRow) cells(reconciled bool) []string {
	n := strconv.Itoa
	c := []string{n(s.fail[3]), n(s.fail[2]), n(s.fail[1]), n(s.fail[0]), n(s.waived), n(s.notAssd), n(s.pass), n(s.na), s.score()}
	if !reconciled {
		c[6], c[7], c[8] = "-", "-", "-"
	}
	return c
}

// writeSummary writes the summary block: the totals in words, the score and
// its definition, then the rows. A row's title goes before its counts when
// the widest title and the counts fit the width, else on a line of its own
// above them.
func writeSummary(l *lineWriter, r *Report) {
	rows, total, reconciled := summaryRows(r)
	sm := r.Summary
	l.item(0, "Summary:", ansiBold, 0, totalsText(sm))
	l.item(0, "Score:", ansiBold, 0, scoreText(&total))
	if len(r.Errors) > 0 {
		l.item(0, "Input errors:", ansiBoldRed, 0, plural(len(r.Errors), "input")+" could not be read or judged in full; see Errors below")
	}
	if len(rows) == 0 {
		return
	}
	l.nl()

	all := make([][]string, 0, len(rows)+1)
	titles := make([]string, 0, len(rows)+1)
	for _, s := range rows {
		all = append(all, s.cells(reconciled))
		titles = append(titles, oneLine(s.title))
	}
	all = append(all, total.cells(true))
	titles = append(titles, "all")

	widths := make([]int, len(summaryHeader))
	for i, h := range summaryHeader {
		widths[i] = len(h)
		for _, c := range all {
			widths[i] = max(widths[i], len(c[i]))
		}
	}
	counts := 0
	for _, w := range widths {
		counts += w + 2
	}
	titleCols := 0
	for _, t := range titles {
		titleCols = max(titleCols, runeLen(t))
	}
	if !l.fits(2 + counts) {
		// Too narrow for the columns: each row's counts in words.
		for i, cells := range all {
			style := ""
			if i == len(all)-1 {
				style = ansiBold
			}
			writeTitle(l, style, titles[i])
			words := make([]string, len(cells))
			for j, c := range cells {
				words[j] = strings.ToLower(summaryHeader[j]) + " " + c
			}
			l.item(2, "", "", 0, strings.Join(words, ", "))
		}
		if !reconciled {
			l.item(0, "", "", 0, "passed, n/a and score per row are unknown: this report counted its passed results without their rows")
		}
		return
	}
	inline := l.fits(titleCols + counts)
	pad := 2 // the counts' indent when titles have lines of their own
	if inline {
		pad = titleCols
	}
	line := func(cells []string) string {
		var b strings.Builder
		for i, c := range cells {
			b.WriteString("  ")
			b.WriteString(strings.Repeat(" ", widths[i]-len(c)))
			b.WriteString(c)
		}
		return b.String()
	}
	l.str(l.p.paint(ansiDim, strings.Repeat(" ", pad)+line(summaryHeader)))
	l.nl()
	for i, cells := range all {
		style := ""
		if i == len(all)-1 {
			style = ansiBold
		}
		if inline {
			l.str(l.p.paint(style, titles[i]))
			l.spaces(titleCols - runeLen(titles[i]))
		} else {
			writeTitle(l, style, titles[i])
			l.spaces(pad)
		}
		l.str(line(cells))
		l.nl()
	}
	if !reconciled {
		l.item(0, "", "", 0, "PASSED, N/A and SCORE per row are unknown: this report counted its passed results without their rows")
	}
}

// writeTitle writes a row's title on its own line, wrapped at word
// boundaries when it is wider than the layout (then without its style).
func writeTitle(l *lineWriter, style, title string) {
	if l.fits(runeLen(title)) {
		l.str(l.p.paint(style, title))
		l.nl()
		return
	}
	l.item(0, "", "", 0, title)
}

func totalsText(s Summary) string {
	return strconv.Itoa(s.Fail) + " failed (critical " + strconv.Itoa(s.BySeverity["critical"]) + ", high " + strconv.Itoa(s.BySeverity["high"]) +
		", medium " + strconv.Itoa(s.BySeverity["medium"]) + ", low " + strconv.Itoa(s.BySeverity["low"]) + "), " +
		strconv.Itoa(s.Pass) + " passed, " + strconv.Itoa(s.NotApplicable) + " not applicable, " +
		strconv.Itoa(s.NotAssessed) + " not assessed, " + strconv.Itoa(s.Waived) + " waived across " + plural(s.Clusters, "cluster")
}

func scoreText(t *summaryRow) string {
	assessed := t.pass + t.failed() + t.waived
	if assessed == 0 {
		return "- (no result was assessed: nothing passed or failed)"
	}
	return t.score() + ", " + strconv.Itoa(t.pass) + " of " + plural(assessed, "assessed result") +
		" pass (passed ÷ (passed + failed + waived); not-assessed and not-applicable results count on neither side)"
}

func runeLen(s string) int { return len([]rune(s)) }

// TotalsLine is the report's totals in one line: the last line of the
// table, and what standard error says when the report goes to a file.
func TotalsLine(s Summary) string { return totalsText(s) }
