package syntax

import (
	"fmt"
	"strings"
)

// Parse reads one Bicep source file. file names it in errors; a name ending
// in .bicepparam is read as a parameters file. Parse returns either a
// complete *File and a nil error, or a nil *File and an ErrorList: a file
// with any syntax error never yields a tree.
func Parse(src []byte, file string) (*File, error) {
	if len(src) > maxBytes {
		return nil, ErrorList{{File: file, Pos: Pos{Line: 1, Col: 1},
			Msg: fmt.Sprintf("file is %d bytes, more than the %d a Bicep file may have", len(src), maxBytes)}}
	}
	lx := &lexer{src: src, file: file}
	lx.lex()
	if lx.err != nil {
		return nil, ErrorList{lx.err}
	}
	p := &parser{file: file, toks: lx.toks}
	f := &File{Name: file, Kind: KindBicep, Pragmas: lx.pragmas}
	if strings.HasSuffix(strings.ToLower(file), ".bicepparam") {
		f.Kind = KindParams
	}
	p.kind = f.Kind
	f.Statements = p.parseFile()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return f, nil
}

// parser is a recursive-descent parser over the token slice, following
// Bicep's own (src/Bicep.Core/Parsing): every rule reads forward only, so
// parsing is linear in the tokens. A syntax error records an Error and
// unwinds to the statement loop (panic with bailout, recovered there only),
// which skips to the next line that starts a declaration.
type parser struct {
	file  string
	kind  FileKind
	toks  []token
	i     int
	depth int
	errs  ErrorList
}

// bailout unwinds the parser from a syntax error to the statement loop.
type bailout struct{}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt returns the token n places ahead (the EOF token past the end).
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) at(k tokKind) bool { return p.toks[p.i].kind == k }

// atKeyword tells whether the current token is the identifier kw.
func (p *parser) atKeyword(kw string) bool {
	t := p.toks[p.i]
	return t.kind == tIdent && t.text == kw
}

// peekSkipNewlines returns the first token from the current one that is not
// a line break.
func (p *parser) peekSkipNewlines() token {
	if p.at(tNewline) {
		return p.peekAt(1) // line breaks are collapsed by the lexer
	}
	return p.peek()
}

func (p *parser) skipNewlines() {
	for p.at(tNewline) {
		p.i++
	}
}

// failAt records an error at pos and unwinds.
func (p *parser) failAt(pos Pos, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
	panic(bailout{})
}

// unexpected records "expected X, found Y" at the current token.
func (p *parser) unexpected(expected string) {
	t := p.peek()
	p.failAt(t.pos, "expected %s, found %s", expected, t.describe())
}

func (p *parser) expect(k tokKind) token {
	if !p.at(k) {
		p.unexpected(k.String())
	}
	return p.next()
}

func (p *parser) expectKeyword(kw string) token {
	if !p.atKeyword(kw) {
		p.unexpected("'" + kw + "'")
	}
	return p.next()
}

func (p *parser) ident(what string) *Ident {
	if !p.at(tIdent) {
		p.unexpected(what)
	}
	t := p.next()
	return &Ident{Pos: t.pos, Name: t.text}
}

// enter counts one level of nesting; past maxDepth it is an error, so the
// recursion (and the Go stack) is bounded whatever the input.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.failAt(p.peek().pos, "nesting deeper than %d levels", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// declarationKeywords start a top-level statement; error recovery resumes
// at a line starting with one of them (or with '@').
var declarationKeywords = map[string]bool{
	"targetScope": true, "metadata": true, "param": true, "var": true,
	"output": true, "resource": true, "module": true, "type": true,
	"func": true, "import": true, "extension": true, "provider": true,
	"assert": true, "using": true, "extends": true, "test": true,
}

