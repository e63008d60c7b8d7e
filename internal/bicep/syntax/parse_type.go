package syntax

// declType parses the type of a param, output, var, type or function
// parameter: `resource 'type@version'` (only an output may omit the
// string: optionalResource) or a type expression.
func (p *parser) declType(optionalResource bool) TypeExpr {
	if p.atKeyword("resource") && p.peekAt(1).kind != tLt {
		t := p.next()
		r := &ResourceTypeRef{Pos: t.pos}
		if p.at(tString) || p.at(tStringLeft) || !optionalResource {
			r.Type = p.stringLit("resource type string ('Microsoft.X/y@version')")
		}
		return r
	}
	return p.typeExpr()
}

// hasUnionSep tells whether a union continues: '|' here, or on the next
// line.
func (p *parser) hasUnionSep() bool {
	return p.at(tPipe) || p.at(tNewline) && p.peekAt(1).kind == tPipe
}

// typeExpr parses a type: a union of unary types, with an optional leading
// '|' (the members may each start a line with '|').
func (p *parser) typeExpr() TypeExpr {
	p.enter()
	defer p.leave()
	start := p.peekSkipNewlines().pos
	leading := false
	if p.hasUnionSep() {
		p.skipNewlines()
		p.next()
		leading = true
	}
	first := p.unaryType()
	if !leading && !p.hasUnionSep() {
		return first
	}
	if !leading {
		start = first.Position()
	}
	u := &UnionType{Pos: start, Members: []TypeExpr{first}}
	for p.hasUnionSep() {
		p.skipNewlines()
		p.next()
		if p.at(tNewline) {
			p.unexpected("a type after '|'")
		}
		u.Members = append(u.Members, p.unaryType())
	}
	return u
}

// unaryType parses a member type with its '?' (nullable) and '!'
// (non-nullable) suffixes, or a negated literal (-1, !true).
func (p *parser) unaryType() TypeExpr {
	var x TypeExpr
	if t := p.peek(); t.kind == tMinus || t.kind == tNot {
		p.next()
		op := "-"
		if t.kind == tNot {
			op = "!"
		}
		lit, ok := p.memberType().(*LiteralType)
		if !ok {
			p.failAt(t.pos, "expected a literal after '%s' in a type", op)
		}
		x = &LiteralType{Pos: t.pos, Value: &UnaryExpr{Pos: t.pos, Op: op, X: lit.Value}}
	} else {
		x = p.memberType()
	}
	for {
		switch p.peek().kind {
		case tQuestion:
			p.next()
			x = &NullableType{Pos: x.Position(), X: x}
		case tNot:
			p.next()
			x = &NonNullableType{Pos: x.Position(), X: x}
		default:
			return x
		}
	}
}

// memberType parses a primary type and its suffixes: [] (array of), [*]
// and [n] (element types), .* (additional properties), .name and
// .name<args>.
func (p *parser) memberType() TypeExpr {
	x := p.primaryType()
	for {
		switch p.peek().kind {
		case tLBrack:
			p.next()
			switch {
			case p.at(tRBrack):
				p.next()
				x = &ArrayType{Pos: x.Position(), Elem: x}
			case p.at(tStar):
				p.next()
				p.expect(tRBrack)
				x = &TypeIndex{Pos: x.Position(), X: x, Star: true}
			case p.at(tInt):
				ix := &TypeIndex{Pos: x.Position(), X: x, Index: p.intLit()}
				p.expect(tRBrack)
				x = ix
			default:
				p.unexpected("']', '*' or an integer index")
			}
		case tDot:
			p.next()
			if p.at(tStar) {
				p.next()
				x = &TypeAdditionalProperties{Pos: x.Position(), X: x}
				continue
			}
			name := p.ident("property or type name")
			ref, plain := x.(*TypeRef)
			plain = plain && ref.Qualifier == nil
			switch {
			case p.at(tLt):
				if !plain {
					p.failAt(name.Pos, "expected a namespace before %s<…>", name.Name)
				}
				x = &ParameterizedType{Pos: x.Position(), Qualifier: ref.Name, Name: name, Args: p.typeArgs()}
			case plain && ref.Name.Name == "sys":
				x = &TypeRef{Pos: ref.Pos, Qualifier: ref.Name, Name: name}
			default:
				x = &TypePropertyAccess{Pos: x.Position(), X: x, Name: name}
			}
		default:
			return x
		}
	}
}

