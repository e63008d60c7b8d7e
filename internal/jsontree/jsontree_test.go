package jsontree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseLinesAndLookup(t *testing.T) {
	src := []byte(`{
  "properties": {
    "enableRBAC": true,
    "apiServerAccessProfile": {
      "authorizedIPRanges": [
        "1.2.3.4/32"
      ]
    },
    "count": 3
  },
  "name": "c"
}`)
	n, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		line int
		val  string
	}{
		{"properties.enableRbac", 3, "true"},
		{"PROPERTIES.apiServerAccessProfile.authorizedIpRanges.0", 6, "1.2.3.4/32"},
		{"properties.count", 9, "3"},
		{"name", 11, "c"},
		{"properties", 2, "{…}"},
	}
	for _, tt := range tests {
		got := n.Path(tt.path)
		if got == nil {
			t.Fatalf("%s: not found", tt.path)
		}
		if got.Line != tt.line || got.Scalar() != tt.val {
			t.Errorf("%s: line %d value %q, want line %d value %q", tt.path, got.Line, got.Scalar(), tt.line, tt.val)
		}
	}
	if n.Path("properties.missing.deeper") != nil {
		t.Error("missing path must be nil")
	}
	if v, ok := n.Path("properties.count").AsInt(); !ok || v != 3 {
		t.Errorf("AsInt = %d %v", v, ok)
	}
}

func TestExactKeyWinsOverCaseFold(t *testing.T) {
	n, err := Parse([]byte(`{"enableRbac": false, "enableRBAC": true}`))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := n.Get("enableRBAC").AsBool(); !b {
		t.Error("exact key must win")
	}
	if b, _ := n.Get("ENABLERBAC").AsBool(); b {
		t.Error("case-insensitive match takes the first member")
	}
}

func TestAsBoolStrings(t *testing.T) {
	n, _ := Parse([]byte(`{"a": "True", "b": "false", "c": "yes", "d": 1}`))
	for key, want := range map[string][2]bool{"a": {true, true}, "b": {false, true}, "c": {false, false}, "d": {false, false}} {
		v, ok := n.Get(key).AsBool()
		if v != want[0] || ok != want[1] {
			t.Errorf("%s: %v %v, want %v", key, v, ok, want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		src  string
		line int
	}{
		{"{\n  \"a\": 1,\n  \"b\": ,\n}", 3},
		{"{\n  \"a\": [1, 2\n", 3},
		{"{\"a\": 1}\n{\"b\": 2}", 2},
		{"", 1},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: want SyntaxError, got %v", tt.src, err)
		}
		if se.Line != tt.line {
			t.Errorf("%q: line %d, want %d (%v)", tt.src, se.Line, tt.line, err)
		}
	}
}

// deepJSON nests n arrays or objects ({"a": ...}) with a line break
// every 100 levels.
func deepJSON(n int, object bool) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%100 == 99 {
			b.WriteByte('\n')
		}
		if object {
			b.WriteString(`{"a":`)
		} else {
			b.WriteByte('[')
		}
	}
	b.WriteString("1")
	for i := 0; i < n; i++ {
		if object {
			b.WriteByte('}')
		} else {
			b.WriteByte(']')
		}
	}
	return []byte(b.String())
}

