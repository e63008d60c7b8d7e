package armexpr

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// ---------------------------------------------------------------------------
// Evaluation

type evalMode uint8

const (
	// modeValue evaluates setting values: anything known only at deployment
	// is unresolved.
	modeValue evalMode = iota
	// modeName evaluates resource names and scopes: deployment-time values
	// become placeholders spelling their expression.
	modeName
)

// evalError is why an expression could not be evaluated. It names
// parameters, variables, functions and properties, never a value.
type evalError struct{ why string }

func (e *evalError) Error() string { return e.why }

func failf(format string, a ...any) *evalError {
	return &evalError{why: fmt.Sprintf(format, a...)}
}

var errBudget = &evalError{why: "the template needs more evaluation than aksguard allows (deeply chained variables or huge strings)"}

// evalShared is the evaluation state of one template file, shared by the
// scopes of its nested deployments.
type evalShared struct {
	steps, bytes int
	// lit holds string nodes that are values, never expressions (parameter
	// values, results of evaluation).
	lit map[*jsontree.Node]bool
	// foreign holds nodes read from another file (a parameters file): their
	// lines are not lines of the template.
	foreign map[*jsontree.Node]bool
	// opaque holds the placeholder strings of modeName.
	opaque map[*jsontree.Node]bool
	// bound holds the nodes of copy-loop instances (Scope.Instance): they
	// are evaluated in the scope of their copy, whichever scope reads them.
	bound map[*jsontree.Node]*scope
}

func newShared() *evalShared {
	return &evalShared{lit: map[*jsontree.Node]bool{}, foreign: map[*jsontree.Node]bool{}, opaque: map[*jsontree.Node]bool{}, bound: map[*jsontree.Node]*scope{}}
}

// scope evaluates the expressions of one template (or of an inner-scope
// nested template): its parameters and variables.
type scope struct {
	sh     *evalShared
	params *jsontree.Node // the parameter declarations
	vars   *jsontree.Node
	given  map[string]givenParam // by lower-cased name
	cache  [2]map[string]cachedValue
	busy   map[string]bool
	depth  int
	copies []copyFrame // the copy loops being expanded, outermost first
	// lambdas are the lambda parameters bound while a lambda body is
	// evaluated, innermost last (lambda.go).
	lambdas []lambdaVar
}

// givenParam is a parameter value supplied from outside the template.
type givenParam struct {
	node *jsontree.Node // nil: a Key Vault reference, never read
	from *scope         // non-nil: node is an expression of that (outer) scope
}

type cachedValue struct {
	v   *jsontree.Node
	err *evalError
}

func newScope(sh *evalShared, tmpl *jsontree.Node) *scope {
	s := &scope{sh: sh, given: map[string]givenParam{}, busy: map[string]bool{}}
	s.cache[modeValue] = map[string]cachedValue{}
	s.cache[modeName] = map[string]cachedValue{}
	if p := tmpl.Get("parameters"); p != nil && p.Kind == jsontree.Object {
		s.params = p
	}
	if v := tmpl.Get("variables"); v != nil && v.Kind == jsontree.Object {
		s.vars = v
	}
	return s
}

// give supplies a literal parameter value; foreign says it was read from
// another file.
func (s *scope) give(name string, v *jsontree.Node, foreign bool) {
	if v != nil {
		s.markValue(v, foreign, 0)
	}
	s.given[jsontree.Fold(name)] = givenParam{node: v}
}

// markValue records that the strings below n are values, not expressions.
func (s *scope) markValue(n *jsontree.Node, foreign bool, depth int) {
	if n == nil || depth > 1024 {
		return
	}
	s.sh.steps++
	if n.Kind == jsontree.String {
		s.sh.lit[n] = true
	}
	if foreign {
		s.sh.foreign[n] = true
	}
	for _, m := range n.Members {
		s.markValue(m.Value, foreign, depth+1)
	}
	for _, it := range n.Items {
		s.markValue(it, foreign, depth+1)
	}
}

func (s *scope) step(n int) *evalError {
	s.sh.steps += n
	if s.sh.steps > maxSteps {
		return errBudget
	}
	return nil
}

// scan charges work that is linear in the size of an existing value
// (reading a long string, searching a large object), which the step count
// of the expression alone does not cover.
func (s *scope) scan(bytes, members int) *evalError {
	return s.step(bytes/256 + members/16)
}

