package manifest

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	yaml3 "go.yaml.in/yaml/v3"
)

// state is what the cheap scan of a document learnt before any parsing.
type state uint8

const (
	// The zero state: blank lines, comments and directives only.
	_ state = iota
	// stateKnown: apiVersion and kind found once each, as plain one-line
	// values, at the document's key column.
	stateKnown
	// stateParse: the layout cannot be read line by line (flow style, an
	// indented top level, a key or value the scan does not read, a repeated
	// key): the document is parsed to learn its kind.
	stateParse
	// stateNotObject: a mapping without apiVersion and kind, or a sequence.
	stateNotObject
	// stateText: the first line is neither a key, a sequence entry nor
	// flow YAML (a Bicep file, prose).
	stateText
)

// doc is one YAML document, or one entry of a List's items, as cut from
// the input.
type doc struct {
	line int // line of the document's first line (maybe "---") in its file
	// first is the line of its first content line (not a marker, comment
	// or blank line): where the object starts.
	first int
	data  []byte // the document's lines; nil when no decoding is needed
	// item: a List entry; data is a one-entry block sequence ("- a: b").
	item  bool
	state state
	// apiVersion and kind as read by the scan (stateKnown).
	apiVersion, kind string
	// splitItems: the document had a top-level "items:" whose entries were
	// cut out as item documents of their own (emitted before it).
	splitItems bool
	// class is the decision taken from apiVersion and kind (stateKnown).
	class class
	// root is the document parsed into nodes, when it was (checkYAML).
	root *yaml3.Node
	// itemsLines are the lines of the top-level "items:" keys whose
	// entries were cut out; more than one is a key given twice.
	itemsLines []int
}

// scan is the line-by-line reading of one document under construction.
type scan struct {
	d   doc
	buf []byte
	// In memory, a document is a range of the input while its lines are
	// contiguous (contig), and is copied to buf otherwise.
	contig     bool
	start, end int
	content    bool
	col        int // column of the document's keys (0, or an item's indent)
	nAPI       int
	nKind      int
	unsure     bool
	shape      byte // first content line: 'k' key, 's' sequence, 'f' flow, 'i' indented, 't' text
	// items: the document's top-level items: entries are being cut out;
	// itemsCol is the column of their "-" (-1 until the first).
	items    bool
	itemsCol int
}

func (s *scan) reset(line, col int, item bool) {
	buf := s.buf[:0]
	*s = scan{buf: buf, col: col, itemsCol: -1, contig: true, start: -1}
	s.d = doc{line: line, item: item}
}

// splitter cuts a YAML stream into documents, and Lists into their items,
// reading it line by line. It keeps at most one document (and one item) in
// memory; documents that need no decoding are dropped without copying.
type splitter struct {
	r *bufio.Reader
	// mem is the whole input when it is in memory (r is nil then); pos is
	// the offset of the next line, lineOff that of the current one.
	mem     []byte
	pos     int
	lineOff int
	line    int
	err     error
	eof     bool
	long    []byte // a line longer than the reader's buffer

	top     scan
	topOpen bool
	item    scan
	itemOn  bool
	out     []*doc // documents ready, in order
}

const readBuffer = 64 << 10

var newline = []byte{'\n'}

func newSplitter(r io.Reader) *splitter {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < readBuffer {
		br = bufio.NewReaderSize(r, readBuffer)
	}
	return &splitter{r: br}
}

func newSplitterBytes(data []byte) *splitter {
	s := &splitter{mem: data}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		s.pos = 3
	}
	return s
}

// appendLine adds the current line to a document.
func (s *splitter) appendLine(sc *scan, line []byte) {
	if s.mem != nil && sc.contig {
		switch sc.start {
		case -1:
			sc.start, sc.end = s.lineOff, s.lineOff+len(line)
			return
		default:
			if sc.end == s.lineOff {
				sc.end += len(line)
				return
			}
		}
		sc.toBuf(s.mem)
	}
	sc.buf = append(sc.buf, line...)
}

// appendText adds text that is not the current line (a blank line
// standing for one cut out).
func (s *splitter) appendText(sc *scan, text []byte) {
	if sc.contig {
		sc.toBuf(s.mem)
	}
	sc.buf = append(sc.buf, text...)
}

func (sc *scan) toBuf(mem []byte) {
	sc.contig = false
	if sc.start >= 0 {
		sc.buf = append(sc.buf[:0], mem[sc.start:sc.end]...)
	}
}

// bytes returns the document's text; copied only when it is not a range
// of an input held in memory.
func (sc *scan) text(mem []byte) []byte {
	if mem != nil && sc.contig {
		if sc.start < 0 {
			return nil
		}
		return mem[sc.start:sc.end:sc.end]
	}
	return append([]byte(nil), sc.buf...)
}

