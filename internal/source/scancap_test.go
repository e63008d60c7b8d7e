package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// namespaceFile writes a Namespace manifest padded with a comment to about
// size bytes.
func namespaceFile(t *testing.T, dir, name string, size int) string {
	t.Helper()
	doc := fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", name)
	pad := max(size-len(doc)-3, 0)
	p := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(p, []byte(doc+"# "+strings.Repeat("x", pad)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScanByteCap: the scan's byte cap (--max-scan-mb) stops at the input
// where it is reached, names it and the flag, reports every input after it
// as not read, and still reads the inputs before it, whichever goroutine
// reads first.
func TestScanByteCap(t *testing.T) {
	const mib = 1 << 20
	type want struct {
		read   []string          // namespaces judged
		errors map[string]string // input name (a, b, c or -) -> part of its message
	}
	for _, tc := range []struct {
		name  string
		sizes map[string]int // file a, b, c sizes in bytes
		args  []string       // a, b, c, or -
		stdin int            // bytes of YAML comment on stdin
		cap   int64
		want  want
	}{
		{name: "under the cap", sizes: map[string]int{"a": 300 << 10, "b": 300 << 10, "c": 100}, args: []string{"a", "b", "c"}, cap: mib,
			want: want{read: []string{"a", "b", "c"}}},
		{name: "reached at the second file", sizes: map[string]int{"a": 600 << 10, "b": 600 << 10, "c": 100}, args: []string{"a", "b", "c"}, cap: mib,
			want: want{read: []string{"a"}, errors: map[string]string{
				"b": "would pass the scan's byte cap (--max-scan-mb 1;",
				"c": "not read: the scan's byte cap (--max-scan-mb 1) was reached at b",
			}}},
		{name: "input order, not name order", sizes: map[string]int{"a": 600 << 10, "b": 600 << 10, "c": 100}, args: []string{"c", "b", "a"}, cap: mib,
			want: want{read: []string{"b", "c"}, errors: map[string]string{"a": "would pass the scan's byte cap"}}},
		{name: "stdin reaches it while read", sizes: map[string]int{"a": 600 << 10}, args: []string{"-", "a"}, stdin: 2 * mib, cap: mib,
			// The documents streamed before the cap are judged.
			want: want{read: []string{"a", "stdin"}, errors: map[string]string{"-": "was reached while reading it: the rest of it was not read; raise --max-scan-mb"}}},
		{name: "stdin within it", sizes: map[string]int{"a": 100 << 10}, args: []string{"-", "a"}, stdin: 100 << 10, cap: mib,
			want: want{read: []string{"a", "stdin"}}},
		{name: "no cap", sizes: map[string]int{"a": 600 << 10, "b": 600 << 10}, args: []string{"a", "b"}, cap: 0,
			want: want{read: []string{"a", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			paths := map[string]string{}
			for name, size := range tc.sizes {
				paths[name] = namespaceFile(t, dir, name, size)
			}
			var args []string
			for _, a := range tc.args {
				if a == "-" {
					args = append(args, a)
					continue
				}
				args = append(args, paths[a])
			}
			stdin := io.Reader(strings.NewReader(""))
			if tc.stdin > 0 {
				stdin = io.MultiReader(strings.NewReader("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: stdin\n# "),
					bytes.NewReader(bytes.Repeat([]byte("x"), tc.stdin)), strings.NewReader("\n"))
			}
			inv := Load(args, Options{Stdin: stdin, MaxScanBytes: tc.cap})
			var read []string
			if inv.Kube != nil {
				for _, ns := range inv.Kube.Namespaces {
					read = append(read, ns.Name)
				}
			}
			sort.Strings(read)
			if fmt.Sprint(read) != fmt.Sprint(tc.want.read) {
				t.Errorf("read %v, want %v", read, tc.want.read)
			}
			name := map[string]string{"-": "-"}
			for n, p := range paths {
				name[p] = n
			}
			got := map[string]string{}
			for _, e := range inv.Errors {
				got[name[e.Input]] = strings.ReplaceAll(e.Message, dir+string(filepath.Separator), "")
			}
			if len(got) != len(tc.want.errors) {
				t.Errorf("errors %v, want %v", got, tc.want.errors)
			}
			for in, part := range tc.want.errors {
				if !strings.Contains(strings.ReplaceAll(got[in], ".yaml", ""), part) {
					t.Errorf("error of %s: %q, want %q", in, got[in], part)
				}
			}
		})
	}
}

// TestScanByteCapRenders: a kustomization (or Helm chart) directory is
// charged the size of its files; past the cap it is not rendered.
func TestScanByteCapRenders(t *testing.T) {
	dir := t.TempDir()
	a := namespaceFile(t, dir, "a", 600<<10)
	k := filepath.Join(dir, "k")
	if err := os.Mkdir(k, 0o755); err != nil {
		t.Fatal(err)
	}
	namespaceFile(t, k, "big", 600<<10)
	if err := os.WriteFile(filepath.Join(k, "kustomization.yaml"), []byte("resources: [big.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cap  int64
		read int
		err  string
	}{
		{cap: 2 << 20, read: 2},
		{cap: 1 << 20, read: 1, err: "would pass the scan's byte cap (--max-scan-mb 1;"},
	} {
		inv := Load([]string{a, k}, Options{MaxScanBytes: tc.cap})
		got := 0
		if inv.Kube != nil {
			got = len(inv.Kube.Namespaces)
		}
		if got != tc.read {
			t.Errorf("cap %d: %d namespaces read, want %d", tc.cap, got, tc.read)
		}
		switch {
		case tc.err == "" && len(inv.Errors) > 0:
			t.Errorf("cap %d: errors %v", tc.cap, inv.Errors)
		case tc.err != "" && (len(inv.Errors) != 1 || inv.Errors[0].Input != k || !strings.Contains(inv.Errors[0].Message, tc.err)):
			t.Errorf("cap %d: errors %v, want %q on %s", tc.cap, inv.Errors, tc.err, k)
		}
	}
}

// TestReadPanicIsInternal: a panic while reading one input becomes an
// internal error of that input; the other inputs are still read.
func TestReadPanicIsInternal(t *testing.T) {
	dir := t.TempDir()
	bad := namespaceFile(t, dir, "bad", 100)
	ok := namespaceFile(t, dir, "ok", 100)
	panicHook = func(path string) {
		if path == bad {
			panic("a decoder bug")
		}
	}
	defer func() { panicHook = nil }()
	inv := Load([]string{bad, ok}, Options{})
	if len(inv.Errors) != 1 || !inv.Errors[0].Internal || inv.Errors[0].Input != bad || !strings.Contains(inv.Errors[0].Message, "panic: a decoder bug") {
		t.Errorf("errors: %+v", inv.Errors)
	}
	if inv.Kube == nil || len(inv.Kube.Namespaces) != 1 || inv.Kube.Namespaces[0].Name != "ok" {
		t.Errorf("the canary was not read")
	}
}

// TestLineCap: a YAML stream (stdin, or a file of streamAbove or more) with
// a line longer than maxLineBytes is an input error naming the line, read
// no further; a stream of ordinary lines of the same size is read.
func TestLineCap(t *testing.T) {
	ns := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n"
	long := strings.Repeat("x", maxLineBytes+1)
	for _, tc := range []struct {
		name, stdin string
		want        string // error, "" for none
		namespaces  int
	}{
		{name: "no newline at all", stdin: "\x00" + long, want: "-:1: reading: line 1 is longer than 8 MiB"},
		{name: "after a document", stdin: ns + "---\n# " + long, want: "-:6: reading: line 6 is longer than 8 MiB", namespaces: 1},
		{name: "long but below the cap", stdin: ns + "---\n# " + long[:maxLineBytes-3] + "\n" + "---\n" + ns, namespaces: 2},
		{name: "many short lines", stdin: ns + strings.Repeat("# comment\n", maxLineBytes/5), namespaces: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := Load([]string{"-"}, Options{Stdin: strings.NewReader(tc.stdin)})
			var errs []string
			for _, e := range inv.Errors {
				errs = append(errs, e.Error())
			}
			if (tc.want == "") != (len(errs) == 0) || (tc.want != "" && !strings.Contains(strings.Join(errs, "\n"), tc.want)) {
				t.Errorf("errors %q, want %q", errs, tc.want)
			}
			got := 0
			if inv.Kube != nil {
				got = len(inv.Kube.Namespaces)
			}
			if got != tc.namespaces {
				t.Errorf("%d namespaces read, want %d", got, tc.namespaces)
			}
		})
	}
}
