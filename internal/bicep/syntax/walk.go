package syntax

// Inspect walks the tree from n in source order, calling f for each node
// (a *File included); when f returns false the node's children are skipped.
// Nil children are not visited.
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) || !f(n) {
		return
	}
	walkChildren(n, func(c Node) { Inspect(c, f) })
}

// isNil tells a nil interface or a typed nil pointer (an optional child).
func isNil(n Node) bool {
	switch v := n.(type) {
	case nil:
		return true
	case *Ident:
		return v == nil
	case *StringLit:
		return v == nil
	case *ObjectExpr:
		return v == nil
	case *ObjectTypeProperty:
		return v == nil
	case *IntLit:
		return v == nil
	}
	return false
}

func decoratorsOf(ds []*Decorator, visit func(Node)) {
	for _, d := range ds {
		visit(d)
	}
}

func walkChildren(n Node, visit func(Node)) {
	switch n := n.(type) {
	case *File:
		for _, p := range n.Pragmas {
			visit(p)
		}
		for _, s := range n.Statements {
			visit(s)
		}
	case *Pragma:
	case *Decorator:
		visit(n.Call)
	case *TargetScope:
		decoratorsOf(n.Decorators, visit)
		visit(n.Value)
	case *Metadata:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Value)
	case *Param:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Type)
		visit(n.Default)
	case *ParamAssignment:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Value)
	case *Var:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Type)
		visit(n.Value)
	case *Output:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Type)
		visit(n.Value)
	case *Resource:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Type)
		visit(n.Body)
	case *Module:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Path)
		visit(n.Body)
	case *TypeDecl:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Value)
	case *Func:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		for _, p := range n.Params {
			visit(p)
		}
		visit(n.Result)
		visit(n.Body)
	case *Import:
		decoratorsOf(n.Decorators, visit)
		for _, it := range n.Items {
			visit(it)
		}
		visit(n.Wildcard)
		visit(n.From)
	case *ImportItem:
		visit(n.Name)
		visit(n.Alias)
	case *Extension:
		decoratorsOf(n.Decorators, visit)
		visit(n.Spec)
		visit(n.Config)
		visit(n.Alias)
	case *Assert:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Value)
	case *Using:
		visit(n.Path)
	case *Extends:
		visit(n.Path)
	case *Test:
		decoratorsOf(n.Decorators, visit)
		visit(n.Name)
		visit(n.Path)
		visit(n.Body)
	case *Ident, *IntLit, *BoolLit, *NullLit:
	case *StringLit:
		for _, x := range n.Exprs {
			visit(x)
		}
	case *ArrayExpr:
		for _, x := range n.Items {
			visit(x)
		}
	case *ObjectExpr:
		for _, it := range n.Items {
			visit(it)
		}
	case *ObjectProperty:
		decoratorsOf(n.Decorators, visit)
		visit(n.Key)
		visit(n.Value)
	case *SpreadExpr:
		visit(n.X)
	case *PropertyAccess:
		visit(n.X)
		visit(n.Name)
	case *ResourceAccess:
		visit(n.X)
		visit(n.Name)
	case *IndexExpr:
		visit(n.X)
		visit(n.Index)
	case *NonNullExpr:
		visit(n.X)
	case *CallExpr:
		visit(n.Recv)
		visit(n.Name)
		for _, a := range n.Args {
			visit(a)
		}
	case *UnaryExpr:
		visit(n.X)
	case *BinaryExpr:
		visit(n.X)
		visit(n.Y)
	case *TernaryExpr:
		visit(n.Cond)
		visit(n.Then)
		visit(n.Else)
	case *LambdaExpr:
		for _, p := range n.Params {
			visit(p)
		}
		visit(n.Body)
	case *LambdaParam:
		visit(n.Name)
		visit(n.Type)
	case *ParenExpr:
		visit(n.X)
	case *IfExpr:
		visit(n.Cond)
		visit(n.Body)
	case *ForExpr:
		visit(n.Item)
		visit(n.Index)
		visit(n.Iterable)
		visit(n.Body)
	case *TypeRef:
		visit(n.Qualifier)
		visit(n.Name)
	case *LiteralType:
		visit(n.Value)
	case *ArrayType:
		visit(n.Elem)
	case *NullableType:
		visit(n.X)
	case *NonNullableType:
		visit(n.X)
	case *UnionType:
		for _, m := range n.Members {
			visit(m)
		}
	case *ObjectType:
		for _, p := range n.Props {
			visit(p)
		}
		visit(n.Additional)
	case *ObjectTypeProperty:
		decoratorsOf(n.Decorators, visit)
		visit(n.Key)
		visit(n.Value)
	case *TupleType:
		for _, it := range n.Items {
			visit(it)
		}
	case *TupleTypeItem:
		decoratorsOf(n.Decorators, visit)
		visit(n.Value)
	case *ParameterizedType:
		visit(n.Qualifier)
		visit(n.Name)
		for _, a := range n.Args {
			visit(a)
		}
	case *TypePropertyAccess:
		visit(n.X)
		visit(n.Name)
	case *TypeIndex:
		visit(n.X)
		visit(n.Index)
	case *TypeAdditionalProperties:
		visit(n.X)
	case *ResourceTypeRef:
		visit(n.Type)
	case *ParenType:
		visit(n.X)
	}
}
