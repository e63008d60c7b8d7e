package jsontree

import (
	"errors"
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

func TestDepthLimit(t *testing.T) {
	deep := make([]byte, 0, 2*maxDepth+10)
	for i := 0; i < maxDepth+5; i++ {
		deep = append(deep, '[')
	}
	if _, err := Parse(deep); err == nil {
		t.Fatal("want an error for deep nesting")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"a": [1, "x", true, null, {"b": 2.5}]}`))
	f.Add([]byte(`[{"properties": {"enableRBAC": "true"}}]`))
	f.Add([]byte("{\n\"a\":\n"))
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
	})
}
