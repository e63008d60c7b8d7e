package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	yaml3 "go.yaml.in/yaml/v3"
)

// Bounds on what one YAML document may make the parser build. The YAML
// parsers bound nesting at 10,000 levels and aliases by their count
// relative to the nodes decoded, not by the bytes an alias copies: a 2 MB
// document of aliases to a large scalar expands past 5 GB. A document that
// the fast converter does not read is therefore first parsed into nodes
// (aliases are pointers there, not copies), and measured.
const (
	// MaxNesting is how deeply mappings and sequences may nest in one
	// document (Kubernetes objects nest a few dozen levels).
	MaxNesting = 512
	// MaxAliasBytes is how many bytes the aliases of one document may
	// add when they are expanded (about the size of the JSON they make).
	MaxAliasBytes = 32 << 20
)

// yamlProblem is what checkYAML found, at a line of the document.
type yamlProblem struct {
	line int
	msg  string
	// A key given twice: the key and the line of its first use.
	key   string
	first int
	// huge: the values were too large to compare.
	huge bool
}

// dupMessage says that a key is given twice.
func dupMessage(key string, first, second int) string {
	return fmt.Sprintf("key %q is given twice (lines %d and %d) with different values; keep one (kubectl would silently use the last)", key, first, second)
}

// message says the problem, with lines shifted by base-1 (the line of the
// document in its file).
func (p *yamlProblem) message(base int) string {
	if p.key != "" && p.huge {
		return fmt.Sprintf("key %q is given twice (lines %d and %d) with values too large to compare; keep one", p.key, base+p.first-1, base+p.line-1)
	}
	if p.key != "" {
		return dupMessage(p.key, base+p.first-1, base+p.line-1)
	}
	return p.msg
}

// checkYAML parses a YAML document into nodes and checks it before it is
// converted as kubectl converts it: no key twice in a mapping with
// different values (sigs.k8s.io/yaml keeps the last silently, so a second
// `privileged: false` would hide the first), nesting within MaxNesting,
// and aliases that expand to at most MaxAliasBytes. It returns the parsed
// root, or the parser's error (the caller's converter reports syntax).
func checkYAML(data []byte) (*yaml3.Node, *yamlProblem, error) {
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	var root yaml3.Node
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return nil, nil, err
	}
	c := yamlChecker{sizes: map[*yaml3.Node]int64{}}
	c.size(&root, 0)
	if c.problem != nil {
		return &root, c.problem, nil
	}
	// The converter reads the first node and ignores what follows it
	// ("{a: 1}\n{b: 2}"): kubectl would drop it silently.
	var more yaml3.Node
	if err := dec.Decode(&more); err != io.EOF {
		line := more.Line
		if err != nil {
			line = 0
			if m := lineInMsg.FindStringSubmatch(err.Error()); m != nil {
				line, _ = strconv.Atoi(m[1])
			}
		}
		return &root, &yamlProblem{line: max(line, 1), msg: "more text follows the document's value, which ends on this line; kubectl ignores that text: remove it, or start a document of its own with ---"}, nil
	}
	return &root, nil, nil
}

// YAMLError is a problem CheckYAML found, at a line of its input.
type YAMLError struct {
	Line    int
	Message string
}