// The parser counts its depth: maxDepth levels read, one more is an error
// naming the limit and the line, never a stack overflow (the input is
// 100,000 levels deep).
func TestDepthLimit(t *testing.T) {
	for _, object := range []bool{false, true} {
		if _, err := Parse(deepJSON(maxDepth, object)); err != nil {
			t.Errorf("object %v: %d levels: %v", object, maxDepth, err)
		}
		for _, n := range []int{maxDepth + 1, 100000} {
			_, err := Parse(deepJSON(n, object))
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "more than 512 levels") || se.Line != 6 {
				t.Errorf("object %v: %d levels: %v, want the limit named at line 6", object, n, err)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"a": [1, "x", true, null, {"b": 2.5}]}`))
	f.Add([]byte(`[{"properties": {"enableRBAC": "true"}}]`))
	f.Add([]byte("{\n\"a\":\n"))
	f.Add(deepJSON(maxDepth, true))
	f.Add(deepJSON(maxDepth+1, false))
	f.Add([]byte(`{"enableRBAC": true, "enableRbac": false, "x": {"a": [1], "A": [1]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		_ = n.Interface()
		_ = n.Path("a.b.0")
		_ = n.Scalar()
		for _, c := range Conflicts(n, 0) {
			if !strings.EqualFold(c.First.Key, c.Second.Key) {
				t.Fatalf("conflict between %q and %q", c.First.Key, c.Second.Key)
			}
		}
	})
}

// wide returns an object of n members k0..k(n-1) plus extra members, so
// Parse indexes it when n is large enough.
func wide(n int, extra string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\"k%d\": %d,\n", i, i)
	}
	b.WriteString(extra)
	b.WriteString("}")
	return b.String()
}

