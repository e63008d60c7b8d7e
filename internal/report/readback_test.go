package report

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A report written by WriteJSON reads back with the same results, tool,
// date, summary and errors.
func TestReadJSONRoundTrip(t *testing.T) {
	for _, includePassed := range []bool{false, true} {
		r := testReport(includePassed)
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		got, err := ReadJSON(&b, "r.json", 0)
		if err != nil {
			t.Fatal(err)
		}
		want := r.Visible()
		for i := range want {
			want[i].Area = "" // not in the JSON contract
		}
		if !reflect.DeepEqual(got.Results, want) {
			t.Errorf("includePassed=%v: results differ\ngot  %+v\nwant %+v", includePassed, got.Results, want)
		}
		if got.Tool != r.Tool || !got.GeneratedAt.Equal(r.GeneratedAt) || !reflect.DeepEqual(got.Summary, r.Summary) || !reflect.DeepEqual(got.Errors, r.Errors) {
			t.Errorf("includePassed=%v: tool, date, summary or errors differ: %+v", includePassed, got)
		}
	}
}

// What is not an aksguard JSON report is an error naming the file, the line
// when there is one, and what to give instead; never a report of nothing.
func TestReadJSONRejects(t *testing.T) {
	valid := `{"tool": {"name": "aksguard", "version": "v1"}, "summary": {}, "results": [
  {"control": "AKS-ACC-005", "severity": "high", "status": "fail", "resource": {"kind": "ManagedCluster", "name": "a"}}
], "errors": []}`
	if _, err := ReadJSON(strings.NewReader(valid), "ok.json", 0); err != nil {
		t.Fatalf("the valid report is refused: %v", err)
	}
	withUnknown := strings.Replace(valid, `"errors": []`, `"errors": [], "frameworks": {"cis": [1, 2]}`, 1)
	if _, err := ReadJSON(strings.NewReader(withUnknown), "ok.json", 0); err != nil {
		t.Fatalf("a field added by a later version is refused: %v", err)
	}
	for _, tc := range []struct {
		name, in string
		limit    int64
		line     int
		want     string
	}{
		{"empty", ``, 0, 0, "ends early"},
		{"not JSON", "tool: aksguard\n", 0, 0, "invalid JSON"},
		{"an array", `[{"control": "x"}]`, 0, 0, "not a JSON object"},
		{"a string", `"aksguard"`, 0, 0, "not a JSON object"},
		{"a SARIF log", `{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}`, 0, 0, "a SARIF log"},
		{"another tool", strings.Replace(valid, `"aksguard"`, `"trivy"`, 1), 0, 0, `tool.name is "trivy"`},
		{"no tool", strings.Replace(valid, `"tool": {"name": "aksguard", "version": "v1"}, `, "", 1), 0, 0, `tool.name is ""`},
		{"no results", `{"tool": {"name": "aksguard"}, "summary": {}}`, 0, 0, "no results"},
		{"results not an array", `{"tool": {"name": "aksguard"}, "summary": {},` + "\n" + `"results": {}}`, 0, 2, "results is not an array"},
		{"unknown status", strings.Replace(valid, `"fail"`, `"failed"`, 1), 0, 2, `result 1: unknown status "failed"`},
		{"unknown severity", strings.Replace(valid, `"high"`, `"severe"`, 1), 0, 2, "result 1 is not a result aksguard writes"},
		{"no control", strings.Replace(valid, `"control": "AKS-ACC-005", `, "", 1), 0, 2, "result 1: no control"},
		{"no resource", strings.Replace(valid, `{"kind": "ManagedCluster", "name": "a"}`, `{}`, 1), 0, 2, "result 1: no resource"},
		{"wrong type", strings.Replace(valid, `"summary": {}`, `"summary": {"pass": "many"}`, 1), 0, 1, `invalid "summary"`},
		{"duplicate key", strings.Replace(valid, `"errors": []`, `"errors": [], "results": []`, 1), 0, 3, `"results" appears twice`},
		{"cut off", valid[:len(valid)-20], 0, 2, "ends early"},
		{"trailing data", valid + "\n{}", 0, 0, "more data after"},
		{"over the cap", valid, 64, 0, "larger than"},
		{"nested past encoding/json's depth", `{"tool": {"name": "aksguard"}, "extra": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, 0, 1, "exceeded max depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.in), "base.json", tc.limit)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a ReadError", err)
			}
			if re.File != "base.json" || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "aksguard scan -o json") {
				t.Errorf("err = %q, want base.json, %q and what to give", err, tc.want)
			}
			if tc.line != 0 && re.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", re.Line, tc.line, err)
			}
		})
	}
}

// A report past the cap is refused after reading at most the cap and one
// byte, whatever its size.
func TestReadJSONBoundedBySize(t *testing.T) {
	src := &countingReader{}
	_, err := ReadJSON(src, "huge.json", 1<<20)
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("err = %v", err)
	}
	if src.n > 1<<20+1+32<<10 {
		t.Errorf("read %d bytes of a 1 MiB cap", src.n)
	}
	if _, err := ReadJSON(strings.NewReader("{}"), "x.json", 1<<40); err == nil {
		t.Error("a cap above MaxReadBackBytes is accepted as given")
	}
}

// A report of more results than the cap is refused at the first result
// past it.
func TestReadJSONBoundedByResults(t *testing.T) {
	defer func(n int) { maxReadBackResults = n }(maxReadBackResults)
	maxReadBackResults = 3
	one := `{"control": "A", "status": "fail", "severity": "low", "resource": {"name": "x"}}`
	report := func(n int) string {
		return `{"tool": {"name": "aksguard"}, "summary": {}, "results": [` + "\n" + strings.Repeat(one+",\n", n-1) + one + "\n]}"
	}
	if r, err := ReadJSON(strings.NewReader(report(3)), "three.json", 0); err != nil || len(r.Results) != 3 {
		t.Fatalf("3 results at a cap of 3: %v", err)
	}
	_, err := ReadJSON(strings.NewReader(report(4)), "four.json", 0)
	var re *ReadError
	if !errors.As(err, &re) || re.Line != 5 || !strings.Contains(err.Error(), "more than 3 results") {
		t.Errorf("4 results at a cap of 3: %v", err)
	}
}

// countingReader is an endless report of spaces, counting what is read.
type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	c.n += len(p)
	return len(p), nil
}

func FuzzReadJSON(f *testing.F) {
	for _, includePassed := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteJSON(&b, testReport(includePassed)); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"tool": {"name": "aksguard"}, "summary": {}, "results": [{"control": "A", "status": "fail", "severity": "low", "resource": {"name": "x"}}]}`))
	f.Add([]byte(`{"$schema": "x", "runs": []}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(bytes.NewReader(data), "f.json", 1<<20)
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || re.File != "f.json" {
				t.Fatalf("not a ReadError naming the file: %v", err)
			}
			if re.Line < 0 || re.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("line %d outside the input", re.Line)
			}
			return
		}
		if r.Tool.Name != "aksguard" {
			t.Fatalf("accepted a report of tool %q", r.Tool.Name)
		}
		for _, res := range r.Results {
			if invalidResult(res) != "" {
				t.Fatalf("accepted an invalid result %+v", res)
			}
		}
		// A report read back is compared without failing.
		NewDiff(r, r, "f.json", "f.json", Tool{Name: "aksguard"}, nil)
	})
}