func (e *YAMLError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// CheckYAML applies the checks of manifests (duplicate keys, nesting,
// alias expansion) to other YAML, such as Helm values files, before it is
// parsed into values. The error is a *YAMLError.
func CheckYAML(data []byte) error {
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	for {
		var root yaml3.Node
		if err := dec.Decode(&root); err != nil {
			return nil // the end, or a syntax error the caller's parser reports
		}
		c := yamlChecker{sizes: map[*yaml3.Node]int64{}}
		c.size(&root, 0)
		if c.problem != nil {
			return &YAMLError{Line: c.problem.line, Message: c.problem.message(1)}
		}
	}
}

type yamlChecker struct {
	sizes   map[*yaml3.Node]int64 // expanded sizes of anchored nodes
	busy    map[*yaml3.Node]bool  // anchored nodes being measured
	aliased int64                 // bytes the aliases add
	problem *yamlProblem
}

func (c *yamlChecker) fail(n *yaml3.Node, format string, args ...any) int64 {
	if c.problem == nil {
		c.problem = &yamlProblem{line: max(n.Line, 1), msg: fmt.Sprintf(format, args...)}
	}
	return MaxAliasBytes + 1
}

// size returns the bytes a node expands to, checking it on the way; it
// stops counting at the first problem.
func (c *yamlChecker) size(n *yaml3.Node, depth int) int64 {
	if c.problem != nil {
		return MaxAliasBytes + 1
	}
	if depth > MaxNesting {
		return c.fail(n, "nested more than %d levels deep; no Kubernetes object is", MaxNesting)
	}
	if n.Anchor != "" {
		if s, ok := c.sizes[n]; ok {
			return s
		}
		if c.busy[n] {
			return c.fail(n, "the anchor %q is used inside itself", n.Anchor)
		}
		if c.busy == nil {
			c.busy = map[*yaml3.Node]bool{}
		}
		c.busy[n] = true
		defer delete(c.busy, n)
	}
	var s int64
	switch n.Kind {
	case yaml3.ScalarNode:
		s = int64(len(n.Value)) + 8
	case yaml3.AliasNode:
		if n.Alias == nil {
			return 8
		}
		s = c.size(n.Alias, depth+1)
		c.aliased += s
		if c.aliased > MaxAliasBytes {
			return c.fail(n, "its aliases expand to more than %d MiB (the limit of one document); write the values out or use fewer aliases", MaxAliasBytes>>20)
		}
	case yaml3.MappingNode:
		c.duplicates(n, depth)
		fallthrough
	default: // documents and sequences
		s = 8
		for _, ch := range n.Content {
			s += c.size(ch, depth+1)
			if s > MaxAliasBytes {
				s = MaxAliasBytes + 1 // saturate: no overflow
			}
		}
	}
	if n.Anchor != "" {
		c.sizes[n] = s
	}
	return s
}

// duplicates reports a key given twice in a mapping with different values.
// Keys are compared exactly (Kubernetes field names are case-sensitive);
// merge keys (<<) are YAML's way to override and are left alone.
func (c *yamlChecker) duplicates(n *yaml3.Node, depth int) {
	if len(n.Content) < 4 || c.problem != nil {
		return
	}
	var seen map[string]int
	if len(n.Content) > 16 {
		seen = make(map[string]int, len(n.Content)/2)
	}
	var names []string // the JSON keys, by pair
	if seen == nil {
		names = make([]string, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml3.ScalarNode || isMerge(k) {
			continue
		}
		name := jsonKeyOf(k)
		j := -1
		if seen != nil {
			if p, ok := seen[name]; ok {
				j = p
			}
			seen[name] = i
		} else {
			names[i/2] = name
			for p := i - 2; p >= 0; p -= 2 {
				if q := n.Content[p]; q.Kind == yaml3.ScalarNode && names[p/2] == name && !isMerge(q) {
					j = p
					break
				}
			}
		}
		budget := maxCompare
		if j >= 0 && !sameNode(n.Content[j+1], n.Content[i+1], depth, &budget) {
			c.fail(k, "")
			c.problem.key, c.problem.first, c.problem.huge = k.Value, n.Content[j].Line, budget < 0
			return
		}
	}
}

// maxCompare bounds the nodes sameNode visits: aliases make a small
// document a large tree (billion laughs). Past it, values count as
// different.
const maxCompare = 100_000

// sameNode reports whether two nodes have the same value, visiting at most
// *budget nodes.
func sameNode(a, b *yaml3.Node, depth int, budget *int) bool {
	if *budget--; *budget < 0 {
		return false
	}
	for a.Kind == yaml3.AliasNode && a.Alias != nil && depth <= 2*MaxNesting {
		a, depth = a.Alias, depth+1
	}
	for b.Kind == yaml3.AliasNode && b.Alias != nil && depth <= 2*MaxNesting {
		b, depth = b.Alias, depth+1
	}
	if a == b {
		return true
	}
	if depth > 2*MaxNesting || a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml3.ScalarNode {
		return a.Value == b.Value && a.ShortTag() == b.ShortTag()
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i], depth+1, budget) {
			return false
		}
	}
	return true
}

// isMerge reports whether a key is the merge key <<.
func isMerge(k *yaml3.Node) bool {
	return k.Tag == "!!merge" || k.Tag == "tag:yaml.org,2002:merge" || (k.Value == "<<" && k.Style == 0 && k.Tag == "")
}

// jsonDup is a key given twice in one JSON object with different values:
// the offsets of both keys.
type jsonDup struct {
	key           string
	first, second int
}

