package auditlog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/inventory"
)

// A hand-written decoder of the Event fields the controls read, measured
// at several times encoding/json's speed on apiserver logs (95 % of whose
// events are gets, lists and watches): docs/performance.md. It takes only
// what it is sure of — valid JSON with the apiserver's exact key spelling
// — and hands anything else (an EventList, an escape it does not decode, a
// key spelled in another case, any syntax error) to encoding/json, whose
// reading is the reference (rawEvent): the two agree on every input
// (FuzzFastEvent).

// errFallback asks for the encoding/json path.
var errFallback = errors.New("fallback")

// maxFastDepth bounds the nesting the fast path skips (encoding/json's own
// limit is 10,000; deeper input is left to it).
const maxFastDepth = 1000

type fastParser struct {
	b  []byte
	i  int
	in *interner
}

// interner shares the strings that repeat from event to event (verbs,
// users, groups, user agents, resources, namespaces, annotations), so that
// a log of millions of events does not allocate them millions of times.
// Bounded; strings are immutable, so observers may keep them.
type interner struct{ m map[string]string }

const (
	maxInterned    = 16384
	maxInternedLen = 512
)

func (in *interner) get(b []byte) string {
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < maxInterned && len(b) <= maxInternedLen {
		if in.m == nil {
			in.m = map[string]string{}
		}
		in.m[s] = s
	}
	return s
}

func (p *fastParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) expect(c byte) error {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != c {
		return errFallback
	}
	p.i++
	return nil
}

// istr reads a string that repeats between events (interned).
func (p *fastParser) istr() (string, error) { return p.readString(p.in) }

// str reads a string.
func (p *fastParser) str() (string, error) { return p.readString(nil) }

// readString reads a string; raw strings (no escape) are the common case.
func (p *fastParser) readString(in *interner) (string, error) {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", errFallback
	}
	start := p.i + 1
	n := bytes.IndexByte(p.b[start:], '"')
	if n < 0 {
		return "", errFallback
	}
	end := start + n
	seg := p.b[start:end]
	if plainASCII(seg) {
		p.i = end + 1
		if in != nil {
			return in.get(seg), nil
		}
		return string(seg), nil
	}
	// Escapes (the quote found may be escaped), control bytes or UTF-8.
	for j := start; j < len(p.b); j++ {
		c := p.b[j]
		switch {
		case c == '"':
			p.i = j + 1
			return unescape(p.b[start:j])
		case c == '\\':
			j++
		case c < 0x20:
			return "", errFallback
		}
	}
	return "", errFallback
}

// plainASCII reports whether b holds only printable ASCII other than a
// backslash, eight bytes at a time.
func plainASCII(b []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// A byte below 0x20 or from 0x80; a backslash (0x5c).
		if ((w-0x20*lo)|w)&hi != 0 || (w^(0x5c*lo)-lo)&^(w^(0x5c*lo))&hi != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// unescape decodes a string's simple escapes; \u escapes and invalid
// UTF-8 (which encoding/json replaces) are left to the fallback.
func unescape(b []byte) (string, error) {
	if !utf8.Valid(b) {
		return "", errFallback // encoding/json replaces invalid bytes
	}
	var out strings.Builder
	out.Grow(len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			out.Write(b)
			break
		}
		out.Write(b[:i])
		if i+1 >= len(b) {
			return "", errFallback
		}
		switch c := b[i+1]; c {
		case '"', '\\', '/':
			out.WriteByte(c)
		case 'n':
			out.WriteByte('\n')
		case 't':
			out.WriteByte('\t')
		case 'r':
			out.WriteByte('\r')
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		default:
			return "", errFallback
		}
		b = b[i+2:]
	}
	return out.String(), nil
}

// key reads an object key; ok is false at the object's end.
func (p *fastParser) key(first bool) (k []byte, ok bool, err error) {
	p.ws()
	if p.i >= len(p.b) {
		return nil, false, errFallback
	}
	if p.b[p.i] == '}' {
		p.i++
		return nil, false, nil
	}
	if !first {
		if p.b[p.i] != ',' {
			return nil, false, errFallback
		}
		p.i++
		p.ws()
	}
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false, errFallback
	}
	start := p.i + 1
	n := bytes.IndexByte(p.b[start:], '"')
	if n < 0 || !plainASCII(p.b[start:start+n]) {
		return nil, false, errFallback
	}
	p.i = start + n + 1
	if err := p.expect(':'); err != nil {
		return nil, false, err
	}
	return p.b[start : start+n], true, nil
}

