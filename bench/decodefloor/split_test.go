package main

import (
	"bytes"
	"testing"
)

func TestSplitDocuments(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"one", "kind: A\n", []string{"kind: A\n"}},
		{"leading separator", "---\nkind: A\n", []string{"kind: A\n"}},
		{"two", "kind: A\n---\nkind: B\n", []string{"kind: A\n", "kind: B\n"}},
		{"separator with comment", "kind: A\n--- # next\nkind: B", []string{"kind: A\n", "kind: B"}},
		{"empty and comment-only documents dropped", "---\n\n# c\n---\nkind: A\n---\n", []string{"kind: A\n"}},
		{"not a separator", "a: |\n  ---x\n----\n", []string{"a: |\n  ---x\n----\n"}},
	}
	for _, tt := range tests {
		got := splitDocuments([]byte(tt.in))
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d documents %q, want %q", tt.name, len(got), got, tt.want)
			continue
		}
		for i := range got {
			if string(got[i]) != tt.want[i] {
				t.Errorf("%s: document %d = %q, want %q", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

func TestIsCRD(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n", true},
		{"kind: \"CustomResourceDefinition\"\n", true},
		{"kind: Deployment\n", false},
		{"spec:\n  kind: CustomResourceDefinition\n", false},
	}
	for _, tt := range tests {
		if got := isCRD([]byte(tt.in)); got != tt.want {
			t.Errorf("isCRD(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzSplitDocuments: the documents are pieces of the input in order, none
// holds a separator line, and splitting never loses a non-blank line.
func FuzzSplitDocuments(f *testing.F) {
	for _, s := range []string{"kind: A\n---\nkind: B\n", "---\n", "--- #x\na\n", "\n\n", "a\r\n---\r\nb"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs := splitDocuments(data)
		rest := data
		for _, d := range docs {
			i := bytes.Index(rest, d)
			if i < 0 {
				t.Fatalf("document %q not found in order in %q", d, data)
			}
			rest = rest[i+len(d):]
			for line := range bytes.SplitSeq(d, []byte("\n")) {
				if isSeparator(line) {
					t.Fatalf("document %q holds a separator line", d)
				}
			}
		}
		kept := 0
		for _, d := range docs {
			kept += len(bytes.TrimSpace(d))
		}
		var content int
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' && !isSeparator(line) {
				content++
			}
		}
		if content > 0 && kept == 0 {
			t.Fatalf("%d content lines but no document in %q", content, data)
		}
	})
}
