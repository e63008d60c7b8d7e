package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"reflect"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// maxPlanDepth bounds how deeply a plan or state may nest, the same bound
// as the other JSON readers (jsontree). Real plans stay far below it.
const maxPlanDepth = 512

// planShapeError is a plan whose shape decoding would hide: nesting past
// maxPlanDepth, or a key given twice with different values.
type planShapeError struct {
	line int
	msg  string
}

func (e *planShapeError) Error() string { return e.msg }

// checkPlanShape reads a plan's tokens once, before it is decoded:
// encoding/json keeps the last of duplicate keys (and matches struct fields
// case-insensitively), so `"after": {...}, "after": {...}` or a second
// `"Values"` would let one value hide another. A key given twice with
// different values is an error naming both lines, as is a key of the plan
// format given twice in different case. Nesting deeper than maxPlanDepth is
// an error before any decoder recurses. Syntax errors are left to the
// decoder, which reports them.
func checkPlanShape(data []byte) *planShapeError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type member struct {
		key  string
		line int
		sum  uint64
	}
	type frame struct {
		object    bool
		expectKey bool
		members   map[string]member // by key, and by folded key for the plan format's keys
		key       string            // the key whose value is read now
		keyLine   int
		h         hash.Hash64
	}
	var stack []*frame
	lines := lineCounter{data: data, line: 1}
	// done records a finished value in the frame on top.
	done := func(sum uint64) *planShapeError {
		if len(stack) == 0 {
			return nil
		}
		top := stack[len(stack)-1]
		if !top.object {
			writeSum(top.h, sum)
			return nil
		}
		top.expectKey = true
		k := top.key
		io.WriteString(top.h, k)
		writeSum(top.h, sum)
		m := member{key: k, line: top.keyLine, sum: sum}
		for _, id := range memberIDs(k) {
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
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or a syntax error the decoder reports with its place
		}
		off := dec.InputOffset()
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) >= maxPlanDepth {
					return &planShapeError{line: lines.at(off), msg: fmt.Sprintf("the JSON nests more than %d levels deep: not read (a generated or hostile file?); regenerate it with `terraform show -json PLANFILE`", maxPlanDepth)}
				}
				h := fnv.New64a()
				h.Write([]byte{byte(d)})
				stack = append(stack, &frame{object: d == '{', expectKey: d == '{', members: map[string]member{}, h: h})
			default:
				stack = stack[:len(stack)-1]
				if err := done(top.h.Sum64()); err != nil {
					return err
				}
			}
			continue
		}
		if top != nil && top.object && top.expectKey {
			top.key, top.keyLine, top.expectKey = tok.(string), lines.at(off), false
			continue
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%T:%v", tok, tok)
		if err := done(h.Sum64()); err != nil {
			return err
		}
	}
}

func writeSum(h hash.Hash64, sum uint64) {
	var b [8]byte
	for i := range b {
		b[i] = byte(sum >> (8 * i))
	}
	h.Write(b[:])
}

// memberIDs are the names a key is recorded under: itself, and its folded
// form when that is a key of the plan format, which encoding/json matches
// case-insensitively.
func memberIDs(k string) []string {
	if f := strings.ToLower(k); planKeys[f] {
		return []string{k, "\x00" + f}
	}
	return []string{k}
}

// planKeys are the JSON keys of the plan and state formats (the json tags
// of terraform-json's types).
var planKeys = func() map[string]bool {
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				keys[strings.ToLower(name)] = true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(tfjson.Plan{}))
	walk(reflect.TypeOf(tfjson.State{}))
	return keys
}()

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