func (p *parser) parseFile() []Statement {
	var out []Statement
	for {
		p.skipNewlines()
		if p.at(tEOF) {
			return out
		}
		if s, ok := p.statementOrRecover(); ok {
			out = append(out, s)
		}
		if len(p.errs) >= maxErrors {
			p.errs = append(p.errs, &Error{File: p.file, Pos: p.peek().pos, Msg: "too many errors, stopped reading"})
			return nil
		}
	}
}

// statementOrRecover parses one statement and the line break after it; on
// a syntax error it skips to the next line that starts a declaration.
func (p *parser) statementOrRecover() (s Statement, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(bailout); !is {
				panic(r)
			}
			p.depth = 0
			p.resync()
			s, ok = nil, false
		}
	}()
	s = p.statement()
	if !p.at(tEOF) && !p.at(tNewline) {
		p.unexpected("end of line after the declaration")
	}
	return s, true
}

func (p *parser) resync() {
	for !p.at(tEOF) {
		t := p.next()
		if t.kind != tNewline {
			continue
		}
		n := p.peek()
		if n.pos.Col == 1 && (n.kind == tAt || (n.kind == tIdent && declarationKeywords[n.text])) {
			return
		}
	}
}

// decorators parses the @decorator lines before a declaration, an
// object-type property or a tuple item; each must end its line.
func (p *parser) decorators() []*Decorator {
	var ds []*Decorator
	for p.at(tAt) {
		at := p.next()
		name := p.ident("decorator name")
		var call *CallExpr
		var recv Expr
		for {
			if p.at(tLParen) {
				call = &CallExpr{Pos: name.Pos, Recv: recv, Name: name, Args: p.callArgs()}
				if recv != nil {
					call.Pos = recv.Position()
				}
				break
			}
			if !p.at(tDot) || recv != nil {
				p.unexpected("'(' after the decorator name")
			}
			p.next()
			recv, name = name, p.ident("decorator name")
		}
		ds = append(ds, &Decorator{Pos: at.pos, Call: call})
		if !p.at(tNewline) {
			p.unexpected("end of line after the decorator")
		}
		p.skipNewlines()
	}
	return ds
}

func (p *parser) statement() Statement {
	decs := p.decorators()
	t := p.peek()
	if t.kind != tIdent {
		p.unexpected("a declaration")
	}
	if p.kind == KindParams {
		switch t.text {
		case "using", "extends", "param", "var", "import", "type", "func", "extension", "provider", "metadata":
		default:
			if declarationKeywords[t.text] {
				p.failAt(t.pos, "a .bicepparam file cannot declare a %s (expected using, param, var, type, func or import)", t.text)
			}
			p.unexpected("a declaration (using, param, var, type, func or import)")
		}
	} else if t.text == "using" || t.text == "extends" {
		p.failAt(t.pos, "'%s' belongs in a .bicepparam file, not a .bicep file", t.text)
	}
	switch t.text {
	case "targetScope":
		p.next()
		p.expect(tAssign)
		return &TargetScope{Pos: t.pos, Decorators: decs, Value: p.expr()}
	case "metadata":
		p.next()
		name := p.ident("metadata name")
		p.expect(tAssign)
		return &Metadata{Pos: t.pos, Decorators: decs, Name: name, Value: p.expr()}
	case "param":
		return p.param(t, decs)
	case "var":
		p.next()
		v := &Var{Pos: t.pos, Decorators: decs, Name: p.ident("variable name")}
		if !p.at(tAssign) && !p.at(tNewline) && !p.at(tEOF) {
			v.Type = p.declType(false)
		}
		p.expect(tAssign)
		v.Value = p.expr()
		return v
	case "output":
		p.next()
		o := &Output{Pos: t.pos, Decorators: decs, Name: p.ident("output name")}
		o.Type = p.declType(true)
		p.expect(tAssign)
		o.Value = p.expr()
		return o
	case "resource":
		return p.resource(decs)
	case "module":
		p.next()
		m := &Module{Pos: t.pos, Decorators: decs, Name: p.ident("module name")}
		m.Path = p.stringLit("module path string")
		p.expect(tAssign)
		m.Body = p.declBody(false)
		return m
	case "test":
		p.next()
		tt := &Test{Pos: t.pos, Decorators: decs, Name: p.ident("test name")}
		tt.Path = p.stringLit("test file path string")
		p.expect(tAssign)
		if !p.at(tLBrace) {
			p.unexpected("'{'")
		}
		tt.Body = p.object(false)
		return tt
	case "type":
		p.next()
		d := &TypeDecl{Pos: t.pos, Decorators: decs, Name: p.ident("type name")}
		p.expect(tAssign)
		d.Value = p.declType(false)
		return d
	case "func":
		return p.funcDecl(t, decs)
	case "import":
		return p.importDecl(t, decs)
	case "extension", "provider":
		p.next()
		return p.extension(t, decs)
	case "assert":
		p.next()
		a := &Assert{Pos: t.pos, Decorators: decs, Name: p.ident("assertion name")}
		p.expect(tAssign)
		a.Value = p.expr()
		return a
	case "using":
		p.next()
		u := &Using{Pos: t.pos}
		if p.atKeyword("none") {
			p.next()
			u.None = true
		} else {
			u.Path = p.stringLit("the path of a Bicep file, or none")
		}
		return u
	case "extends":
		p.next()
		return &Extends{Pos: t.pos, Path: p.stringLit("the path of a .bicepparam file")}
	}
	p.unexpected("a declaration (param, var, resource, module, output, type, func, import, metadata, targetScope, extension or assert)")
	return nil
}

