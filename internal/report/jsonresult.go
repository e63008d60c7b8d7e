package report

import (
	"strconv"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
)

// appendResultJSON appends one result as encoding/json's Encoder writes it
// with SetIndent(prefix, "  ") and SetEscapeHTML(false), without the final
// newline, and without reflection: the JSON report writes tens of thousands
// of results, and encoding/json marshals each one by reflection and then
// indents it in a second pass. TestResultJSONMatchesEncoder and
// FuzzResultJSON hold the two byte-identical; TestResultJSONKnowsEveryField
// fails when check.Result (or a type it holds) gains a JSON field this
// function does not write.
func appendResultJSON(b []byte, r *check.Result, prefix string) []byte {
	in1, in2, in3 := prefix+"  ", prefix+"    ", prefix+"      "
	b = append(b, "{\n"...)
	b = appendField(b, in1, "control", r.Control)
	b = appendField(b, in1, "title", r.Title)
	b = appendField(b, in1, "severity", r.Severity.String())
	b = appendField(b, in1, "status", string(r.Status))
	b = append(b, in1...)
	b = append(b, "\"resource\": {\n"...)
	b = appendLast(b, in2, "kind", r.Resource.Kind, false)
	if r.Resource.ID != "" {
		b = appendLast(b, in2, "id", r.Resource.ID, false)
	}
	b = appendLast(b, in2, "name", r.Resource.Name, r.Resource.Namespace == "")
	if r.Resource.Namespace != "" {
		b = appendLast(b, in2, "namespace", r.Resource.Namespace, true)
	}
	b = append(b, in1...)
	b = append(b, "},\n"...)
	b = appendField(b, in1, "message", r.Message)
	if len(r.Evidence) > 0 {
		b = append(b, in1...)
		b = append(b, "\"evidence\": [\n"...)
		for i, e := range r.Evidence {
			b = append(b, in2...)
			b = append(b, "{\n"...)
			b = appendLast(b, in3, "path", e.Path, false)
			b = appendLast(b, in3, "value", e.Value, true)
			b = append(b, in2...)
			b = append(b, '}')
			if i < len(r.Evidence)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, in1...)
		b = append(b, "],\n"...)
	}
	last := r.Remediation == "" && len(r.References) == 0 && r.BaselineState == ""
	b = append(b, in1...)
	b = append(b, "\"source\": "...)
	if r.Source.File == "" && r.Source.Line == 0 {
		b = append(b, "{}"...)
	} else {
		b = append(b, "{\n"...)
		if r.Source.File != "" {
			b = appendLast(b, in2, "file", r.Source.File, r.Source.Line == 0)
		}
		if r.Source.Line != 0 {
			b = append(b, in2...)
			b = append(b, "\"line\": "...)
			b = strconv.AppendInt(b, int64(r.Source.Line), 10)
			b = append(b, '\n')
		}
		b = append(b, in1...)
		b = append(b, '}')
	}
	if !last {
		b = append(b, ',')
	}
	b = append(b, '\n')
	if r.Remediation != "" {
		b = appendLast(b, in1, "remediation", r.Remediation, len(r.References) == 0 && r.BaselineState == "")
	}
	if len(r.References) > 0 {
		b = append(b, in1...)
		b = append(b, "\"references\": [\n"...)
		for i, ref := range r.References {
			b = append(b, in2...)
			b = appendJSONString(b, ref)
			if i < len(r.References)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, in1...)
		b = append(b, ']')
		if r.BaselineState != "" {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	if r.BaselineState != "" {
		b = appendLast(b, in1, "baselineState", r.BaselineState, true)
	}
	b = append(b, prefix...)
	return append(b, '}')
}

// appendField appends `indent"name": "value",` and a newline.
func appendField(b []byte, indent, name, value string) []byte {
	return appendLast(b, indent, name, value, false)
}

// appendLast appends `indent"name": "value"`, a comma unless last, and a
// newline.
func appendLast(b []byte, indent, name, value string, last bool) []byte {
	b = append(b, indent...)
	b = append(b, '"')
	b = append(b, name...)
	b = append(b, "\": "...)
	b = appendJSONString(b, value)
	if !last {
		b = append(b, ',')
	}
	return append(b, '\n')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with HTML escaping off: '"' and '\\' escaped, control
// characters as \b \f \n \r \t or \u00XX, invalid UTF-8 as \ufffd, U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
