package manifest

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fastJSON converts the block-style YAML that charts, kubectl and people
// write (block mappings and sequences, one-line plain and quoted scalars,
// literal and folded block scalars, empty and one-line flow sequences,
// comments) to JSON with the same meaning as sigs.k8s.io/yaml.YAMLToJSON,
// which kubectl uses: YAML 1.1 scalars (yes/no/on/off are booleans, 0644 is
// octal). It is several times faster and allocates little. ok is false as
// soon as the document uses anything else (anchors, tags, multi-line plain
// or quoted scalars, flow mappings, duplicate keys, keys that are not
// strings, timestamps, a syntax error, ...): the caller then converts the
// document with sigs.k8s.io/yaml, which also reports errors. Fuzzing checks
// that both agree whenever fastJSON answers.
func fastJSON(src []byte) (out []byte, ok bool) {
	if !fastChars(src) {
		return nil, false
	}
	p := fparser{src: src, out: make([]byte, 0, len(src)+len(src)/4+16)}
	p.split()
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			out, ok = nil, false
		}
	}()
	p.document()
	return p.out, true
}

// bailout is raised when the document leaves the subset.
type bailout struct{}

var bailHook func()

func bail() {
	if bailHook != nil {
		bailHook()
	}
	panic(bailout{})
}

type fline struct {
	b       []byte // the line without its line break and without the indent
	ind     int    // leading spaces
	blank   bool   // nothing but spaces
	comment bool   // a comment line
}

type fparser struct {
	src   []byte
	lines []fline
	i     int
	out   []byte
	// lastBreak is false when the input does not end with a line break.
	lastBreak bool
	// depth counts the mappings and sequences being read: past
	// MaxNesting the document is left to the parser, whose check reports
	// it.
	depth int
	// t, when set, receives the document as a tree of nodes (the lean
	// decoder) instead of out receiving it as JSON text.
	t *ltree
}

func (p *fparser) enter() {
	if p.depth++; p.depth > MaxNesting {
		bail()
	}
}

// fastChars rejects what yaml.v2 rejects (control characters, invalid
// UTF-8, a BOM inside the text) and what the subset does not read (tabs
// at the start of a line, lone carriage returns).
func fastChars(src []byte) bool {
	for i := 0; i < len(src); {
		c := src[i]
		if plainByte[c] {
			i++
			continue
		}
		switch {
		case c == '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				return false
			}
			i++
		case c == '\t':
			if tabStartsLine(src, i) {
				return false
			}
			i++
		case c < utf8.RuneSelf:
			return false // another control character
		default:
			r, n := utf8.DecodeRune(src[i:])
			// NEL, LS and PS are line breaks to YAML 1.1: left to the parser.
			if r == utf8.RuneError || r == 0xFEFF || r == 0x85 || r == 0x2028 || r == 0x2029 ||
				!((r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000) {
				return false
			}
			i += n
		}
	}
	return true
}

// plainByte: printable ASCII and the line feed, which fastChars accepts
// anywhere.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	t['\n'] = true
	return t
}()

// tabStartsLine: only spaces precede the tab at i on its line.
func tabStartsLine(src []byte, i int) bool {
	j := i - 1
	for j >= 0 && src[j] == ' ' {
		j--
	}
	return j < 0 || src[j] == '\n'
}

