package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

func readTestReport(t *testing.T, name string) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "diff", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ReadJSON(f, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func finding(ctl string, res check.Resource, st check.Status, msg, file string, line int) check.Result {
	return check.Result{Control: ctl, Severity: check.High, Status: st, Resource: res, Message: msg, Source: check.Location{File: file, Line: line}}
}

// The matching of findings: by control and resource, whatever the file and
// line; several findings of one control on one resource by message; and a
// baseline finding is fixed only when the current run judged it again.
func TestMatchStates(t *testing.T) {
	other := check.Resource{Kind: "Deployment", Namespace: "shop", Name: "web"}
	for _, tc := range []struct {
		name   string
		old    []check.Result
		cur    []check.Result
		passed []check.Result // judged pass now (counted by the engine)
		ran    []string       // controls run now beyond those with results
		incomp bool
		events bool     // the control's findings are events (an audit control)
		states []string // of cur's results, in order
		gone   []string // state: reason fragment, of old's unmatched findings
	}{
		{name: "moved to another line and file: existing",
			old:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "local accounts are enabled", "a/main.tf", 10)},
			cur:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "local accounts are enabled", "b/main.tf", 97)},
			states: []string{"existing"}},
		{name: "message changed on the same resource: existing",
			old:    []check.Result{finding("AKS-UPG-001", prod, check.Fail, "1.31.5 is not supported", "a.json", 1)},
			cur:    []check.Result{finding("AKS-UPG-001", prod, check.Fail, "1.31.4 is not supported", "a.json", 2)},
			states: []string{"existing"}},
		{name: "waived now: existing",
			old:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "m", "", 0)},
			cur:    []check.Result{finding("AKS-ACC-005", prod, check.Waived, "waived until 2027-01-01: r", "", 0)},
			states: []string{"existing"}},
		{name: "another resource: new",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			cur:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0), finding("AKS-WKL-007", other, check.Fail, "m", "", 0)},
			states: []string{"existing", "new"}},
		{name: "same resource, another control: new",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			cur:    []check.Result{finding("AKS-WKL-001", pod, check.Fail, "m", "", 0), finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			states: []string{"new", "existing"}},
		{name: "not-assessed and passed results are not compared",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.NotAssessed, "m", "", 0)},
			cur:    []check.Result{finding("AKS-WKL-007", pod, check.NotAssessed, "m", "", 0), finding("AKS-ACC-005", prod, check.Pass, "m", "", 0)},
			states: []string{"", ""}},
		{name: "several on one resource: by message, the rest new and fixed",
			old: []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user a: exec", "", 0), finding("AKS-AUD-002", prod, check.Fail, "user b: exec", "", 0),
				finding("AKS-AUD-002", prod, check.Fail, "user c: exec", "", 0)},
			cur: []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user b: exec", "", 0), finding("AKS-AUD-002", prod, check.Fail, "user d: exec", "", 0),
				finding("AKS-AUD-002", prod, check.Fail, "user e: exec", "", 0)},
			states: []string{"existing", "new", "new"},
			gone:   []string{"fixed: judged aks-prod again", "fixed: judged aks-prod again"}},
		{name: "one each, another message: the same finding",
			old:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user a: exec at t1", "", 0)},
			cur:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user b: exec at t2", "", 0)},
			states: []string{"existing"}},
		{name: "an event control: another user is new, never existing",
			old:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user a: exec at t1", "", 0)},
			cur:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user b: exec at t2", "", 0)},
			events: true,
			states: []string{"new"},
			gone:   []string{"fixed: judged aks-prod again"}},
		{name: "an event control: the same event is existing",
			old:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user a: exec at t1", "", 0)},
			cur:    []check.Result{finding("AKS-AUD-002", prod, check.Fail, "user a: exec at t1", "", 0)},
			events: true,
			states: []string{"existing"}},
		{name: "passes now: fixed",
			old:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "m", "", 0)},
			passed: []check.Result{finding("AKS-ACC-005", prod, check.Pass, "disabled", "", 0)},
			gone:   []string{"fixed: passes on aks-prod now"}},
		{name: "not applicable now: fixed",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			passed: []check.Result{finding("AKS-WKL-007", pod, check.NotApplicable, "m", "", 0)},
			gone:   []string{"fixed: passes on"}},
		{name: "not assessed on the resource now: not fixed",
			old:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "m", "", 0)},
			cur:    []check.Result{finding("AKS-ACC-005", prod, check.NotAssessed, "no az input for aks-prod", "", 0)},
			states: []string{""},
			gone:   []string{"not-assessed: no az input for aks-prod"}},
		{name: "one container still failing, another not assessed now: not fixed",
			old: []check.Result{finding("AKS-WKL-001", pod, check.Fail, "container a runs privileged", "", 0),
				finding("AKS-WKL-001", pod, check.Fail, "container b runs privileged", "", 0)},
			cur: []check.Result{finding("AKS-WKL-001", pod, check.Fail, "container a runs privileged", "", 0),
				finding("AKS-WKL-001", pod, check.NotAssessed, "container b: securityContext from an unresolved value", "", 0)},
			states: []string{"existing", ""},
			gone:   []string{"not-assessed: container b: securityContext from an unresolved value"}},
		{name: "the control not assessed on its scope now: not fixed",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			cur:    []check.Result{finding("AKS-WKL-007", prod, check.NotAssessed, "no Kubernetes input", "", 0)},
			states: []string{""},
			gone:   []string{"not-assessed: AKS-WKL-007 was not assessed on aks-prod: no Kubernetes input"}},
		{name: "the control did not run: not seen",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			passed: []check.Result{finding("AKS-ACC-005", prod, check.Pass, "m", "", 0)},
			gone:   []string{"not-seen: AKS-WKL-007 did not run"}},
		{name: "the resource is not in the scan: not seen",
			old:    []check.Result{finding("AKS-WKL-007", pod, check.Fail, "m", "", 0)},
			passed: []check.Result{finding("AKS-WKL-007", other, check.Pass, "m", "", 0)},
			gone:   []string{"not-seen: AKS-WKL-007 did not judge Deployment/payments/checkout-api"}},
		{name: "a report without its passes: not seen, never fixed",
			old:    []check.Result{finding("AKS-ACC-005", prod, check.Fail, "m", "", 0)},
			incomp: true,
			gone:   []string{"not-seen: does not list its passed results"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := NewJudged()
			for _, r := range append(append([]check.Result{}, tc.cur...), tc.passed...) {
				j.Add(r)
			}
			for _, c := range tc.ran {
				j.Ran[c] = true
			}
			j.Complete = !tc.incomp
			if tc.events {
				j.Events = map[string]bool{"AKS-AUD-002": true}
			}
			r := &Report{Results: append([]check.Result{}, tc.cur...)}
			ApplyBaseline(r, &Report{Results: tc.old}, "base.json", j)
			for i, res := range r.Results {
				if res.BaselineState != tc.states[i] {
					t.Errorf("result %d (%s %q): state %q, want %q", i, res.Control, res.Message, res.BaselineState, tc.states[i])
				}
			}
			var gone []BaselineFinding
			gone = append(append(append(gone, r.Baseline.Fixed...), r.Baseline.NotAssessed...), r.Baseline.NotSeen...)
			if len(gone) != len(tc.gone) {
				t.Fatalf("gone %+v, want %q", gone, tc.gone)
			}
			for i, g := range gone {
				state, reason, _ := strings.Cut(tc.gone[i], ": ")
				if g.BaselineState != state || !strings.Contains(g.Reason, reason) {
					t.Errorf("gone %d: %s %q, want %s with %q", i, g.BaselineState, g.Reason, state, reason)
				}
			}
			s := r.Summary.Baseline
			if s.Fixed != len(r.Baseline.Fixed) || s.NotAssessed != len(r.Baseline.NotAssessed) || s.NotSeen != len(r.Baseline.NotSeen) {
				t.Errorf("counts %+v disagree with the lists", s)
			}
		})
	}
}