// room reports whether n more bytes of strings may be built.
func (s *scope) room(n int) *evalError {
	if n > maxStringLen {
		return failf("a string built by the expression is longer than %d bytes", maxStringLen)
	}
	if s.sh.bytes+n > maxBytes {
		s.sh.steps = maxSteps + 1 // nothing more is evaluated in this file
		return errBudget
	}
	return nil
}

func (s *scope) newStr(v string, line int) (*jsontree.Node, *evalError) {
	if err := s.room(len(v)); err != nil {
		return nil, err
	}
	s.sh.bytes += len(v)
	n := &jsontree.Node{Kind: jsontree.String, Str: v, Line: line}
	s.sh.lit[n] = true
	return n, nil
}

func (s *scope) newOpaque(src string, line int) (*jsontree.Node, *evalError) {
	n, err := s.newStr("{"+src+"}", line)
	if err != nil {
		return nil, err
	}
	s.sh.opaque[n] = true
	return n, nil
}

func newInt(v int64, line int) *jsontree.Node {
	return &jsontree.Node{Kind: jsontree.Number, Str: strconv.FormatInt(v, 10), Line: line}
}

func newBool(v bool, line int) *jsontree.Node {
	return &jsontree.Node{Kind: jsontree.Bool, Bool: v, Line: line}
}

// force evaluates a template value: an expression string is evaluated,
// an escaped literal unescaped, anything else returned as it is (objects
// and arrays stay lazy: their members are forced when read).
func (s *scope) force(n *jsontree.Node, mode evalMode) (*jsontree.Node, *evalError) {
	if o := s.sh.bound[n]; o != nil && o != s {
		return o.force(n, mode)
	}
	if n == nil || n.Kind != jsontree.String || s.sh.lit[n] {
		return n, nil
	}
	if isExpression(n.Str) {
		return s.evalString(n.Str, n.Line, mode)
	}
	if v, ok := unescapeLiteral(n.Str); ok {
		return s.newStr(v, n.Line)
	}
	return n, nil
}

// evalString evaluates one expression string ("[...]").
func (s *scope) evalString(text string, line int, mode evalMode) (*jsontree.Node, *evalError) {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxEvalDepth {
		return nil, failf("expressions nested more than %d deep through variables and parameters", maxEvalDepth)
	}
	if err := s.step(1 + len(text)/32); err != nil {
		return nil, err
	}
	e, perr := parseExpr(text[1 : len(text)-1])
	if perr != nil {
		return nil, failf("not a valid expression (%v)", perr)
	}
	return s.eval(e, line, mode)
}

// deep forces a value and everything below it, returning a tree that holds
// no expression.
func (s *scope) deep(n *jsontree.Node, mode evalMode, depth int) (*jsontree.Node, *evalError) {
	if depth > maxDeepDepth {
		return nil, failf("value nested more than %d deep", maxDeepDepth)
	}
	if err := s.step(1); err != nil {
		return nil, err
	}
	n, err := s.force(n, mode)
	if err != nil || n == nil {
		return n, err
	}
	switch n.Kind {
	case jsontree.Object:
		out := &jsontree.Node{Kind: jsontree.Object, Line: n.Line, Members: make([]jsontree.Member, 0, len(n.Members))}
		for _, m := range n.Members {
			v, err := s.deep(m.Value, mode, depth+1)
			if err != nil {
				return nil, err
			}
			out.Members = append(out.Members, jsontree.Member{Key: m.Key, Value: v})
		}
		out.Reindex()
		return out, nil
	case jsontree.Array:
		out := &jsontree.Node{Kind: jsontree.Array, Line: n.Line, Items: make([]*jsontree.Node, 0, len(n.Items))}
		for _, it := range n.Items {
			v, err := s.deep(it, mode, depth+1)
			if err != nil {
				return nil, err
			}
			out.Items = append(out.Items, v)
		}
		return out, nil
	}
	return n, nil
}

// relocate gives a resolved value the line of the expression it replaced
// (members of an object or array keep their own lines when they are in the
// template), and copies values read from another file so that no line of
// that file is reported against the template.
func (s *scope) relocate(v *jsontree.Node, line int) *jsontree.Node {
	if v == nil {
		return nil
	}
	if (v.Kind == jsontree.Object || v.Kind == jsontree.Array) && s.sh.foreign[v] {
		return s.copyTree(v, line, 0)
	}
	if v.Line == line {
		return v
	}
	c := *v
	c.Line = line
	if c.Kind == jsontree.String {
		s.sh.lit[&c] = true
	}
	return &c
}

