// Package manifest reads Kubernetes manifests: YAML streams (multi-document,
// `---`), JSON objects, and `List` kinds, into the Kubernetes half of the
// inventory.
//
// Reading is in two steps. A line scanner cuts the stream into documents (and
// a List's items into documents of their own) and reads each document's
// top-level apiVersion and kind without parsing it. Objects no control reads
// (CustomResourceDefinitions are most of the bytes of real manifests) are
// counted and dropped there. The others are converted to JSON exactly as
// kubectl does (sigs.k8s.io/yaml: YAML 1.1 scalars, so `yes` is true and
// `0644` is 420) and decoded case-sensitively into the k8s.io/api structs,
// keeping only what the controls need. No raw YAML is kept; Secret and
// ConfigMap values are never kept.
//
// A document that is not a Kubernetes object (no apiVersion and kind: a Helm
// values file, docker-compose) is skipped and counted. A YAML syntax error or
// an object with a value of the wrong type is an InputError naming the file
// and line; the other documents of the file are still read.
package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Skip reasons, for inputs and documents that hold no Kubernetes object.
const (
	NotObject = "not a Kubernetes object"
	// PlainText: the input is not YAML key/value data at all (e.g. a Bicep
	// file or prose), which YAML reads as one string.
	PlainText = "not a Kubernetes object (plain text, not YAML key/value data)"
	Empty     = "empty file"
)

// Decode reads one input held in memory: a JSON object or List, or a YAML
// stream. The bytes of Secret objects in data are overwritten with zeros
// once decoded.
func Decode(data []byte, file string) *inventory.Batch {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return DecodeJSON(data, file)
	}
	return decode(newSplitterBytes(data), file, 1)
}

// DecodeReader reads a YAML stream from r. With workers > 1 the documents
// are decoded by that many goroutines while the stream is read; the result
// is in document order either way.
func DecodeReader(r io.Reader, file string, workers int) *inventory.Batch {
	return decode(newSplitter(r), file, workers)
}

func decode(s *splitter, file string, workers int) *inventory.Batch {
	c := &collector{file: file, k: &inventory.Kube{}}
	c.read(s, workers)
	return c.batch()
}

// read files the documents of a YAML stream.
func (c *collector) read(s *splitter, workers int) {
	file := c.file
	if workers <= 1 {
		for d := s.next(); d != nil; d = s.next() {
			c.add(process(d, file))
		}
	} else {
		type job struct {
			d   *doc
			out chan result
		}
		jobs := make(chan job, workers)
		order := make(chan chan result, 4*workers)
		for range workers {
			go func() {
				for j := range jobs {
					j.out <- processSafely(j.d, file)
				}
			}()
		}
		var panicked any
		go func() {
			// A panic while splitting ends this input with an internal
			// error (below) instead of the process.
			defer func() {
				panicked = recover()
				close(jobs)
				close(order)
			}()
			for d := s.next(); d != nil; d = s.next() {
				out := make(chan result, 1)
				if d.data == nil {
					out <- process(d, file) // nothing to decode
				} else {
					jobs <- job{d, out}
				}
				order <- out
			}
		}()
		for out := range order {
			c.add(<-out)
		}
		if panicked != nil {
			c.errs = append(c.errs, internalError(file, s.line, panicked))
		}
	}
	if s.err != nil {
		c.errs = append(c.errs, inventory.InputError{Input: file, Line: s.line, Message: "reading: " + s.err.Error()})
	}
}

// processSafely is process on a goroutine of its own: a panic is that
// document's internal error (a bug in aksguard: exit 3), not the end of
// the process.
func processSafely(d *doc, file string) (r result) {
	defer func() {
		if v := recover(); v != nil {
			r = result{item: d.item, wrapper: d.splitItems, errs: []inventory.InputError{internalError(file, max(d.first, d.line), v)}}
		}
	}()
	if processHook != nil {
		processHook(d)
	}
	return process(d, file)
}

// processHook is set by tests to make decoding a document panic.
var processHook func(d *doc)

func internalError(file string, line int, v any) inventory.InputError {
	return inventory.InputError{Input: file, Line: line, Internal: true,
		Message: fmt.Sprintf("internal error while decoding it (panic: %v): a bug in aksguard, not in the input; please report it", v)}
}

