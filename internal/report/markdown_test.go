package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

func writeMarkdown(t testing.TB, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownGolden(t *testing.T) {
	out := writeMarkdown(t, testReport(false))
	golden(t, "summary.md", []byte(out))
	// --include-passed lists passes in the other formats; the summary
	// lists findings only, either way.
	if all := writeMarkdown(t, testReport(true)); all != out {
		t.Error("--include-passed changes the Markdown summary")
	}
	checkMarkdownTables(t, out)
}

// checkMarkdownTables: every table row has its 5 or 6 cells: no pipe from a
// value splits a cell.
func checkMarkdownTables(t *testing.T, md string) {
	t.Helper()
	for i, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		pipes := strings.Count(line, "|") - strings.Count(line, `\|`)
		if pipes != 6 {
			t.Errorf("line %d has %d cell separators, want 6: %q", i+1, pipes, line)
		}
	}
}

func TestMarkdownTopFindings(t *testing.T) {
	var results []check.Result
	for i := range 30 {
		sev := []check.Severity{check.Low, check.Medium, check.High, check.Critical}[i%4]
		results = append(results, result(prod, "AKS-T-"+strconv.Itoa(100+i), "t", areaAccess, sev, check.Fail, "finding "+strconv.Itoa(i), "main.tf", i+1))
	}
	r := &Report{Tool: Tool{Name: "aksguard", Version: "1.2.3"}, Summary: Summarise(results), Results: results}
	md := writeMarkdown(t, r)
	rows := 0
	last := check.Critical
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Severity") || strings.HasPrefix(line, "| **failed**") || strings.HasPrefix(line, "| |") || strings.HasPrefix(line, "| ---") {
			continue
		}
		rows++
		sev, err := check.ParseSeverity(strings.TrimSpace(strings.Split(line, "|")[1]))
		if err != nil {
			t.Fatal(err)
		}
		if sev > last {
			t.Errorf("row %q after a %s row: not ordered by severity", line, last)
		}
		last = sev
	}
	if rows != markdownTop {
		t.Errorf("%d rows, want the %d most severe", rows, markdownTop)
	}
	if !strings.Contains(md, "10 more findings of lower or equal severity not listed here.") {
		t.Errorf("no line counting the findings left out:\n%s", md)
	}
	// 8 critical and 7 high among 30: the 20 listed hold every critical.
	if strings.Count(md, "| critical |") != 8 {
		t.Errorf("%d critical rows, want all 8", strings.Count(md, "| critical |"))
	}
}

func TestMarkdownEscapes(t *testing.T) {
	md := writeMarkdown(t, hostileReport())
	checkMarkdownTables(t, md)
	for _, bad := range []string{"<script", "<img", "](", "`alert"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary holds %q:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, `&lt;script&gt;alert(1)&lt;/script&gt;"'&gt;&lt;img src=x onerror=alert(1)&gt;`) {
		t.Errorf("the hostile name is not escaped as expected:\n%s", md)
	}
	for _, tc := range []struct{ in, want string }{
		{"a|b", `a\|b`}, {"`x`", "\\`x\\`"}, {"[x](http://y)", `\[x\](http://y)`}, {"![i](u)", `\!\[i\](u)`},
		{"a\nb\tc", "a b c"}, {`\|`, `\\\|`}, {"<b>&amp;", "&lt;b&gt;&amp;amp;"},
	} {
		if got := mdCell(tc.in); got != tc.want {
			t.Errorf("mdCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMarkdownWithinCommentLimit: however much a scan finds and however
// long what it quotes, the summary fits in a GitHub comment and says what it
// left out.
func TestMarkdownWithinCommentLimit(t *testing.T) {
	long := strings.Repeat("&|<é𝄞", 2000)
	var results []check.Result
	for i := range 2000 {
		res := result(check.Resource{Kind: "Deployment", Namespace: long, Name: long + strconv.Itoa(i)}, "AKS-T-"+strconv.Itoa(i), long, areaWork,
			check.Critical, check.Fail, long, long, i)
		results = append(results, res)
		na := result(prod, "AKS-N-"+strconv.Itoa(i), long, areaWork, check.High, check.NotAssessed, strconv.Itoa(i)+long, "", 0)
		results = append(results, na)
	}
	var errs []inventory.InputError
	for i := range 1000 {
		errs = append(errs, inventory.InputError{Input: long, Line: i, Message: long})
	}
	r := &Report{Tool: Tool{Name: "aksguard", Version: long}, Summary: Summarise(results), Results: results, Errors: errs}
	md := writeMarkdown(t, r)
	if len(md) > markdownLimit {
		t.Fatalf("summary is %d bytes, over GitHub's %d", len(md), markdownLimit)
	}
	if !utf8.ValidString(md) {
		t.Error("a cut left invalid UTF-8")
	}
	for _, want := range []string{"## aksguard: 2000 findings", "1980 more findings", "2000 not assessed", "1995 more reasons",
		"1000 input errors", "995 more", "left out to stay within GitHub's comment size limit", projectURL} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	checkMarkdownTables(t, md)
}

func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{hostile, "a|b", "`", `\`, "[x](y)", "\n|\r", "é𝄞", "&#124;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := mdCell(s)
		unescaped := strings.NewReplacer(`\\`, "", `\|`, "", "\\`", "").Replace(c)
		for _, bad := range []string{"|", "`", "<", ">", "\n", "\r"} {
			if strings.Contains(unescaped, bad) {
				t.Fatalf("mdCell(%q) = %q holds %q", s, c, bad)
			}
		}
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("mdCell(%q) = %q is not UTF-8", s, c)
		}
	})
}