func (s *scope) copyTree(n *jsontree.Node, line, depth int) *jsontree.Node {
	s.sh.steps++
	c := &jsontree.Node{Kind: n.Kind, Line: line, Bool: n.Bool, Str: n.Str}
	if c.Kind == jsontree.String {
		s.sh.lit[c] = true
	}
	if depth > maxDeepDepth {
		return c
	}
	for _, m := range n.Members {
		c.Members = append(c.Members, jsontree.Member{Key: m.Key, Value: s.copyTree(m.Value, line, depth+1)})
	}
	for _, it := range n.Items {
		c.Items = append(c.Items, s.copyTree(it, line, depth+1))
	}
	c.Reindex()
	return c
}

func (s *scope) eval(e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	if err := s.step(1); err != nil {
		return nil, err
	}
	switch e.kind {
	case exString:
		return s.newStr(e.name, line)
	case exInt:
		return newInt(e.num, line), nil
	case exProp, exIndex:
		t, err := s.eval(e.target, line, mode)
		if err != nil {
			return nil, err
		}
		if mode == modeName && s.sh.opaque[t] {
			return s.newOpaque(e.src, line)
		}
		key := e.name
		var idx *jsontree.Node
		if e.kind == exIndex {
			idx, err = s.eval(e.args[0], line, mode)
			if err != nil {
				return nil, err
			}
			if mode == modeName && s.sh.opaque[idx] {
				return s.newOpaque(e.src, line)
			}
		}
		return s.access(t, e, key, idx, mode)
	}
	return s.call(e, line, mode)
}

// access reads .prop or [index] of a value.
func (s *scope) access(t *jsontree.Node, e *expr, key string, idx *jsontree.Node, mode evalMode) (*jsontree.Node, *evalError) {
	what := "." + key
	if idx != nil {
		what = "[" + e.args[0].src + "]"
	}
	if t == nil || t.Kind == jsontree.Null {
		return nil, failf("%s is read from a null value", what)
	}
	if err := s.scan(0, len(t.Members)); err != nil {
		return nil, err
	}
	switch t.Kind {
	case jsontree.Object:
		if idx != nil {
			k, ok := idx.AsString()
			if !ok || idx.Kind != jsontree.String {
				return nil, failf("%s: an object is indexed by a string", what)
			}
			key = k
		}
		m := t.Get(key)
		if m == nil && !hasKey(t, key) {
			return nil, failf("property %s does not exist", quoteName(key))
		}
		return s.force(m, mode)
	case jsontree.Array:
		if idx == nil || idx.Kind != jsontree.Number {
			return nil, failf("%s: an array is indexed by an integer", what)
		}
		i, ok := idx.AsInt()
		if !ok || i < 0 || i >= int64(len(t.Items)) {
			return nil, failf("index %s is out of range", e.args[0].src)
		}
		return s.force(t.Items[i], mode)
	}
	return nil, failf("%s is read from a %s", what, t.Kind)
}

func hasKey(n *jsontree.Node, k string) bool {
	_, ok := n.Lookup(k)
	return ok
}

func quoteName(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return "'" + s + "'"
}

// text renders a scalar for concat() and format(); booleans are spelled the
// way ARM spells them (True, False).
func (s *scope) text(a *jsontree.Node, fn string) (string, *evalError) {
	if a == nil {
		return "", nil
	}
	switch a.Kind {
	case jsontree.String, jsontree.Number:
		return a.Str, nil
	case jsontree.Bool:
		if a.Bool {
			return "True", nil
		}
		return "False", nil
	case jsontree.Null:
		return "", nil
	}
	return "", failf("%s() of an %s", fn, a.Kind)
}

func asBool(n *jsontree.Node) (bool, bool) {
	if n == nil || n.Kind != jsontree.Bool {
		return false, false
	}
	return n.Bool, true
}

