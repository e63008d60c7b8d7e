package report

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
)

// The Markdown report: a compact summary for a pull-request comment or
// GitHub's job summary ($GITHUB_STEP_SUMMARY). The counts, the most severe
// findings as a table, the not-assessed count with its top reasons, the
// input errors, and a line saying how to get the full report. It never
// exceeds GitHub's comment limit (markdownLimit): what does not fit is left
// out with a line saying how much. Every value from an input is escaped
// (mdText), so a resource name cannot break the table, inject HTML or a link.

const (
	// markdownLimit is GitHub's limit on a comment body (65,536
	// characters); the writer counts bytes, which are never fewer.
	markdownLimit = 65536
	// markdownTop is how many findings the table lists.
	markdownTop = 20
	// markdownReasons is how many not-assessed reasons and input errors
	// are listed.
	markdownReasons = 5
	// mdCellRunes bounds one cell's text before escaping.
	mdCellRunes = 300
	// projectURL is where the full documentation and the tool are.
	projectURL = "https://github.com/aksguard/aksguard"
)

// WriteMarkdown writes the Markdown summary.
func WriteMarkdown(w io.Writer, r *Report) error {
	_, err := io.WriteString(w, markdownSummary(r))
	return err
}

func markdownSummary(r *Report) string {
	s := r.Summary
	var findings, notAssessed []check.Result
	for _, res := range r.Results {
		switch res.Status {
		case check.Fail:
			findings = append(findings, res)
		case check.NotAssessed:
			notAssessed = append(notAssessed, res)
		}
	}
	sortFindings(findings)

	footer := "\n---\nFull report, with every finding's evidence and fix: `aksguard scan -o html --output-file aksguard.html` · " +
		mdCell(strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version)) + " · " + projectURL + "\n"
	// Room kept for the footer and the lines saying what was left out.
	doc := &mdDoc{limit: markdownLimit - len(footer) - 1024}

	title := "no findings"
	if s.Fail > 0 {
		title = plural(s.Fail, "finding")
	}
	doc.must("## aksguard: " + title + "\n\n")
	doc.must("| | critical | high | medium | low |\n| --- | ---: | ---: | ---: | ---: |\n")
	doc.must("| **failed** | " + strconv.Itoa(s.BySeverity["critical"]) + " | " + strconv.Itoa(s.BySeverity["high"]) + " | " +
		strconv.Itoa(s.BySeverity["medium"]) + " | " + strconv.Itoa(s.BySeverity["low"]) + " |\n\n")
	doc.must(strconv.Itoa(s.Fail) + " failed, " + strconv.Itoa(s.Pass) + " passed, " + strconv.Itoa(s.NotApplicable) + " not applicable, " +
		strconv.Itoa(s.NotAssessed) + " not assessed, " + strconv.Itoa(s.Waived) + " waived across " + plural(s.Clusters, "cluster") + ".\n")

	capped := markdownBaseline(r, doc) // lines left out for the size limit
	capped += markdownFramework(r.Framework, doc)
	if len(findings) > 0 {
		top := findings[:min(len(findings), markdownTop)]
		doc.must("\n| Severity | Control | Resource | Message | Location |\n| --- | --- | --- | --- | --- |\n")
		for _, res := range top {
			if !doc.add(markdownRow(res)) {
				capped++
			}
		}
		if more := len(findings) - len(top); more > 0 {
			doc.must("\n" + plural(more, "more finding") + " of lower or equal severity not listed here.\n")
		}
	}

	if len(notAssessed) > 0 {
		doc.must("\n**" + strconv.Itoa(len(notAssessed)) + " not assessed** (aksguard could not judge them from this input; never counted as passed). Top reasons:\n\n")
		reasons := topReasons(notAssessed)
		for i, rc := range reasons {
			if i == markdownReasons {
				doc.must("- … " + plural(len(reasons)-markdownReasons, "more reason") + "\n")
				break
			}
			if !doc.add("- " + strconv.Itoa(rc.n) + " × " + mdCell(rc.reason) + "\n") {
				capped++
			}
		}
	}

	if len(r.Errors) > 0 {
		doc.must("\n**" + plural(len(r.Errors), "input error") + "**: these inputs could not be read, and what they hold was not judged.\n\n")
		for i, e := range r.Errors {
			if i == markdownReasons {
				doc.must("- … " + strconv.Itoa(len(r.Errors)-markdownReasons) + " more\n")
				break
			}
			if !doc.add("- " + mdCell(inputLabel(e.Input, e.Line)+": "+e.Message) + "\n") {
				capped++
			}
		}
	}
	if len(r.Warnings) > 0 {
		doc.must("\n" + plural(len(r.Warnings), "warning") + " (listed in the full report).\n")
	}
	if capped > 0 {
		doc.must("\n" + plural(capped, "line") + " left out to stay within GitHub's comment size limit.\n")
	}
	return doc.b.String() + footer
}