// The examples before and after a change: the fixed, the new and the
// changed findings are found, however lines and documents moved.
func TestBaselineOfTheExamples(t *testing.T) {
	before, after := readTestReport(t, "before.json"), readTestReport(t, "after.json")
	j := judgedFromReport(after)
	if !j.Complete {
		t.Fatal("after.json was written with --include-passed: its passes should be complete")
	}
	ApplyBaseline(after, before, "before.json", j)
	var added []string
	for _, r := range after.Results {
		if r.BaselineState == BaselineNew {
			added = append(added, r.Control+" "+resourceLabel(r.Resource))
		}
		if isFinding(r.Status) != (r.BaselineState != "") {
			t.Errorf("%s %s: status %s, state %q", r.Control, resourceLabel(r.Resource), r.Status, r.BaselineState)
		}
	}
	// The findings matched moved: other lines, documents in another order.
	lineOf := map[string]int{}
	for _, r := range before.Results {
		lineOf[fingerprint(r)] = r.Source.Line
	}
	moved := 0
	for _, r := range after.Results {
		if r.BaselineState == BaselineExisting && lineOf[fingerprint(r)] != r.Source.Line {
			moved++
		}
	}
	if moved < 10 {
		t.Errorf("only %d existing findings moved line: the test data does not move them", moved)
	}
	if want := "AKS-WKL-007 Deployment/kubernetes-dashboard/kubernetes-dashboard"; strings.Join(added, "; ") != want {
		t.Errorf("new: %q, want %q", added, want)
	}
	if len(after.Baseline.Fixed) != 1 || after.Baseline.Fixed[0].Control != "AKS-ACC-005" || len(after.Baseline.NotSeen)+len(after.Baseline.NotAssessed) != 0 {
		t.Errorf("fixed %+v, not seen %+v, not assessed %+v; want AKS-ACC-005 fixed only", after.Baseline.Fixed, after.Baseline.NotSeen, after.Baseline.NotAssessed)
	}
	s := after.Summary.Baseline
	if s.Existing != after.Summary.Fail+after.Summary.Waived-1 {
		t.Errorf("existing %d of %d findings", s.Existing, after.Summary.Fail+after.Summary.Waived)
	}

	// A baseline with input errors says so: its findings may be missing.
	withErrors := readTestReport(t, "after.json")
	broken := *before
	broken.Errors = testReport(false).Errors
	ApplyBaseline(withErrors, &broken, "broken.json", judgedFromReport(withErrors))
	if len(withErrors.Warnings) != 1 || !strings.Contains(withErrors.Warnings[0], "broken.json carries 2 input errors") {
		t.Errorf("warnings %q", withErrors.Warnings)
	}

	// Without its passes the same comparison never says fixed.
	findings := readTestReport(t, "after-findings.json")
	ApplyBaseline(findings, before, "before.json", judgedFromReport(findings))
	if len(findings.Baseline.Fixed) != 0 || len(findings.Baseline.NotSeen) != 1 {
		t.Errorf("without passes: fixed %+v, not seen %+v", findings.Baseline.Fixed, findings.Baseline.NotSeen)
	}
}

