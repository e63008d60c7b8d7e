package syntax

import "strconv"

// binaryPrec is Bicep's operator precedence (TokenTypeHelper): higher binds
// tighter; all binary operators are left-associative.
var binaryPrec = map[tokKind]int{
	tStar: 100, tSlash: 100, tPercent: 100,
	tPlus: 90, tMinus: 90,
	tGt: 80, tGe: 80, tLt: 80, tLe: 80,
	tEq: 70, tNeq: 70, tEqI: 70, tNeqI: 70,
	tAnd:            50,
	tOr:             40,
	tDoubleQuestion: 30,
}

var binaryOp = map[tokKind]string{
	tStar: "*", tSlash: "/", tPercent: "%", tPlus: "+", tMinus: "-",
	tGt: ">", tGe: ">=", tLt: "<", tLe: "<=",
	tEq: "==", tNeq: "!=", tEqI: "=~", tNeqI: "!~",
	tAnd: "&&", tOr: "||", tDoubleQuestion: "??",
}

// expr parses an expression: a binary expression, then an optional
// `? then : else` (line breaks are allowed before '?' and ':').
func (p *parser) expr() Expr {
	p.enter()
	defer p.leave()
	x := p.binary(0)
	if p.peekSkipNewlines().kind != tQuestion {
		return x
	}
	p.skipNewlines()
	p.next()
	then := p.expr()
	if p.peekSkipNewlines().kind == tColon {
		p.skipNewlines()
	}
	p.expect(tColon)
	return &TernaryExpr{Pos: x.Position(), Cond: x, Then: then, Else: p.expr()}
}

func (p *parser) binary(prec int) Expr {
	x := p.unary()
	for {
		t := p.peek()
		op, ok := binaryPrec[t.kind]
		if !ok || op <= prec {
			return x
		}
		p.next()
		y := p.binary(op)
		x = &BinaryExpr{Pos: x.Position(), Op: binaryOp[t.kind], X: x, Y: y}
	}
}

// unary parses `!x` or `-x`; as in Bicep the operand is a member
// expression (no second prefix operator).
func (p *parser) unary() Expr {
	t := p.peek()
	if t.kind == tNot || t.kind == tMinus {
		p.next()
		op := "!"
		if t.kind == tMinus {
			op = "-"
		}
		return &UnaryExpr{Pos: t.pos, Op: op, X: p.member()}
	}
	return p.member()
}

// member parses a primary expression and its suffixes: .name, .?name,
// .name(args), ::name, [index], [?index], [^index] and the non-null '!'.
func (p *parser) member() Expr {
	x := p.primary()
	for {
		switch p.peek().kind {
		case tLBrack:
			p.next()
			ix := &IndexExpr{Pos: x.Position(), X: x}
			if p.at(tQuestion) {
				p.next()
				ix.Safe = true
			}
			if p.at(tHat) {
				p.next()
				ix.FromEnd = true
			}
			if p.at(tRBrack) {
				p.unexpected("an index expression")
			}
			ix.Index = p.expr()
			p.expect(tRBrack)
			x = ix
		case tDot:
			p.next()
			safe := false
			if p.at(tQuestion) {
				p.next()
				safe = true
			}
			name := p.ident("property or function name")
			if p.at(tLParen) {
				if safe {
					p.failAt(name.Pos, "'.?' cannot be used on a function call")
				}
				x = &CallExpr{Pos: x.Position(), Recv: x, Name: name, Args: p.callArgs()}
			} else {
				x = &PropertyAccess{Pos: x.Position(), X: x, Name: name, Safe: safe}
			}
		case tDoubleColon:
			p.next()
			x = &ResourceAccess{Pos: x.Position(), X: x, Name: p.ident("nested resource name")}
		case tNot:
			p.next()
			x = &NonNullExpr{Pos: x.Position(), X: x}
		default:
			return x
		}
	}
}

func (p *parser) primary() Expr {
	t := p.peek()
	switch t.kind {
	case tInt:
		return p.intLit()
	case tString, tStringLeft, tMultiline:
		return p.stringLit("string")
	case tLBrace:
		return p.object(false)
	case tLBrack:
		if n := p.peekAt(1); n.kind == tIdent && n.text == "for" ||
			n.kind == tNewline && p.peekAt(2).kind == tIdent && p.peekAt(2).text == "for" {
			return p.forExpr(false, false)
		}
		return p.array()
	case tLParen:
		return p.parenOrLambda()
	case tIdent:
		switch t.text {
		case "true", "false":
			p.next()
			return &BoolLit{Pos: t.pos, Value: t.text == "true"}
		case "null":
			p.next()
			return &NullLit{Pos: t.pos}
		}
		name := p.ident("identifier")
		switch p.peek().kind {
		case tLParen:
			return &CallExpr{Pos: name.Pos, Name: name, Args: p.callArgs()}
		case tArrow:
			p.next()
			p.newlinesBeforeBody()
			return &LambdaExpr{Pos: name.Pos, Params: []*LambdaParam{{Pos: name.Pos, Name: name}}, Body: p.expr()}
		}
		return name
	}
	p.unexpected("an expression")
	return nil
}

func (p *parser) intLit() *IntLit {
	t := p.expect(tInt)
	v, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		p.failAt(t.pos, "integer %.30s does not fit in 64 bits", t.text)
	}
	return &IntLit{Pos: t.pos, Text: t.text, Value: v}
}