// markdownRow is one finding's row of the table. A later column (a
// baseline's new/existing marker, a framework's item) is one more cell here
// and in the header.
func markdownRow(res check.Result) string {
	return "| " + res.Severity.String() + " | " + mdCell(res.Control) + " | " + mdCell(resourceLabel(res.Resource)) + " | " +
		markdownState(res) + mdCell(plainMessage(res)) + " | " + mdCell(sourceLabel(res.Source)) + " |\n"
}

// sortFindings orders failed results most severe first, then by control,
// resource and location (each resource label computed once).
func sortFindings(findings []check.Result) {
	labels := make([]string, len(findings))
	idx := make([]int, len(findings))
	for i, res := range findings {
		idx[i], labels[i] = i, resourceLabel(res.Resource)
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := &findings[idx[i]], &findings[idx[j]]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Control != b.Control {
			return a.Control < b.Control
		}
		if la, lb := labels[idx[i]], labels[idx[j]]; la != lb {
			return la < lb
		}
		if a.Source.File != b.Source.File {
			return a.Source.File < b.Source.File
		}
		return a.Source.Line < b.Source.Line
	})
	sorted := make([]check.Result, len(findings))
	for i, k := range idx {
		sorted[i] = findings[k]
	}
	copy(findings, sorted)
}

// mdDoc is the document being written within its byte limit.
type mdDoc struct {
	b     strings.Builder
	limit int
}

// add writes s if it fits.
func (d *mdDoc) add(s string) bool {
	if d.b.Len()+len(s) > d.limit {
		return false
	}
	d.b.WriteString(s)
	return true
}

// must writes text of bounded size (counts and fixed words), which the
// room kept beside the limit always holds.
func (d *mdDoc) must(s string) { d.b.WriteString(s) }

type reasonCount struct {
	reason string
	n      int
}

// topReasons counts not-assessed results by reason, most frequent first; a
// result lacking several inputs (joined with "; ") counts under each.
func topReasons(results []check.Result) []reasonCount {
	by := map[string]int{}
	for _, res := range results {
		why := []string{messageOf(res)}
		if res.MissingInput {
			why = strings.Split(res.Message, "; ")
		}
		for _, w := range why {
			by[w]++
		}
	}
	out := make([]reasonCount, 0, len(by))
	for _, k := range sortedKeys(by) {
		out = append(out, reasonCount{k, by[k]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].n > out[j].n })
	return out
}

// mdCell is text for a table cell or list item: on one line, at most
// mdCellRunes runes, escaped (mdText).
func mdCell(s string) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) > mdCellRunes {
		s = truncateEnd(s, mdCellRunes)
	}
	return mdText(s)
}

// mdText escapes text so that GitHub renders it as written: HTML
// characters become entities (no tag, no entity of the input's own), and
// Markdown's punctuation (table pipes, code spans, links and images,
// emphasis) is backslash-escaped.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "|", `\|`, "`", "\\`", "[", `\[`, "]", `\]`,
	"*", `\*`, "_", `\_`, "~", `\~`, "#", `\#`, "!", `\!`,
)

func mdText(s string) string { return mdEscaper.Replace(s) }

// truncateEnd cuts s to n runes, the last an ellipsis.
func truncateEnd(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}