func (p *fparser) split() {
	src := p.src
	p.lastBreak = len(src) == 0 || src[len(src)-1] == '\n'
	n := bytes.Count(src, newline) + 1
	p.lines = slices.Grow(p.lines[:0], n) // a tree's buffer, when reading into one
	for len(src) > 0 {
		j := bytes.IndexByte(src, '\n')
		var l []byte
		if j < 0 {
			l, src = src, nil
		} else {
			l, src = src[:j], src[j+1:]
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		ind := 0
		for ind < len(l) && l[ind] == ' ' {
			ind++
		}
		f := fline{b: l[ind:], ind: ind}
		f.blank = len(f.b) == 0
		f.comment = !f.blank && f.b[0] == '#'
		p.lines = append(p.lines, f)
	}
}

// skip moves past blank and comment lines; it reports false at the end.
func (p *fparser) skip() bool {
	for p.i < len(p.lines) {
		if l := p.lines[p.i]; !l.blank && !l.comment {
			return true
		}
		p.i++
	}
	return false
}

func (p *fparser) document() {
	for i, l := range p.lines {
		// Document markers inside the text: the splitter cuts at them, so
		// only a leading "---" is expected.
		if start, end, _ := marker(l.b); l.ind == 0 && (end || (start && i > 0)) {
			bail()
		}
	}
	if len(p.lines) > 0 {
		if l := p.lines[0]; l.ind == 0 && bytes.HasPrefix(l.b, []byte("---")) {
			rest := bytes.TrimLeft(l.b[3:], " ")
			if len(rest) > 0 && rest[0] != '#' {
				bail()
			}
			if len(l.b) > 3 && l.b[3] != ' ' {
				bail()
			}
			p.i = 1
		}
	}
	if !p.skip() {
		p.emitNull()
		return
	}
	l := p.lines[p.i]
	if l.b[0] == '%' {
		bail()
	}
	switch {
	case isDash(l.b):
		p.sequence(l.ind)
	case keyEnd(l.b) > 0:
		p.mapping(l.ind, nil)
	default:
		bail()
	}
	if p.skip() {
		bail() // content after the top-level node
	}
}

// mapping reads a block mapping whose keys sit at column ind. first, when
// set, is the first key line's text after a sequence entry's "- ".
func (p *fparser) mapping(ind int, first []byte) {
	p.enter()
	defer func() { p.depth-- }()
	p.openMap()
	var few [17]string // the keys of most mappings, without allocating
	keys := few[:0]
	var seen map[string]bool // keys, for large mappings
	for n := 0; ; n++ {
		var body []byte
		if n == 0 && first != nil {
			body = first
		} else {
			if !p.skip() {
				break
			}
			l := p.lines[p.i]
			if l.ind < ind {
				break
			}
			if l.ind > ind || isDash(l.b) {
				bail()
			}
			body = l.b
		}
		end := keyEnd(body)
		if end <= 0 {
			bail()
		}
		key := p.key(body[:end])
		if seen != nil {
			if seen[key] {
				bail() // left to checkYAML, which reports it
			}
			seen[key] = true
		} else {
			for _, k := range keys {
				if k == key {
					bail() // left to checkYAML, which reports it
				}
			}
			keys = append(keys, key)
			if len(keys) > 16 {
				seen = make(map[string]bool, 32)
				for _, k := range keys {
					seen[k] = true
				}
			}
		}
		p.mapKey(n, key)
		p.value(body[end+1:], ind, true)
	}
	p.closeMap()
}

// sequence reads a block sequence whose dashes sit at column ind.
func (p *fparser) sequence(ind int) {
	p.enter()
	defer func() { p.depth-- }()
	p.openSeq()
	for n := 0; ; n++ {
		if !p.skip() {
			break
		}
		l := p.lines[p.i]
		if l.ind < ind || (l.ind == ind && !isDash(l.b)) {
			break
		}
		if l.ind > ind {
			bail()
		}
		p.seqSep(n)
		rest := l.b[1:]
		k := 0
		for k < len(rest) && rest[k] == ' ' {
			k++
		}
		body := rest[k:]
		switch {
		case len(body) == 0 || body[0] == '#':
			p.value(body, ind, false)
		case isDash(body):
			bail() // "- - a"
		case keyEnd(body) > 0:
			p.mapping(ind+1+k, body)
		default:
			p.value(body, ind, false)
		}
	}
	p.closeSeq()
}

// value reads the value that follows "key:" or "- " on the current line
// (rest) and any lines that belong to it. parent is the column of the key
// or dash; inMap says a block sequence may sit at the parent's column.
func (p *fparser) value(rest []byte, parent int, inMap bool) {
	rest = bytes.TrimLeft(rest, " ")
	if len(rest) == 0 || rest[0] == '#' {
		p.i++
		if !p.skip() {
			p.emitNull()
			return
		}
		l := p.lines[p.i]
		switch {
		case l.ind > parent && isDash(l.b):
			p.sequence(l.ind)
		case l.ind > parent && keyEnd(l.b) > 0:
			p.mapping(l.ind, nil)
		case l.ind > parent:
			bail() // a scalar on the next line
		case l.ind == parent && inMap && isDash(l.b):
			p.sequence(l.ind)
		default:
			p.emitNull()
		}
		return
	}
	switch rest[0] {
	case '|', '>':
		p.blockScalar(rest, parent)
		return
	case '"', '\'':
		s, tail := p.quotedMulti(rest, parent)
		p.afterScalar(tail, parent)
		p.emitString(s)
		return
	case '[':
		p.flowSequence(rest, parent)
		return
	case '{':
		tail := bytes.TrimLeft(rest[1:], " ")
		if len(tail) == 0 || tail[0] != '}' {
			bail()
		}
		p.afterScalar(tail[1:], parent)
		p.openMap()
		p.closeMap()
		return
	}
	v := plainEnd(rest)
	if len(v) < len(bytes.TrimRight(rest, " ")) {
		// A comment ends the scalar.
		p.afterScalar(rest[len(v):], parent)
		p.emitPlain(v)
		return
	}
	p.emitPlain(p.plainMulti(v, parent))
}

// plainMulti folds the continuation lines of a plain scalar (lines more
// indented than its parent) into it, and leaves the parser after it.
func (p *fparser) plainMulti(v []byte, parent int) []byte {
	p.i++
	var joined []byte
	for empties := 0; p.i < len(p.lines); {
		l := p.lines[p.i]
		if l.blank {
			empties++
			p.i++
			continue
		}
		if l.comment {
			// A comment ends the scalar; nothing may continue it.
			if p.skip() && p.lines[p.i].ind > parent {
				bail()
			}
			break
		}
		if l.ind <= parent {
			break
		}
		text := bytes.TrimRight(l.b, " ")
		if len(text) == 0 || bytes.Contains(text, []byte(": ")) || text[len(text)-1] == ':' ||
			bytes.Contains(text, []byte(" #")) || bytes.IndexByte(text, '\t') >= 0 || isDash(text) ||
			bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("...")) {
			bail()
		}
		if joined == nil {
			joined = append([]byte(nil), v...)
		}
		if empties == 0 {
			joined = append(joined, ' ')
		}
		for ; empties > 0; empties-- {
			joined = append(joined, '\n')
		}
		joined = append(joined, text...)
		p.i++
	}
	if joined == nil {
		return v
	}
	return joined
}

