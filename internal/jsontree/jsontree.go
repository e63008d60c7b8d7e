// Package jsontree decodes JSON into a tree that remembers the line of every
// value and offers case-insensitive key lookup. Azure emits the same field with
// different casing depending on the client (ARM REST `enableRBAC`, az CLI
// `enableRbac`), so every Azure source reads through this package.
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the JSON type of a node.
type Kind uint8

// The JSON kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// Member is one key/value pair of an object, in document order.
type Member struct {
	Key   string
	Value *Node
}

// Node is one JSON value.
type Node struct {
	Kind    Kind
	Line    int
	Bool    bool
	Str     string // the string value, or the literal text of a number
	Members []Member
	Items   []*Node

	// index maps the folded key of each member of a wide object (one with
	// at least indexMin members, as Parse builds it) to the position of
	// the first member with that fold, so a lookup does not scan the
	// object. It is nil for narrow objects, for objects whose keys fold
	// together (those are scanned, so the exact spelling still wins) and
	// for nodes built outside Parse.
	index map[string]int
}

// indexMin is the number of members from which Parse indexes an object:
// below it a scan is as fast as a map.
const indexMin = 16

// SyntaxError is a parse failure with its line and column.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Parse decodes one JSON document. Trailing data after the document is an error.
func Parse(data []byte) (*Node, error) {
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	p.lines = lineStarts(data)
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.errAt(p.dec.InputOffset(), "unexpected data after the JSON document")
	}
	return n, nil
}

// LooksLikeJSON reports whether the data starts (after white space and a
// byte-order mark) with '{' or '['.
func LooksLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, b := range data {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		default:
			return false
		}
	}
	return false
}

type parser struct {
	data  []byte
	dec   *json.Decoder
	lines []int
}

const maxDepth = 512

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineCol turns a byte offset into a 1-based line and column.
func (p *parser) lineCol(off int64) (int, int) {
	i := sort.Search(len(p.lines), func(i int) bool { return int64(p.lines[i]) > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, int(off) - p.lines[i] + 1
}

func (p *parser) errAt(off int64, msg string) error {
	l, c := p.lineCol(off)
	return &SyntaxError{Line: l, Column: c, Msg: msg}
}

func (p *parser) wrap(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.errAt(se.Offset, se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errAt(int64(len(p.data)), "unexpected end of JSON input")
	}
	return p.errAt(p.dec.InputOffset(), err.Error())
}

func (p *parser) value(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.dec.InputOffset(), fmt.Sprintf("JSON nested too deeply: more than %d levels of objects and arrays", maxDepth))
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	end := p.dec.InputOffset() - 1
	if end < 0 {
		end = 0
	}
	line, _ := p.lineCol(end)
	n := &Node{Line: line}
	switch t := tok.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Bool = Bool, t
	case json.Number:
		n.Kind, n.Str = Number, string(t)
	case string:
		n.Kind, n.Str = String, t
	case json.Delim:
		switch t {
		case '{':
			n.Kind = Object
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, p.errAt(p.dec.InputOffset(), "object key is not a string")
				}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Members = append(n.Members, Member{Key: key, Value: v})
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
			n.buildIndex()
		case '[':
			n.Kind = Array
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
		default:
			return nil, p.errAt(end, fmt.Sprintf("unexpected %q", t))
		}
	}
	return n, nil
}

// Get follows a path of keys, matching each key case-insensitively. A path
// element may also be a decimal index into an array. It returns nil when any
// step is missing; Get on a nil node returns nil.
func (n *Node) Get(path ...string) *Node {
	cur := n
	for _, k := range path {
		if cur == nil {
			return nil
		}
		switch cur.Kind {
		case Object:
			cur = cur.member(k)
		case Array:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(cur.Items) {
				return nil
			}
			cur = cur.Items[i]
		default:
			return nil
		}
	}
	return cur
}

func (n *Node) member(k string) *Node {
	if m, ok := n.Lookup(k); ok {
		return m.Value
	}
	return nil
}

