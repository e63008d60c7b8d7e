// Package redact removes secret values from error text written by third-party
// code (Helm, kustomize, parsers) before it reaches any output: stderr, logs
// and every report format. It knows values in two ways: the values an input
// holds (every string of a chart's values, every literal of a kustomize
// generator), added with Add and AddValues, and the shape of secret-bearing
// text (the value of a secret-like key, everything after `=` in an env-like
// assignment), found by Text.
package redact

import (
	"regexp"
	"sort"
	"strings"
)

// Mask replaces a redacted value.
const Mask = "[redacted]"

// Minimum lengths of a known value that Text replaces wherever it appears:
// shorter ones would erase ordinary words of the message. A value of a
// secret-like key is still replaced where it follows its key.
const (
	minValue       = 4
	minSecretValue = 2
)

// secretKey matches the names of keys whose values are secrets.
var secretKey = regexp.MustCompile(`(?i)(pass(word|wd|phrase)?|pwd|secret|token|key|connection_?string|credential|auth|private|cert|sas|signature|salt|cookie|session)`)

// IsSecretKey tells whether a key's name says its value is a secret
// (password, secret, token, key, connectionString, ...).
func IsSecretKey(k string) bool { return secretKey.MatchString(k) }

var (
	// key: value, key = value, "key": "value", key=value; the key
	// secret-like (checked in code), the value up to the end of the
	// quoted string or the next separator.
	keyValue = regexp.MustCompile(`(?i)("?)([A-Za-z0-9_.\-]+)("?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;{}\[\]"']+)`)
	// NAME=value, as in an env file, a --from-literal or a
	// generator literal: the value (up to white space or a quote) is
	// replaced whatever the name.
	envLike = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.\-]*)=([^\s"'\\]+)`)
)

// Redactor replaces known values and secret-shaped text. The zero value
// knows no values and still redacts by shape.
type Redactor struct {
	values map[string]bool
	keep   []string
}

// Keep records strings that are never redacted (file and template names a
// message needs to point at the place), even where a value is part of
// them: a chart value "web" must not turn web/templates/x.yaml into
// [redacted]/templates/x.yaml.
func (r *Redactor) Keep(s ...string) {
	for _, k := range s {
		if k != "" {
			r.keep = append(r.keep, k)
		}
	}
}

// New returns a Redactor that knows no values yet.
func New() *Redactor { return &Redactor{} }

// Add records values to be replaced wherever they appear.
func (r *Redactor) Add(vals ...string) {
	for _, v := range vals {
		r.add(v, minValue)
	}
}

// AddSecret records values known to be secrets (a generator literal, the
// value of a secret-like key); they are replaced from a shorter length on.
func (r *Redactor) AddSecret(vals ...string) {
	for _, v := range vals {
		r.add(v, minSecretValue)
	}
}

func (r *Redactor) add(v string, min int) {
	v = strings.TrimSpace(v)
	if len(v) < min {
		return
	}
	if r.values == nil {
		r.values = map[string]bool{}
	}
	r.values[v] = true
	// A multi-line value is often quoted line by line.
	if strings.Contains(v, "\n") {
		for _, line := range strings.Split(v, "\n") {
			r.add(line, min)
		}
	}
}

// AddValues records every string in a decoded YAML or JSON tree (maps,
// slices, scalars): strings under a secret-like key as secrets, the others
// as plain values. Numbers and booleans are left alone.
func (r *Redactor) AddValues(tree any) { r.addTree(tree, false) }

func (r *Redactor) addTree(v any, secret bool) {
	switch t := v.(type) {
	case string:
		if secret {
			r.AddSecret(t)
		} else {
			r.Add(t)
		}
	case map[string]any:
		for k, x := range t {
			r.addTree(x, secret || IsSecretKey(k))
		}
	case map[any]any:
		for k, x := range t {
			ks, _ := k.(string)
			r.addTree(x, secret || IsSecretKey(ks))
		}
	case []any:
		for _, x := range t {
			r.addTree(x, secret)
		}
	case []string:
		for _, x := range t {
			r.addTree(x, secret)
		}
	}
}

// Text returns s with every known value, the value of every secret-like
// key and everything after `=` in env-like assignments replaced by Mask.
func (r *Redactor) Text(s string) string {
	var kept []string
	if r != nil && len(r.keep) > 0 {
		keep := append([]string(nil), r.keep...)
		sort.Slice(keep, func(i, j int) bool { return len(keep[i]) > len(keep[j]) })
		for _, k := range keep {
			if strings.Contains(s, k) {
				s = strings.ReplaceAll(s, k, placeholder(len(kept)))
				kept = append(kept, k)
			}
		}
	}
	if r != nil && len(r.values) > 0 {
		vals := make([]string, 0, len(r.values))
		for v := range r.values {
			vals = append(vals, v)
		}
		// Longest first, so that a value is not left half replaced by
		// a shorter one it contains.
		sort.Slice(vals, func(i, j int) bool {
			if len(vals[i]) != len(vals[j]) {
				return len(vals[i]) > len(vals[j])
			}
			return vals[i] < vals[j]
		})
		for _, v := range vals {
			s = strings.ReplaceAll(s, v, Mask)
			// Go's %q and JSON quote newlines, quotes and backslashes.
			if q := quoted(v); q != v {
				s = strings.ReplaceAll(s, q, Mask)
			}
		}
	}
	s = keyValue.ReplaceAllStringFunc(s, func(m string) string {
		p := keyValue.FindStringSubmatch(m)
		if !IsSecretKey(p[2]) || p[4] == Mask || strings.Trim(p[4], `"'`) == Mask {
			return m
		}
		return p[1] + p[2] + p[3] + Mask
	})
	s = envLike.ReplaceAllStringFunc(s, func(m string) string {
		name, _, _ := strings.Cut(m, "=")
		return name + "=" + Mask
	})
	for i := len(kept) - 1; i >= 0; i-- {
		s = strings.ReplaceAll(s, placeholder(i), kept[i])
	}
	return s
}

// placeholder stands for the i-th kept string while Text works: made of
// characters no value, key or assignment pattern matches.
func placeholder(i int) string { return "\x00" + strings.Repeat("\x01", i+1) + "\x00" }

func quoted(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return r.Replace(v)
}
