package bicep

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// value compiles an expression in a value position (a property value, a
// default, a variable) to a template node: object and array literals stay
// JSON objects and arrays (so each member keeps its own line), literals
// stay literals, anything else is an expression string. inProps is set
// below a resource's properties, where a loop over a property's value is a
// property copy loop (as the Bicep compiler writes it).
func (fc *fileCtx) value(e syntax.Expr, en *env, inProps bool) *jsontree.Node {
	if fc.c.over() {
		return fc.exprNode(unsupported("a template larger than aksguard builds"), e.Position().Line)
	}
	line := e.Position().Line
	switch x := e.(type) {
	case *syntax.ParenExpr:
		return fc.value(x.X, en, inProps)
	case *syntax.StringLit:
		if v, ok := x.Value(); ok {
			return fc.lit(v, line)
		}
	case *syntax.IntLit:
		return fc.c.node(&jsontree.Node{Kind: jsontree.Number, Str: strconv.FormatInt(x.Value, 10), Line: line})
	case *syntax.UnaryExpr:
		if lit, ok := x.X.(*syntax.IntLit); ok && x.Op == "-" {
			return fc.c.node(&jsontree.Node{Kind: jsontree.Number, Str: "-" + strconv.FormatInt(lit.Value, 10), Line: line})
		}
	case *syntax.BoolLit:
		return fc.c.node(&jsontree.Node{Kind: jsontree.Bool, Bool: x.Value, Line: line})
	case *syntax.NullLit:
		return fc.c.node(&jsontree.Node{Kind: jsontree.Null, Line: line})
	case *syntax.ArrayExpr:
		plain := true
		for _, it := range x.Items {
			if _, ok := it.(*syntax.SpreadExpr); ok {
				plain = false
			}
		}
		if plain {
			a := fc.arr(line)
			for _, it := range x.Items {
				a.Items = append(a.Items, fc.value(it, en, false))
			}
			return a
		}
	case *syntax.ObjectExpr:
		if n := fc.objectValue(x, en, inProps); n != nil {
			return n
		}
	}
	return fc.exprNode(fc.expr(e, en), line)
}

// objectValue is an object literal as a JSON object; nil when it cannot be
// one (a spread, a computed key).
func (fc *fileCtx) objectValue(x *syntax.ObjectExpr, en *env, inProps bool) *jsontree.Node {
	for _, it := range x.Items {
		p, ok := it.(*syntax.ObjectProperty)
		if !ok {
			return nil
		}
		if _, ok := p.KeyName(); !ok {
			return nil
		}
	}
	o := fc.obj(x.Line)
	var copies *jsontree.Node
	for _, it := range x.Items {
		p := it.(*syntax.ObjectProperty)
		k, _ := p.KeyName()
		if f, ok := p.Value.(*syntax.ForExpr); ok && inProps {
			if _, filtered := f.Body.(*syntax.IfExpr); !filtered && k != "copy" {
				if copies == nil {
					copies = fc.arr(p.Line)
				}
				copies.Items = append(copies.Items, fc.copyLoop(k, f, en, true))
				continue
			}
		}
		fc.set(o, k, fc.value(p.Value, en, inProps))
	}
	if copies != nil {
		fc.set(o, "copy", copies)
	}
	return o
}

// copyLoop is one {name, count, input} copy loop building the property or
// variable name from loop f.
func (fc *fileCtx) copyLoop(name string, f *syntax.ForExpr, en *env, inProps bool) *jsontree.Node {
	it := fc.expr(f.Iterable, en)
	idx := call("copyIndex", quote(name))
	be := en.bind(f.Item.Name, it+"["+idx+"]")
	if f.Index != nil {
		be = be.bind(f.Index.Name, idx)
	}
	c := fc.obj(f.Line)
	fc.set(c, "name", fc.str(name, f.Line))
	fc.set(c, "count", fc.exprNode(call("length", it), f.Line))
	fc.set(c, "input", fc.value(f.Body, be, inProps))
	return c
}