// quotedMulti reads a double- or single-quoted scalar that may continue on
// lines more indented than its parent, folding them as YAML does. The
// parser is left on the line that closes it; tail is what follows.
func (p *fparser) quotedMulti(b []byte, parent int) (string, []byte) {
	q := b[0]
	// Most quoted scalars end on their line without an escape.
	if i := bytes.IndexByte(b[1:], q) + 1; i > 0 && (q == '\'' || bytes.IndexByte(b[1:i], '\\') < 0) &&
		(q == '"' || i+1 >= len(b) || b[i+1] != '\'') {
		return intern(b[1:i]), b[i+1:]
	}
	var sb []byte
	line := b[1:]
	for {
		keep := len(sb) // sb up to keep survives trailing-space stripping
		escapedBreak := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case c == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
				sb = append(sb, '\'')
				i++
				keep = len(sb)
			case c == q:
				return string(sb), line[i+1:]
			case c == '\\' && q == '"':
				if i == len(line)-1 {
					escapedBreak = true
					break
				}
				n := unescape(&sb, line[i:])
				i += n - 1
				keep = len(sb)
			default:
				sb = append(sb, c)
				if c != ' ' && c != '\t' {
					keep = len(sb)
				}
			}
		}
		if !escapedBreak {
			sb = sb[:keep]
		}
		p.i++
		empties := 0
		for p.i < len(p.lines) && p.lines[p.i].blank {
			empties++
			p.i++
		}
		if p.i >= len(p.lines) || p.lines[p.i].ind <= parent {
			bail() // unterminated, or not indented enough
		}
		next := p.lines[p.i].b
		if p.lines[p.i].ind == 0 && (bytes.HasPrefix(next, []byte("---")) || bytes.HasPrefix(next, []byte("..."))) {
			bail()
		}
		switch {
		case escapedBreak && empties > 0:
			bail()
		case escapedBreak:
		case empties == 0:
			sb = append(sb, ' ')
		default:
			for ; empties > 0; empties-- {
				sb = append(sb, '\n')
			}
		}
		line = next
	}
}

