package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
)

// maxPlanDepth bounds how deeply a plan or state may nest, the same bound
// as the other JSON readers (jsontree). Real plans stay far below it.
const maxPlanDepth = 512

// planShapeError is a plan whose shape decoding would hide: nesting past
// maxPlanDepth, or a key given twice with different values.
type planShapeError struct {
	line  int
	msg   string
	depth bool // nesting, not a duplicate
}

func (e *planShapeError) Error() string { return e.msg }

// checkPlanShape reads a plan's bytes once, after its syntax is checked
// and before it is decoded: encoding/json keeps the last of duplicate keys
// (and matches struct fields case-insensitively), so
// `"after": {...}, "after": {...}` or a second `"Values"` would let one
// value hide another. A key given twice with different values is an error
// naming both lines, as are two keys differing only in case where the
// decoder reads them into one struct field (planShape); in maps and in
// resource values, keys are case-sensitive and never fold. Nesting deeper than maxPlanDepth is an error (depth set).
// The scan does not check the syntax (topKeys does): on a document that is
// not JSON its answer means nothing. It is linear, allocating a map per
// object.
func checkPlanShape(data []byte) *planShapeError {
	type member struct {
		key  string
		line int
		sum  uint64
	}
	type frame struct {
		object    bool
		expectKey bool
		members   map[string]member // by key, and by folded key for the plan format's keys
		shape     planShape         // the Go type(s) the decoder reads it into
		key       string            // the key whose value is read now
		keyLine   int
		sum       uint64
	}
	var stack []*frame
	line := 1
	// done records a finished value in the frame on top.
	done := func(sum uint64) *planShapeError {
		if len(stack) == 0 {
			return nil
		}
		top := stack[len(stack)-1]
		if !top.object {
			top.sum = mix(top.sum, sum)
			return nil
		}
		top.expectKey = true
		k := top.key
		top.sum = mix(mix(top.sum, hashBytes([]byte(k))), sum)
		m := member{key: k, line: top.keyLine, sum: sum}
		ids := []string{k}
		if top.shape.folds(k) {
			ids = append(ids, "\x00"+strings.ToLower(k))
		}
		for _, id := range ids {
			if prev, ok := top.members[id]; ok && prev.sum != sum {
				what := fmt.Sprintf("key %q is given twice", k)
				if prev.key != k {
					what = fmt.Sprintf("keys %q and %q differ only in case (the plan decoder reads them as one)", prev.key, k)
				}
				return &planShapeError{line: m.line, msg: fmt.Sprintf("%s, at lines %d and %d, with different values: one would hide the other; regenerate the file with `terraform show -json PLANFILE`", what, prev.line, m.line)}
			}
			top.members[id] = m
		}
		return nil
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', ',', ':':
		case '{', '[':
			if len(stack) >= maxPlanDepth {
				return &planShapeError{line: line, depth: true, msg: fmt.Sprintf("the JSON nests more than %d levels deep: not read (a generated or hostile file?); regenerate it with `terraform show -json PLANFILE`", maxPlanDepth)}
			}
			f := &frame{object: c == '{', expectKey: c == '{', sum: uint64(c), shape: planRoot}
			if parent := topOf(stack); parent != nil {
				f.shape = parent.shape.child(parent.key, !parent.object)
			}
			if f.object {
				f.members = map[string]member{}
			}
			stack = append(stack, f)
		case '}', ']':
			if len(stack) == 0 {
				return nil // not valid JSON: topKeys has said so
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if err := done(mix(top.sum, uint64(c))); err != nil {
				return err
			}
		case '"':
			end := stringEnd(data[i:])
			if end < 0 {
				return nil
			}
			raw := data[i : i+end]
			i += end - 1
			if top := topOf(stack); top != nil && top.object && top.expectKey {
				k := string(raw[1 : len(raw)-1])
				if bytes.IndexByte(raw, '\\') >= 0 {
					_ = json.Unmarshal(raw, &k)
				}
				top.key, top.keyLine, top.expectKey = k, line, false
				continue
			}
			if err := done(hashBytes(raw)); err != nil {
				return err
			}
		default: // a number, true, false or null
			j := i
			for j < len(data) && !endsScalar(data[j]) {
				j++
			}
			sum := hashBytes(data[i:j])
			i = j - 1
			if err := done(sum); err != nil {
				return err
			}
		}
	}
	return nil
}