// result is what one document gave.
type result struct {
	kind    string // an object of this kind was read
	ignored bool   // ... and not decoded
	obj     any    // the decoded object
	list    bool   // a List wrapper
	wrapper bool   // a document whose items were cut out and came before it
	item    bool   // a List entry cut out of its wrapper
	skip    string // not an object: why
	line    int    // where the document starts (set for skipped ones)
	errs    []inventory.InputError
	objs    []result // the items of a List decoded whole
}

// collector files results in the batch of one input.
type collector struct {
	file    string
	k       *inventory.Kube
	errs    []inventory.InputError
	k8s     bool
	skip    string
	pending []result // entries of a List, until its wrapper says it is one
	// afterJSON, when set, is the line of a JSON object that the YAML
	// being read follows: a document there that is not an object is an
	// error (kubectl rejects it), not a skip.
	afterJSON int
	lastJSON  int // line of the last JSON object read
	// kubeconfigs are kubeconfig files: no Kubernetes objects.
	kubeconfigs []*inventory.Kubeconfig
}

func (c *collector) add(r result) {
	if r.item {
		c.pending = append(c.pending, r)
		return
	}
	if r.wrapper {
		if r.list {
			for _, p := range c.pending {
				c.apply(p)
			}
		}
		c.pending = nil
	}
	c.apply(r)
}

func (c *collector) apply(r result) {
	c.errs = append(c.errs, r.errs...)
	if r.list {
		c.k8s = true
	}
	if kc, ok := r.obj.(*inventory.Kubeconfig); ok {
		c.kubeconfigs = append(c.kubeconfigs, kc)
		return
	}
	if r.kind != "" {
		c.k8s = true
		inventory.Count(&c.k.Objects, r.kind)
		if r.ignored {
			inventory.Count(&c.k.Ignored, r.kind)
		}
		if r.obj != nil {
			add(c.k, r.obj)
		}
	}
	if r.skip != "" && c.afterJSON > 0 {
		c.errs = append(c.errs, inventory.InputError{Input: c.file, Line: max(r.line, c.afterJSON), Message: fmt.Sprintf(
			"text after the JSON object of line %d: %s; remove it (kubectl rejects the file)", c.afterJSON, r.skip)})
	} else if r.skip != "" {
		inventory.Count(&c.k.Skipped, r.skip)
		if c.skip == "" {
			c.skip = r.skip
		}
	}
	for _, o := range r.objs {
		c.apply(o)
	}
}

func (c *collector) batch() *inventory.Batch {
	for _, p := range c.pending { // entries of a wrapper that never ended
		c.apply(p)
	}
	b := &inventory.Batch{Errors: c.errs, Kubeconfigs: c.kubeconfigs}
	switch {
	case len(c.kubeconfigs) > 0 && !c.k8s:
	case c.k8s:
		c.k.Inputs = 1
		b.Kube = c.k
	case len(c.errs) == 0 && c.skip != "":
		b.Skipped = c.skip
	case len(c.errs) == 0:
		b.Skipped = Empty
	}
	return b
}