// plainEnd returns a one-line plain scalar without its comment.
func plainEnd(rest []byte) []byte {
	switch rest[0] {
	case '-', '?', ':':
		if len(rest) == 1 || rest[1] == ' ' {
			bail()
		}
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		bail()
	}
	v := rest
	if i := bytes.Index(v, []byte(" #")); i >= 0 {
		v = v[:i]
	}
	v = bytes.TrimRight(v, " ")
	if bytes.Contains(v, []byte(": ")) || v[len(v)-1] == ':' || bytes.IndexByte(v, '\t') >= 0 {
		bail()
	}
	return v
}

// afterScalar checks what follows a one-line scalar and that no more
// indented line continues it, and moves to the next line.
func (p *fparser) afterScalar(tail []byte, parent int) {
	tail = bytes.TrimLeft(tail, " ")
	if len(tail) > 0 && tail[0] != '#' {
		bail()
	}
	p.i++
	if p.skip() && p.lines[p.i].ind > parent {
		bail() // a continuation line, or an error
	}
}

// key decodes a mapping key, which must be a string.
func (p *fparser) key(k []byte) string {
	if len(k) > 1000 {
		bail() // yaml.v2 limits implicit keys to 1024 characters
	}
	switch k[0] {
	case '"':
		s, tail := doubleQuoted(k)
		if len(tail) != 0 {
			bail()
		}
		return s
	case '\'':
		s, tail := singleQuoted(k)
		if len(tail) != 0 {
			bail()
		}
		return s
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		bail()
	}
	k = bytes.TrimRight(k, " ")
	if bytes.Contains(k, []byte(" #")) || bytes.IndexByte(k, '\t') >= 0 {
		bail()
	}
	s := intern(k)
	if t, _ := resolvePlain(s); t != 's' {
		bail() // a key that is a number, a boolean or null
	}
	return s
}

// keyEnd returns the index of the ':' that ends a key at the start of a
// line ("key: value", "key:", `"key": value`), or -1.
func keyEnd(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	sep := func(i int) bool { return i+1 == len(b) || b[i+1] == ' ' }
	if b[0] == '"' || b[0] == '\'' {
		q := b[0]
		for i := 1; i < len(b); i++ {
			switch {
			case q == '"' && b[i] == '\\':
				i++
			case b[i] == q:
				if q == '\'' && i+1 < len(b) && b[i+1] == '\'' {
					i++
					continue
				}
				if i+1 < len(b) && b[i+1] == ':' && sep(i+1) {
					return i + 1
				}
				return -1
			}
		}
		return -1
	}
	if b[0] == '#' {
		return -1
	}
	for i := 0; i < len(b); i++ {
		if b[i] == ':' && sep(i) {
			return i
		}
		if b[i] == '#' && i > 0 && b[i-1] == ' ' {
			return -1
		}
	}
	return -1
}

// doubleQuoted decodes a one-line double-quoted scalar at the start of b.
func doubleQuoted(b []byte) (string, []byte) {
	var sb []byte
	for i := 1; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			return string(sb), b[i+1:]
		case '\\':
			i += unescape(&sb, b[i:]) - 1
		default:
			sb = append(sb, c)
		}
	}
	bail() // continues on the next line
	return "", nil
}

// unescape decodes the escape sequence at the start of b (which starts
// with a backslash) and returns its length.
func unescape(sb *[]byte, b []byte) int {
	if len(b) < 2 {
		bail()
	}
	switch e := b[1]; e {
	case '0':
		*sb = append(*sb, 0)
	case 'a':
		*sb = append(*sb, '\a')
	case 'b':
		*sb = append(*sb, '\b')
	case 't', '\t':
		*sb = append(*sb, '\t')
	case 'n':
		*sb = append(*sb, '\n')
	case 'v':
		*sb = append(*sb, '\v')
	case 'f':
		*sb = append(*sb, '\f')
	case 'r':
		*sb = append(*sb, '\r')
	case 'e':
		*sb = append(*sb, 0x1b)
	case ' ', '"', '\'', '\\':
		*sb = append(*sb, e)
	case 'N':
		*sb = utf8.AppendRune(*sb, 0x85)
	case '_':
		*sb = utf8.AppendRune(*sb, 0xA0)
	case 'L':
		*sb = utf8.AppendRune(*sb, 0x2028)
	case 'P':
		*sb = utf8.AppendRune(*sb, 0x2029)
	case 'x', 'u', 'U':
		n := 2
		if e == 'u' {
			n = 4
		} else if e == 'U' {
			n = 8
		}
		if 2+n > len(b) {
			bail()
		}
		v, err := strconv.ParseUint(string(b[2:2+n]), 16, 32)
		if err != nil || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF {
			bail()
		}
		*sb = utf8.AppendRune(*sb, rune(v))
		return 2 + n
	default:
		bail()
	}
	return 2
}

