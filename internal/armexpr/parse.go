package armexpr

import (
	"fmt"
	"strconv"
	"strings"
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