// process decodes one document.
func process(d *doc, file string) result {
	src := inventory.Source{File: file, Line: max(d.first, d.line)}
	r := result{item: d.item, wrapper: d.splitItems, line: src.Line}
	switch d.state {
	case stateNotObject:
		r.skip = NotObject
		return r
	case stateText:
		r.skip = PlainText
		return r
	case stateKnown:
		c := d.class
		switch {
		case c.skip != "":
			r.skip = c.skip
			return r
		case c.list && d.splitItems:
			r.list = true
			if l := d.itemsLines; len(l) > 1 {
				// Both lists of entries are judged; kubectl would
				// create the last only.
				r.errs = append(r.errs, inventory.InputError{Input: file, Line: l[1], Message: dupMessage("items", l[0], l[1])})
			}
			return r
		case c.reject != "":
			out := rejected(d.kind, c, src)
			out.item, out.wrapper = r.item, r.wrapper
			return out
		case c.decode == nil && !c.list:
			r.kind, r.ignored = d.kind, true
			return r
		}
	}
	if useLean && d.state == stateKnown && d.class.lean != nil {
		if obj, ok := leanDecode(d.data, d.item, d.class, src, d.apiVersion, d.kind); ok {
			d.data = nil
			return result{kind: d.kind, obj: obj, item: r.item, wrapper: r.wrapper, line: r.line}
		}
	}
	raw := d.data
	js, err := d.toJSON()
	d.data = nil
	if err != nil {
		if d.class.secret {
			wipe(raw)
		}
		if d.state == stateParse && !mentionsObject(err.raw) {
			r.skip = NotObject
			return r
		}
		if d.state == stateKnown {
			r.kind = d.kind
		}
		msg := "invalid YAML: " + err.msg + "; fix the document (indentation, quoting, a ':' in a plain value)"
		if err.checked {
			msg = err.msg
		}
		r.errs = append(r.errs, inventory.InputError{Input: file, Line: d.line + err.line - 1, Message: msg})
		return r
	}
	lines := &yamlLines{d: d, raw: raw, js: js}
	depth := 0
	if d.item {
		depth = 1
	}
	out := handleAt(js, d.state == stateKnown, d.apiVersion, d.kind, d.class, src, lines, depth)
	if d.class.secret || out.kind == "Secret" {
		wipe(js)
		wipe(raw)
	}
	out.item, out.wrapper, out.line = r.item, r.wrapper, r.line
	return out
}

// useLean: documents of the kinds that have a lean decoder are decoded
// with it first (tests turn it off to compare with the full path).
var useLean = true

// rejected is an object the API server would refuse (class.reject): counted,
// not judged, and reported at its line.
func rejected(kind string, c class, src inventory.Source) result {
	return result{kind: kind, ignored: true, errs: []inventory.InputError{{Input: src.File, Line: src.Line, Message: c.reject}}}
}

// syntaxError is a YAML error with its line in the document.
type syntaxError struct {
	line int
	msg  string
	raw  []byte
	// checked: found by checkYAML in YAML that parses (msg says all).
	checked bool
}

var lineInMsg = regexp.MustCompile(`^(?:error converting YAML to JSON: )?yaml: line (\d+): (.*)$`)

// toJSON converts the document as kubectl does; a List entry comes back as
// the entry itself.
func (d *doc) toJSON() ([]byte, *syntaxError) {
	js, ok := fastJSON(d.data)
	var err error
	if !ok {
		// Measured and checked before sigs.k8s.io/yaml builds it.
		root, problem, perr := checkYAML(d.data)
		if problem != nil {
			msg := problem.message(d.line)
			if d.class.secret {
				msg = redactQuoted(msg)
			}
			return nil, &syntaxError{line: problem.line, msg: msg, raw: d.data, checked: true}
		}
		js, err = yaml.YAMLToJSON(d.data)
		if err == nil && perr != nil {
			// Read by one parser and not the other: what it means
			// cannot be checked, so it is not read.
			err = perr
		}
		d.root = root
	}
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
		line := 1
		if m := lineInMsg.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		if d.class.secret {
			msg = redactQuoted(msg)
		}
		// The parser may name the line after the last one (at the end of
		// input).
		last := bytes.Count(bytes.TrimRight(d.data, "\n"), []byte{'\n'}) + 1
		return nil, &syntaxError{line: min(max(line, 1), last), msg: msg, raw: d.data}
	}
	if d.item && len(js) >= 2 && js[0] == '[' && js[len(js)-1] == ']' {
		js = js[1 : len(js)-1]
	}
	return js, nil
}

// mentionsObject reports whether a document that did not parse could have
// been a Kubernetes object; if not, it is skipped rather than reported.
func mentionsObject(raw []byte) bool {
	return bytes.Contains(raw, []byte("apiVersion")) && bytes.Contains(raw, []byte("kind"))
}

var quoted = regexp.MustCompile("`[^`]*`|\"[^\"]*\"|'[^']*'")

// redactQuoted drops quoted text from a parser message about a Secret.
func redactQuoted(msg string) string { return quoted.ReplaceAllString(msg, "`...`") }

