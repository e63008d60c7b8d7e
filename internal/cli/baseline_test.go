package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type baselineReport struct {
	Summary struct {
		Baseline *struct{ New, Existing, Fixed, NotAssessed, NotSeen int } `json:"baseline"`
	} `json:"summary"`
	Results []struct {
		Control, Status, BaselineState string
		Resource                       struct{ Kind, Name string }
	} `json:"results"`
	Baseline *struct {
		File                        string
		Fixed, NotAssessed, NotSeen []struct{ Control, Reason, BaselineState string }
	} `json:"baseline"`
}

// scanToFile writes a JSON report of dir and returns its path.
func scanToFile(t *testing.T, dir, name string, extra ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	code, _, stderr := runCLI(t, "", append([]string{"scan", today, "--no-config", "-o", "json", "--output-file", path, dir}, extra...)...)
	if code != ExitFindings {
		t.Fatalf("scan %s: exit %d (%s)", dir, code, stderr)
	}
	return path
}

// Two scans of a cluster before and after a change (a finding fixed, one
// added, lines and documents moved): scan --baseline marks the findings
// and lists the fixed one, and only new findings fail the build.
func TestScanBaseline(t *testing.T) {
	before := scanToFile(t, "testdata/baseline/before", "before.json")
	after := "testdata/baseline/after"

	code, out, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--baseline", before, after)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 for the new high finding (%s)", code, stderr)
	}
	var r baselineReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var added []string
	for _, res := range r.Results {
		isFinding := res.Status == "fail" || res.Status == "waived"
		if isFinding != (res.BaselineState != "") {
			t.Errorf("%s %s: status %s, baselineState %q", res.Control, res.Resource.Name, res.Status, res.BaselineState)
		}
		if res.BaselineState == "new" {
			added = append(added, res.Control+" "+res.Resource.Kind+" "+res.Resource.Name)
		}
	}
	if strings.Join(added, ",") != "AKS-WKL-007 Deployment kubernetes-dashboard" {
		t.Errorf("new findings %q", added)
	}
	if r.Baseline == nil || r.Baseline.File != before || len(r.Baseline.Fixed) != 1 || r.Baseline.Fixed[0].Control != "AKS-ACC-005" || r.Baseline.Fixed[0].BaselineState != "fixed" {
		t.Errorf("baseline %+v: want AKS-ACC-005 fixed", r.Baseline)
	}
	if s := r.Summary.Baseline; s == nil || s.New != 1 || s.Fixed != 1 || s.Existing == 0 || s.NotSeen+s.NotAssessed != 0 {
		t.Errorf("summary.baseline %+v", s)
	}

	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"the new finding is below --fail-on", []string{"--baseline", before, "--fail-on", "critical", after}, ExitClean},
		{"every finding in the baseline", []string{"--baseline", scanToFile(t, after, "after.json"), "--fail-on", "low", after}, ExitClean},
		{"without a baseline the same findings fail", []string{"--fail-on", "critical", after}, ExitFindings},
		// Every input kind, the audit log's several findings per cluster
		// included, against its own earlier scan: nothing new.
		{"the insecure example against itself", []string{"--baseline", scanToFile(t, "../../examples/insecure", "insecure.json"), "--fail-on", "low", "../../examples/insecure"}, ExitClean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := runCLI(t, "", append([]string{"scan", today, "--no-config", "-o", "json"}, tc.args...)...); code != tc.want {
				t.Errorf("exit %d, want %d (%s)", code, tc.want, stderr)
			}
		})
	}

	// A control not run, or an input left out, never makes a baseline
	// finding fixed.
	code, out, _ = runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--baseline", before, "--control", "AKS-WKL-007", after)
	if code != ExitFindings {
		t.Fatalf("--control: exit %d", code)
	}
	r = baselineReport{}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Baseline == nil || len(r.Baseline.Fixed) != 0 || len(r.Baseline.NotSeen) == 0 || !strings.Contains(r.Baseline.NotSeen[0].Reason, "did not run") {
		t.Errorf("--control: %+v: want not-seen, did not run, none fixed", r.Baseline)
	}
	code, out, _ = runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--baseline", before, filepath.Join(after, "platform.yaml"))
	r = baselineReport{}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v", code, err)
	}
	for _, g := range r.Baseline.Fixed {
		if g.Control == "AKS-ACC-005" {
			t.Errorf("the cluster's finding is fixed in a scan without the cluster's input: %+v", g)
		}
	}
	if len(r.Baseline.NotSeen)+len(r.Baseline.NotAssessed) == 0 {
		t.Errorf("without the cluster's input: %+v", r.Baseline)
	}

	// The table marks the findings and lists the fixed one.
	_, table, _ := runCLI(t, "", "scan", today, "--no-config", "--baseline", before, after)
	for _, want := range []string{"[new] Deployment kubernetes-dashboard", "[existing] ", "baseline " + before + ": 1 new, ", "  FIXED  AKS-ACC-005  aks-shop-prod: "} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q", want)
		}
	}
	// Without --baseline nothing of it appears, and the baseline changes
	// no count (its scan keeps the passes for the comparison, then counts
	// them as any scan does).
	_, plain, _ := runCLI(t, "", "scan", today, "--no-config", "-o", "json", after)
	if strings.Contains(plain, `"baseline`) {
		t.Error("a report without --baseline mentions a baseline")
	}
	_, with, _ := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--baseline", before, after)
	var a, b jsonReport
	must(t, json.Unmarshal([]byte(plain), &a))
	must(t, json.Unmarshal([]byte(with), &b))
	if a.Summary.Pass == 0 || a.Summary.Pass != b.Summary.Pass || a.Summary.NotApplicable != b.Summary.NotApplicable || a.Summary.Fail != b.Summary.Fail || len(a.Results) != len(b.Results) {
		t.Errorf("summary without a baseline %+v, with %+v; results %d, %d", a.Summary, b.Summary, len(a.Results), len(b.Results))
	}
}