// paramDecl is the template parameter of a param declaration.
func (fc *fileCtx) paramDecl(s *syntax.Param) *jsontree.Node {
	n := fc.obj(s.Line)
	typ, nullable := fc.typeOf(s.Type, 0)
	for _, d := range s.Decorators {
		if d.Name() == "secure" {
			switch typ {
			case "object":
				typ = "secureObject"
			default:
				typ = "secureString"
			}
		}
	}
	fc.set(n, "type", fc.str(typ, s.Line))
	if nullable {
		fc.set(n, "nullable", fc.c.node(&jsontree.Node{Kind: jsontree.Bool, Bool: true, Line: s.Line}))
	}
	if fc.given != nil {
		if v := fc.given.value(s.Name.Name); v != nil {
			// Its lines are the .bicepparam file's: evidence of this
			// template names the parameter's declaration instead.
			reline(v, s.Line, 0)
			fc.set(n, "defaultValue", v)
			return n
		}
	}
	if s.Default != nil {
		fc.set(n, "defaultValue", fc.value(s.Default, nil, false))
	}
	return n
}

// typeOf is the ARM type of a Bicep type (string, int, bool, object,
// array), and whether it is nullable.
func (fc *fileCtx) typeOf(t syntax.TypeExpr, depth int) (string, bool) {
	if depth > 32 {
		return "object", false
	}
	switch x := t.(type) {
	case *syntax.NullableType:
		typ, _ := fc.typeOf(x.X, depth+1)
		return typ, true
	case *syntax.ParenType:
		return fc.typeOf(x.X, depth+1)
	case *syntax.ArrayType, *syntax.TupleType:
		return "array", false
	case *syntax.ObjectType, *syntax.ResourceTypeRef, *syntax.ParameterizedType, *syntax.TypePropertyAccess, *syntax.TypeAdditionalProperties, *syntax.TypeIndex:
		return "object", false
	case *syntax.UnionType:
		nullable := false
		typ := ""
		for _, m := range x.Members {
			mt, mn := fc.typeOf(m, depth+1)
			if mt == "null" {
				nullable = true
				continue
			}
			nullable = nullable || mn
			if typ == "" {
				typ = mt
			}
		}
		if typ == "" {
			typ = "object"
		}
		return typ, nullable
	case *syntax.LiteralType:
		switch x.Value.(type) {
		case *syntax.StringLit:
			return "string", false
		case *syntax.IntLit, *syntax.UnaryExpr:
			return "int", false
		case *syntax.BoolLit:
			return "bool", false
		case *syntax.NullLit:
			return "null", false
		case *syntax.ArrayExpr:
			return "array", false
		}
		return "object", false
	case *syntax.TypeRef:
		if x.Qualifier == nil {
			switch x.Name.Name {
			case "string", "int", "bool", "object", "array":
				return x.Name.Name, false
			case "any":
				return "object", false
			}
			for _, st := range fc.f.Statements {
				if td, ok := st.(*syntax.TypeDecl); ok && td.Name.Name == x.Name.Name {
					return fc.typeOf(td.Value, depth+1)
				}
			}
		}
		return "object", false
	}
	return "object", false
}

// varDecl adds a variable to the template's variables: a loop over the
// whole value is a variable copy loop.
func (fc *fileCtx) varDecl(vars *jsontree.Node, s *syntax.Var) {
	if f, ok := s.Value.(*syntax.ForExpr); ok {
		if _, filtered := f.Body.(*syntax.IfExpr); !filtered {
			c := vars.Get("copy")
			if c == nil || c.Kind != jsontree.Array {
				c = fc.arr(s.Line)
				fc.set(vars, "copy", c)
			}
			c.Items = append(c.Items, fc.copyLoop(s.Name.Name, f, nil, false))
			return
		}
	}
	fc.set(vars, s.Name.Name, fc.value(s.Value, nil, false))
}

// reline gives every node of a value the line line.
func reline(n *jsontree.Node, line, depth int) {
	if n == nil || depth > 256 {
		return
	}
	n.Line = line
	for _, m := range n.Members {
		reline(m.Value, line, depth+1)
	}
	for _, it := range n.Items {
		reline(it, line, depth+1)
	}
}