// null consumes a null; reports whether it was one.
func (p *fastParser) null() bool {
	p.ws()
	if p.i+4 <= len(p.b) && p.b[p.i] == 'n' && p.b[p.i+1] == 'u' && p.b[p.i+2] == 'l' && p.b[p.i+3] == 'l' {
		p.i += 4
		return true
	}
	return false
}

// skip validates and skips one value, returning its bytes.
func (p *fastParser) skip(depth int) ([]byte, error) {
	p.ws()
	if p.i >= len(p.b) || depth > maxFastDepth {
		return nil, errFallback
	}
	start := p.i
	switch c := p.b[p.i]; {
	case c == '"':
		if _, err := p.str(); err != nil {
			return nil, err
		}
	case c == '{':
		p.i++
		for first := true; ; first = false {
			_, ok, err := p.key(first)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			if _, err := p.skip(depth + 1); err != nil {
				return nil, err
			}
		}
	case c == '[':
		p.i++
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			break
		}
		for {
			if _, err := p.skip(depth + 1); err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.b) {
				return nil, errFallback
			}
			if p.b[p.i] == ']' {
				p.i++
				break
			}
			if p.b[p.i] != ',' {
				return nil, errFallback
			}
			p.i++
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(string(p.b[p.i:min(p.i+len(lit), len(p.b))]), lit) {
				p.i += len(lit)
				return p.b[start:p.i], nil
			}
		}
		return nil, errFallback
	case c == '-' || c >= '0' && c <= '9':
		if _, ok := p.number(); !ok {
			return nil, errFallback
		}
	default:
		return nil, errFallback
	}
	return p.b[start:p.i], nil
}

// number reads a JSON number; n is its value when it is a plain integer.
func (p *fastParser) number() (n int, ok bool) {
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
	}
	if p.i == digits || p.b[digits] == '0' && p.i-digits > 1 || p.i-digits > 9 {
		return 0, false // no digits, a leading zero, or past what fits
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return 0, false // a fraction or exponent: encoding/json decides
	}
	if p.b[start] == '-' {
		n = -n
	}
	return n, true
}

func (p *fastParser) strings(dst []string) ([]string, error) {
	dst = dst[:0]
	if p.null() {
		return nil, nil
	}
	if err := p.expect('['); err != nil {
		return nil, err
	}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return dst, nil
	}
	for {
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		dst = append(dst, s)
		p.ws()
		if p.i >= len(p.b) {
			return nil, errFallback
		}
		if p.b[p.i] == ']' {
			p.i++
			return dst, nil
		}
		if p.b[p.i] != ',' {
			return nil, errFallback
		}
		p.i++
	}
}

// object calls field for each member of an object (null: none).
func (p *fastParser) object(field func(k []byte) error) error {
	if p.null() {
		return nil
	}
	if err := p.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		k, ok, err := p.key(first)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := field(k); err != nil {
			return err
		}
	}
}

// known are the keys the fast path reads, at each level: another key
// that folds to one of them would be read by encoding/json (which matches
// keys case-insensitively), so it falls back.
var knownTop = []string{"kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user", "impersonatedUser",
	"sourceIPs", "userAgent", "objectRef", "responseStatus", "requestObject", "requestReceivedTimestamp", "stageTimestamp", "annotations", "items"}
var knownUser = []string{"username", "uid", "groups", "extra"}
var knownRef = []string{"resource", "subresource", "namespace", "name", "apiGroup", "apiVersion"}

func foldsToKnown(k []byte, known []string) bool {
	for _, n := range known {
		if len(n) == len(k) && strings.EqualFold(n, string(k)) {
			return true
		}
	}
	return false
}

func (p *fastParser) user(u *rawUser) error {
	return p.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "username":
			u.Username, err = p.istr()
		case "uid":
			u.UID, err = p.str()
		case "groups":
			u.Groups, err = p.strings(u.Groups)
		case "extra":
			if p.null() {
				return nil
			}
			if u.Extra == nil {
				u.Extra = map[string][]string{}
			}
			err = p.object(func(k []byte) error {
				if !utf8.Valid(k) {
					return errFallback
				}
				vs, err := p.strings(nil)
				u.Extra[string(k)] = vs
				return err
			})
		default:
			if foldsToKnown(k, knownUser) {
				return errFallback
			}
			_, err = p.skip(1)
		}
		return err
	})
}

