package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTableItem: whatever the text and width, wrapping keeps every word in
// order (nothing cut, nothing dropped), never writes a control character
// that oneLine removed, and every line but one holding a single
// over-long word fits the width.
func FuzzTableItem(f *testing.F) {
	for _, seed := range []struct {
		text  string
		width int
	}{
		{"the API server is public and no authorized IP ranges are set", 40},
		{"az aks update -g rg -n aks --api-server-authorized-ip-ranges <admin-CIDR>[,<CIDR>...]", 80},
		{"/subscriptions/3f2c8b1e/resourcegroups/rg-shop-prod/providers/Microsoft.ContainerService/managedClusters/aks", 40},
		{"ééé ü \u200b x\ty\nz", 0},
		{"", 40},
	} {
		f.Add(seed.text, seed.width)
	}
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 0 || width > 400 || !utf8.ValidString(text) {
			return
		}
		if width > 0 && width < minTableWidth {
			width = minTableWidth
		}
		text = oneLine(text)
		var b bytes.Buffer
		l := &lineWriter{w: bufioWriter(&b), width: width}
		l.item(blockIndent, "fix", "", blockLabel, text)
		if err := l.w.Flush(); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("no final newline: %q", out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if !strings.HasPrefix(lines[0], "  fix") {
			t.Fatalf("first line %q", lines[0])
		}
		var words []string
		for i, line := range lines {
			body := line
			if i == 0 {
				body = strings.TrimPrefix(line, "  fix")
			}
			if width > 0 && utf8.RuneCountInString(line) > width && len(strings.Fields(body)) > 1 {
				t.Fatalf("line %d is %d columns, over %d, with several words: %q", i, utf8.RuneCountInString(line), width, line)
			}
			words = append(words, strings.Fields(body)...)
		}
		if want := strings.Fields(text); strings.Join(words, " ") != strings.Join(want, " ") {
			t.Fatalf("words changed:\n got %q\nwant %q", words, want)
		}
	})
}