// Lookup returns the member of an object whose key is k, matched
// case-insensitively (as strings.EqualFold does); an exact match wins over
// a case-insensitive one, so a document holding both spellings is read
// deterministically. The member carries the key as spelled in the input.
// A wide object parsed by Parse is looked up through its index, in
// constant time; other objects are scanned.
func (n *Node) Lookup(k string) (Member, bool) {
	if n == nil || n.Kind != Object {
		return Member{}, false
	}
	if n.index != nil {
		if i, ok := n.index[Fold(k)]; ok {
			return n.Members[i], true
		}
		return Member{}, false
	}
	for _, m := range n.Members {
		if m.Key == k {
			return m, true
		}
	}
	for _, m := range n.Members {
		if strings.EqualFold(m.Key, k) {
			return m, true
		}
	}
	return Member{}, false
}

// Reindex indexes an object built or changed outside Parse (a copy, a
// merge), so lookups in it take constant time as in a parsed one. Call it
// once the members are final: Lookup trusts the index.
func (n *Node) Reindex() {
	if n == nil || n.Kind != Object {
		return
	}
	n.index = nil
	n.buildIndex()
}

// buildIndex indexes a wide object. When two keys fold together the
// object is left unindexed: a scan then finds the exact spelling first.
func (n *Node) buildIndex() {
	if len(n.Members) < indexMin {
		return
	}
	idx := make(map[string]int, len(n.Members))
	for i, m := range n.Members {
		f := Fold(m.Key)
		if _, dup := idx[f]; dup {
			return
		}
		idx[f] = i
	}
	n.index = idx
}

// Fold returns the case-folded form of a key: two keys are equal under
// strings.EqualFold exactly when their folds are equal. ASCII keys (all of
// Azure's) are lower-cased; any other rune is replaced by the smallest
// rune of its Unicode simple-folding orbit (lower-cased when that is an
// ASCII letter).
func Fold(s string) string {
	ascii, lower := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			lower = false
		}
	}
	if ascii {
		if lower {
			return s
		}
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		if 'A' <= min && min <= 'Z' {
			min += 'a' - 'A' // as the ASCII path spells it (K, k and U+212A fold to k)
		}
		b.WriteRune(min)
	}
	return b.String()
}

// Path splits a dotted path and calls Get.
func (n *Node) Path(dotted string) *Node {
	if dotted == "" {
		return n
	}
	return n.Get(strings.Split(dotted, ".")...)
}

// IsNull reports whether the node is missing or JSON null.
func (n *Node) IsNull() bool { return n == nil || n.Kind == Null }

// AsString returns the string value of a string node.
func (n *Node) AsString() (string, bool) {
	if n == nil || n.Kind != String {
		return "", false
	}
	return n.Str, true
}

// AsBool returns a boolean, accepting the strings "true"/"false" as add-on
// configs store every value as a string.
func (n *Node) AsBool() (bool, bool) {
	if n == nil {
		return false, false
	}
	switch n.Kind {
	case Bool:
		return n.Bool, true
	case String:
		switch strings.ToLower(strings.TrimSpace(n.Str)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// AsInt returns an integer value (numbers, or strings holding one).
func (n *Node) AsInt() (int64, bool) {
	if n == nil || (n.Kind != Number && n.Kind != String) {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(n.Str), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(n.Str), 64)
		if ferr != nil || n.Kind != Number {
			return 0, false
		}
		return int64(f), true
	}
	return v, true
}

// Keys returns the object's keys in document order.
func (n *Node) Keys() []string {
	if n == nil || n.Kind != Object {
		return nil
	}
	out := make([]string, len(n.Members))
	for i, m := range n.Members {
		out[i] = m.Key
	}
	return out
}

// Scalar renders a scalar node as text for evidence (strings unquoted).
func (n *Node) Scalar() string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case Null:
		return "null"
	case Bool:
		return strconv.FormatBool(n.Bool)
	case Number, String:
		return n.Str
	case Array:
		parts := make([]string, 0, len(n.Items))
		for _, it := range n.Items {
			parts = append(parts, it.Scalar())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return "{…}"
	}
}

// Interface converts the node to plain Go values (map[string]any, []any,
// string, bool, json.Number, nil).
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Str)
	case String:
		return n.Str
	case Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			m[mem.Key] = mem.Value.Interface()
		}
		return m
	case Array:
		a := make([]any, len(n.Items))
		for i, it := range n.Items {
			a[i] = it.Interface()
		}
		return a
	}
	return nil
}

