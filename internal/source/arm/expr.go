package arm

// ARM template expressions ("[concat(parameters('name'), '-dns')]").
//
// aksguard evaluates the subset of the template language that exports and
// hand-written templates use for the settings it reads: parameters,
// variables, string building, logic, resource IDs, and object/array
// construction and access. Anything that depends on the deployment (the
// resource group, the subscription, reference(), list*(), uniqueString(),
// copyIndex(), ...) is unresolved: the field that depends on it becomes
// Unknown with a reason naming the expression, never a default.
//
// Resource names are evaluated in a second mode in which those
// deployment-time values become placeholders spelling the expression
// ("{resourceGroup().location}", "{parameters('clusterName')}"), so the
// same expression always yields the same text and child resources still
// join to their cluster.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// Limits that keep a broken or hostile template from exhausting the scan.
// A real template stays far below each of them.
const (
	maxExprLen    = 16 << 10  // characters in one expression
	maxExprDepth  = 64        // nesting of calls and accessors in one expression
	maxEvalDepth  = 64        // variables and parameters evaluated inside each other
	maxDeepDepth  = 256       // depth of a value compared or copied as a whole
	maxSteps      = 1_000_000 // evaluation steps per template file
	maxBytes      = 16 << 20  // bytes of strings built per template file
	maxStringLen  = 1 << 20   // length of one built string
	maxReasonExpr = 160       // characters of an expression quoted in a reason
	maxNameLen    = 4096      // length of a resource name or scope
)

// ---------------------------------------------------------------------------
// Parsing

type exprKind uint8

const (
	exString exprKind = iota
	exInt
	exCall
	exProp
	exIndex
)

// expr is one node of a parsed expression.
type expr struct {
	kind   exprKind
	name   string // string literal value, function name, or property name
	num    int64
	args   []*expr // call arguments; for exIndex, args[0] is the index
	target *expr   // exProp, exIndex
	src    string  // the source text of this node
}

type exprParser struct {
	s string
	i int
}

// parseExpr parses the text between the outer brackets of an expression.
func parseExpr(s string) (*expr, error) {
	if len(s) > maxExprLen {
		return nil, fmt.Errorf("expression longer than %d characters", maxExprLen)
	}
	p := &exprParser{s: s}
	e, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.errorf("unexpected %q", p.rest())
	}
	return e, nil
}

func (p *exprParser) errorf(format string, a ...any) error {
	return fmt.Errorf("at character %d: %s", p.i+1, fmt.Sprintf(format, a...))
}

func (p *exprParser) rest() string {
	r := p.s[p.i:]
	if len(r) > 12 {
		r = r[:12] + "…"
	}
	return r
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

func (p *exprParser) ident() string {
	start := p.i
	if p.i < len(p.s) && isIdentStart(p.s[p.i]) {
		p.i++
		for p.i < len(p.s) && isIdentChar(p.s[p.i]) {
			p.i++
		}
	}
	return p.s[start:p.i]
}

// errExprDepth ends the parse of an expression deeper than maxExprDepth.
var errExprDepth = fmt.Errorf("expression nested too deeply: more than %d levels of calls, properties and indexes", maxExprDepth)

func (p *exprParser) expression(depth int) (*expr, error) {
	if depth > maxExprDepth {
		return nil, errExprDepth
	}
	p.space()
	start := p.i
	e, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.i >= len(p.s) {
			return e, nil
		}
		switch p.s[p.i] {
		case '.':
			depth++
			if depth > maxExprDepth {
				return nil, errExprDepth
			}
			p.i++
			p.space()
			name := p.ident()
			if name == "" {
				return nil, p.errorf("expected a property name after '.'")
			}
			e = &expr{kind: exProp, name: name, target: e, src: p.s[start:p.i]}
		case '[':
			depth++
			if depth > maxExprDepth {
				return nil, errExprDepth
			}
			p.i++
			idx, err := p.expression(depth)
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ']' {
				return nil, p.errorf("expected ']'")
			}
			p.i++
			e = &expr{kind: exIndex, args: []*expr{idx}, target: e, src: p.s[start:p.i]}
		default:
			return e, nil
		}
	}
}