// aksguard diff in every format, and its exit codes.
func TestDiff(t *testing.T) {
	before := scanToFile(t, "testdata/baseline/before", "before.json", "--include-passed")
	after := scanToFile(t, "testdata/baseline/after", "after.json", "--include-passed")
	afterFindings := scanToFile(t, "testdata/baseline/after", "after-findings.json")

	code, out, stderr := runCLI(t, "", "diff", before, after)
	if code != ExitFindings || !strings.Contains(out, "1 new, 1 fixed, 3 changed, 60 unchanged, 0 no longer assessed, 0 not seen") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	// The HTML page and the Markdown summary render the diff too: the new
	// finding marked, the fixed one listed.
	for format, want := range map[string][]string{
		"html":     {"Compared with the baseline", `<span class="badge base-new" title="not in the baseline: counts toward --fail-on">new</span>`, "AKS-ACC-005"},
		"markdown": {"**1 new**", "| Fixed | Control | Resource |", "AKS-ACC-005", "**new** "},
	} {
		code, out, stderr := runCLI(t, "", "diff", "-o", format, before, after)
		if code != ExitFindings {
			t.Errorf("diff -o %s: exit %d (%s)", format, code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("diff -o %s lacks %q", format, w)
			}
		}
	}
	if code, _, _ := runCLI(t, "", "diff", "--fail-on", "critical", before, after); code != ExitClean {
		t.Errorf("--fail-on critical: exit %d, want 0", code)
	}
	if code, _, _ := runCLI(t, "", "diff", after, after); code != ExitClean {
		t.Errorf("a report against itself: exit %d, want 0", code)
	}
	// The same inputs given in the other order, from another folder: the
	// results come in another order with other paths, and nothing changed.
	moved := t.TempDir()
	for _, name := range []string{"platform.yaml", "aks-shop-prod.json"} {
		data, err := os.ReadFile(filepath.Join("testdata/baseline/before", name))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(moved, name), data, 0o644))
	}
	reordered := filepath.Join(t.TempDir(), "reordered.json")
	if code, _, stderr := runCLI(t, "", "scan", today, "--no-config", "-o", "json", "--include-passed", "--output-file", reordered,
		filepath.Join(moved, "platform.yaml"), filepath.Join(moved, "aks-shop-prod.json")); code != ExitFindings {
		t.Fatalf("reordered scan: exit %d (%s)", code, stderr)
	}
	code, out, _ = runCLI(t, "", "diff", "--fail-on", "low", before, reordered)
	if code != ExitClean || !strings.Contains(out, "0 new, 0 fixed, 0 changed, ") {
		t.Errorf("the same inputs reordered: exit %d\n%s", code, out)
	}
	// The earlier report without its passes: the finding gone is not seen,
	// never fixed.
	code, out, _ = runCLI(t, "", "diff", "-o", "json", before, afterFindings)
	var d struct {
		Summary  struct{ New, Fixed, NotSeen int }
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != ExitFindings {
		t.Fatalf("exit %d: %v", code, err)
	}
	if d.Summary.Fixed != 0 || d.Summary.NotSeen != 1 || len(d.Warnings) != 1 {
		t.Errorf("against a report without passes: %+v", d)
	}

	for _, format := range []string{"json", "sarif", "junit"} {
		code, out, stderr := runCLI(t, "", "diff", "-o", format, before, after)
		if code != ExitFindings {
			t.Errorf("-o %s: exit %d (%s)", format, code, stderr)
		}
		var v any
		if format == "junit" {
			err := xml.Unmarshal([]byte(out), new(struct{}))
			if err != nil || !strings.Contains(out, `<testsuite name="new findings" tests="1" failures="1"`) {
				t.Errorf("-o junit: %v\n%s", err, out)
			}
		} else if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("-o %s: %v", format, err)
		}
	}
	path := filepath.Join(t.TempDir(), "diff.sarif")
	if code, out, _ := runCLI(t, "", "diff", "-o", "sarif", "--output-file", path, before, after); code != ExitFindings || out != "" {
		t.Errorf("--output-file: exit %d, stdout %q", code, out)
	}
	if data, err := os.ReadFile(path); err != nil || !bytes.Contains(data, []byte(`"baselineState": "absent"`)) {
		t.Errorf("--output-file: %v", err)
	}
}

