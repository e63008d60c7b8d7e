package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	yaml3 "go.yaml.in/yaml/v3"

	"github.com/aksguard/aksguard/internal/inventory"
)

// lineFinder gives the input line of a byte offset in the JSON being
// decoded. Only errors and List entries ask, so finders may be slow.
type lineFinder interface {
	line(off int) int
}

// shifted is the finder of a value that starts at delta in its parent.
type shifted struct {
	lf    lineFinder
	delta int
}

func (s shifted) line(off int) int { return s.lf.line(s.delta + off) }

// jsonLines counts lines in a JSON input.
type jsonLines struct {
	data     []byte
	base     int // line of data[0]
	lastOff  int
	lastLine int
	// dups: the input has a key given twice; objects are checked one by
	// one to say which.
	dups bool
}

// checkDups reports whether objects read through lf are to be checked for
// duplicate keys.
func checkDups(lf lineFinder) bool {
	switch l := lf.(type) {
	case *jsonLines:
		return l.dups
	case shifted:
		return checkDups(l.lf)
	}
	return false
}

func (j *jsonLines) line(off int) int {
	off = min(max(off, 0), len(j.data))
	if off < j.lastOff || j.lastLine == 0 {
		j.lastOff, j.lastLine = 0, j.base
	}
	j.lastLine += bytes.Count(j.data[j.lastOff:off], []byte{'\n'})
	j.lastOff = off
	return j.lastLine
}

// yamlLines maps an offset of the JSON converted from a YAML document back
// to the document's line: it finds the JSON path at the offset and looks it
// up in the YAML node tree.
type yamlLines struct {
	d    *doc
	raw  []byte // the document's YAML
	js   []byte // its JSON
	root *yaml3.Node
	done bool
	// paths finds the JSON paths of increasing offsets.
	paths *pathScanner
}