// List returns an array's items; nil for a missing node or a non-array.
func (n *Node) List() []*Node {
	if n == nil || n.Kind != Array {
		return nil
	}
	return n.Items
}

// Conflict is a pair of members of one object whose keys a case-insensitive
// lookup cannot tell apart (the same key twice, or two spellings such as
// enableRBAC and enableRbac) and whose values differ. JSON readers disagree
// on which of them counts (Go's and Python's, and so the az CLI, keep the
// last; a first-match lookup keeps the first), so a reader that needs one
// value must not pick either.
type Conflict struct {
	// Path names the object: keys joined by '.', array items as [i], ""
	// for the top level.
	Path          string
	First, Second Member
}

// Conflicts returns up to max conflicts of the tree below n (all when max
// <= 0), in document order. Two values are the same when they have the same
// kind and text (numbers as written) and, for objects and arrays, the same
// members or items in the same order. The comparison work is bounded: values
// too large to compare within it count as different.
func Conflicts(n *Node, max int) []Conflict {
	return conflictsWithin(n, max, maxCompareWork)
}

func conflictsWithin(n *Node, max, budget int) []Conflict {
	c := &conflicts{max: max, budget: budget}
	c.walk(n, 0)
	return c.out
}

// maxCompareWork bounds the nodes compared in one Conflicts call.
const maxCompareWork = 1 << 24

type conflicts struct {
	out    []Conflict
	max    int
	budget int
	stack  []pathStep
}

func (c *conflicts) full() bool { return c.max > 0 && len(c.out) >= c.max }

func (c *conflicts) walk(n *Node, depth int) {
	if n == nil || depth > maxDepth || c.full() {
		return
	}
	switch n.Kind {
	case Array:
		for i, it := range n.Items {
			if it.Kind == Object || it.Kind == Array {
				c.stack = append(c.stack, pathStep{index: i})
				c.walk(it, depth+1)
				c.stack = c.stack[:len(c.stack)-1]
			}
		}
	case Object:
		c.object(n)
		for _, m := range n.Members {
			if m.Value != nil && (m.Value.Kind == Object || m.Value.Kind == Array) {
				c.stack = append(c.stack, pathStep{key: m.Key, isKey: true})
				c.walk(m.Value, depth+1)
				c.stack = c.stack[:len(c.stack)-1]
			}
		}
	}
}

// pathStep is one step from the top level to the object walked.
type pathStep struct {
	key   string
	index int
	isKey bool
}

// path renders the steps walked so far ("properties.agentPoolProfiles[0]").
func (c *conflicts) path() string {
	var b strings.Builder
	for _, s := range c.stack {
		if !s.isKey {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// object records the conflicts among the members of one object: each
// member is compared with the first member of its fold.
func (c *conflicts) object(n *Node) {
	if n.index != nil {
		return // indexed: no two keys fold together
	}
	report := func(first, second Member) {
		if !c.full() && !c.same(first.Value, second.Value, 0) {
			c.out = append(c.out, Conflict{Path: c.path(), First: first, Second: second})
		}
	}
	if len(n.Members) < indexMin {
		for j := 1; j < len(n.Members); j++ {
			for i := 0; i < j; i++ {
				if strings.EqualFold(n.Members[i].Key, n.Members[j].Key) {
					report(n.Members[i], n.Members[j])
					break
				}
			}
		}
		return
	}
	first := make(map[string]int, len(n.Members))
	for j, m := range n.Members {
		f := Fold(m.Key)
		if i, ok := first[f]; ok {
			report(n.Members[i], m)
			continue
		}
		first[f] = j
	}
}

// same reports whether two values are equal, ignoring lines.
func (c *conflicts) same(a, b *Node, depth int) bool {
	c.budget--
	if c.budget < 0 || depth > maxDepth {
		return false
	}
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Bool:
		return a.Bool == b.Bool
	case Number, String:
		return a.Str == b.Str
	case Object:
		if len(a.Members) != len(b.Members) {
			return false
		}
		for i := range a.Members {
			if a.Members[i].Key != b.Members[i].Key || !c.same(a.Members[i].Value, b.Members[i].Value, depth+1) {
				return false
			}
		}
	case Array:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !c.same(a.Items[i], b.Items[i], depth+1) {
				return false
			}
		}
	}
	return true
}