// fastDecode reads an Event into r the way encoding/json would, or returns
// errFallback.
func fastDecode(data []byte, r *rawEvent, in *interner) error {
	p := &fastParser{b: data, in: in}
	err := p.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "kind":
			r.Kind, err = p.istr()
		case "apiVersion":
			r.APIVersion, err = p.istr()
		case "level":
			r.Level, err = p.istr()
		case "auditID":
			r.AuditID, err = p.str()
		case "stage":
			r.Stage, err = p.istr()
		case "requestURI":
			r.RequestURI, err = p.str()
		case "verb":
			r.Verb, err = p.istr()
		case "userAgent":
			r.UserAgent, err = p.istr()
		case "requestReceivedTimestamp":
			r.receivedT, r.Received, err = p.time()
		case "stageTimestamp":
			r.stageT, r.StageTime, err = p.time()
		case "user":
			err = p.user(&r.User)
		case "impersonatedUser":
			if p.null() {
				r.ImpersonatedUser = nil
				return nil
			}
			if r.ImpersonatedUser == nil {
				r.ImpersonatedUser = &rawUser{}
			}
			err = p.user(r.ImpersonatedUser)
		case "sourceIPs":
			r.SourceIPs, err = p.strings(r.SourceIPs)
		case "objectRef":
			if p.null() {
				r.ObjectRef = nil
				return nil
			}
			if r.ObjectRef == nil {
				r.ObjectRef = &inventory.AuditObjectRef{}
			}
			o := r.ObjectRef
			err = p.object(func(k []byte) error {
				var err error
				switch string(k) {
				case "resource":
					o.Resource, err = p.istr()
				case "subresource":
					o.Subresource, err = p.istr()
				case "namespace":
					o.Namespace, err = p.istr()
				case "name":
					o.Name, err = p.str()
				case "apiGroup":
					o.APIGroup, err = p.istr()
				case "apiVersion":
					o.APIVersion, err = p.istr()
				default:
					if foldsToKnown(k, knownRef) {
						return errFallback
					}
					_, err = p.skip(2)
				}
				return err
			})
		case "responseStatus":
			if p.null() {
				r.ResponseStatus = nil
				return nil
			}
			if r.ResponseStatus == nil {
				r.ResponseStatus = &struct {
					Code int `json:"code"`
				}{}
			}
			st := r.ResponseStatus
			err = p.object(func(k []byte) error {
				if string(k) == "code" {
					p.ws()
					if p.null() {
						return nil
					}
					n, ok := p.number()
					if !ok {
						return errFallback
					}
					st.Code = n
					return nil
				}
				if strings.EqualFold(string(k), "code") {
					return errFallback
				}
				_, err := p.skip(2)
				return err
			})
		case "requestObject":
			var raw []byte
			if raw, err = p.skip(1); err == nil {
				r.RequestObject = append(r.RequestObject[:0], raw...)
			}
		case "annotations":
			if p.null() {
				r.Annotations = nil
				return nil
			}
			if r.Annotations == nil {
				r.Annotations = map[string]string{}
			}
			err = p.object(func(k []byte) error {
				if !utf8.Valid(k) {
					return errFallback
				}
				v, err := p.str()
				r.Annotations[p.in.get(k)] = v
				return err
			})
		case "items":
			return errFallback // an EventList
		default:
			if foldsToKnown(k, knownTop) {
				return errFallback
			}
			_, err = p.skip(1)
		}
		return err
	})
	if err != nil {
		return err
	}
	p.ws()
	if p.i != len(p.b) {
		return errFallback
	}
	return nil
}

// time reads a timestamp: parsed here when it is in the apiserver's form
// (2026-11-30T10:00:00.123456Z), else as a string for parseTime.
func (p *fastParser) time() (time.Time, string, error) {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '"' {
		if n := bytes.IndexByte(p.b[p.i+1:], '"'); n >= 0 {
			if t, ok := fastTime(p.b[p.i+1 : p.i+1+n]); ok {
				p.i += n + 2
				return t, "", nil
			}
		}
	}
	s, err := p.str()
	return time.Time{}, s, err
}

// fastTime parses YYYY-MM-DDTHH:MM:SS[.fraction]Z exactly as time.Parse
// with RFC 3339 would; ok is false for anything else (left to time.Parse).
func fastTime(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for i := len(frac) - 1; i < 9; i++ {
			n *= 10
		}
		nsec = n
	} else if len(b) != 20 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // February 30th: time.Parse refuses it
	}
	return t, true
}
