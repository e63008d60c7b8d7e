package armexpr

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// stringFunctions: concat (of strings, or of arrays), format, toLower,
// toUpper, trim, string.
func stringFunctions() map[string]builtin {
	return map[string]builtin{
		"concat":     {min: 0, max: -1, placeholders: true, fn: fnConcat},
		"format":     {min: 1, max: -1, placeholders: true, fn: fnFormat},
		"tolower":    {min: 1, max: 1, fn: fnCase},
		"toupper":    {min: 1, max: 1, fn: fnCase},
		"trim":       {min: 1, max: 1, fn: fnCase},
		"string":     {min: 1, max: 1, placeholders: true, fn: fnString},
		"split":      {min: 2, max: 2, fn: fnSplit},
		"replace":    {min: 3, max: 3, fn: fnReplace},
		"startswith": {min: 2, max: 2, fn: fnAffix},
		"endswith":   {min: 2, max: 2, fn: fnAffix},
		"join":       {min: 2, max: 2, fn: fnJoin},
	}
}

func fnSplit(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	str, ok := args[0].AsString()
	if !ok || args[0].Kind != jsontree.String {
		return nil, failf("split() takes a string")
	}
	var seps []string
	switch d := args[1]; {
	case d != nil && d.Kind == jsontree.String:
		seps = []string{d.Str}
	case d != nil && d.Kind == jsontree.Array:
		for _, it := range d.Items {
			if it == nil || it.Kind != jsontree.String {
				return nil, failf("split() takes string delimiters")
			}
			seps = append(seps, it.Str)
		}
	default:
		return nil, failf("split() takes a delimiter string or array")
	}
	if err := s.scan(len(str), 0); err != nil {
		return nil, err
	}
	parts := []string{str}
	for _, sep := range seps {
		if sep == "" {
			continue
		}
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	if err := s.step(len(parts)); err != nil {
		return nil, err
	}
	out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
	for _, p := range parts {
		n, err := s.newStr(p, c.line)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, n)
	}
	return out, nil
}

func fnReplace(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	var t [3]string
	for i, a := range args {
		if a == nil || a.Kind != jsontree.String {
			return nil, failf("replace() takes strings")
		}
		t[i] = a.Str
	}
	if err := s.scan(len(t[0]), 0); err != nil {
		return nil, err
	}
	if t[1] == "" {
		return s.newStr(t[0], c.line)
	}
	if n := strings.Count(t[0], t[1]); n > 0 && len(t[2]) > len(t[1]) {
		if err := s.room(len(t[0]) + n*(len(t[2])-len(t[1]))); err != nil {
			return nil, err
		}
	}
	return s.newStr(strings.ReplaceAll(t[0], t[1], t[2]), c.line)
}

// fnAffix is startsWith and endsWith, ignoring case as ARM does.
func fnAffix(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a, b := args[0], args[1]
	if a == nil || b == nil || a.Kind != jsontree.String || b.Kind != jsontree.String {
		return nil, failf("%s() takes strings", c.e.name)
	}
	x, y := strings.ToLower(a.Str), strings.ToLower(b.Str)
	if c.name == "startswith" {
		return newBool(strings.HasPrefix(x, y), c.line), nil
	}
	return newBool(strings.HasSuffix(x, y), c.line), nil
}

func fnJoin(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	its, err := s.items(c, args[0])
	if err != nil {
		return nil, err
	}
	sep, ok := args[1].AsString()
	if !ok || args[1].Kind != jsontree.String {
		return nil, failf("join() takes a delimiter string")
	}
	var b strings.Builder
	for i, it := range its {
		t, err := s.text(it, "join")
		if err != nil {
			return nil, err
		}
		if err := s.room(b.Len() + len(t) + len(sep)); err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(t)
	}
	return s.newStr(b.String(), c.line)
}

