package syntax

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxTokens bounds the token slice of one file (a real template has tens of
// thousands at most).
const maxTokens = 1 << 20

// lexer turns source bytes into tokens. Consecutive line breaks (with the
// blank space and comments between them) give one tNewline token.
// Interpolated strings are lexed as in Bicep's own lexer: a stack tells a
// '}' that closes an object from one that closes a ${…} hole.
type lexer struct {
	src       []byte
	off       int
	line      int
	lineStart int
	toks      []token
	pragmas   []*Pragma
	// stack holds true for an open ${ hole, false for an open '{'.
	stack []bool
	// holes holds the start of each string with an open ${ hole.
	holes []Pos
	err   *Error
	file  string
}

func (l *lexer) pos() Pos { return Pos{Line: l.line, Col: l.off - l.lineStart + 1} }

func (l *lexer) fail(p Pos, format string, args ...any) {
	if l.err == nil {
		l.err = &Error{File: l.file, Pos: p, Msg: fmt.Sprintf(format, args...)}
	}
}

func (l *lexer) emit(k tokKind, p Pos, text, val string) {
	if len(l.toks) >= maxTokens {
		l.fail(p, "more than %d tokens: the file is too large to read", maxTokens)
		return
	}
	if k == tNewline && len(l.toks) > 0 && l.toks[len(l.toks)-1].kind == tNewline {
		return
	}
	l.toks = append(l.toks, token{kind: k, pos: p, text: text, val: val})
}

func (l *lexer) peekAt(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

// newline consumes one line break (\n, \r\n or \r) at l.off.
func (l *lexer) newline() {
	if l.src[l.off] == '\r' && l.peekAt(1) == '\n' {
		l.off++
	}
	l.off++
	l.line++
	l.lineStart = l.off
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentPart(c byte) bool { return isIdentStart(c) || ('0' <= c && c <= '9') }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// lex reads the whole source; on error l.err is set and the tokens are
// incomplete.
func (l *lexer) lex() {
	l.line, l.lineStart = 1, 0
	if len(l.src) >= 3 && l.src[0] == 0xEF && l.src[1] == 0xBB && l.src[2] == 0xBF {
		l.off = 3 // byte-order mark
		l.lineStart = 3
	}
	for l.err == nil && l.off < len(l.src) {
		l.next()
	}
	if l.err == nil && len(l.stack) > 0 {
		l.fail(l.pos(), "unexpected end of file: a '{' or string interpolation is not closed")
	}
	l.emit(tEOF, l.pos(), "", "")
}

func (l *lexer) next() {
	c := l.src[l.off]
	p := l.pos()
	switch {
	case c == ' ' || c == '\t':
		l.off++
		return
	case c == '\n' || c == '\r':
		if n := len(l.holes); n > 0 {
			l.fail(l.holes[n-1], "string interpolation in the string starting here is not closed before the end of the line")
			return
		}
		l.newline()
		l.emit(tNewline, p, "", "")
		return
	case c == '/' && l.peekAt(1) == '/':
		for l.off < len(l.src) && l.src[l.off] != '\n' && l.src[l.off] != '\r' {
			l.off++
		}
		return
	case c == '/' && l.peekAt(1) == '*':
		l.off += 2
		for {
			if l.off >= len(l.src) {
				l.fail(p, "comment starting here is not closed with */")
				return
			}
			if l.src[l.off] == '*' && l.peekAt(1) == '/' {
				l.off += 2
				return
			}
			if l.src[l.off] == '\n' || l.src[l.off] == '\r' {
				l.newline()
				continue
			}
			l.off++
		}
	case c == '#':
		l.pragma(p)
		return
	case isIdentStart(c):
		start := l.off
		for l.off < len(l.src) && isIdentPart(l.src[l.off]) {
			l.off++
		}
		l.emit(tIdent, p, string(l.src[start:l.off]), "")
		return
	case isDigit(c):
		start := l.off
		for l.off < len(l.src) && isDigit(l.src[l.off]) {
			l.off++
		}
		l.emit(tInt, p, string(l.src[start:l.off]), "")
		return
	case c == '\'':
		if l.peekAt(1) == '\'' && l.peekAt(2) == '\'' {
			l.multiline(p)
			return
		}
		l.off++
		l.stringPiece(p, p, true)
		return
	}
	two := ""
	if l.off+1 < len(l.src) {
		two = string(l.src[l.off : l.off+2])
	}
	if two != "" {
		if k, ok := twoCharTokens[two]; ok {
			if k == tDot && l.peekAt(2) == '.' { // "..."
				l.off += 3
				l.emit(tEllipsis, p, "", "")
				return
			}
			if k != tDot {
				l.off += 2
				l.emit(k, p, "", "")
				return
			}
		}
	}
	switch c {
	case '{':
		if len(l.stack) >= maxDepth {
			l.fail(p, "nesting deeper than %d levels", maxDepth)
			return
		}
		l.stack = append(l.stack, false)
		l.off++
		l.emit(tLBrace, p, "", "")
		return
	case '}':
		l.off++
		if n := len(l.stack); n > 0 {
			hole := l.stack[n-1]
			l.stack = l.stack[:n-1]
			if hole {
				start := l.holes[len(l.holes)-1]
				l.holes = l.holes[:len(l.holes)-1]
				l.stringPiece(start, p, false)
				return
			}
		}
		l.emit(tRBrace, p, "", "")
		return
	}
	if k, ok := oneCharTokens[c]; ok {
		l.off++
		l.emit(k, p, "", "")
		return
	}
	r, _ := utf8.DecodeRune(l.src[l.off:])
	l.fail(p, "unexpected character %q", r)
}

// twoCharTokens maps two-byte operators to their kinds; ".." only marks
// the start of "...".
var twoCharTokens = map[string]tokKind{
	"::": tDoubleColon, "??": tDoubleQuestion, "==": tEq, "!=": tNeq,
	"=~": tEqI, "!~": tNeqI, "<=": tLe, ">=": tGe, "&&": tAnd, "||": tOr,
	"=>": tArrow, "..": tDot,
}

var oneCharTokens = map[byte]tokKind{
	'[': tLBrack, ']': tRBrack, '(': tLParen, ')': tRParen, ',': tComma,
	'.': tDot, ':': tColon, '?': tQuestion, '=': tAssign, '!': tNot,
	'<': tLt, '>': tGt, '+': tPlus, '-': tMinus, '*': tStar, '/': tSlash,
	'%': tPercent, '|': tPipe, '@': tAt, '^': tHat,
}

// stringPiece scans string text from l.off (just after the opening quote,
// or after the '}' closing a hole at p) to the closing quote or the next
// "${"; start is where the string starts.
func (l *lexer) stringPiece(start, p Pos, first bool) {
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			l.fail(start, "string starting here is not closed before the end of the file")
			return
		}
		c := l.src[l.off]
		switch {
		case c == '\'':
			l.off++
			k := tStringRight
			if first {
				k = tString
			}
			l.emit(k, p, "", b.String())
			return
		case c == '$' && l.peekAt(1) == '{':
			if len(l.stack) >= maxDepth {
				l.fail(l.pos(), "nesting deeper than %d levels", maxDepth)
				return
			}
			l.off += 2
			l.stack = append(l.stack, true)
			l.holes = append(l.holes, start)
			k := tStringMid
			if first {
				k = tStringLeft
			}
			l.emit(k, p, "", b.String())
			return
		case c == '\n' || c == '\r':
			l.fail(start, "string starting here is not closed before the end of the line (use ''' for multi-line strings)")
			return
		case c == '\\':
			if !l.escape(&b) {
				return
			}
		default:
			b.WriteByte(c)
			l.off++
		}
	}
}

// escape decodes the escape sequence at l.off into b.
func (l *lexer) escape(b *strings.Builder) bool {
	p := l.pos()
	l.off++
	if l.off >= len(l.src) {
		l.fail(p, "string is not closed before the end of the file")
		return false
	}
	c := l.src[l.off]
	l.off++
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case '\\', '\'', '$':
		b.WriteByte(c)
	case 'u':
		if l.peekAt(0) != '{' {
			l.fail(p, `invalid escape sequence: expected \u{hex digits}`)
			return false
		}
		start := l.off + 1
		end := start
		for end < len(l.src) && end-start <= 6 && strings.IndexByte("0123456789abcdefABCDEF", l.src[end]) >= 0 {
			end++
		}
		if end == start || end >= len(l.src) || l.src[end] != '}' {
			l.fail(p, `invalid escape sequence: expected \u{hex digits}`)
			return false
		}
		v, err := strconv.ParseUint(string(l.src[start:end]), 16, 32)
		if err != nil || v > 0x10FFFF {
			l.fail(p, `invalid escape sequence: code point past U+10FFFF`)
			return false
		}
		b.WriteRune(rune(v))
		l.off = end + 1
	default:
		l.fail(p, `invalid escape sequence: expected one of \n \r \t \\ \' \$ \u{…}`)
		return false
	}
	return true
}