func (p *exprParser) primary(depth int) (*expr, error) {
	if p.i >= len(p.s) {
		return nil, p.errorf("expected a value")
	}
	start := p.i
	c := p.s[p.i]
	switch {
	case c == '\'':
		p.i++
		var b strings.Builder
		for {
			j := strings.IndexByte(p.s[p.i:], '\'')
			if j < 0 {
				p.i = len(p.s)
				return nil, p.errorf("unterminated string")
			}
			b.WriteString(p.s[p.i : p.i+j])
			p.i += j + 1
			if p.i < len(p.s) && p.s[p.i] == '\'' { // '' is a quote
				b.WriteByte('\'')
				p.i++
				continue
			}
			break
		}
		return &expr{kind: exString, name: b.String(), src: p.s[start:p.i]}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		p.i++
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		v, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
		if err != nil {
			return nil, p.errorf("bad integer %q", p.s[start:p.i])
		}
		return &expr{kind: exInt, num: v, src: p.s[start:p.i]}, nil
	case isIdentStart(c):
		name := p.ident()
		// A user-defined function is namespace.name(...).
		if save := p.i; p.i < len(p.s) && p.s[p.i] == '.' {
			p.i++
			if member := p.ident(); member != "" {
				p.space()
				if p.i < len(p.s) && p.s[p.i] == '(' {
					name += "." + member
				} else {
					p.i = save
				}
			} else {
				p.i = save
			}
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '(' {
			switch strings.ToLower(name) {
			case "true", "false", "null":
				return &expr{kind: exCall, name: name, src: p.s[start:p.i]}, nil
			}
			return nil, p.errorf("expected '(' after %q", name)
		}
		p.i++
		e := &expr{kind: exCall, name: name}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
			e.src = p.s[start:p.i]
			return e, nil
		}
		for {
			a, err := p.expression(depth + 1)
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, a)
			p.space()
			if p.i >= len(p.s) {
				return nil, p.errorf("expected ')'")
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == ')' {
				p.i++
				e.src = p.s[start:p.i]
				return e, nil
			}
			return nil, p.errorf("expected ',' or ')'")
		}
	}
	return nil, p.errorf("unexpected %q", p.rest())
}

// isExpression reports whether a template string value is an expression:
// it starts with "[" and ends with "]", and does not start with "[[" (an
// escaped literal).
func isExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

// unescapeLiteral returns the literal value of a template string: "[[x]"
// stands for "[x]".
func unescapeLiteral(s string) (string, bool) {
	if len(s) >= 2 && strings.HasPrefix(s, "[[") && s[len(s)-1] == ']' {
		return s[1:], true
	}
	return s, false
}

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
}