func fnConcat(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	if len(args) > 0 && args[0] != nil && args[0].Kind == jsontree.Array {
		out := &jsontree.Node{Kind: jsontree.Array, Line: c.line}
		for _, a := range args {
			if a == nil || a.Kind == jsontree.Null {
				continue
			}
			if a.Kind != jsontree.Array {
				return nil, failf("concat() mixes arrays and other values")
			}
			if err := s.step(len(a.Items)); err != nil {
				return nil, err
			}
			out.Items = append(out.Items, a.Items...)
		}
		return out, nil
	}
	var b strings.Builder
	for _, a := range args {
		t, err := s.text(a, "concat")
		if err != nil {
			return nil, err
		}
		if err := s.room(b.Len() + len(t)); err != nil {
			return nil, err
		}
		b.WriteString(t)
	}
	return s.newStr(b.String(), c.line)
}

func fnFormat(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	f, ok := args[0].AsString()
	if !ok {
		return nil, failf("format() takes a format string")
	}
	texts := make([]string, len(args)-1)
	for i, a := range args[1:] {
		t, err := s.text(a, "format")
		if err != nil {
			return nil, err
		}
		texts[i] = t
	}
	if err := s.scan(len(f), 0); err != nil {
		return nil, err
	}
	limit := maxStringLen
	if left := maxBytes - s.sh.bytes; left < limit {
		limit = left
	}
	out, err := netFormat(f, texts, limit)
	if err == errBudget {
		s.sh.steps = maxSteps + 1
	}
	if err != nil {
		return nil, err
	}
	return s.newStr(out, c.line)
}

// fnCase is toLower, toUpper and trim.
func fnCase(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	v, ok := args[0].AsString()
	if !ok {
		return nil, failf("%s() takes a string", c.e.name)
	}
	if err := s.room(len(v)); err != nil {
		return nil, err
	}
	switch c.name {
	case "tolower":
		v = strings.ToLower(v)
	case "toupper":
		v = strings.ToUpper(v)
	default:
		v = strings.TrimSpace(v)
	}
	return s.newStr(v, c.line)
}

func fnString(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	if a != nil && (a.Kind == jsontree.Object || a.Kind == jsontree.Array) {
		d, err := s.deep(a, c.mode, 0)
		if err != nil {
			return nil, err
		}
		if err := s.room(jsonSize(d, 0)); err != nil {
			return nil, err
		}
		js, jerr := json.Marshal(d.Interface())
		if jerr != nil {
			return nil, failf("string() of a value that is not JSON")
		}
		return s.newStr(string(js), c.line)
	}
	t, err := s.text(a, "string")
	if err != nil {
		return nil, err
	}
	return s.newStr(t, c.line)
}

// netFormat implements the composite formatting of format(): {0}, {1}, and
// {{ }} for literal braces. Alignment and format specifiers are not
// supported.
func netFormat(f string, args []string, limit int) (string, *evalError) {
	tooLong := func() *evalError {
		if limit < maxStringLen {
			return errBudget
		}
		return failf("a string built by the expression is longer than %d bytes", maxStringLen)
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if b.Len() > limit {
			return "", tooLong()
		}
		c := f[i]
		switch c {
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return "", failf("format(): unmatched '{' in the format string")
			}
			spec := strings.TrimSpace(f[i+1 : i+end])
			if strings.ContainsAny(spec, ",:") {
				return "", failf("format(): alignment and format specifiers are not supported")
			}
			n, err := strconv.Atoi(spec)
			if err != nil || n < 0 {
				return "", failf("format(): bad placeholder in the format string")
			}
			if n >= len(args) {
				return "", failf("format(): placeholder {%d} has no argument", n)
			}
			if b.Len()+len(args[n]) > limit {
				return "", tooLong()
			}
			b.WriteString(args[n])
			i += end
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", failf("format(): unmatched '}' in the format string")
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() > limit {
		return "", tooLong()
	}
	return b.String(), nil
}