func (y *yamlLines) line(off int) int {
	if !y.done {
		y.done = true
		n := y.d.root
		if n == nil {
			n = new(yaml3.Node)
			if yaml3.Unmarshal(y.raw, n) != nil {
				n = nil
			}
		}
		if n != nil && len(n.Content) > 0 {
			y.root = n.Content[0]
			if y.d.item && y.root.Kind == yaml3.SequenceNode && len(y.root.Content) > 0 {
				y.root = y.root.Content[0]
			}
		}
	}
	if y.root == nil {
		return y.d.line
	}
	n := y.root
	if y.paths == nil || off < y.paths.last {
		y.paths = newPathScanner(y.js)
	}
	for _, p := range y.paths.at(off) {
		for n.Kind == yaml3.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		next := (*yaml3.Node)(nil)
		switch {
		case p.index >= 0 && n.Kind == yaml3.SequenceNode && p.index < len(n.Content):
			next = n.Content[p.index]
		case p.index < 0 && n.Kind == yaml3.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p.key {
					next = n.Content[i+1]
				}
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return y.d.line + n.Line - 1
}

// pathElem is a key or an index.
type pathElem struct {
	key   string
	index int // -1 for a key
}

// jsonPathAt returns the path of the value that ends at or after off.
func jsonPathAt(js []byte, off int) []pathElem {
	return newPathScanner(js).at(off)
}

// pathScanner finds the JSON paths of increasing offsets in one pass over
// the JSON: asking for every entry of a List of n items costs O(size),
// not O(n * size).
type pathScanner struct {
	dec   *json.Decoder
	stack []pathFrame
	last  int // the offset asked last
	// The token that reached the last offset, to be read again.
	pend     json.Token
	pendPos  int
	hasPend  bool
	needDone bool // a container closed at the last offset
	end      bool
}

type pathFrame struct {
	arr     bool
	idx     int
	key     string
	wantKey bool
}

func newPathScanner(js []byte) *pathScanner {
	return &pathScanner{dec: json.NewDecoder(bytes.NewReader(js))}
}

func (p *pathScanner) path() []pathElem {
	out := make([]pathElem, 0, len(p.stack))
	for _, f := range p.stack {
		if f.arr {
			out = append(out, pathElem{index: f.idx})
		} else {
			out = append(out, pathElem{key: f.key, index: -1})
		}
	}
	return out
}

// done moves on in the parent after a value ended.
func (p *pathScanner) done() {
	if len(p.stack) > 0 {
		top := &p.stack[len(p.stack)-1]
		if top.arr {
			top.idx++
		} else {
			top.wantKey = true
		}
	}
}

// at returns the path at off, which must not be below the offset asked
// before (the caller starts a new scanner then).
func (p *pathScanner) at(off int) []pathElem {
	p.last = off
	if p.needDone {
		p.needDone = false
		p.done()
	}
	for !p.end {
		var tok json.Token
		var pos int
		if p.hasPend {
			tok, pos, p.hasPend = p.pend, p.pendPos, false
		} else {
			var err error
			tok, err = p.dec.Token()
			if err != nil {
				p.end = true
				break
			}
			pos = int(p.dec.InputOffset())
		}
		if n := len(p.stack); n > 0 && !p.stack[n-1].arr && p.stack[n-1].wantKey {
			if k, ok := tok.(string); ok {
				p.stack[n-1].key, p.stack[n-1].wantKey = k, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if pos >= off {
				p.pend, p.pendPos, p.hasPend = tok, pos, true
				return p.path()
			}
			p.stack = append(p.stack, pathFrame{arr: tok == json.Delim('['), wantKey: tok == json.Delim('{')})
		case json.Delim('}'), json.Delim(']'):
			if len(p.stack) > 0 {
				p.stack = p.stack[:len(p.stack)-1]
			}
			if pos >= off {
				p.needDone = true
				return p.path()
			}
			p.done()
		default:
			if pos >= off {
				p.pend, p.pendPos, p.hasPend = tok, pos, true
				return p.path()
			}
			p.done()
		}
	}
	return p.path()
}

func pathString(p []pathElem) string {
	var b strings.Builder
	for _, e := range p {
		if e.index >= 0 {
			b.WriteString("[" + strconv.Itoa(e.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.key)
	}
	return b.String()
}

// typeError reads a JSON type error (encoding/json's, or the copy inside
// sigs.k8s.io/json, which is not exported) through its fields.
func typeError(err error) (value string, typ reflect.Type, offset int, ok bool) {
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return "", nil, 0, false
	}
	s := v.Elem()
	if s.Type().Name() != "UnmarshalTypeError" {
		return "", nil, 0, false
	}
	val, t, o := s.FieldByName("Value"), s.FieldByName("Type"), s.FieldByName("Offset")
	if !val.IsValid() || !t.IsValid() || !o.IsValid() || val.Kind() != reflect.String || o.Kind() != reflect.Int64 {
		return "", nil, 0, false
	}
	typ, _ = t.Interface().(reflect.Type)
	return val.String(), typ, int(o.Int()), true
}

// want names what a Go type expects, for a message.
func want(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.String() {
	case "resource.Quantity":
		return `a quantity ("500m", "128Mi")`
	case "intstr.IntOrString":
		return "an integer or a string"
	case "v1.Time", "v1.MicroTime":
		return "an RFC 3339 time"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string (quote it)"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Pointer:
		return want(t.Elem())
	}
	return t.String()
}

// decodeError turns a decoding failure into an InputError at the line of
// the offending value. It never quotes a value.
func decodeError(err error, js []byte, kind string, src inventory.Source, lines lineFinder) inventory.InputError {
	e := inventory.InputError{Input: src.File, Line: src.Line}
	var se *secretError
	var ve *valueError
	switch {
	case errors.As(err, &se):
		e.Message = kind + " " + se.msg
	case errors.As(err, &ve):
		e.Message = fmt.Sprintf("%s: %s; fix the value (the API server rejects the object as written)", kind, ve.Error())
	default:
		value, typ, off, ok := typeError(err)
		if !ok {
			if isSyntax, soff := syntaxOffset(err); isSyntax {
				e.Line = lines.line(int(soff))
				e.Message = kind + ": invalid JSON; fix the document"
				return e
			}
			e.Message = kind + ": cannot be read; check the document against the " + kind + " schema"
			if kind != "Secret" {
				e.Message = kind + ": " + err.Error() + "; fix the value (the API server rejects the object as written)"
			}
			return e
		}
		if off > 0 {
			e.Line = lines.line(off)
		}
		value, _, _ = strings.Cut(value, " ") // "number -5": never quote values
		where := pathString(jsonPathAt(js, off))
		if where == "" {
			where = kind
		}
		e.Message = fmt.Sprintf("%s: %s %s is %s, want %s; fix the value (the API server rejects the object as written)",
			kind, where, "value", article(value), want(typ))
	}
	return e
}

func article(v string) string {
	switch v {
	case "array":
		return "a list"
	case "object":
		return "a mapping"
	case "bool":
		return "a boolean"
	case "":
		return "of another type"
	}
	return "a " + v
}

func syntaxOffset(err error) (bool, int64) {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return true, se.Offset
	}
	return false, 0
}