// A baseline or a diff argument that is not an aksguard JSON report is an
// error (exit 2) naming the file and what to give, read within a size cap.
func TestBaselineHostile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := scanToFile(t, "testdata/baseline/before", "good.json")
	sarif := filepath.Join(dir, "r.sarif")
	if code, _, _ := runCLI(t, "", "scan", today, "--no-config", "-o", "sarif", "--output-file", sarif, "testdata/baseline/before"); code != ExitFindings {
		t.Fatal("the SARIF scan failed")
	}
	// 2 MiB: a valid report padded past a 1 MiB cap.
	goodData, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	huge := write("huge.json", append(bytes.Repeat([]byte(" "), 2<<20), goodData...))
	for _, tc := range []struct {
		name, file string
		extra      []string
		want       string
	}{
		{"not JSON", write("notes.txt", []byte("last week's findings\n")), nil, "notes.txt:1: invalid JSON"},
		{"a manifest", "testdata/baseline/before/platform.yaml", nil, "platform.yaml:1: invalid JSON"},
		{"an az JSON body", "testdata/baseline/before/aks-shop-prod.json", nil, `its tool.name is ""`},
		{"a SARIF log", sarif, nil, "a SARIF log, not an aksguard JSON report"},
		{"a JSON array", write("list.json", []byte(`[{"control": "AKS-ACC-005"}]`)), nil, "not a JSON object"},
		{"too large", huge, []string{"--max-input-mb", "1"}, "huge.json: larger than 1 MiB"},
		{"a directory", dir, nil, "a directory"},
		{"missing", filepath.Join(dir, "none.json"), nil, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"scan", today, "--no-config", "--baseline", tc.file}, tc.extra...)
			code, out, stderr := runCLI(t, "", append(args, "testdata/baseline/after")...)
			if code != ExitError || out != "" || !strings.Contains(stderr, "--baseline: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("scan --baseline: exit %d, stdout %d bytes, stderr %q; want 2 and %q", code, len(out), stderr, tc.want)
			}
			args = append([]string{"diff"}, tc.extra...)
			code, out, stderr = runCLI(t, "", append(args, good, tc.file)...)
			if code != ExitError || out != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("diff: exit %d, stdout %d bytes, stderr %q; want 2 and %q", code, len(out), stderr, tc.want)
			}
		})
	}
	for _, args := range [][]string{
		{"diff", good},
		{"diff", "-o", "yaml", good, good},
		{"diff", "--fail-on", "severe", good, good},
	} {
		if code, _, stderr := runCLI(t, "", args...); code != ExitError || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// A scan with a baseline keeps its passes to compare and then counts them:
// the framework view and the table's per-cluster scores must be what the
// same scan without a baseline gives.
func TestBaselineKeepsCountedViews(t *testing.T) {
	before := scanToFile(t, "testdata/baseline/before", "before.json")
	after := "testdata/baseline/after"
	framework := func(extra ...string) string {
		t.Helper()
		path := scanToFile(t, after, "fw.json", append([]string{"--framework", "cis-aks-1.8"}, extra...)...)
		data, err := os.ReadFile(path)
		must(t, err)
		var doc map[string]json.RawMessage
		must(t, json.Unmarshal(data, &doc))
		return string(doc["framework"])
	}
	if plain, with := framework(), framework("--baseline", before); plain == "" || plain != with {
		t.Errorf("the framework view differs with a baseline:\nwithout %s\nwith    %s", plain, with)
	}
	table := func(extra ...string) string {
		t.Helper()
		_, out, _ := runCLI(t, "", append([]string{"scan", today, "--no-config", after}, extra...)...)
		// The summary and its per-cluster rows, before the baseline's part.
		if i := strings.Index(out, "\nbaseline "); i >= 0 {
			out = out[:i]
		}
		if i := strings.Index(out, "\nFindings"); i >= 0 {
			out = out[:i]
		}
		return out
	}
	if plain, with := table(), table("--baseline", before); !strings.Contains(plain, "%") || plain != with {
		t.Errorf("the table's summary differs with a baseline:\nwithout\n%s\nwith\n%s", plain, with)
	}
}