// dupJSONKey finds the first key given twice with different values in one
// object of a JSON value (encoding/json and sigs.k8s.io/json keep the last
// silently). With shallow, only the outermost object's keys are compared.
// It does not validate: on malformed JSON it stops and the decoder reports.
// The scan is iterative and linear in the input.
func dupJSONKey(data []byte, shallow bool) *jsonDup {
	type member struct {
		name       []byte
		keyOff     int
		start, end int // the value
	}
	type frame struct {
		obj     bool
		wantKey bool
		start   int // of the container
		name    []byte
		keyOff  int
		members []member
		index   map[string]int // members by name, for large objects
	}
	var stack []frame
	push := func(obj bool, start int) {
		if len(stack) < cap(stack) {
			stack = stack[:len(stack)+1]
			f := &stack[len(stack)-1]
			*f = frame{obj: obj, wantKey: obj, start: start, members: f.members[:0]}
			return
		}
		stack = append(stack, frame{obj: obj, wantKey: obj, start: start})
	}
	// ended files a value that ended, in the object that holds it.
	ended := func(start, end int) *jsonDup {
		if len(stack) == 0 {
			return nil
		}
		f := &stack[len(stack)-1]
		if !f.obj || f.wantKey {
			return nil
		}
		f.wantKey = true
		if shallow && len(stack) > 1 {
			return nil
		}
		m := member{name: f.name, keyOff: f.keyOff, start: start, end: end}
		prev := -1
		if f.index != nil {
			if p, ok := f.index[string(m.name)]; ok {
				prev = p
			}
		} else {
			for p := range f.members {
				if bytes.Equal(f.members[p].name, m.name) {
					prev = p
					break
				}
			}
		}
		if prev >= 0 {
			o := f.members[prev]
			if !sameJSON(data[o.start:o.end], data[start:end]) {
				return &jsonDup{key: string(m.name), first: o.keyOff, second: m.keyOff}
			}
			return nil
		}
		f.members = append(f.members, m)
		if f.index == nil && len(f.members) > 16 {
			f.index = make(map[string]int, 32)
			for p := range f.members {
				f.index[string(f.members[p].name)] = p
			}
		} else if f.index != nil {
			f.index[string(m.name)] = len(f.members) - 1
		}
		return nil
	}
	for i := 0; i < len(data); {
		switch c := data[i]; c {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		case '{', '[':
			push(c == '{', i)
			i++
		case '}', ']':
			if len(stack) == 0 {
				return nil
			}
			start := stack[len(stack)-1].start
			stack = stack[:len(stack)-1]
			i++
			if d := ended(start, i); d != nil {
				return d
			}
		case '"':
			end := stringEnd(data, i)
			if end < 0 {
				return nil
			}
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].wantKey {
				f := &stack[n-1]
				f.name, f.keyOff, f.wantKey = keyName(data[i:end]), i, false
				i = end
				continue
			}
			if d := ended(i, end); d != nil {
				return d
			}
			i = end
		default:
			j := i
			for j < len(data) && !jsonDelim[data[j]] {
				j++
			}
			if j == i {
				return nil
			}
			if d := ended(i, j); d != nil {
				return d
			}
			i = j
		}
	}
	return nil
}

// stringEnd returns the offset after the JSON string that starts at i, or -1.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// keyName decodes a JSON string (a key) as the decoders do.
func keyName(s []byte) []byte {
	if bytes.IndexByte(s, '\\') < 0 {
		return s[1 : len(s)-1]
	}
	var k string
	if json.Unmarshal(s, &k) != nil {
		return s
	}
	return []byte(k)
}

// sameJSON reports whether two JSON values are the same text but for
// whitespace.
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// jsonDelim marks the bytes that end a JSON number or literal.
var jsonDelim = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, ',': true, ':': true, ']': true, '}': true, '[': true, '{': true, '"': true}

// jsonKeyOf is the JSON key sigs.k8s.io/yaml makes of a scalar key: a
// plain key that YAML 1.1 reads as a boolean, null or a number becomes its
// JSON spelling ("on" and "true" are both the key "true"); other keys are
// their text, case-sensitive.
func jsonKeyOf(k *yaml3.Node) (name string) {
	if k.Style != 0 && k.Style != yaml3.FlowStyle || k.Value == "" {
		return k.Value
	}
	switch c := k.Value[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == '~',
		c == 'y', c == 'Y', c == 'n', c == 'N', c == 't', c == 'T', c == 'f', c == 'F', c == 'o', c == 'O':
	default:
		return k.Value // cannot be anything but a string
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			name = k.Value // timestamps and the like: their text
		}
	}()
	if t, _ := resolvePlain(k.Value); t == 's' {
		return k.Value
	}
	return string(appendPlain(nil, []byte(k.Value)))
}