// stringLit parses a string: 'text', an interpolated 'a${x}b' or a
// ”'multi-line”' one; what names the string expected in errors.
func (p *parser) stringLit(what string) *StringLit {
	t := p.peek()
	switch t.kind {
	case tString:
		p.next()
		return &StringLit{Pos: t.pos, Parts: []string{t.val}}
	case tMultiline:
		p.next()
		return &StringLit{Pos: t.pos, Parts: []string{t.val}, Multiline: true}
	case tStringLeft:
	default:
		p.unexpected(what)
	}
	p.enter()
	defer p.leave()
	p.next()
	s := &StringLit{Pos: t.pos, Parts: []string{t.val}}
	for {
		x := p.expr()
		s.Exprs = append(s.Exprs, x)
		n := p.peek()
		switch n.kind {
		case tStringMid:
			p.next()
			s.Parts = append(s.Parts, n.val)
			continue
		case tStringRight:
			p.next()
			s.Parts = append(s.Parts, n.val)
			return s
		}
		p.unexpected("'}' closing the string interpolation")
	}
}

// callArgs parses `(a, b, …)`: commas between arguments, line breaks
// allowed around them, no trailing comma.
func (p *parser) callArgs() []Expr {
	p.expect(tLParen)
	p.skipNewlines()
	var args []Expr
	for !p.at(tRParen) {
		args = append(args, p.expr())
		p.skipNewlines()
		if !p.at(tComma) {
			break
		}
		p.next()
		p.skipNewlines()
		if p.at(tRParen) {
			p.unexpected("an argument after ','")
		}
	}
	p.expect(tRParen)
	return args
}

// parenExpr parses `(x)`; line breaks are allowed inside.
func (p *parser) parenExpr() *ParenExpr {
	t := p.expect(tLParen)
	p.skipNewlines()
	x := p.expr()
	p.skipNewlines()
	p.expect(tRParen)
	return &ParenExpr{Pos: t.pos, X: x}
}

// parenOrLambda parses `(x)` or a lambda `(a, b) => body` / `() => body`:
// the parenthesised list is read once, then '=>' decides.
func (p *parser) parenOrLambda() Expr {
	t := p.expect(tLParen)
	var items []Expr
	p.skipNewlines()
	for !p.at(tRParen) {
		items = append(items, p.expr())
		p.skipNewlines()
		if !p.at(tComma) {
			break
		}
		p.next()
		p.skipNewlines()
	}
	p.expect(tRParen)
	if p.at(tArrow) {
		p.next()
		l := &LambdaExpr{Pos: t.pos}
		for _, it := range items {
			id, ok := it.(*Ident)
			if !ok {
				p.failAt(it.Position(), "expected a lambda parameter name")
			}
			l.Params = append(l.Params, &LambdaParam{Pos: id.Pos, Name: id})
		}
		p.newlinesBeforeBody()
		l.Body = p.expr()
		return l
	}
	if len(items) != 1 {
		p.failAt(t.pos, "parentheses must hold exactly one expression")
	}
	return &ParenExpr{Pos: t.pos, X: items[0]}
}

func (p *parser) array() *ArrayExpr {
	p.enter()
	defer p.leave()
	t := p.expect(tLBrack)
	a := &ArrayExpr{Pos: t.pos}
	p.elements(tRBrack, func() {
		if p.at(tEllipsis) {
			s := p.next()
			a.Items = append(a.Items, &SpreadExpr{Pos: s.pos, X: p.expr()})
			return
		}
		a.Items = append(a.Items, p.expr())
	})
	p.expect(tRBrack)
	return a
}

// object parses `{ … }`; resources allows nested resource declarations
// (with their decorators), as in a resource body.
func (p *parser) object(resources bool) *ObjectExpr {
	p.enter()
	defer p.leave()
	t := p.expect(tLBrace)
	o := &ObjectExpr{Pos: t.pos}
	p.elements(tRBrace, func() {
		if resources && (p.at(tAt) || p.atKeyword("resource") && p.peekAt(1).kind == tIdent) {
			decs := p.decorators()
			o.Items = append(o.Items, p.resource(decs))
			return
		}
		if p.at(tEllipsis) {
			s := p.next()
			o.Items = append(o.Items, &SpreadExpr{Pos: s.pos, X: p.expr()})
			return
		}
		prop := &ObjectProperty{Pos: p.peek().pos}
		switch {
		case p.at(tIdent):
			prop.Key = p.ident("property name")
		case p.at(tString) || p.at(tStringLeft):
			prop.Key = p.stringLit("property name")
		default:
			p.unexpected("a property name")
		}
		p.expect(tColon)
		prop.Value = p.expr()
		o.Items = append(o.Items, prop)
	})
	p.expect(tRBrace)
	return o
}

// forExpr parses `[for x in xs: body]` or `[for (x, i) in xs: body]`. In a
// resource or module (decl) the body is an object or `if (c) {…}`; else
// any expression.
func (p *parser) forExpr(decl, resources bool) *ForExpr {
	p.enter()
	defer p.leave()
	t := p.expect(tLBrack)
	p.skipNewlines()
	p.expectKeyword("for")
	f := &ForExpr{Pos: t.pos}
	if p.at(tLParen) {
		p.next()
		f.Item = p.ident("loop item name")
		p.expect(tComma)
		f.Index = p.ident("loop index name")
		p.expect(tRParen)
	} else {
		f.Item = p.ident("loop item name or '('")
	}
	p.expectKeyword("in")
	f.Iterable = p.expr()
	p.expect(tColon)
	if decl {
		switch {
		case p.at(tLBrace):
			f.Body = p.object(resources)
		case p.atKeyword("if"):
			f.Body = p.ifBody(resources)
		default:
			p.unexpected("'{' or 'if' (the loop body)")
		}
	} else {
		f.Body = p.expr()
	}
	p.skipNewlines()
	p.expect(tRBrack)
	return f
}