func TestConflicts(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "path: key@line / key@line"
	}{
		{"exact duplicate, values differ", "{\"enableRbac\": true,\n\"enableRbac\": false}", []string{": enableRbac@1 / enableRbac@2"}},
		{"case variants, values differ", "{\"properties\": {\n\"enableRBAC\": true,\n\"enableRbac\": false}}", []string{"properties: enableRBAC@2 / enableRbac@3"}},
		{"same value twice is accepted", `{"a": true, "A": true, "b": {"x": [1, "2"]}, "B": {"x": [1, "2"]}}`, nil},
		{"numbers compare as written", `{"a": 1, "a": 1.0}`, []string{": a@1 / a@1"}},
		{"objects that differ below", `{"p": {"x": 1}, "P": {"x": 2}}`, []string{": p@1 / P@1"}},
		{"objects with members in another order differ", `{"p": {"x": 1, "y": 2}, "p": {"y": 2, "x": 1}}`, []string{": p@1 / p@1"}},
		{"kinds differ", `{"a": "true", "a": true}`, []string{": a@1 / a@1"}},
		{"null and absent are not the same", `{"a": null, "a": {}}`, []string{": a@1 / a@1"}},
		{"inside a list", `{"value": [{"ok": 1}, {"x": {"n": 1, "N": 2}}]}`, []string{"value[1].x: n@1 / N@1"}},
		{"three spellings: each against the first", `{"a": 1, "A": 2, "a": 1}`, []string{": a@1 / A@1"}},
		{"Unicode folding (Kelvin sign)", "{\"k\": 1, \"\u212a\": 2}", []string{": k@1 / \u212a@1"}},
		{"wide object without duplicates", wide(100, `"last": 1`), nil},
		{"wide object with a case variant", wide(100, "\"K5\": 7"), []string{": k5@6 / K5@101"}},
		{"wide object, same value again", wide(100, "\"K5\": 5"), nil},
		{"keys that only look alike", `{"ab": 1, "a b": 2, "aB ": 3}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range Conflicts(n, 0) {
				got = append(got, fmt.Sprintf("%s: %s@%d / %s@%d", c.Path, c.First.Key, c.First.Value.Line, c.Second.Key, c.Second.Value.Line))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("conflicts %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConflictsMax(t *testing.T) {
	n, err := Parse([]byte(`{"a": 1, "a": 2, "b": 1, "b": 2, "c": 1, "c": 2}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(Conflicts(n, 2)); got != 2 {
		t.Errorf("%d conflicts, want the first 2", got)
	}
	if got := len(Conflicts(n, 0)); got != 3 {
		t.Errorf("%d conflicts, want all 3", got)
	}
}

// Comparing huge duplicated values is bounded: past the work budget they
// count as different (the conservative answer), never as the same.
func TestConflictsCompareBudget(t *testing.T) {
	const budget = 1000
	big := "[" + strings.TrimSuffix(strings.Repeat("1,", budget/2+10), ",") + "]"
	n, err := Parse([]byte(`{"a": ` + big + `, "a": ` + big + `, "b": ` + big + `, "b": ` + big + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(conflictsWithin(n, 0, budget)); got != 1 {
		t.Errorf("%d conflicts, want the second pair reported once the budget is spent", got)
	}
}

func TestLookupWide(t *testing.T) {
	for _, size := range []int{indexMin - 1, indexMin, 1000} {
		n, err := Parse([]byte(wide(size, `"enableRBAC": true`)))
		if err != nil {
			t.Fatal(err)
		}
		if (n.index != nil) != (size+1 >= indexMin) {
			t.Errorf("size %d: indexed %v", size, n.index != nil)
		}
		for _, k := range []string{"k0", "K0", fmt.Sprintf("k%d", size-1), "ENABLErbac"} {
			m, ok := n.Lookup(k)
			if !ok || !strings.EqualFold(m.Key, k) {
				t.Errorf("size %d: Lookup(%q) = %q %v", size, k, m.Key, ok)
			}
		}
		if _, ok := n.Lookup("missing"); ok {
			t.Errorf("size %d: found a missing key", size)
		}
	}
	// Keys that fold together leave the object unindexed, so the exact
	// spelling still wins.
	n, err := Parse([]byte(wide(100, `"K3": "upper"`)))
	if err != nil {
		t.Fatal(err)
	}
	if v := n.Get("K3"); v == nil || v.Str != "upper" {
		t.Errorf("exact key in a wide object with a case variant: %v", v)
	}
	if v := n.Get("k3"); v == nil || v.Str != "3" {
		t.Errorf("exact key in a wide object with a case variant: %v", v)
	}
}

// A lookup in a wide object allocates nothing and does not scan it.
func TestLookupWideAllocs(t *testing.T) {
	n, err := Parse([]byte(wide(10000, `"last": 1`)))
	if err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(100, func() { n.Lookup("k9999") }); a != 0 {
		t.Errorf("%v allocations per lookup", a)
	}
}

func FuzzFold(f *testing.F) {
	f.Add("enableRBAC", "enableRbac")
	f.Add("k", "\u212a")
	f.Add("\u0130", "i")
	f.Add("\xff", "\ufffd")
	f.Add("ſ", "S")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.EqualFold(a, b) != (Fold(a) == Fold(b)) {
			t.Fatalf("EqualFold(%q, %q) = %v, but folds %q and %q", a, b, strings.EqualFold(a, b), Fold(a), Fold(b))
		}
	})
}

func BenchmarkLookupWide(b *testing.B) {
	n, err := Parse([]byte(wide(100000, `"enableRBAC": true`)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n.Get("enableRbac") == nil {
			b.Fatal("not found")
		}
	}
}

// Reindex indexes an object built outside Parse, and leaves one whose
// keys fold together unindexed (the exact spelling must still win).
func TestReindex(t *testing.T) {
	n := &Node{Kind: Object}
	for i := 0; i < 100; i++ {
		n.Members = append(n.Members, Member{Key: fmt.Sprintf("K%d", i), Value: &Node{Kind: Number, Str: fmt.Sprint(i)}})
	}
	n.Reindex()
	if n.index == nil {
		t.Fatal("not indexed")
	}
	if v := n.Get("k42"); v == nil || v.Str != "42" {
		t.Errorf("k42 = %v", v)
	}
	n.Members = append(n.Members, Member{Key: "k42", Value: &Node{Kind: String, Str: "lower"}})
	n.Reindex()
	if n.index != nil {
		t.Fatal("indexed although two keys fold together")
	}
	if v := n.Get("k42"); v == nil || v.Str != "lower" {
		t.Errorf("exact k42 = %v", v)
	}
	(&Node{Kind: Array}).Reindex()
	var nilNode *Node
	nilNode.Reindex()
}