// singleQuoted decodes a one-line single-quoted scalar at the start of b.
func singleQuoted(b []byte) (string, []byte) {
	var sb []byte
	for i := 1; i < len(b); i++ {
		if b[i] == '\'' {
			if i+1 < len(b) && b[i+1] == '\'' {
				sb = append(sb, '\'')
				i++
				continue
			}
			return string(sb), b[i+1:]
		}
		sb = append(sb, b[i])
	}
	bail()
	return "", nil
}

// blockScalar reads a literal (|) or folded (>) scalar whose header is h.
func (p *fparser) blockScalar(h []byte, parent int) {
	folded := h[0] == '>'
	chomp := byte(0)
	j := 1
	for ; j < len(h) && j < 3; j++ {
		switch h[j] {
		case '-', '+':
			if chomp != 0 {
				bail()
			}
			chomp = h[j]
			continue
		case ' ':
		default:
			bail() // an indentation indicator, or junk
		}
		break
	}
	if tail := bytes.TrimLeft(h[j:], " "); len(tail) > 0 && tail[0] != '#' {
		bail()
	}
	if j < len(h) && h[j] != ' ' {
		bail()
	}
	p.i++
	// The content's indentation is that of its first non-empty line.
	ind := -1
	maxLead := 0
	k := p.i
	for ; k < len(p.lines); k++ {
		l := p.lines[k]
		if !l.blank {
			ind = l.ind
			break
		}
		maxLead = max(maxLead, l.ind)
	}
	if ind <= parent || ind < 0 {
		bail() // empty block scalar: rare, leave it to the parser
	}
	if maxLead > ind {
		bail()
	}
	var lines [][]byte
	last := -1 // index of the last content line
	for ; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		if l.blank {
			if l.ind > ind {
				bail() // spaces beyond the indentation are content
			}
			lines = append(lines, nil)
			continue
		}
		if l.ind < ind {
			break
		}
		text := p.lines[p.i].b
		if l.ind > ind {
			if folded {
				bail() // more-indented lines are not folded
			}
			text = p.full(p.i)[ind:]
		}
		lines = append(lines, text)
		last = len(lines) - 1
		if p.i == len(p.lines)-1 && !p.lastBreak {
			bail()
		}
	}
	if last < 0 {
		bail()
	}
	var sb []byte
	if folded {
		for n := 0; n <= last; n++ {
			if lines[n] == nil {
				sb = append(sb, '\n')
				continue
			}
			if n > 0 && lines[n-1] != nil {
				sb = append(sb, ' ')
			}
			sb = append(sb, lines[n]...)
		}
		// Leading empty lines give one line break each, but an empty
		// line between two content lines replaces the fold: handled above
		// by appending '\n' for it and no space after it.
	} else {
		for n := 0; n <= last; n++ {
			if n > 0 {
				sb = append(sb, '\n')
			}
			sb = append(sb, lines[n]...)
		}
	}
	switch chomp {
	case '-':
	case '+':
		sb = append(sb, '\n')
		for n := last + 1; n < len(lines); n++ {
			sb = append(sb, '\n')
		}
		if p.i >= len(p.lines) && !p.lastBreak {
			bail()
		}
	default:
		sb = append(sb, '\n')
	}
	p.emitString(string(sb))
}

// full returns line n with its indentation.
func (p *fparser) full(n int) []byte {
	l := p.lines[n]
	b := make([]byte, 0, l.ind+len(l.b))
	for range l.ind {
		b = append(b, ' ')
	}
	return append(b, l.b...)
}

