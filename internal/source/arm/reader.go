// Package arm reads AKS managed clusters and the Azure resources around them
// from ARM-shaped JSON: `az aks show/list -o json` (flattened, az casing), ARM
// REST bodies and list responses, and ARM template exports. Keys and enum
// values are matched case-insensitively.
package arm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/secretscan"
)

// Resolver turns a value that may be a template expression into a plain
// value. It returns a non-empty reason when the value cannot be resolved.
type Resolver func(n *jsontree.Node) (*jsontree.Node, string)

func identity(n *jsontree.Node) (*jsontree.Node, string) { return n, "" }

// reader reads fields below a base object, recording the path as spelled in
// the input. A value of the wrong JSON type on a path it maps (an object
// expected and a string found, a string where a boolean belongs) is not an
// absent field: the field is Unknown, so no control falls back to a default,
// and the mismatch is recorded in probs as an input error naming the line.
type reader struct {
	resolve Resolver
	probs   *problems
}

// problems collects the input errors met while mapping one input, each
// path once.
type problems struct {
	file string
	errs []inventory.InputError
	seen map[string]bool
}

func newProblems(file string) *problems { return &problems{file: file, seen: map[string]bool{}} }

// wrongType records that the value at path is a kind the reader cannot map
// and returns the reason Unknown fields carry.
func (p *problems) wrongType(path string, n *jsontree.Node, want string) string {
	why := fmt.Sprintf("%s is %s, not %s", orRoot(path), kindPhrase(path, n), want)
	if p == nil {
		return why
	}
	key := fmt.Sprintf("%s@%d", strings.ToLower(path), n.Line)
	if p.seen[key] {
		return why
	}
	p.seen[key] = true
	p.errs = append(p.errs, inventory.InputError{Input: p.file, Line: n.Line,
		Message: why + ": aksguard cannot read it (or anything below it), so the controls that need it are not assessed; fix the input to hold " + want + " there, as the ARM schema defines it (`az aks show -o json` prints a valid body)"})
	return why
}

// maxConflictsReported bounds the duplicate-key errors of one input.
const maxConflictsReported = 10

// DuplicateKeyErrors returns an input error for each pair of keys of one
// object that the case-insensitive lookup cannot tell apart and whose
// values differ (jsontree.Conflicts), naming both lines. The Azure readers
// refuse such a document whole: az (Python) and Go keep the last of two
// duplicate keys and a case-insensitive lookup the first, so whichever
// aksguard read, a crafted body could make it judge a value that Azure does
// not apply.
func DuplicateKeyErrors(root *jsontree.Node, file string) []inventory.InputError {
	var out []inventory.InputError
	for _, c := range jsontree.Conflicts(root, maxConflictsReported) {
		where := "at the top level"
		if c.Path != "" {
			where = "in " + clipPath(c.Path)
		}
		what := fmt.Sprintf("key %q is given twice %s (lines %d and %d) with different values", clipPath(c.First.Key), where, c.First.Value.Line, c.Second.Value.Line)
		if c.First.Key != c.Second.Key {
			what = fmt.Sprintf("keys %q (line %d) and %q (line %d) %s are the same key to Azure, which matches keys case-insensitively, and have different values", clipPath(c.First.Key), c.First.Value.Line, clipPath(c.Second.Key), c.Second.Value.Line, where)
		}
		out = append(out, inventory.InputError{Input: file, Line: c.Second.Value.Line,
			Message: what + ": JSON readers disagree on which one counts (az and Go keep the last, others the first), so aksguard reads nothing from this input; keep one of them"})
	}
	return out
}