// header is what is read of an object before choosing its decoder.
type header struct {
	APIVersion any             `json:"apiVersion"`
	Kind       any             `json:"kind"`
	Items      json.RawMessage `json:"items"`
}

// handle decodes one object (or List) given as JSON. known says apiVersion,
// kind and c were read by the scanner.
func handle(js []byte, known bool, apiVersion, kind string, c class, src inventory.Source, lines lineFinder) result {
	return handleAt(js, known, apiVersion, kind, c, src, lines, 0)
}

// MaxListDepth is how deeply Lists may nest in one another (a List inside
// a List is depth 2). kubectl flattens nested Lists at any depth, and so
// does the reader, up to this bound.
const MaxListDepth = 32

// handleAt is handle for an object depth Lists down (0: not in a List).
func handleAt(js []byte, known bool, apiVersion, kind string, c class, src inventory.Source, lines lineFinder, depth int) result {
	var r result
	t := bytes.TrimSpace(js)
	if len(t) == 0 || string(t) == "null" {
		return r
	}
	if t[0] != '{' {
		r.skip = NotObject
		if t[0] == '"' {
			r.skip = PlainText
		}
		return r
	}
	var items json.RawMessage
	if !known || c.list {
		var h header
		if unmarshal(js, &h) != nil {
			r.skip = NotObject
			return r
		}
		av, _ := h.APIVersion.(string)
		k, _ := h.Kind.(string)
		if av == "" || k == "" {
			r.skip = NotObject
			return r
		}
		apiVersion, kind, c, items = av, k, classify(av, k), h.Items
	}
	if checkDups(lines) && c.skip == "" {
		// Of a List, only its own keys: its items are checked as objects.
		if d := dupJSONKey(js, c.list); d != nil {
			if !c.list {
				r.kind, r.ignored = kind, true
			}
			first, second := lines.line(d.first), lines.line(d.second)
			r.errs = append(r.errs, inventory.InputError{Input: src.File, Line: second, Message: dupMessage(d.key, first, second)})
			return r
		}
	}
	switch {
	case c.skip != "":
		r.skip = c.skip
		return r
	case c.list && len(items) > 0 && items[0] == '[':
		r.list = true
		if depth >= MaxListDepth {
			r.errs = append(r.errs, inventory.InputError{Input: src.File, Line: src.Line, Message: fmt.Sprintf(
				"%s: Lists nested more than %d deep; the items of this one are not read: flatten the Lists", kind, MaxListDepth)})
			return r
		}
		off := valueOffset(js, "items")
		if off < 0 || off+len(items) > len(js) || !bytes.Equal(js[off:off+len(items)], items) {
			return r
		}
		r.objs = decodeItems(js[off:off+len(items)], off, src, lines, depth+1)
		return r
	case c.list && (len(items) == 0 || string(items) == "null"):
		r.list = true
		return r
	}
	if c.reject != "" {
		return rejected(kind, c, src)
	}
	r.kind = kind
	if c.decode == nil {
		r.ignored = true
		return r
	}
	obj, err := c.decode(js, src, c)
	if err != nil {
		r.errs = append(r.errs, decodeError(err, js, kind, src, lines))
		return r
	}
	if m := metaOf(obj); known && m != nil && (m.Kind != kind || m.APIVersion != apiVersion) {
		// The scanner misread the document: decide again from the object.
		return handleAt(js, false, "", "", class{}, src, lines, depth)
	}
	r.obj = obj
	return r
}

