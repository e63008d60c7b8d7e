package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// JUnit XML output for CI test reporters: one <testsuite> per control, one
// <testcase> per shown result (r.Visible()). A fail is a <failure>; a
// waived, not-applicable or not-assessed result is <skipped> with the
// reason; a pass is a bare testcase. Input errors, if any, come last as a
// suite of their own whose testcases carry an <error>.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML.
func WriteJUnit(w io.Writer, r *Report) error {
	stamp := ""
	if !r.GeneratedAt.IsZero() {
		stamp = r.GeneratedAt.UTC().Format("2006-01-02T15:04:05") // JUnit timestamps carry no zone
	}

	suites := map[string]*junitSuite{}
	for _, res := range r.Visible() {
		s := suites[res.Control]
		if s == nil {
			name := res.Control
			if res.Title != "" {
				name += " " + res.Title
			}
			s = &junitSuite{Name: name, Timestamp: stamp, Cases: []junitCase{}}
			suites[res.Control] = s
		}
		c := junitCase{Name: resourceLabel(res.Resource), Classname: res.Control}
		if res.Source.File != "" {
			c.File, c.Line = displayFile(res.Source.File), res.Source.Line
		}
		switch res.Status {
		case check.Fail:
			c.Failure = &junitProblem{Message: res.Message, Type: res.Severity.String(), Body: xmlSafe(junitFailureBody(res))}
			s.Failures++
		case check.Waived:
			c.Skipped = &junitSkipped{Message: "waived: " + res.Message}
			s.Skipped++
		case check.NotApplicable:
			c.Skipped = &junitSkipped{Message: "not applicable: " + res.Message}
			s.Skipped++
		case check.NotAssessed:
			c.Skipped = &junitSkipped{Message: "not assessed: " + res.Message}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}

	out := junitSuites{Name: "aksguard", Suites: []junitSuite{}}
	for _, id := range sortedKeys(suites) {
		out.Suites = append(out.Suites, *suites[id])
	}
	if len(r.Errors) > 0 {
		s := junitSuite{Name: "input errors", Timestamp: stamp}
		for _, e := range r.Errors {
			s.Cases = append(s.Cases, junitCase{
				Name:      inputLabel(e.Input, e.Line),
				Classname: "input",
				File:      displayFile(e.Input),
				Line:      e.Line,
				Error:     &junitProblem{Message: e.Message, Type: "input", Body: xmlSafe(inputLabel(e.Input, e.Line) + ": " + e.Message)},
			})
			s.Tests++
			s.Errors++
		}
		out.Suites = append(out.Suites, s)
	}
	return writeJUnitDoc(w, &out)
}

// writeJUnitDoc totals the suites into the document and writes it, XML
// header first (the scan's report and the diff's).
func writeJUnitDoc(w io.Writer, out *junitSuites) error {
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitFailureBody is the failure's text: what, on what, the evidence, the
// fix and where.
func junitFailureBody(res check.Result) string {
	var b strings.Builder
	b.WriteString(res.Message + "\n")
	b.WriteString("resource: " + resourceLabel(res.Resource) + "\n")
	if res.Resource.ID != "" {
		b.WriteString("id: " + res.Resource.ID + "\n")
	}
	if len(res.Evidence) > 0 {
		b.WriteString("evidence:\n")
		for _, e := range res.Evidence {
			b.WriteString("  " + e.Path + " = " + e.Value + "\n")
		}
	}
	if res.Remediation != "" {
		b.WriteString("fix: " + res.Remediation + "\n")
	}
	if at := sourceLabel(res.Source); at != "" {
		b.WriteString("at: " + at + "\n")
	}
	return b.String()
}

// inputLabel is file:line for an input error.
func inputLabel(input string, line int) string {
	s := displayFile(input)
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	return s
}

// xmlSafe replaces the characters XML 1.0 cannot carry (most C0 controls,
// surrogates, U+FFFE/U+FFFF) with U+FFFD. encoding/xml does this for
// attributes and text but not for CDATA sections.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
