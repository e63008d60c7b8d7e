package syntax

import (
	"reflect"
	"testing"
)

func TestStringValues(t *testing.T) {
	cases := []struct {
		name, src string
		parts     []string
		multiline bool
	}{
		{"escapes", `'a\'b\\c\n\t\r\$\u{41}\u{1F600}'`, []string{"a'b\\c\n\t\r$A\U0001F600"}, false},
		{"dollar without brace", `'$a {b}'`, []string{"$a {b}"}, false},
		{"escaped interpolation", `'\${a}'`, []string{"${a}"}, false},
		{"interpolation", `'a${b}c${d}'`, []string{"a", "c", ""}, false},
		{"empty", `''`, []string{""}, false},
		{"multi-line drops the first line break", "'''\r\nx\n  y'''", []string{"x\n  y"}, true},
		{"multi-line keeps escapes and holes", `'''a\n${b}'''`, []string{`a\n${b}`}, true},
		{"multi-line on one line", `'''it's'''`, []string{"it's"}, true},
		{"non-ASCII", `'héllo ✓'`, []string{"héllo ✓"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte("var s = "+tc.src+"\n"), "main.bicep")
			if err != nil {
				t.Fatal(err)
			}
			s := f.Statements[0].(*Var).Value.(*StringLit)
			if !reflect.DeepEqual(s.Parts, tc.parts) || s.Multiline != tc.multiline {
				t.Errorf("parts %q multiline %t, want %q %t", s.Parts, s.Multiline, tc.parts, tc.multiline)
			}
			if s.Line != 1 || s.Col != 9 {
				t.Errorf("position %d:%d, want 1:9", s.Line, s.Col)
			}
		})
	}
}

func TestPragmas(t *testing.T) {
	src := "#disable-next-line no-unused-params BCP081 // why\nparam p string\n  #disable-diagnostics BCP037\nvar v = 1\n"
	f, err := Parse([]byte(src), "main.bicep")
	if err != nil {
		t.Fatal(err)
	}
	want := []*Pragma{
		{Pos: Pos{Line: 1, Col: 1}, Name: "disable-next-line", Codes: []string{"no-unused-params", "BCP081"}},
		{Pos: Pos{Line: 3, Col: 3}, Name: "disable-diagnostics", Codes: []string{"BCP037"}},
	}
	if !reflect.DeepEqual(f.Pragmas, want) {
		t.Errorf("pragmas %s, want %s", dump(f.Pragmas), dump(want))
	}
	if len(f.Statements) != 2 {
		t.Errorf("%d statements, want 2", len(f.Statements))
	}
}

func TestByteOrderMark(t *testing.T) {
	f, err := Parse([]byte("\xEF\xBB\xBFparam p string\n"), "main.bicep")
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(f.Statements[0]); got != "(Param@1:1 Name=p@1:7 Type=(TypeRef@1:9 Name=string@1:9))" {
		t.Errorf("got %s", got)
	}
}

func TestParamsFile(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"using", "using 'main.bicep'\n\nparam name = 'aks'\nparam count = 3\n",
			"(Using@1:1 Path=\"main.bicep\"@1:7)\n" +
				"(ParamAssignment@3:1 Name=name@3:7 Value=\"aks\"@3:14)\n" +
				"(ParamAssignment@4:1 Name=count@4:7 Value=3@4:15)"},
		{"using none, var, import", "using none\nimport {t} from 'types.bicep'\nvar v = 'a'\nparam o = {\n  k: v\n}\n",
			"(Using@1:1 None=true)\n" +
				"(Import@2:1 Items=[(ImportItem@2:9 Name=t@2:9)] From=\"types.bicep\"@2:17)\n" +
				"(Var@3:1 Name=v@3:5 Value=\"a\"@3:9)\n" +
				"(ParamAssignment@4:1 Name=o@4:7 Value=(ObjectExpr@4:11 Items=[(ObjectProperty@5:3 Key=k@5:3 Value=v@5:6)]))"},
		{"extends", "using 'main.bicep'\nextends 'base.bicepparam'\nparam p = readEnvironmentVariable('P', 'x')\n",
			"(Using@1:1 Path=\"main.bicep\"@1:7)\n" +
				"(Extends@2:1 Path=\"base.bicepparam\"@2:9)\n" +
				"(ParamAssignment@3:1 Name=p@3:7 Value=(CallExpr@3:11 Name=readEnvironmentVariable@3:11 Args=[\"P\"@3:35 \"x\"@3:40]))"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.src), "dev.bicepparam")
			if err != nil {
				t.Fatal(err)
			}
			if f.Kind != KindParams {
				t.Errorf("kind %d, want KindParams", f.Kind)
			}
			got := ""
			for i, s := range f.Statements {
				if i > 0 {
					got += "\n"
				}
				got += dump(s)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