func endsScalar(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}', ':':
		return true
	}
	return false
}

func topOf[T any](stack []*T) *T {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// hashBytes is FNV-1a.
func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// mix folds a child's hash into its parent's, in order.
func mix(h, v uint64) uint64 {
	for range 8 {
		h ^= v & 0xff
		h *= 1099511628211
		v >>= 8
	}
	return h
}

// planShape is what encoding/json decodes a JSON value into, following
// terraform-json's types: in a struct it matches keys to fields
// case-insensitively (so two keys differing only in case are one field,
// the last one winning), in a map and under interface{} it keeps every key
// as written. types holds the candidate Go types (the root may be a plan or
// a state); an empty planShape is generic JSON, where keys never fold.
type planShape struct{ types []reflect.Type }

var (
	planRoot      = planShape{types: []reflect.Type{reflect.TypeFor[tfjson.Plan](), reflect.TypeFor[tfjson.State]()}}
	expressionT   = reflect.TypeFor[tfjson.Expression]()
	rawMessageT   = reflect.TypeFor[json.RawMessage]()
	structFieldMu sync.Mutex
	structFields  = map[reflect.Type]map[string]reflect.Type{}
)

// child is the shape of the value of key (of an object) or of an element
// (of an array: inArray, key ""), by the parent's type(s).
func (s planShape) child(key string, inArray bool) planShape {
	var out planShape
	for _, t := range s.types {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == expressionT {
			// An expression is an object (constant_value, references) or an
			// array of nested blocks (maps of expressions).
			if inArray {
				t = reflect.TypeFor[[]map[string]*tfjson.Expression]()
			} else {
				t = reflect.TypeFor[tfjson.ExpressionData]()
			}
		}
		if t == rawMessageT {
			continue
		}
		switch {
		case inArray && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			out.types = append(out.types, t.Elem())
		case !inArray && t.Kind() == reflect.Map:
			out.types = append(out.types, t.Elem())
		case !inArray && t.Kind() == reflect.Struct:
			if ft, ok := fieldsOf(t)[strings.ToLower(key)]; ok {
				out.types = append(out.types, ft)
			}
		}
	}
	return out
}

// folds tells whether key names a struct field of the shape, which the
// decoder matches whatever its case.
func (s planShape) folds(key string) bool {
	for _, t := range s.types {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == expressionT {
			t = reflect.TypeFor[tfjson.ExpressionData]()
		}
		if t.Kind() == reflect.Struct {
			if _, ok := fieldsOf(t)[strings.ToLower(key)]; ok {
				return true
			}
		}
	}
	return false
}

// fieldsOf maps the lower-case JSON names of a struct's fields (promoted
// ones from embedded structs included) to their types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	structFieldMu.Lock()
	defer structFieldMu.Unlock()
	if m, ok := structFields[t]; ok {
		return m
	}
	m := map[string]reflect.Type{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				add(ft)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, ok := m[strings.ToLower(name)]; !ok {
				m[strings.ToLower(name)] = f.Type
			}
		}
	}
	add(t)
	structFields[t] = m
	return m
}

// lineCounter turns increasing byte offsets into lines in linear time.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (l *lineCounter) at(off int64) int {
	if off > int64(len(l.data)) {
		off = int64(len(l.data))
	}
	if off > l.off {
		l.line += bytes.Count(l.data[l.off:off], []byte("\n"))
		l.off = off
	}
	return l.line
}