func (p *parser) param(t token, decs []*Decorator) Statement {
	p.next()
	name := p.ident("parameter name")
	if p.kind == KindParams {
		p.expect(tAssign)
		return &ParamAssignment{Pos: t.pos, Decorators: decs, Name: name, Value: p.expr()}
	}
	prm := &Param{Pos: t.pos, Decorators: decs, Name: name, Type: p.declType(false)}
	if p.at(tAssign) {
		p.next()
		prm.Default = p.expr()
	}
	return prm
}

// resource parses `resource name 'type' [existing] = body`, at top level or
// nested in a resource body.
func (p *parser) resource(decs []*Decorator) *Resource {
	t := p.expectKeyword("resource")
	r := &Resource{Pos: t.pos, Decorators: decs, Name: p.ident("resource name")}
	r.Type = p.stringLit("resource type string ('Microsoft.X/y@version')")
	if p.atKeyword("existing") {
		p.next()
		r.Existing = true
	}
	p.expect(tAssign)
	r.Body = p.declBody(true)
	return r
}

// declBody parses the body of a resource or module: an object, `if (c)
// {…}` or a loop `[for …: {…} or if (c) {…}]`. A line break may come
// before `if`.
func (p *parser) declBody(resources bool) Expr {
	if p.at(tNewline) && p.peekAt(1).kind == tIdent && p.peekAt(1).text == "if" {
		p.next()
	}
	switch {
	case p.atKeyword("if"):
		return p.ifBody(resources)
	case p.at(tLBrace):
		return p.object(resources)
	case p.at(tLBrack):
		return p.forExpr(true, resources)
	}
	p.unexpected("'{', 'if' or '[for'")
	return nil
}

func (p *parser) ifBody(resources bool) *IfExpr {
	t := p.expectKeyword("if")
	if !p.at(tLParen) {
		p.unexpected("'(' after 'if'")
	}
	cond := p.parenExpr()
	if !p.at(tLBrace) {
		p.unexpected("'{' after the condition")
	}
	return &IfExpr{Pos: t.pos, Cond: cond.X, Body: p.object(resources)}
}

