package netpols

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
)

// calicoSel is a parsed Calico selector (projectcalico.org): all(),
// global(), has(k), k == 'v', k != 'v', k in {'a', 'b'}, k not in {...},
// k contains / starts with / ends with 'v', combined with !, &&, || and
// parentheses. A selector that does not parse is reported, never guessed.
type calicoSel func(l calicoLabels) kit.Cover

// calicoLabels looks a label up: its value, whether it is set, and whether
// that is known at all (a namespace label of an undeclared namespace is not).
type calicoLabels func(key string) (val string, set bool, known bool)

// Bounds of one selector: real ones nest a few levels and join a few
// terms. Past them the selector is reported (not guessed) before the
// parser's recursion or the evaluation's chain of closures could exhaust
// the stack.
const (
	maxCalicoDepth = 100    // parentheses and ! nested in one another
	maxCalicoTerms = 10_000 // operands and operators in one selector
)

func parseCalicoSel(s string) (calicoSel, error) {
	p := &calicoParser{s: s}
	if strings.TrimSpace(s) == "" {
		return func(calicoLabels) kit.Cover { return kit.CovYes }, nil
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.skip(); p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	return e, nil
}

type calicoParser struct {
	s     string
	i     int
	depth int // parentheses and ! open now
	terms int // operands and operators read
}

// enter counts one more nesting level and term; past the bounds the
// selector is an error.
func (p *calicoParser) enter() error {
	p.depth++
	p.terms++
	switch {
	case p.depth > maxCalicoDepth:
		return fmt.Errorf("nested more than %d levels deep", maxCalicoDepth)
	case p.terms > maxCalicoTerms:
		return fmt.Errorf("more than %d terms", maxCalicoTerms)
	}
	return nil
}

func (p *calicoParser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *calicoParser) eat(tok string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *calicoParser) or() (calicoSel, error) {
	// Either side covering decides; otherwise unknown beats no.
	return p.binary("||", p.and, kit.CovYes)
}

func (p *calicoParser) and() (calicoSel, error) {
	// Either side excluding decides; otherwise unknown beats yes.
	return p.binary("&&", p.unary, kit.CovNo)
}

// binary parses operands joined by op, left-associative. decisive is the
// value that decides the result when either side has it (covYes for ||,
// covNo for &&); else an unknown side makes the result unknown, else it is
// the other value.
func (p *calicoParser) binary(op string, operand func() (calicoSel, error), decisive kit.Cover) (calicoSel, error) {
	other := kit.CovYes
	if decisive == kit.CovYes {
		other = kit.CovNo
	}
	l, err := operand()
	if err != nil {
		return nil, err
	}
	for p.eat(op) {
		if p.terms++; p.terms > maxCalicoTerms {
			return nil, fmt.Errorf("more than %d terms", maxCalicoTerms)
		}
		r, err := operand()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(x calicoLabels) kit.Cover {
			u, v := a(x), b(x)
			switch {
			case u == decisive || v == decisive:
				return decisive
			case u == kit.CovUnknown || v == kit.CovUnknown:
				return kit.CovUnknown
			}
			return other
		}
	}
	return l, nil
}

func (p *calicoParser) unary() (calicoSel, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	switch {
	case p.eat("!"):
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(x calicoLabels) kit.Cover {
			switch e(x) {
			case kit.CovYes:
				return kit.CovNo
			case kit.CovNo:
				return kit.CovYes
			}
			return kit.CovUnknown
		}, nil
	case p.eat("("):
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("missing )")
		}
		return e, nil
	case p.eat("all()"):
		return func(calicoLabels) kit.Cover { return kit.CovYes }, nil
	case p.eat("global()"):
		// Non-namespaced endpoints (host endpoints, network sets): no pod.
		return func(calicoLabels) kit.Cover { return kit.CovNo }, nil
	case p.eat("has("):
		k := p.key()
		if k == "" || !p.eat(")") {
			return nil, fmt.Errorf("bad has()")
		}
		return func(x calicoLabels) kit.Cover {
			_, set, known := x(k)
			return boolCover(set, known)
		}, nil
	}
	k := p.key()
	if k == "" {
		return nil, fmt.Errorf("expected a label at %q", p.s[p.i:])
	}
	var op string
	for _, o := range []string{"==", "!=", "not in", "in", "contains", "starts with", "ends with"} {
		if p.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, fmt.Errorf("expected an operator after %s", k)
	}
	var vals []string
	if op == "in" || op == "not in" {
		if !p.eat("{") {
			return nil, fmt.Errorf("expected { after %s", op)
		}
		for !p.eat("}") {
			v, ok := p.str()
			if !ok {
				return nil, fmt.Errorf("expected a quoted value in {...}")
			}
			vals = append(vals, v)
			p.eat(",")
		}
	} else {
		v, ok := p.str()
		if !ok {
			return nil, fmt.Errorf("expected a quoted value after %s", op)
		}
		vals = []string{v}
	}
	return func(x calicoLabels) kit.Cover {
		v, set, known := x(k)
		if !known {
			return kit.CovUnknown
		}
		var m bool
		switch op {
		case "==":
			m = set && v == vals[0]
		case "!=":
			m = !set || v != vals[0]
		case "in", "not in":
			in := false
			for _, w := range vals {
				in = in || (set && v == w)
			}
			m = in == (op == "in")
		case "contains":
			m = set && strings.Contains(v, vals[0])
		case "starts with":
			m = set && strings.HasPrefix(v, vals[0])
		case "ends with":
			m = set && strings.HasSuffix(v, vals[0])
		}
		return boolCover(m, true)
	}, nil
}

func boolCover(b, known bool) kit.Cover {
	switch {
	case !known:
		return kit.CovUnknown
	case b:
		return kit.CovYes
	}
	return kit.CovNo
}

func (p *calicoParser) key() string {
	p.skip()
	j := p.i
	for j < len(p.s) {
		c := p.s[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-/", c) >= 0 {
			j++
			continue
		}
		break
	}
	k := p.s[p.i:j]
	p.i = j
	return k
}

func (p *calicoParser) str() (string, bool) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", false
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", false
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, true
}