// deepEqual compares two fully evaluated values the way equals() does:
// strings case-sensitively, numbers by value, object keys case-insensitively.
// The work is charged to the budget.
func (s *scope) deepEqual(a, b *jsontree.Node, depth int) (bool, *evalError) {
	if depth > maxDeepDepth {
		return false, failf("values nested more than %d deep", maxDeepDepth)
	}
	an, bn := a == nil || a.Kind == jsontree.Null, b == nil || b.Kind == jsontree.Null
	if an || bn {
		return an && bn, nil
	}
	if a.Kind != b.Kind {
		return false, nil
	}
	if err := s.step(1); err != nil {
		return false, err
	}
	switch a.Kind {
	case jsontree.Bool:
		return a.Bool == b.Bool, nil
	case jsontree.String:
		if err := s.scan(len(a.Str), 0); err != nil {
			return false, err
		}
		return a.Str == b.Str, nil
	case jsontree.Number:
		ai, aok := a.AsInt()
		bi, bok := b.AsInt()
		if aok && bok {
			return ai == bi, nil
		}
		return a.Str == b.Str, nil
	case jsontree.Array:
		if len(a.Items) != len(b.Items) {
			return false, nil
		}
		for i := range a.Items {
			if eq, err := s.deepEqual(a.Items[i], b.Items[i], depth+1); err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	case jsontree.Object:
		if len(a.Members) != len(b.Members) {
			return false, nil
		}
		for _, m := range a.Members {
			if err := s.scan(0, len(b.Members)); err != nil {
				return false, err
			}
			o := memberFold(b, m.Key)
			if o == nil {
				return false, nil
			}
			if eq, err := s.deepEqual(m.Value, o, depth+1); err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	}
	return false, nil
}

// jsonSize estimates the length of a value rendered as JSON.
func jsonSize(n *jsontree.Node, depth int) int {
	if n == nil || depth > maxDeepDepth {
		return 4
	}
	size := 2 + len(n.Str)
	for _, m := range n.Members {
		size += len(m.Key) + 4 + jsonSize(m.Value, depth+1)
		if size > maxStringLen {
			return size
		}
	}
	for _, it := range n.Items {
		size += 1 + jsonSize(it, depth+1)
		if size > maxStringLen {
			return size
		}
	}
	return size
}

// netFormat implements the composite formatting of format(): {0}, {1}, and
// {{ }} for literal braces. Alignment and format specifiers are not

// clipExpr shortens an expression for a reason.
func clipExpr(s string) string {
	if len(s) <= maxReasonExpr {
		return s
	}
	cut := maxReasonExpr - 1
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…]"
}

// resolver returns the Resolver of this scope: expression strings are
// evaluated, escaped literals unescaped, everything else passes through.
func (s *scope) resolver() func(n *jsontree.Node) (*jsontree.Node, string) {
	return func(n *jsontree.Node) (*jsontree.Node, string) {
		if o := s.sh.bound[n]; o != nil && o != s {
			return o.resolver()(n)
		}
		if n == nil || n.Kind != jsontree.String || s.sh.lit[n] {
			return n, ""
		}
		if !isExpression(n.Str) {
			if v, ok := unescapeLiteral(n.Str); ok {
				c, err := s.newStr(v, n.Line)
				if err != nil {
					return nil, err.why
				}
				return c, ""
			}
			return n, ""
		}
		v, err := s.evalString(n.Str, n.Line, modeValue)
		if err == nil && v != nil {
			// The reader searches what it is given; a large shared value
			// handed out again and again is charged each time.
			err = s.scan(0, len(v.Members)+len(v.Items))
		}
		if err != nil {
			return nil, "unresolved ARM expression " + clipExpr(n.Str) + ": " + clipReason(err.why)
		}
		return s.relocate(v, n.Line), ""
	}
}

func clipReason(s string) string {
	const max = 400
	if len(s) <= max {
		return s
	}
	cut := max - 1
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// nameOf evaluates a resource name, type or scope in modeName. ok is false
// when it cannot be evaluated even with placeholders; text is then the raw
// value.
func (s *scope) nameOf(n *jsontree.Node) (text string, ok bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != jsontree.String {
		if n.Kind == jsontree.Number {
			return n.Str, true
		}
		return "", false
	}
	v, err := s.force(n, modeName)
	if err != nil {
		return n.Str, false
	}
	if v == nil {
		return "", false
	}
	switch v.Kind {
	case jsontree.String, jsontree.Number:
		if len(v.Str) > maxNameLen {
			return n.Str, false
		}
		return v.Str, true
	}
	return n.Str, false
}