// decodeItems decodes the entries of a List given as a JSON array that
// starts at byte base of the JSON the line finder reads; depth is theirs.
func decodeItems(items []byte, base int, src inventory.Source, lines lineFinder, depth int) []result {
	dec := json.NewDecoder(bytes.NewReader(items))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	var out []result
	for dec.More() {
		off := skipSep(items, int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil || off+len(raw) > len(items) {
			break
		}
		isrc := src
		isrc.Line = lines.line(base + off)
		r := handleAt(items[off:off+len(raw)], false, "", "", class{}, isrc, shifted{lines, base + off}, depth)
		if r.kind == "Secret" {
			wipe(items[off : off+len(raw)])
			wipe(raw)
		}
		out = append(out, r)
	}
	return out
}

// skipSep moves past whitespace, commas and colons to the start of a value.
func skipSep(b []byte, off int) int {
	for off < len(b) && (b[off] == ' ' || b[off] == '\n' || b[off] == '\r' || b[off] == '\t' || b[off] == ',' || b[off] == ':') {
		off++
	}
	return off
}

// valueOffset returns where the value of a top-level key starts in a JSON
// object, or -1.
func valueOffset(js []byte, key string) int {
	dec := json.NewDecoder(bytes.NewReader(js))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return -1
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return -1
		}
		if k, _ := t.(string); k == key {
			return skipSep(js, int(dec.InputOffset()))
		}
		var skip skipValue
		if dec.Decode(&skip) != nil {
			return -1
		}
	}
	return -1
}

// DecodeJSON reads JSON Kubernetes objects or Lists as kubectl does
// (k8s.io/apimachinery's YAMLOrJSONDecoder): a stream of JSON objects, or
// one JSON object followed by a YAML stream (a "---" and YAML documents).
// Whatever follows that cannot be read so is an input error at its line,
// never dropped. The bytes of Secret objects in data are overwritten with
// zeros once decoded.
func DecodeJSON(data []byte, file string) *inventory.Batch {
	c := &collector{file: file, k: &inventory.Kube{}}
	lines := &jsonLines{data: data, base: 1}
	off := skipSpace(data, 0)
	for n := 0; off < len(data); n++ {
		end := objectEnd(data, off)
		if end < 0 || !json.Valid(data[off:end]) {
			if n == 0 && off == skipSpace(data, 0) {
				// Not JSON after all: a YAML stream (flow style).
				c.read(newSplitterBytes(data), 1)
				return c.batch()
			}
			if n == 1 {
				// kubectl reads the rest as YAML.
				s := newSplitterBytes(data[off:])
				s.line = lines.line(off) - 1
				c.afterJSON = c.errsLine(lines, off)
				c.read(s, 1)
				return c.batch()
			}
			c.errs = append(c.errs, inventory.InputError{Input: file, Line: lines.line(off), Message: fmt.Sprintf(
				"after %d JSON objects, what follows is not a JSON object; fix or remove it (kubectl stops here)", n)})
			return c.batch()
		}
		value := data[off:end]
		line := lines.line(off)
		src := inventory.Source{File: file, Line: line}
		vl := &jsonLines{data: value, base: line}
		// Most input has no duplicate key: then objects are not checked
		// one by one.
		vl.dups = dupJSONKey(value, false) != nil
		r := handle(value, false, "", "", class{}, src, vl)
		if r.kind == "Secret" {
			wipe(value)
		}
		c.add(r)
		c.lastJSON = line
		off = skipSpace(data, end)
	}
	return c.batch()
}

// objectEnd returns the end of the JSON object that starts at off (found by
// matching brackets outside strings, without copying: the caller
// validates it), or -1.
func objectEnd(data []byte, off int) int {
	if off >= len(data) || data[off] != '{' {
		return -1
	}
	depth := 0
	for i := off; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		case '"':
			if i = stringEnd(data, i) - 1; i < 0 {
				return -1
			}
		}
	}
	return -1
}

// errsLine is the line of the JSON object before off.
func (c *collector) errsLine(lines *jsonLines, off int) int {
	if c.lastJSON > 0 {
		return c.lastJSON
	}
	return lines.line(off)
}

// skipSpace moves past JSON whitespace.
func skipSpace(b []byte, off int) int {
	for off < len(b) && (b[off] == ' ' || b[off] == '\n' || b[off] == '\r' || b[off] == '\t') {
		off++
	}
	return off
}