// clipPath shortens a key or path quoted in an error and keeps it on one
// line (a JSON key may hold any character).
func clipPath(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
	if len(s) <= 120 {
		return s
	}
	cut := 119
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// errors returns what was recorded (nil for a nil collector).
func (p *problems) errors() []inventory.InputError {
	if p == nil {
		return nil
	}
	return p.errs
}

func orRoot(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

// kindPhrase describes a value for an error: `a string ("yes")`. A string
// is quoted only when it cannot be a secret: short, not recognised by
// secretscan, and not below a key that names one (a service principal's
// profile, a password, a secret, a key).
func kindPhrase(path string, n *jsontree.Node) string {
	art := "a"
	if n.Kind == jsontree.Object || n.Kind == jsontree.Array {
		art = "an"
	}
	switch n.Kind {
	case jsontree.Null:
		return "null"
	case jsontree.Object, jsontree.Array:
		return art + " " + n.Kind.String()
	case jsontree.String:
		if !quotable(path, n.Str) {
			return "a string (value not shown)"
		}
	}
	v := n.Scalar()
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("%s %s (%q)", art, n.Kind, v)
}

// quotable reports whether a string value may appear in an error.
func quotable(path, v string) bool {
	if len(v) > 40 || secretscan.Detect(v) != "" {
		return false
	}
	p := strings.ToLower(path)
	for _, w := range []string{"secret", "password", "key", "serviceprincipal", "credential", "token"} {
		if strings.Contains(p, w) {
			return false
		}
	}
	return true
}

// walk follows keys case-insensitively, resolving expressions at every step.
// It returns the node (nil when absent), the path as spelled in the input,
// and a reason when an expression on the way could not be resolved or a
// value on the way is not an object (the node returned with a reason is the
// offending one, for its line). JSON null on the way means absent: az
// prints unset profiles as null.
func (r reader) walk(base *jsontree.Node, basePath string, keys ...string) (*jsontree.Node, string, string) {
	cur := base
	path := basePath
	for _, k := range keys {
		if cur == nil {
			return nil, join(path, strings.Join(keys, ".")), ""
		}
		raw := cur
		var why string
		cur, why = r.resolve(cur)
		if why != "" {
			return raw, path, why
		}
		if cur == nil || cur.Kind == jsontree.Null {
			return nil, joinRest(path, keys, k), ""
		}
		if cur.Kind != jsontree.Object {
			return cur, path, r.probs.wrongType(path, cur, "an object")
		}
		m, found := cur.Lookup(k)
		if found {
			cur, path = m.Value, join(path, m.Key)
		}
		if !found {
			return nil, joinRest(path, keys, k), ""
		}
	}
	if cur != nil {
		raw := cur
		var why string
		cur, why = r.resolve(cur)
		if why != "" {
			return raw, path, why
		}
	}
	return cur, path, ""
}

// envelope returns where a resource body's settings are: its properties
// object (REST bodies, templates; envelope true), or the body itself when it
// has no properties key (az flattens it). A properties value that is an
// unresolved template expression is returned as is: every read below it
// resolves it again and is Unknown. A properties value that is null, a
// string, a list… is a malformed body, not a flattened one: reading the top
// level instead would find nothing and let every default pass, so it is an
// input error and every read below it is Unknown.
func (r reader) envelope(n *jsontree.Node) (props *jsontree.Node, path string, envelope bool) {
	return r.envelopeAt(n, "")
}

// envelopeAt is envelope for a body whose paths start with root.
func (r reader) envelopeAt(n *jsontree.Node, root string) (props *jsontree.Node, path string, envelope bool) {
	raw := n.Get("properties")
	if raw == nil {
		return n, root, false
	}
	path = join(root, keyAsSpelled(n, "properties"))
	p, _, why := r.walk(n, root, "properties")
	switch {
	case why != "":
		return raw, path, true
	case p != nil && p.Kind == jsontree.Object:
		return p, path, true
	}
	if p == nil {
		p = raw
	}
	r.probs.wrongType(path, p, "an object")
	if p.Kind == jsontree.Null {
		// walk reads null as absent; a stand-in value makes every read
		// below it Unknown with the reason recorded above.
		p = &jsontree.Node{Kind: jsontree.String, Str: "null", Line: p.Line}
	}
	return p, path, true
}

func joinRest(path string, keys []string, from string) string {
	for i, k := range keys {
		if k == from {
			return join(path, strings.Join(keys[i:], "."))
		}
	}
	return path
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func (r reader) boolField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[bool] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[bool](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[bool]{Path: path, Line: nullLine(n)}
	}
	v, ok := n.AsBool()
	if !ok {
		return inventory.Unresolved[bool](r.probs.wrongType(path, n, "a boolean"), path, n.Line)
	}
	return inventory.Set(v, path, n.Line)
}

func (r reader) stringField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[string] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[string](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[string]{Path: path, Line: nullLine(n)}
	}
	// Only a string: a number or boolean where the API defines a string
	// (an ID, a version, an enum, an add-on setting) is rejected by the
	// resource provider, so reading it as text could judge a value that
	// never deploys ("diskEncryptionSetID": 7 is no disk encryption set).
	if n.Kind == jsontree.String {
		return inventory.Set(n.Str, path, n.Line)
	}
	return inventory.Unresolved[string](r.probs.wrongType(path, n, "a string"), path, n.Line)
}

func (r reader) stringsField(base *jsontree.Node, basePath string, keys ...string) inventory.Field[[]string] {
	n, path, why := r.walk(base, basePath, keys...)
	if why != "" {
		return inventory.Unresolved[[]string](why, path, lineOf(n, base))
	}
	if n.IsNull() {
		return inventory.Field[[]string]{Path: path, Line: nullLine(n)}
	}
	if n.Kind != jsontree.Array {
		return inventory.Unresolved[[]string](r.probs.wrongType(path, n, "a list"), path, n.Line)
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		it, why := r.resolve(it)
		if why != "" {
			return inventory.Unresolved[[]string](why, path, n.Line)
		}
		s, ok := it.AsString()
		if !ok {
			return inventory.Unresolved[[]string](r.probs.wrongType(path+"[]", it, "a string"), path, it.Line)
		}
		out = append(out, s)
	}
	return inventory.Set(out, path, n.Line)
}

func lineOf(n, base *jsontree.Node) int {
	if n != nil {
		return n.Line
	}
	if base != nil {
		return base.Line
	}
	return 0
}

// nullLine is the line of an explicit null (az prints absent settings as
// null), 0 when the key is missing altogether.
func nullLine(n *jsontree.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}
