package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
)

// The writers of a Diff: table, json, sarif, junit. Markdown and HTML
// writers render the same Diff.

// WriteDiffJSON writes the diff as one JSON object (docs/baselines.md).
func WriteDiffJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteDiffTable writes the diff for people: the two reports, the counts,
// then the new, fixed, changed, no longer assessed and not seen findings.
func WriteDiffTable(w io.Writer, d *Diff, color bool) error {
	p := painter(color)
	var b bytes.Buffer
	side := func(r DiffReport) string {
		s := displayFile(r.File)
		var about []string
		if !r.GeneratedAt.IsZero() {
			about = append(about, r.GeneratedAt.UTC().Format(time.RFC3339))
		}
		if r.Version != "" {
			about = append(about, "aksguard "+r.Version)
		}
		if len(about) > 0 {
			s += " (" + strings.Join(about, ", ") + ")"
		}
		return oneLine(s)
	}
	b.WriteString(p.paint(ansiBold, "aksguard diff") + " " + side(d.Reports.Old) + " → " + side(d.Reports.New) + "\n")
	b.WriteString(d.summaryText() + "\n")

	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		b.WriteString("\n" + p.paint(ansiBold, title+" ("+plural(n, "finding")+")") + "\n")
		return true
	}
	// head is a finding's line: its status now (a baseline finding's
	// state when it is no longer failing), severity, control, resource.
	head := func(res check.Result) {
		label, style := statusLabel(res.Status), statusStyles[res.Status]
		switch res.BaselineState {
		case BaselineFixed:
			label, style = "FIXED", ansiGreen
		case BaselineNotAssessed, BaselineNotSeen:
			label, style = strings.ToUpper(res.BaselineState), ansiYellow
		}
		b.WriteString(tableIndent + p.paint(style, label) + "  " +
			p.paint(severityStyles[res.Severity], res.Severity.String()) + "  " + oneLine(res.Control) + "  " + oneLine(resourceLabel(res.Resource)) + "\n")
	}
	detail := func(label, text string) {
		if text != "" {
			b.WriteString(detailIndent + p.paint(ansiDim, label) + " " + oneLine(text) + "\n")
		}
	}
	if section("New", len(d.New)) {
		for _, res := range d.New {
			head(res)
			detail("msg:", plainMessage(res))
			detail("fix:", res.Remediation)
			detail("at: ", sourceLabel(res.Source))
		}
	}
	if section("Fixed", len(d.Fixed)) {
		for _, g := range d.Fixed {
			head(g.Result)
			detail("was:", plainMessage(g.Result))
			detail("why:", g.Reason)
		}
	}
	if section("Changed", len(d.Changed)) {
		for _, c := range d.Changed {
			head(c.New)
			detail("changed:", strings.Join(c.Changes, ", "))
			if c.Old.Severity != c.New.Severity || c.Old.Status != c.New.Status {
				detail("was:", string(c.Old.Status)+" "+c.Old.Severity.String())
			}
			if c.Old.Message != c.New.Message {
				detail("was:", plainMessage(c.Old))
				detail("now:", plainMessage(c.New))
			}
			detail("at: ", sourceLabel(c.New.Source))
		}
	}
	for _, part := range []struct {
		title string
		list  []BaselineFinding
	}{{"No longer assessed", d.NotAssessed}, {"Not seen", d.NotSeen}} {
		if section(part.title, len(part.list)) {
			for _, g := range part.list {
				head(g.Result)
				detail("was:", plainMessage(g.Result))
				detail("why:", g.Reason)
			}
		}
	}
	if len(d.Warnings) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "warnings:") + "\n")
		for _, w := range d.Warnings {
			b.WriteString("  " + oneLine(w) + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteDiffSARIF writes the diff as one SARIF run whose results carry
// baselineState: NEW's findings new, unchanged or updated, and OLD's
// findings no longer failing absent (kind pass when fixed, review when not
// assessed or not seen, level none). controls are the rule descriptors.
func WriteDiffSARIF(w io.Writer, d *Diff, controls []*check.Control) error {
	all := &Report{Tool: d.Tool}
	type entry struct {
		res   check.Result
		kind  string
		state string
	}
	var entries []entry
	for _, r := range d.New {
		entries = append(entries, entry{r, "fail", "new"})
	}
	for _, c := range d.Changed {
		entries = append(entries, entry{c.New, "fail", "updated"})
	}
	for _, r := range d.Unchanged {
		entries = append(entries, entry{r, "fail", "unchanged"})
	}
	for _, g := range d.Fixed {
		entries = append(entries, entry{g.Result, "pass", "absent"})
	}
	for _, list := range [][]BaselineFinding{d.NotAssessed, d.NotSeen} {
		for _, g := range list {
			entries = append(entries, entry{g.Result, "review", "absent"})
		}
	}
	for _, e := range entries {
		all.Results = append(all.Results, e.res)
	}
	rules, index := sarifRules(all, controls)
	results := []sarifResult{}
	for _, e := range entries {
		sr := sarifResultFor(e.res, e.kind, index[e.res.Control])
		sr.BaselineState = e.state
		results = append(results, sr)
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	if !d.Reports.New.GeneratedAt.IsZero() {
		inv.EndTimeUTC = d.Reports.New.GeneratedAt.UTC().Format(time.RFC3339)
	}
	for _, w := range d.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{Text: w}})
	}
	log := sarifLog{
		Schema:  sarifSchemaURI,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: sarifDriver{Name: "aksguard", Version: d.Tool.Version, InformationURI: sarifInfoURI, Rules: rules}},
			Invocations: []sarifInvocation{inv},
			Results:     results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// WriteDiffJUnit writes the diff as JUnit XML for CI test reporters: one
// suite per kind of change; a new failed finding is a <failure>, a fixed
// one a passing testcase, the others <skipped> with why.
func WriteDiffJUnit(w io.Writer, d *Diff) error {
	stamp := ""
	if !d.Reports.New.GeneratedAt.IsZero() {
		stamp = d.Reports.New.GeneratedAt.UTC().Format("2006-01-02T15:04:05")
	}
	testcase := func(res check.Result) junitCase {
		c := junitCase{Name: res.Control + " " + resourceLabel(res.Resource), Classname: res.Control}
		if res.Source.File != "" {
			c.File, c.Line = displayFile(res.Source.File), res.Source.Line
		}
		return c
	}
	out := junitSuites{Name: "aksguard diff", Suites: []junitSuite{}}
	suite := junitSuite{Name: "new findings", Timestamp: stamp, Cases: []junitCase{}}
	for _, res := range d.New {
		c := testcase(res)
		if res.Status == check.Fail {
			c.Failure = &junitProblem{Message: res.Message, Type: res.Severity.String(), Body: xmlSafe(junitFailureBody(res))}
			suite.Failures++
		} else {
			c.Skipped = &junitSkipped{Message: string(res.Status) + ": " + res.Message}
			suite.Skipped++
		}
		suite.Tests++
		suite.Cases = append(suite.Cases, c)
	}
	out.Suites = append(out.Suites, suite)

	suite = junitSuite{Name: "fixed findings", Timestamp: stamp, Cases: []junitCase{}}
	for _, g := range d.Fixed {
		suite.Tests++
		suite.Cases = append(suite.Cases, testcase(g.Result))
	}
	out.Suites = append(out.Suites, suite)

	suite = junitSuite{Name: "changed findings", Timestamp: stamp, Cases: []junitCase{}}
	for _, c := range d.Changed {
		tc := testcase(c.New)
		tc.Skipped = &junitSkipped{Message: "changed (" + strings.Join(c.Changes, ", ") + "): " + c.New.Message}
		suite.Tests++
		suite.Skipped++
		suite.Cases = append(suite.Cases, tc)
	}
	out.Suites = append(out.Suites, suite)

	suite = junitSuite{Name: "findings no longer judged", Timestamp: stamp, Cases: []junitCase{}}
	for _, list := range [][]BaselineFinding{d.NotAssessed, d.NotSeen} {
		for _, g := range list {
			tc := testcase(g.Result)
			tc.Skipped = &junitSkipped{Message: g.BaselineState + ": " + g.Reason}
			suite.Tests++
			suite.Skipped++
			suite.Cases = append(suite.Cases, tc)
		}
	}
	out.Suites = append(out.Suites, suite)
	return writeJUnitDoc(w, &out)
}

// plainMessage is a result's message without the table's baseline marker
// (the diff's sections, the HTML badge and the Markdown word say it).
func plainMessage(res check.Result) string {
	res.BaselineState = ""
	return messageOf(res)
}