// metaOf returns the Meta of a decoded object.
func metaOf(obj any) *inventory.Meta {
	switch o := obj.(type) {
	case *inventory.Workload:
		return &o.Meta
	case *inventory.Namespace:
		return &o.Meta
	case *inventory.Service:
		return &o.Meta
	case *inventory.Ingress:
		return &o.Meta
	case *inventory.NetworkPolicy:
		return &o.Meta
	case *inventory.ServiceAccount:
		return &o.Meta
	case *inventory.Role:
		return &o.Meta
	case *inventory.RoleBinding:
		return &o.Meta
	case *inventory.Secret:
		return &o.Meta
	case *inventory.ConfigMap:
		return &o.Meta
	case *inventory.Node:
		return &o.Meta
	case *inventory.AdmissionPolicy:
		return &o.Meta
	case *inventory.AdmissionPolicyBinding:
		return &o.Meta
	case *inventory.Constraint:
		return &o.Meta
	case *inventory.ConstraintTemplate:
		return &o.Meta
	case *inventory.VulnerabilityReport:
		return &o.Meta
	case *inventory.AzureIdentity:
		return &o.Meta
	case *inventory.AzureIdentityBinding:
		return &o.Meta
	}
	return nil
}

// IsObject is the rule that tells a Kubernetes object (or List) from other
// JSON by its top level: string apiVersion and kind, and none of the marks
// of an ARM resource or template (a properties, $schema or resources key,
// an apiVersion that is a date).
func IsObject(apiVersion, kind string, armMarks bool) bool {
	return !armMarks && apiVersion != "" && kind != "" && (apiVersion[0] < '0' || apiVersion[0] > '9')
}

// IsObjectJSON applies IsObject to JSON data, reading only its top level
// (values are skipped, not decoded). Invalid JSON is not an object.
func IsObjectJSON(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	var apiVersion, kind string
	arm := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		var err2 error
		switch t {
		case "apiVersion":
			var v any
			err2 = dec.Decode(&v)
			apiVersion, _ = v.(string)
		case "kind":
			var v any
			err2 = dec.Decode(&v)
			kind, _ = v.(string)
		case "properties", "$schema", "resources":
			arm = true
			fallthrough
		default:
			var skip skipValue
			err2 = dec.Decode(&skip)
		}
		if err2 != nil {
			return false
		}
	}
	if _, err := dec.Token(); err != nil {
		return false
	}
	return IsObject(apiVersion, kind, arm)
}

// DecodeItems decodes the items of one page of a LIST from an API server:
// objects of one apiVersion and kind, which a server sends without their
// apiVersion and kind. Each item is decoded directly (no List wrapper, no
// line numbers: live objects have none); the bytes of Secret items are
// overwritten with zeros once decoded.
func DecodeItems(items []json.RawMessage, apiVersion, kind, file string) *inventory.Batch {
	c := &collector{file: file, k: &inventory.Kube{}}
	cl := classify(apiVersion, kind)
	src := inventory.Source{File: file}
	head := []byte(`{"apiVersion":"` + apiVersion + `","kind":"` + kind + `"`)
	var buf []byte
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) < 2 || it[0] != '{' {
			continue
		}
		buf = append(buf[:0], head...)
		if rest := bytes.TrimSpace(it[1:]); len(rest) > 0 && rest[0] != '}' {
			buf = append(buf, ',')
		}
		buf = append(buf, it[1:]...)
		r := handle(buf, true, apiVersion, kind, cl, src, noLines{})
		if cl.secret {
			wipe(buf)
			wipe(it)
		}
		c.add(r)
	}
	return c.batch()
}

// noLines is the line finder of input without lines.
type noLines struct{}

func (noLines) line(int) int { return 0 }

// DecodeSecretMetadata reads the items of a Secret LIST fetched as
// PartialObjectMetadataList: names, labels and annotations, never data.
// Their metadata is kept exactly as for a Secret manifest (the
// last-applied-configuration annotation, a copy of the data, dropped).
func DecodeSecretMetadata(items []json.RawMessage, file string) *inventory.Batch {
	k := &inventory.Kube{}
	cl := classify("v1", "Secret")
	src := inventory.Source{File: file}
	for _, it := range items {
		var o objectJSON
		if unmarshal(it, &o) != nil {
			continue
		}
		o.APIVersion, o.Kind = "v1", "Secret"
		inventory.Count(&k.Objects, "Secret")
		k.Secrets = append(k.Secrets, &inventory.Secret{Meta: o.meta(src, cl), MetadataOnly: true})
	}
	return &inventory.Batch{Kube: k}
}