func (p *parser) primaryType() TypeExpr {
	t := p.peek()
	switch t.kind {
	case tInt:
		return &LiteralType{Pos: t.pos, Value: p.intLit()}
	case tString, tStringLeft:
		s := p.stringLit("type")
		if len(s.Exprs) > 0 {
			p.failAt(s.Pos, "a string literal type cannot be interpolated")
		}
		return &LiteralType{Pos: t.pos, Value: s}
	case tLBrace:
		return p.objectType()
	case tLBrack:
		return p.tupleType()
	case tLParen:
		p.next()
		x := p.typeExpr()
		p.expect(tRParen)
		return &ParenType{Pos: t.pos, X: x}
	case tIdent:
		switch t.text {
		case "true", "false":
			p.next()
			return &LiteralType{Pos: t.pos, Value: &BoolLit{Pos: t.pos, Value: t.text == "true"}}
		case "null":
			p.next()
			return &LiteralType{Pos: t.pos, Value: &NullLit{Pos: t.pos}}
		}
		name := p.ident("type")
		if p.at(tLt) {
			return &ParameterizedType{Pos: t.pos, Name: name, Args: p.typeArgs()}
		}
		return &TypeRef{Pos: t.pos, Name: name}
	}
	p.unexpected("a type")
	return nil
}

// typeArgs parses `<a, b>`.
func (p *parser) typeArgs() []TypeExpr {
	p.expect(tLt)
	p.skipNewlines()
	var args []TypeExpr
	for !p.at(tGt) {
		args = append(args, p.typeExpr())
		p.skipNewlines()
		if !p.at(tComma) {
			break
		}
		p.next()
		p.skipNewlines()
	}
	if p.at(tGe) { // `…>=` closes the arguments, then '='
		t := &p.toks[p.i]
		t.kind = tAssign
		t.pos.Col++
		return args
	}
	p.expect(tGt)
	return args
}

func (p *parser) objectType() *ObjectType {
	p.enter()
	defer p.leave()
	t := p.expect(tLBrace)
	o := &ObjectType{Pos: t.pos}
	p.elements(tRBrace, func() {
		prop := &ObjectTypeProperty{Decorators: p.decorators()}
		prop.Pos = p.peek().pos
		if len(prop.Decorators) > 0 {
			prop.Pos = prop.Decorators[0].Pos
		}
		star := false
		switch {
		case p.at(tIdent):
			prop.Key = p.ident("property name")
		case p.at(tString) || p.at(tStringLeft):
			prop.Key = p.stringLit("property name")
		case p.at(tStar):
			p.next()
			star = true
		default:
			p.unexpected("a property name or '*'")
		}
		p.expect(tColon)
		prop.Value = p.typeExpr()
		if star {
			if o.Additional != nil {
				p.failAt(prop.Pos, "an object type may have only one '*' property")
			}
			o.Additional = prop
			return
		}
		o.Props = append(o.Props, prop)
	})
	p.expect(tRBrace)
	return o
}

func (p *parser) tupleType() *TupleType {
	p.enter()
	defer p.leave()
	t := p.expect(tLBrack)
	tt := &TupleType{Pos: t.pos}
	p.elements(tRBrack, func() {
		it := &TupleTypeItem{Decorators: p.decorators()}
		it.Pos = p.peek().pos
		if len(it.Decorators) > 0 {
			it.Pos = it.Decorators[0].Pos
		}
		it.Value = p.typeExpr()
		tt.Items = append(tt.Items, it)
	})
	p.expect(tRBrack)
	return tt
}