// multiline scans a ”' string: no escapes, no interpolation; a line break
// right after the opening quotes is dropped.
func (l *lexer) multiline(p Pos) {
	l.off += 3
	start := l.off
	for {
		if l.off >= len(l.src) {
			l.fail(p, "multi-line string starting here is not closed with '''")
			return
		}
		c := l.src[l.off]
		if c == '\'' && l.peekAt(1) == '\'' && l.peekAt(2) == '\'' {
			break
		}
		if c == '\n' || c == '\r' {
			l.newline()
			continue
		}
		l.off++
	}
	text := string(l.src[start:l.off])
	l.off += 3
	text = strings.TrimPrefix(strings.TrimPrefix(text, "\r"), "\n")
	l.emit(tMultiline, p, "", text)
}

// pragma reads a #disable-next-line or #disable-diagnostics directive,
// which must start its line (blank space before it only).
func (l *lexer) pragma(p Pos) {
	for i := l.lineStart; i < l.off; i++ {
		if l.src[i] != ' ' && l.src[i] != '\t' {
			l.fail(p, "unexpected character '#' (a #disable-next-line pragma must start its line)")
			return
		}
	}
	l.off++
	start := l.off
	for l.off < len(l.src) && (isIdentPart(l.src[l.off]) || l.src[l.off] == '-') {
		l.off++
	}
	name := string(l.src[start:l.off])
	if name != "disable-next-line" && name != "disable-diagnostics" {
		l.fail(p, "unknown pragma #%.40s: expected #disable-next-line or #disable-diagnostics", name)
		return
	}
	pr := &Pragma{Pos: p, Name: name}
	for l.off < len(l.src) {
		c := l.src[l.off]
		if c == '\n' || c == '\r' || (c == '/' && (l.peekAt(1) == '/' || l.peekAt(1) == '*')) {
			break
		}
		if c == ' ' || c == '\t' {
			l.off++
			continue
		}
		s := l.off
		for l.off < len(l.src) && !strings.ContainsRune(" \t\r\n", rune(l.src[l.off])) {
			l.off++
		}
		pr.Codes = append(pr.Codes, string(l.src[s:l.off]))
	}
	l.pragmas = append(l.pragmas, pr)
}