// next returns the next document, or nil at the end of the input.
func (s *splitter) next() *doc {
	for len(s.out) == 0 {
		if s.eof {
			return nil
		}
		line, err := s.readLine()
		if len(line) > 0 {
			s.line++
			if s.line == 1 && s.r != nil {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			s.feed(line)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			s.eof = true
			s.endItem()
			s.endTop()
		}
	}
	d := s.out[0]
	s.out[0] = nil
	s.out = s.out[1:]
	return d
}

func (s *splitter) readLine() ([]byte, error) {
	if s.r == nil {
		if s.pos >= len(s.mem) {
			return nil, io.EOF
		}
		s.lineOff = s.pos
		i := bytes.IndexByte(s.mem[s.pos:], '\n')
		if i < 0 {
			s.pos = len(s.mem)
			return s.mem[s.lineOff:], io.EOF
		}
		s.pos += i + 1
		return s.mem[s.lineOff:s.pos], nil
	}
	line, err := s.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	s.long = append(s.long[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = s.r.ReadSlice('\n')
		s.long = append(s.long, line...)
	}
	return s.long, err
}

// marker reports whether the line is a document marker ("---" or "...")
// and whether the rest of the line holds content.
func marker(line []byte) (start, end, content bool) {
	if len(line) < 3 || (line[0] != '-' && line[0] != '.') {
		return false, false, false
	}
	m := line[:3]
	isStart, isEnd := string(m) == "---", string(m) == "..."
	if !isStart && !isEnd {
		return false, false, false
	}
	rest := line[3:]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\n' && rest[0] != '\r' {
		return false, false, false
	}
	rest = bytes.TrimSpace(rest)
	return isStart, isEnd, len(rest) > 0 && rest[0] != '#'
}

func (s *splitter) feed(line []byte) {
	if start, end, content := marker(line); start || end {
		s.endItem()
		s.endTop()
		if start {
			s.openTop()
			s.appendLine(&s.top, line)
			if content {
				// "--- |" or "--- {...}": a document on the marker line.
				s.top.content, s.top.shape = true, 'f'
				s.top.d.first = s.line
			}
		}
		return
	}
	if !s.topOpen {
		s.openTop()
	}
	t := &s.top
	if t.items {
		if s.feedItems(line) {
			return
		}
	}
	s.appendLine(t, line)
	s.scanLine(t, line, true)
}

func (s *splitter) openTop() {
	s.top.reset(s.line, 0, false)
	s.topOpen = true
}

// feedItems handles a line while a List's items are being cut out; it
// reports false when the line ends the items (a top-level key).
func (s *splitter) feedItems(line []byte) bool {
	t := &s.top
	n := indent(line)
	body := line[n:]
	blank := isBlank(body)
	if !blank && n == 0 && !isDash(body) && body[0] != '#' {
		s.endItem()
		t.items = false
		return false
	}
	if !blank && isDash(body) && (t.itemsCol < 0 || n == t.itemsCol) {
		t.itemsCol = n
		s.endItem()
		s.item.reset(s.line, 0, true)
		s.itemOn = true
		it := &s.item
		s.appendLine(it, line)
		// The entry's keys sit after "- ".
		rest := body[1:]
		k := indent(rest)
		if isBlank(rest[k:]) || rest[k] == '#' {
			it.unsure = true // "-" alone: the mapping starts below
			it.col = n + 2
			it.content, it.shape, it.d.first = true, 'k', s.line
		} else {
			it.col = n + 1 + k
			s.scanLine(it, append(bytes.Repeat([]byte{' '}, it.col), rest[k:]...), false)
		}
		s.appendText(t, newline) // keep the wrapper's line numbers
		return true
	}
	if s.itemOn {
		s.appendLine(&s.item, line)
		if !blank {
			s.scanLine(&s.item, line, false)
		}
		s.appendText(t, newline)
		return true
	}
	// Blank lines and comments before the first entry.
	s.appendLine(t, line)
	return true
}

// scanLine reads one line of a document: its first content decides the
// document's shape; lines at the key column are keys.
func (s *splitter) scanLine(sc *scan, line []byte, top bool) {
	n := indent(line)
	body := trimEOL(line[n:])
	if isBlank(body) || body[0] == '#' {
		return
	}
	if body[0] == '\t' {
		sc.unsure = true // tabs do not indent YAML: let the parser say
	}
	if !sc.content {
		sc.content = true
		sc.d.first = s.line
		switch {
		case top && n == 0 && body[0] == '%':
			sc.content = false // a directive
			return
		case n != sc.col:
			sc.shape = 'i'
			return
		case body[0] == '{' || body[0] == '[':
			sc.shape = 'f'
			return
		case isDash(body):
			sc.shape = 's'
			return
		}
		sc.shape = 'k'
		if !isKeyLine(body) {
			sc.shape = 't'
			return
		}
	}
	if sc.shape != 'k' || n != sc.col {
		return
	}
	if isDash(body) {
		return // a compact sequence under the previous key
	}
	key, value, ok := splitKey(body)
	if !ok {
		if body[0] == '?' || body[0] == '&' || body[0] == '*' || body[0] == '!' {
			sc.unsure = true
		}
		return
	}
	switch string(key) {
	case "apiVersion":
		sc.nAPI++
		v, ok := plainValue(value)
		sc.d.apiVersion = v
		sc.unsure = sc.unsure || !ok
	case "kind":
		sc.nKind++
		v, ok := plainValue(value)
		sc.d.kind = v
		sc.unsure = sc.unsure || !ok
	case "items":
		if top && isBlank(stripComment(value)) {
			sc.items = true
			sc.itemsCol = -1
			sc.d.itemsLines = append(sc.d.itemsLines, s.line)
		}
	case "<<":
		sc.unsure = true // a merge key may bring apiVersion or kind
	}
}

// isKeyLine reports whether a line looks like "key: value" or "key:".
func isKeyLine(body []byte) bool {
	if body[0] == '?' {
		return true
	}
	_, _, ok := splitKey(body)
	return ok
}

// splitKey reads a plain or quoted key followed by ':'.
func splitKey(body []byte) (key, value []byte, ok bool) {
	var k []byte
	rest := body
	switch body[0] {
	case '"', '\'':
		end := bytes.IndexByte(body[1:], body[0])
		if end < 0 {
			return nil, nil, false
		}
		k = body[1 : 1+end]
		rest = body[2+end:]
		if len(rest) == 0 || rest[0] != ':' {
			return nil, nil, false
		}
	default:
		i := 0
		for {
			j := bytes.IndexByte(rest[i:], ':')
			if j < 0 {
				return nil, nil, false
			}
			i += j
			if i+1 == len(rest) || rest[i+1] == ' ' || rest[i+1] == '\t' || rest[i+1] == '\r' || rest[i+1] == '\n' {
				break
			}
			i++
		}
		k = bytes.TrimRight(rest[:i], " \t")
		rest = rest[i:]
		if len(k) == 0 || bytes.Contains(k, []byte(" #")) {
			return nil, nil, false
		}
	}
	return k, rest[1:], true
}

// plainValue reads a one-line scalar value: plain, or quoted without
// escapes. ok is false when the value needs a parser.
func plainValue(v []byte) (string, bool) {
	v = bytes.TrimSpace(stripComment(v))
	if len(v) == 0 {
		return "", false
	}
	switch v[0] {
	case '"', '\'':
		if len(v) < 2 || v[len(v)-1] != v[0] || bytes.IndexByte(v[1:len(v)-1], v[0]) >= 0 || bytes.IndexByte(v, '\\') >= 0 {
			return "", false
		}
		return intern(v[1 : len(v)-1]), true
	case '|', '>', '&', '*', '!', '{', '[', '@', '`', '%':
		return "", false
	}
	return intern(v), true
}

// stripComment cuts " #..." from a plain value.
func stripComment(v []byte) []byte {
	if len(v) > 0 && v[0] == '#' {
		return nil
	}
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && (v[i-1] == ' ' || v[i-1] == '\t') {
			return v[:i]
		}
	}
	return v
}