// flowSequence reads a one-line flow sequence of scalars: [a, "b", 'c'].
func (p *fparser) flowSequence(b []byte, parent int) {
	p.openSeq()
	i := 1
	skipSp := func() {
		for i < len(b) && b[i] == ' ' {
			i++
		}
	}
	skipSp()
	if i < len(b) && b[i] == ']' {
		p.afterScalar(b[i+1:], parent)
		p.closeSeq()
		return
	}
	for n := 0; ; n++ {
		skipSp()
		if i >= len(b) {
			bail()
		}
		p.seqSep(n)
		switch b[i] {
		case '"':
			s, tail := doubleQuoted(b[i:])
			p.emitString(s)
			i = len(b) - len(tail)
		case '\'':
			s, tail := singleQuoted(b[i:])
			p.emitString(s)
			i = len(b) - len(tail)
		default:
			j := i
			for j < len(b) && b[j] != ',' && b[j] != ']' {
				switch b[j] {
				case '[', '{', '}', '#', ':', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '?':
					bail()
				}
				j++
			}
			v := bytes.TrimRight(b[i:j], " ")
			if len(v) == 0 || v[0] == '-' && (len(v) == 1 || v[1] == ' ') {
				bail()
			}
			p.emitPlain(v)
			i = j
		}
		skipSp()
		if i >= len(b) {
			bail()
		}
		if b[i] == ']' {
			p.afterScalar(b[i+1:], parent)
			p.closeSeq()
			return
		}
		if b[i] != ',' {
			bail()
		}
		i++
		skipSp()
		if i < len(b) && b[i] == ']' {
			bail() // a trailing comma
		}
	}
}

// appendPlain resolves a plain scalar as yaml.v2 does and appends its JSON.
func appendPlain(out, v []byte) []byte {
	s := string(v)
	t, f := resolvePlain(s)
	switch t {
	case 's':
		return appendString(out, s)
	case 'n':
		return append(out, "null"...)
	case 't':
		return append(out, "true"...)
	case 'f':
		return append(out, "false"...)
	case 'i':
		return append(out, s...) // already canonical
	case 'I':
		plain := strings.ReplaceAll(s, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return strconv.AppendInt(out, i, 10)
		}
		u, _ := strconv.ParseUint(plain, 0, 64)
		return strconv.AppendUint(out, u, 10)
	case 'F':
		if math.IsInf(f, 0) || math.IsNaN(f) {
			bail()
		}
		b, err := json.Marshal(f)
		if err != nil {
			bail()
		}
		return append(out, b...)
	}
	bail()
	return nil
}

// resolvePlain tells what yaml.v2 makes of a plain scalar: 's' string,
// 'n' null, 't'/'f' booleans, 'i' a canonical decimal integer, 'I' another
// integer, 'F' a float (returned). It bails on timestamps and binary
// integers, which the subset leaves to yaml.v2.
func resolvePlain(s string) (byte, float64) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return 'n', 0
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return 't', 0
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return 'f', 0
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<":
		bail()
	}
	c := s[0]
	switch {
	case c == '.':
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return 'F', f
		}
		return 's', 0
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
	default:
		return 's', 0
	}
	if canonicalInt(s) {
		return 'i', 0
	}
	if len(s) > 4 && s[4] == '-' && isDigits(s[:4]) {
		bail() // may be a timestamp
	}
	plain := strings.ReplaceAll(s, "_", "")
	if intChars(plain) { // else neither parses (and neither allocates an error)
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return 'I', 0
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return 'I', 0
		}
	}
	if yamlFloat(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return 'F', f
		}
	}
	if strings.HasPrefix(plain, "0b") || strings.HasPrefix(plain, "-0b") {
		bail()
	}
	return 's', 0
}

// canonicalInt: an optional minus and digits without a leading zero,
// within int64.
func canonicalInt(s string) bool {
	d := s
	if d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 18 || !isDigits(d) || (d[0] == '0' && (len(d) > 1 || len(s) > 1)) {
		return false
	}
	return true
}

// intChars: s holds only what strconv.ParseInt(s, 0, 64) may accept
// (signs, digits, hex digits, base prefixes).
func intChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F',
			c == 'x', c == 'X', c == 'o', c == 'O', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// yamlFloat matches ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$.
func yamlFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// appendString appends s as a JSON string.
func appendString(out []byte, s string) []byte {
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		out = append(out, s[start:i]...)
		switch c {
		case '"', '\\':
			out = append(out, '\\', c)
		case '\n':
			out = append(out, '\\', 'n')
		case '\t':
			out = append(out, '\\', 't')
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
		}
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

const hexDigit = "0123456789abcdef"
