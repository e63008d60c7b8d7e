package syntax

import (
	"errors"
	"strings"
	"testing"
)

// parseErrorCases: broken sources, and the errors they give (all of them,
// one per line).
var parseErrorCases = []struct {
	name string
	file string
	src  string
	want string
}{
	{"junk after a declaration", "main.bicep",
		"param a string = 'x' 12\n",
		"main.bicep:1:22: expected end of line after the declaration, found integer 12"},
	{"missing name, recovery at the next declaration", "main.bicep",
		"var = 3\nvar ok = 1\nparam p\n",
		"main.bicep:1:5: expected variable name, found '='\n" +
			"main.bicep:3:8: expected a type, found end of line"},
	{"comma ending a line", "main.bicep",
		"var b = {a: 1,\n  c: 2\n}\n",
		"main.bicep:1:14: a comma cannot end a line between items: separate items by a line break or by commas on one line"},
	{"missing separator", "main.bicep",
		"var b = [1 2]\n",
		"main.bicep:1:12: expected a line break or ',' between items, found integer 2"},
	{"unclosed object", "main.bicep",
		"var b = {\n  a: 1\n",
		"main.bicep:3:1: unexpected end of file: a '{' or string interpolation is not closed"},
	{"unclosed string", "main.bicep",
		"var s = 'abc\nvar t = 1\n",
		"main.bicep:1:9: string starting here is not closed before the end of the line (use ''' for multi-line strings)"},
	{"unclosed multi-line string", "main.bicep",
		"var s = '''abc\n",
		"main.bicep:1:9: multi-line string starting here is not closed with '''"},
	{"unclosed comment", "main.bicep",
		"var s = 1 /* abc\n",
		"main.bicep:1:11: comment starting here is not closed with */"},
	{"bad escape", "main.bicep",
		`var s = 'a\qb'` + "\n",
		`main.bicep:1:11: invalid escape sequence: expected one of \n \r \t \\ \' \$ \u{…}`},
	{"bad unicode escape", "main.bicep",
		`var s = '\u{110000}'` + "\n",
		`main.bicep:1:10: invalid escape sequence: code point past U+10FFFF`},
	{"unknown character", "main.bicep",
		"var s = 1 ; 2\n",
		"main.bicep:1:11: unexpected character ';'"},
	{"misplaced pragma", "main.bicep",
		"var s = 1 #disable-next-line x\n",
		"main.bicep:1:11: unexpected character '#' (a #disable-next-line pragma must start its line)"},
	{"unknown pragma", "main.bicep",
		"#pragma x\n",
		"main.bicep:1:1: unknown pragma #pragma: expected #disable-next-line or #disable-diagnostics"},
	{"trailing comma in a call", "main.bicep",
		"var a = f(1, )\n",
		"main.bicep:1:14: expected an argument after ',', found ')'"},
	{"safe access on a call", "main.bicep",
		"var a = b.?c()\n",
		"main.bicep:1:12: '.?' cannot be used on a function call"},
	{"integer too large", "main.bicep",
		"var a = 99999999999999999999\n",
		"main.bicep:1:9: integer 99999999999999999999 does not fit in 64 bits"},
	{"decorator without call", "main.bicep",
		"@secure\nparam p string\n",
		"main.bicep:1:8: expected '(' after the decorator name, found end of line"},
	{"decorator not ending its line", "main.bicep",
		"@secure() param p string\n",
		"main.bicep:1:11: expected end of line after the decorator, found 'param'"},
	{"resource body", "main.bicep",
		"resource r 'x/y@1' = 'a'\n",
		"main.bicep:1:22: expected '{', 'if' or '[for', found string"},
	{"loop body of a resource", "main.bicep",
		"resource r 'x/y@1' = [for x in y: x]\n",
		"main.bicep:1:35: expected '{' or 'if' (the loop body), found 'x'"},
	{"unknown declaration", "main.bicep",
		"variable x = 1\n",
		"main.bicep:1:1: expected a declaration (param, var, resource, module, output, type, func, import, metadata, targetScope, extension or assert), found 'variable'"},
	{"using in a bicep file", "main.bicep",
		"using 'main.bicep'\n",
		"main.bicep:1:1: 'using' belongs in a .bicepparam file, not a .bicep file"},
	{"resource in a params file", "main.bicepparam",
		"using 'main.bicep'\nresource r 'x/y@1' = {}\n",
		"main.bicepparam:2:1: a .bicepparam file cannot declare a resource (expected using, param, var, type, func or import)"},
	{"typed param in a params file", "main.bicepparam",
		"param p string = 'a'\n",
		"main.bicepparam:1:9: expected '=', found 'string'"},
	{"quoted import without alias", "main.bicep",
		"import {'a-b'} from 'x.bicep'\n",
		"main.bicep:1:9: a quoted exported name needs an alias: 'name' as alias"},
	{"interpolated literal type", "main.bicep",
		"type t = 'a${b}'\n",
		"main.bicep:1:10: a string literal type cannot be interpolated"},
	{"two additional-properties types", "main.bicep",
		"type t = {\n  *: int\n  *: string\n}\n",
		"main.bicep:3:3: an object type may have only one '*' property"},
	{"lambda parameter", "main.bicep",
		"var f = (a, 1) => a\n",
		"main.bicep:1:13: expected a lambda parameter name"},
	{"empty parentheses", "main.bicep",
		"var f = ()\n",
		"main.bicep:1:9: parentheses must hold exactly one expression"},
	{"unclosed interpolation at end of line", "main.bicep",
		"var s = 'a${b\nvar t = 1\n",
		"main.bicep:1:9: string interpolation in the string starting here is not closed before the end of the line"},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range parseErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.src), tc.file)
			if f != nil {
				t.Errorf("a broken file gave a tree")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T), want an ErrorList", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