func indent(line []byte) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// isDash reports whether a line body is a block sequence entry.
func isDash(body []byte) bool {
	return len(body) > 0 && body[0] == '-' && (len(body) == 1 || body[1] == ' ' || body[1] == '\t' || body[1] == '\r' || body[1] == '\n')
}

func (s *splitter) endItem() {
	if !s.itemOn {
		return
	}
	s.itemOn = false
	s.top.d.splitItems = true
	s.emit(&s.item)
}

func (s *splitter) endTop() {
	if !s.topOpen {
		return
	}
	s.topOpen = false
	s.emit(&s.top)
}

// emit decides a finished document's state and queues it, copying its
// bytes only when they are to be decoded.
func (s *splitter) emit(sc *scan) {
	d := sc.d
	switch {
	case !sc.content:
		return
	case sc.shape == 'f' || sc.shape == 'i':
		d.state = stateParse
	case sc.shape == 's':
		d.state = stateNotObject
	case sc.shape == 't':
		d.state = stateText
	case sc.unsure || sc.nAPI > 1 || sc.nKind > 1:
		d.state = stateParse
	case sc.nAPI == 1 && sc.nKind == 1:
		d.state = stateKnown
	default:
		d.state = stateNotObject
	}
	if d.state == stateKnown {
		d.class = classify(d.apiVersion, d.kind)
	}
	if d.needsData() {
		d.data = sc.text(s.mem)
	}
	s.out = append(s.out, &d)
}

// needsData reports whether the document is to be parsed.
func (d *doc) needsData() bool {
	switch d.state {
	case stateParse:
		return true
	case stateKnown:
		return d.class.decode != nil || (d.class.list && !d.splitItems)
	}
	return false
}