func (p *parser) funcDecl(t token, decs []*Decorator) *Func {
	p.next()
	f := &Func{Pos: t.pos, Decorators: decs, Name: p.ident("function name")}
	p.expect(tLParen)
	p.skipNewlines()
	for !p.at(tRParen) {
		name := p.ident("parameter name")
		f.Params = append(f.Params, &LambdaParam{Pos: name.Pos, Name: name, Type: p.declType(false)})
		p.skipNewlines()
		if !p.at(tComma) {
			break
		}
		p.next()
		p.skipNewlines()
	}
	p.expect(tRParen)
	f.Result = p.declType(false)
	p.expect(tArrow)
	p.newlinesBeforeBody()
	f.Body = p.expr()
	return f
}

// newlinesBeforeBody skips line breaks after '=>' unless the next line
// starts a declaration (Bicep's rule, so a missing body is reported there).
func (p *parser) newlinesBeforeBody() {
	if p.at(tNewline) {
		n := p.peekAt(1)
		if !(n.kind == tIdent && declarationKeywords[n.text]) {
			p.skipNewlines()
		}
	}
}

func (p *parser) importDecl(t token, decs []*Decorator) Statement {
	p.next()
	switch {
	case p.at(tString) || p.at(tStringLeft):
		return p.extension(t, decs) // legacy `import 'az@1.0.0' [with {…}] [as x]`
	case p.at(tStar):
		p.next()
		p.expectKeyword("as")
		imp := &Import{Pos: t.pos, Decorators: decs, Wildcard: p.ident("namespace alias")}
		p.expectKeyword("from")
		imp.From = p.stringLit("the path or reference imported from")
		return imp
	case p.at(tLBrace):
		imp := &Import{Pos: t.pos, Decorators: decs}
		p.next()
		p.elements(tRBrace, func() {
			it := &ImportItem{Pos: p.peek().pos}
			switch {
			case p.at(tIdent):
				it.Name = p.ident("exported name")
			case p.at(tString):
				it.Name = p.stringLit("exported name")
			default:
				p.unexpected("an exported name")
			}
			if p.atKeyword("as") {
				p.next()
				it.Alias = p.ident("alias")
			} else if _, quoted := it.Name.(*StringLit); quoted {
				p.failAt(it.Pos, "a quoted exported name needs an alias: 'name' as alias")
			}
			imp.Items = append(imp.Items, it)
		})
		p.expect(tRBrace)
		p.expectKeyword("from")
		imp.From = p.stringLit("the path or reference imported from")
		return imp
	}
	p.unexpected("'{', '*' or a string after import")
	return nil
}

// extension parses the rest of an extension, provider or legacy import
// declaration, after its keyword.
func (p *parser) extension(t token, decs []*Decorator) *Extension {
	e := &Extension{Pos: t.pos, Decorators: decs, Keyword: t.text}
	switch {
	case p.at(tIdent):
		e.Spec = p.ident("extension name")
	case p.at(tString) || p.at(tStringLeft):
		e.Spec = p.stringLit("extension reference")
	default:
		p.unexpected("an extension name or reference")
	}
	if p.atKeyword("with") {
		p.next()
		if !p.at(tLBrace) {
			p.unexpected("'{' after 'with'")
		}
		e.Config = p.object(false)
	}
	if p.atKeyword("as") {
		p.next()
		e.Alias = p.ident("extension alias")
	}
	return e
}

// elements parses the items of an array, object or import list up to
// closing (not consumed): items are separated by line breaks or by one
// comma (a comma then a line break is an error, as in Bicep).
func (p *parser) elements(closing tokKind, item func()) {
	if p.at(closing) {
		return
	}
	p.skipNewlines()
	for !p.at(closing) && !p.at(tEOF) {
		item()
		switch {
		case p.at(tNewline):
			p.skipNewlines()
		case p.at(tComma):
			c := p.next()
			if p.at(tNewline) {
				p.failAt(c.pos, "a comma cannot end a line between items: separate items by a line break or by commas on one line")
			}
		case p.at(closing):
		default:
			p.unexpected("a line break or ',' between items")
		}
	}
}