// TestTooManyErrors: a file of broken lines stops after maxErrors errors
// and says so.
func TestTooManyErrors(t *testing.T) {
	src := strings.Repeat("var = 1\n", 1000)
	_, err := Parse([]byte(src), "main.bicep")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v, want an ErrorList", err)
	}
	if len(list) != maxErrors+1 || list[maxErrors].Msg != "too many errors, stopped reading" {
		t.Errorf("%d errors, last %q", len(list), list[len(list)-1].Msg)
	}
}

// TestBounds: hostile nesting and size give one clear error, never a
// stack overflow or a tree.
func TestBounds(t *testing.T) {
	const n = 100000
	cases := []struct {
		name, src, want string
	}{
		{"arrays", "var a = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
			"nesting deeper than 256 levels"},
		{"objects", "var a = " + strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n) + "\n",
			"nesting deeper than 256 levels"},
		{"parentheses", "var a = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "\n",
			"nesting deeper than 256 levels"},
		{"calls", "var a = " + strings.Repeat("f(", n) + "1" + strings.Repeat(")", n) + "\n",
			"nesting deeper than 256 levels"},
		{"ternaries", "var a = " + strings.Repeat("a ? b : ", n) + "c\n",
			"nesting deeper than 256 levels"},
		{"lambdas", "var a = " + strings.Repeat("x => ", n) + "1\n",
			"nesting deeper than 256 levels"},
		{"interpolations", "var a = " + strings.Repeat("'${", n) + "1" + strings.Repeat("}'", n) + "\n",
			"nesting deeper than 256 levels"},
		{"types", "type t = " + strings.Repeat("(", n) + "int" + strings.Repeat(")", n) + "\n",
			"nesting deeper than 256 levels"},
		{"tuple types", "type t = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
			"nesting deeper than 256 levels"},
		{"negations", "var a = " + strings.Repeat("!", n) + "b\n",
			"expected an expression, found '!'"},
		{"too large", "var a = '" + strings.Repeat("x", maxBytes) + "'\n",
			"more than the 33554432 a Bicep file may have"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.src), "main.bicep")
			if f != nil || err == nil {
				t.Fatalf("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %.300s, want %q", err, tc.want)
			}
		})
	}
}

// TestErrorsQuoteNoStringContent: an error after a string never repeats
// the string (which may hold a secret).
func TestErrorsQuoteNoStringContent(t *testing.T) {
	const secret = "s3cr3t-Value"
	for _, src := range []string{
		"param p string = '" + secret + "' x\n",
		"var a = ['" + secret + "' '" + secret + "']\n",
		"var a = f('" + secret + "', )\n",
		"type t = '" + secret + "${x}'\n",
		"var a = '" + secret + "\n",
	} {
		_, err := Parse([]byte(src), "main.bicep")
		if err == nil {
			t.Fatalf("%q: no error", src)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%q: error quotes the string: %v", src, err)
		}
	}
}