func newShared() *evalShared {
	return &evalShared{lit: map[*jsontree.Node]bool{}, foreign: map[*jsontree.Node]bool{}, opaque: map[*jsontree.Node]bool{}}
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

// deploymentFunctions are known only when the template is deployed.
var deploymentFunctions = map[string]bool{
	"resourcegroup": true, "subscription": true, "deployment": true, "environment": true,
	"tenant": true, "managementgroup": true, "uniquestring": true, "guid": true, "newguid": true,
	"utcnow": true, "copyindex": true, "reference": true, "resourceinfo": true, "pickzones": true,
	"providers": true, "deployer": true, "listkeys": true, "listsecrets": true,
	"listaccountsas": true, "listservicesas": true, "listcredentials": true,
}

// stringBuilders accept name-mode placeholders as ordinary strings.
var stringBuilders = map[string]bool{
	"concat": true, "format": true, "string": true, "createarray": true, "createobject": true,
	"resourceid": true, "subscriptionresourceid": true, "tenantresourceid": true, "extensionresourceid": true,
	"union": true,
}

func (s *scope) call(e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	name := strings.ToLower(e.name)
	switch name {
	case "if":
		if len(e.args) != 3 {
			return nil, failf("if() takes 3 arguments")
		}
		c, err := s.eval(e.args[0], line, mode)
		if err != nil {
			return nil, err
		}
		if mode == modeName && s.sh.opaque[c] {
			return s.newOpaque(e.src, line)
		}
		b, ok := asBool(c)
		if !ok {
			return nil, failf("the condition of if() is not a boolean")
		}
		if b {
			return s.eval(e.args[1], line, mode)
		}
		return s.eval(e.args[2], line, mode)
	case "and", "or":
		if len(e.args) == 0 {
			return nil, failf("%s() needs arguments", e.name)
		}
		for _, a := range e.args {
			v, err := s.eval(a, line, mode)
			if err != nil {
				return nil, err
			}
			if mode == modeName && s.sh.opaque[v] {
				return s.newOpaque(e.src, line)
			}
			b, ok := asBool(v)
			if !ok {
				return nil, failf("an argument of %s() is not a boolean", e.name)
			}
			if name == "and" && !b {
				return newBool(false, line), nil
			}
			if name == "or" && b {
				return newBool(true, line), nil
			}
		}
		return newBool(name == "and", line), nil
	case "coalesce":
		for _, a := range e.args {
			v, err := s.eval(a, line, mode)
			if err != nil {
				return nil, err
			}
			if v != nil && v.Kind != jsontree.Null {
				return v, nil
			}
		}
		return &jsontree.Node{Kind: jsontree.Null, Line: line}, nil
	case "parameters", "variables":
		if len(e.args) != 1 {
			return nil, failf("%s() takes 1 argument", e.name)
		}
		a, err := s.eval(e.args[0], line, mode)
		if err != nil {
			return nil, err
		}
		if mode == modeName && s.sh.opaque[a] {
			return s.newOpaque(e.src, line)
		}
		n, ok := a.AsString()
		if !ok {
			return nil, failf("%s() takes a name", e.name)
		}
		if name == "parameters" {
			return s.param(n, e, line, mode)
		}
		return s.variable(n, e, line, mode)
	}

	if deploymentFunctions[name] || strings.HasPrefix(name, "list") {
		if mode == modeName {
			return s.newOpaque(e.src, line)
		}
		return nil, failf("%s() is known only when the template is deployed", e.name)
	}

	args := make([]*jsontree.Node, len(e.args))
	for i, a := range e.args {
		v, err := s.eval(a, line, mode)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if mode == modeName && !stringBuilders[name] {
		for _, a := range args {
			if s.sh.opaque[a] {
				return s.newOpaque(e.src, line)
			}
		}
	}
	argc := func(lo, hi int) *evalError {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			switch {
			case lo == hi:
				return failf("%s() takes %d argument(s)", e.name, lo)
			case hi < 0:
				return failf("%s() takes at least %d argument(s)", e.name, lo)
			}
			return failf("%s() takes %d to %d arguments", e.name, lo, hi)
		}
		return nil
	}

	switch name {
	case "true", "false":
		if err := argc(0, 0); err != nil {
			return nil, err
		}
		return newBool(name == "true", line), nil
	case "null":
		if err := argc(0, 0); err != nil {
			return nil, err
		}
		return &jsontree.Node{Kind: jsontree.Null, Line: line}, nil
	case "concat":
		if len(args) > 0 && args[0] != nil && args[0].Kind == jsontree.Array {
			out := &jsontree.Node{Kind: jsontree.Array, Line: line}
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
		return s.newStr(b.String(), line)
	case "format":
		if err := argc(1, -1); err != nil {
			return nil, err
		}
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
		return s.newStr(out, line)
	case "tolower", "toupper", "trim":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		v, ok := args[0].AsString()
		if !ok {
			return nil, failf("%s() takes a string", e.name)
		}
		if err := s.room(len(v)); err != nil {
			return nil, err
		}
		switch name {
		case "tolower":
			v = strings.ToLower(v)
		case "toupper":
			v = strings.ToUpper(v)
		default:
			v = strings.TrimSpace(v)
		}
		return s.newStr(v, line)
	case "string":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		a := args[0]
		if a != nil && (a.Kind == jsontree.Object || a.Kind == jsontree.Array) {
			d, err := s.deep(a, mode, 0)
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
			return s.newStr(string(js), line)
		}
		t, err := s.text(a, "string")
		if err != nil {
			return nil, err
		}
		return s.newStr(t, line)
	case "bool":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		a := args[0]
		switch {
		case a != nil && a.Kind == jsontree.Number:
			i, ok := a.AsInt()
			if !ok {
				return nil, failf("bool() of a number that is not an integer")
			}
			return newBool(i != 0, line), nil
		}
		b, ok := asBool(a)
		if !ok {
			if a != nil && a.Kind == jsontree.String {
				b, ok = a.AsBool()
			}
			if !ok {
				return nil, failf("bool() takes 'true', 'false', an integer or a boolean")
			}
		}
		return newBool(b, line), nil
	case "int":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		a := args[0]
		if a == nil || (a.Kind != jsontree.Number && a.Kind != jsontree.String) {
			return nil, failf("int() takes a string or an integer")
		}
		i, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
		if err != nil {
			return nil, failf("int() of text that is not an integer")
		}
		return newInt(i, line), nil
	case "not":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		b, ok := asBool(args[0])
		if !ok {
			return nil, failf("not() takes a boolean")
		}
		return newBool(!b, line), nil
	case "equals":
		if err := argc(2, 2); err != nil {
			return nil, err
		}
		a, err := s.deep(args[0], mode, 0)
		if err != nil {
			return nil, err
		}
		b, err := s.deep(args[1], mode, 0)
		if err != nil {
			return nil, err
		}
		eq, err := s.deepEqual(a, b, 0)
		if err != nil {
			return nil, err
		}
		return newBool(eq, line), nil
	case "empty":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		a := args[0]
		switch {
		case a == nil || a.Kind == jsontree.Null:
			return newBool(true, line), nil
		case a.Kind == jsontree.String:
			return newBool(a.Str == "", line), nil
		case a.Kind == jsontree.Array:
			return newBool(len(a.Items) == 0, line), nil
		case a.Kind == jsontree.Object:
			return newBool(len(a.Members) == 0, line), nil
		}
		return nil, failf("empty() takes a string, an array or an object")
	case "length":
		if err := argc(1, 1); err != nil {
			return nil, err
		}
		a := args[0]
		switch {
		case a != nil && a.Kind == jsontree.String:
			if err := s.scan(len(a.Str), 0); err != nil {
				return nil, err
			}
			return newInt(int64(utf8.RuneCountInString(a.Str)), line), nil
		case a != nil && a.Kind == jsontree.Array:
			return newInt(int64(len(a.Items)), line), nil
		case a != nil && a.Kind == jsontree.Object:
			return newInt(int64(len(a.Members)), line), nil
		}
		return nil, failf("length() takes a string, an array or an object")
	case "contains":
		if err := argc(2, 2); err != nil {
			return nil, err
		}
		c, it := args[0], args[1]
		switch {
		case c != nil && c.Kind == jsontree.String:
			t, err := s.text(it, "contains")
			if err != nil {
				return nil, err
			}
			if err := s.scan(len(c.Str)+len(t), 0); err != nil {
				return nil, err
			}
			return newBool(strings.Contains(c.Str, t), line), nil
		case c != nil && c.Kind == jsontree.Object:
			k, ok := it.AsString()
			if !ok {
				return nil, failf("contains() looks up an object key by a string")
			}
			if err := s.scan(0, len(c.Members)); err != nil {
				return nil, err
			}
			return newBool(hasKey(c, k), line), nil
		case c != nil && c.Kind == jsontree.Array:
			want, err := s.deep(it, mode, 0)
			if err != nil {
				return nil, err
			}
			for _, x := range c.Items {
				v, err := s.deep(x, mode, 0)
				if err != nil {
					return nil, err
				}
				eq, err := s.deepEqual(v, want, 0)
				if err != nil {
					return nil, err
				}
				if eq {
					return newBool(true, line), nil
				}
			}
			return newBool(false, line), nil
		}
		return nil, failf("contains() takes a string, an object or an array")
	case "createarray":
		if err := s.step(len(args)); err != nil {
			return nil, err
		}
		return &jsontree.Node{Kind: jsontree.Array, Line: line, Items: args}, nil
	case "createobject":
		if len(args)%2 != 0 {
			return nil, failf("createObject() takes key/value pairs")
		}
		out := &jsontree.Node{Kind: jsontree.Object, Line: line}
		for i := 0; i < len(args); i += 2 {
			k, ok := args[i].AsString()
			if !ok {
				return nil, failf("createObject() keys are strings")
			}
			if err := s.scan(0, len(out.Members)); err != nil {
				return nil, err
			}
			out.Members = setMember(out.Members, k, args[i+1])
		}
		if err := s.step(len(args)); err != nil {
			return nil, err
		}
		out.Reindex()
		return out, nil
	case "union":
		if err := argc(1, -1); err != nil {
			return nil, err
		}
		return s.union(args, line, mode, 0)
	case "resourceid", "subscriptionresourceid", "tenantresourceid", "extensionresourceid":
		texts := make([]string, len(args))
		size := 0
		for i, a := range args {
			t, ok := a.AsString()
			if !ok {
				return nil, failf("%s() takes strings", e.name)
			}
			texts[i] = t
			size += len(t)
		}
		if err := s.room(size); err != nil {
			return nil, err
		}
		id, err := resourceIDText(name, texts)
		if err != nil {
			return nil, failf("%s(): %s", e.name, err)
		}
		return s.newStr(id, line)
	}
	if mode == modeName {
		return s.newOpaque(e.src, line)
	}
	return nil, failf("function %s() is not evaluated by aksguard", e.name)
}

// param returns the value of parameters(name).
func (s *scope) param(name string, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	var decl *jsontree.Node
	if s.params != nil {
		if err := s.scan(0, len(s.params.Members)); err != nil {
			return nil, err
		}
		decl = s.params.Get(name)
	}
	if decl == nil || decl.Kind != jsontree.Object {
		return nil, failf("parameter %s is not declared in the template", quoteName(name))
	}
	typ, _ := decl.Get("type").AsString()
	switch strings.ToLower(typ) {
	case "securestring", "secureobject":
		if mode == modeName {
			return s.newOpaque(e.src, line)
		}
		return nil, failf("parameter %s is secure (%s): aksguard does not read its value", quoteName(name), typ)
	}
	key := jsontree.Fold(name)
	ck := "p:" + key
	if c, ok := s.cache[mode][ck]; ok {
		return c.v, c.err
	}
	if s.busy[ck] {
		return nil, failf("parameter %s refers to itself", quoteName(name))
	}
	s.busy[ck] = true
	v, err := s.paramValue(name, key, decl, e, line, mode)
	delete(s.busy, ck)
	s.cache[mode][ck] = cachedValue{v, err}
	return v, err
}

func (s *scope) paramValue(name, key string, decl *jsontree.Node, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	if g, ok := s.given[key]; ok {
		switch {
		case g.node == nil:
			if mode == modeName {
				return s.newOpaque(e.src, line)
			}
			return nil, failf("parameter %s is a Key Vault reference: aksguard does not read its value", quoteName(name))
		case g.from != nil:
			v, err := g.from.deep(g.node, mode, 0)
			if err != nil {
				return nil, &evalError{why: "value passed to nested-template parameter " + quoteName(name) + ": " + err.why}
			}
			return v, nil
		}
		return g.node, nil
	}
	if def := decl.Get("defaultValue"); def != nil {
		v, err := s.force(def, mode)
		if err != nil {
			return nil, &evalError{why: "default value of parameter " + quoteName(name) + ": " + err.why}
		}
		return v, nil
	}
	if mode == modeName {
		return s.newOpaque(e.src, line)
	}
	return nil, failf("parameter %s has no default value and none was given (pass a parameters file)", quoteName(name))
}

// variable returns the value of variables(name).
func (s *scope) variable(name string, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	var raw *jsontree.Node
	if s.vars != nil {
		if err := s.scan(0, len(s.vars.Members)); err != nil {
			return nil, err
		}
		raw = s.vars.Get(name)
	}
	if raw == nil {
		if loops := s.vars.Get("copy"); loops != nil {
			for _, c := range loops.Items {
				if n, _ := c.Get("name").AsString(); strings.EqualFold(n, name) {
					return nil, failf("variable %s is built by a copy loop, which aksguard does not expand", quoteName(name))
				}
			}
		}
		return nil, failf("variable %s is not defined", quoteName(name))
	}
	ck := "v:" + jsontree.Fold(name)
	if c, ok := s.cache[mode][ck]; ok {
		return c.v, c.err
	}
	if s.busy[ck] {
		return nil, failf("variable %s refers to itself", quoteName(name))
	}
	s.busy[ck] = true
	v, err := s.force(raw, mode)
	delete(s.busy, ck)
	if err != nil {
		err = &evalError{why: "variable " + quoteName(name) + ": " + err.why}
	}
	s.cache[mode][ck] = cachedValue{v, err}
	return v, err
}

// union merges objects (recursively) or arrays (without duplicates).
func (s *scope) union(args []*jsontree.Node, line int, mode evalMode, depth int) (*jsontree.Node, *evalError) {
	if depth > maxDeepDepth {
		return nil, failf("union() of values nested more than %d deep", maxDeepDepth)
	}
	first := args[0]
	if first == nil {
		return nil, failf("union() of null")
	}
	switch first.Kind {
	case jsontree.Object:
		out := &jsontree.Node{Kind: jsontree.Object, Line: line}
		for _, a := range args {
			if a == nil || a.Kind != jsontree.Object {
				return nil, failf("union() mixes objects and other values")
			}
			if err := s.step(len(a.Members)); err != nil {
				return nil, err
			}
			for _, m := range a.Members {
				if err := s.scan(0, len(out.Members)); err != nil {
					return nil, err
				}
				old := memberFold(out, m.Key)
				if old != nil {
					ov, err := s.force(old, mode)
					if err != nil {
						return nil, err
					}
					nv, err := s.force(m.Value, mode)
					if err != nil {
						return nil, err
					}
					if ov != nil && nv != nil && ov.Kind == jsontree.Object && nv.Kind == jsontree.Object {
						merged, err := s.union([]*jsontree.Node{ov, nv}, line, mode, depth+1)
						if err != nil {
							return nil, err
						}
						out.Members = setMember(out.Members, m.Key, merged)
						continue
					}
				}
				out.Members = setMember(out.Members, m.Key, m.Value)
			}
		}
		out.Reindex()
		return out, nil
	case jsontree.Array:
		out := &jsontree.Node{Kind: jsontree.Array, Line: line}
		var seen []*jsontree.Node
		for _, a := range args {
			if a == nil || a.Kind != jsontree.Array {
				return nil, failf("union() mixes arrays and other values")
			}
			for _, it := range a.Items {
				d, err := s.deep(it, mode, depth+1)
				if err != nil {
					return nil, err
				}
				dup := false
				for _, x := range seen {
					eq, err := s.deepEqual(x, d, 0)
					if err != nil {
						return nil, err
					}
					if eq {
						dup = true
						break
					}
				}
				if !dup {
					seen = append(seen, d)
					out.Items = append(out.Items, d)
				}
			}
		}
		return out, nil
	}
	return nil, failf("union() takes objects or arrays")
}

func memberFold(n *jsontree.Node, k string) *jsontree.Node {
	if m, ok := n.Lookup(k); ok {
		return m.Value
	}
	return nil
}

// setMember sets a key (case-insensitively, keeping the first spelling).
func setMember(ms []jsontree.Member, k string, v *jsontree.Node) []jsontree.Member {
	for i := range ms {
		if strings.EqualFold(ms[i].Key, k) {
			ms[i].Value = v
			return ms
		}
	}
	return append(ms, jsontree.Member{Key: k, Value: v})
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

// resourceIDText builds the text of resourceId() and its relatives. The
// subscription and resource group are unknown offline, so a plain
// resourceId(type, name) is "Namespace/type/name"; given explicitly, they
// are spelled out. Scope matching only looks at the provider part.
func resourceIDText(fn string, args []string) (string, error) {
	var base string
	if fn == "extensionresourceid" {
		if len(args) < 3 {
			return "", errors.New("needs a resource ID, a type and a name")
		}
		base, args = strings.TrimSuffix(args[0], "/")+"/providers/", args[1:]
	}
	ti := -1
	for i, a := range args {
		if strings.Contains(a, "/") {
			ti = i
			break
		}
	}
	if ti < 0 {
		return "", errors.New("no resource type (Namespace/type) among the arguments")
	}
	var prefix string
	switch {
	case fn == "extensionresourceid":
		if ti != 0 {
			return "", errors.New("the resource type must follow the resource ID")
		}
		prefix = base
	case fn == "tenantresourceid":
		if ti != 0 {
			return "", errors.New("the resource type must come first")
		}
		prefix = "/providers/"
	case ti == 0:
	case ti == 1 && fn == "subscriptionresourceid":
		prefix = "/subscriptions/" + args[0] + "/providers/"
	case ti == 1:
		prefix = "/resourceGroups/" + args[0] + "/providers/"
	case ti == 2 && fn == "resourceid":
		prefix = "/subscriptions/" + args[0] + "/resourceGroups/" + args[1] + "/providers/"
	default:
		return "", errors.New("too many arguments before the resource type")
	}
	segs := strings.Split(strings.Trim(args[ti], "/"), "/")
	var names []string
	for _, n := range args[ti+1:] {
		names = append(names, strings.Split(strings.Trim(n, "/"), "/")...)
	}
	if len(names) != len(segs)-1 {
		return "", errors.New("the number of names does not match the resource type")
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(segs[0])
	for i, t := range segs[1:] {
		b.WriteString("/" + t + "/" + names[i])
	}
	if b.Len() > maxStringLen {
		return "", errors.New("resource ID too long")
	}
	return b.String(), nil
}

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
func (s *scope) resolver() Resolver {
	return func(n *jsontree.Node) (*jsontree.Node, string) {
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