// Every diff format, from the two real reports: goldens (the SARIF one
// also valid against the schema).
func TestDiffGoldens(t *testing.T) {
	before, after := readTestReport(t, "before.json"), readTestReport(t, "after.json")
	d := NewDiff(before, after, "before.json", "after.json", Tool{Name: "aksguard", Version: "1.2.3"}, nil)
	if got := d.summaryText(); got != "1 new, 1 fixed, 3 changed, 60 unchanged, 0 no longer assessed, 0 not seen" {
		t.Errorf("summary %q", got)
	}
	if d.NewFailingAtOrAbove(check.High) != 1 || d.NewFailingAtOrAbove(check.Critical) != 0 {
		t.Errorf("new failing at or above high %d, critical %d", d.NewFailingAtOrAbove(check.High), d.NewFailingAtOrAbove(check.Critical))
	}
	for _, c := range d.Changed {
		if c.Old.Source.Line == c.New.Source.Line || strings.Join(c.Changes, ",") != "message,evidence" {
			t.Errorf("changed %s: lines %d → %d, changes %q", c.New.Control, c.Old.Source.Line, c.New.Source.Line, c.Changes)
		}
	}
	sch := sarifSchema(t)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"diff.txt", func(b *bytes.Buffer) error { return WriteDiffTable(b, d, false) }},
		{"diff.json", func(b *bytes.Buffer) error { return WriteDiffJSON(b, d) }},
		{"diff.sarif", func(b *bytes.Buffer) error { return WriteDiffSARIF(b, d, testControls()) }},
		{"diff.junit.xml", func(b *bytes.Buffer) error { return WriteDiffJUnit(b, d) }},
		{"diff.md", func(b *bytes.Buffer) error { return WriteMarkdown(b, d.AsReport()) }},
		{"diff.html", func(b *bytes.Buffer) error { return WriteHTML(b, d.AsReport()) }},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("diff", tc.name), b.Bytes())
		if tc.name == "diff.sarif" {
			if err := validateSARIF(t, sch, b.Bytes()); err != nil {
				t.Errorf("diff SARIF invalid: %v", err)
			}
		}
	}
	var colored bytes.Buffer
	if err := WriteDiffTable(&colored, d, true); err != nil {
		t.Fatal(err)
	}
	plain, _ := os.ReadFile(filepath.Join("testdata", "diff", "diff.txt"))
	if stripANSI(colored.String()) != string(plain) {
		t.Error("the coloured diff table differs from the plain one beyond its colours")
	}
}

// The scan's writers show the comparison; without a baseline nothing of it
// appears (the goldens of the other tests are unchanged).
func TestWritersShowBaseline(t *testing.T) {
	before, after := readTestReport(t, "before.json"), readTestReport(t, "after-findings.json")
	after.Summary.Pass = 0 // as written, passes only counted
	ApplyBaseline(after, before, "before.json", judgedFromReport(readTestReport(t, "after.json")))
	var tb, jb, sb bytes.Buffer
	if err := WriteTable(&tb, after, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[new] Deployment kubernetes-dashboard", "[existing] ", "baseline before.json: 1 new, 63 existing (not counted by --fail-on), 1 fixed, 0 no longer assessed, 0 not seen",
		"  FIXED  AKS-ACC-005  aks-shop-prod: AKS-ACC-005 passes on aks-shop-prod now"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("the table lacks %q", want)
		}
	}
	if err := WriteJSON(&jb, after); err != nil {
		t.Fatal(err)
	}
	written := jb.String()
	back, err := ReadJSON(&jb, "with-baseline.json", 0)
	if err != nil {
		t.Fatalf("a report with a baseline does not read back: %v", err)
	}
	if back.Results[0].BaselineState == "" || !strings.Contains(written, `"baseline": {`) {
		t.Error("the JSON lacks the baseline states or list")
	}
	if err := WriteSARIF(&sb, after, testControls()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), `"baselineState": "new"`) || !strings.Contains(sb.String(), `"baselineState": "unchanged"`) {
		t.Error("the SARIF lacks baselineState")
	}
	if err := validateSARIF(t, sarifSchema(t), sb.Bytes()); err != nil {
		t.Errorf("SARIF with a baseline invalid: %v", err)
	}
}
