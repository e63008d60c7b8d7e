package manifest

import (
	"testing"
	"unicode/utf8"
)

// fastCharsByRune is fastChars as first written (a rune at a time,
// tracking the start of lines): the reference for the table-driven one.
func fastCharsByRune(src []byte) bool {
	lineStart := true
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				lineStart = true
				i++
				continue
			case c == '\r':
				if i+1 >= len(src) || src[i+1] != '\n' {
					return false
				}
			case c == '\t':
				if lineStart {
					return false
				}
			case c < 0x20 || c == 0x7f:
				return false
			}
			if c != ' ' {
				lineStart = false
			}
			i++
			continue
		}
		lineStart = false
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError || r == 0xFEFF || r == 0x85 || r == 0x2028 || r == 0x2029 ||
			!((r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000) {
			return false
		}
		i += n
	}
	return true
}

func TestFastChars(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"a: b\n", true},
		{"a:\tb\n", true},
		{"\ta: b\n", false},
		{"a: b\n  \tc\n", false},
		{"a: b\r\n", true},
		{"a: b\rc\n", false},
		{"a: b\r", false},
		{"a: \x00\n", false},
		{"a: \x7f\n", false},
		{"a: é\n", true},
		{"a: \xff\n", false},
		{"a: \u2028\n", false},
		{"a: \ufeff\n", false},
	} {
		if got := fastChars([]byte(tc.in)); got != tc.want || got != fastCharsByRune([]byte(tc.in)) {
			t.Errorf("fastChars(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzFastChars: the table-driven fastChars agrees with the reference.
func FuzzFastChars(f *testing.F) {
	seeds(f)
	f.Add([]byte("a:\n \tb\r\n\tc é \x85"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := fastChars(data), fastCharsByRune(data); got != want {
			t.Fatalf("fastChars(%q) = %v, the reference says %v", data, got, want)
		}
	})
}
