package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

// encodeResult is the reference: encoding/json as WriteJSON used it.
func encodeResult(t testing.TB, r check.Result, prefix string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestResultJSONMatchesEncoder(t *testing.T) {
	full := check.Result{Control: "AKS-WKL-001", Title: "No privileged <containers> & \"quotes\"", Severity: check.Critical, Status: check.Fail,
		Resource: check.Resource{Kind: "Deployment", ID: "/subscriptions/x", Name: "web", Namespace: "shop"},
		Message:  "line\nbreak\ttab \x01 \b \f \r \\ \u2028 \u2029 \xff é 日本",
		Evidence: []check.Evidence{{Path: "spec.containers[0]", Value: "privileged: true"}, {Path: "", Value: ""}},
		Source:   check.Location{File: "k8s/web.yaml", Line: 12}, Remediation: "set privileged: false",
		References: []string{"https://example.com/a?b=1&c=<2>", ""}}
	cases := map[string]check.Result{
		"full":                full,
		"zero":                {},
		"unknown severity":    {Severity: check.Severity(9)},
		"no source":           {Control: "X", Status: check.NotAssessed, Remediation: "r"},
		"file only":           {Source: check.Location{File: "f.json"}},
		"line only":           {Source: check.Location{Line: 3}, References: []string{"r"}},
		"empty evidence list": {Evidence: []check.Evidence{}, References: []string{}},
		"namespace, no id":    {Resource: check.Resource{Kind: "Pod", Name: "p", Namespace: "n"}},
		"id, no namespace":    {Resource: check.Resource{Kind: "ManagedCluster", ID: "i", Name: "c"}},
	}
	for _, r := range testReport(true).Results {
		cases["fixture "+r.Control+" "+r.Resource.Name+" "+string(r.Status)] = r
	}
	for name, r := range cases {
		for _, prefix := range []string{"", "    "} {
			got := string(appendResultJSON(nil, &r, prefix))
			if want := encodeResult(t, r, prefix); got != want {
				t.Errorf("%s (prefix %q):\n%s\n--- want\n%s", name, prefix, got, want)
			}
		}
	}
}

// TestResultJSONKnowsEveryField fails when a JSON field is added to the
// result or a type it holds: appendResultJSON must then write it too.
func TestResultJSONKnowsEveryField(t *testing.T) {
	want := map[reflect.Type][]string{
		reflect.TypeFor[check.Result]():   {"control", "title", "severity", "status", "resource", "message", "evidence,omitempty", "source", "remediation,omitempty", "references,omitempty", "baselineState,omitempty"},
		reflect.TypeFor[check.Resource](): {"kind", "id,omitempty", "name", "namespace,omitempty"},
		reflect.TypeFor[check.Evidence](): {"path", "value"},
		reflect.TypeFor[check.Location](): {"file,omitempty", "line,omitempty"},
	}
	for typ, tags := range want {
		var got []string
		for f := range typ.Fields() {
			if tag := f.Tag.Get("json"); tag != "-" {
				got = append(got, tag)
			}
		}
		if !slices.Equal(got, tags) {
			t.Errorf("%s has JSON fields %q; appendResultJSON writes %q: teach it the change", typ, got, tags)
		}
	}
}

// FuzzResultJSON: for any strings and numbers, the hand-written encoding is
// encoding/json's.
func FuzzResultJSON(f *testing.F) {
	f.Add("AKS-X", "m\n\"q\"", "Pod", "ns", "path", "v\x00\u2028", "file.yaml", 3, "fix", "ref", 2)
	f.Add("", "", "", "", "", "", "", 0, "", "", 0)
	f.Add("\xff\xfe", "<&>", "\t", "\\", "\x7f", "é", "a/b", -1, "\r", "\u2029", 4)
	f.Fuzz(func(t *testing.T, control, msg, kind, ns, path, value, file string, line int, fix, ref string, sev int) {
		r := check.Result{Control: control, Title: msg, Severity: check.Severity(sev % 6), Status: check.Status(kind),
			Resource: check.Resource{Kind: kind, ID: ns, Name: control, Namespace: ns}, Message: msg,
			Source: check.Location{File: file, Line: line}, Remediation: fix}
		if path != "" {
			r.Evidence = []check.Evidence{{Path: path, Value: value}, {Path: value, Value: path}}
		}
		if ref != "" {
			r.References = []string{ref, fix}
		}
		if line%3 == 0 {
			r.BaselineState = value
		}
		if got, want := string(appendResultJSON(nil, &r, "    ")), encodeResult(t, r, "    "); got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	})
}

// BenchmarkResultJSON: the hand-written encoding against encoding/json on
// the fixture report's results (go test -bench ResultJSON -benchmem).
func BenchmarkResultJSON(b *testing.B) {
	rs := testReport(true).Results
	b.Run("appendResultJSON", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for i := range rs {
				buf = appendResultJSON(buf[:0], &rs[i], "    ")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("    ", "  ")
		for b.Loop() {
			for i := range rs {
				buf.Reset()
				if err := enc.Encode(rs[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
