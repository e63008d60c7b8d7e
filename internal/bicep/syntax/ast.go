// Package syntax reads Bicep source (.bicep and .bicepparam files) into a
// syntax tree, without a Bicep compiler: a hand-written lexer and
// recursive-descent parser following the Bicep grammar
// (Azure/bicep src/Bicep.Core/Parsing/Parser.cs and docs/spec).
//
// The tree is purely syntactic: names are not resolved, types are not
// checked, and nothing is evaluated. Every node carries the position of its
// first token (line and column, 1-based; the column counts bytes).
// Comments are dropped; #disable-next-line and #disable-diagnostics pragmas
// are kept on the File.
//
// The entry point is
//
//	func Parse(src []byte, file string) (*File, error)
//
// which returns either a complete *File and a nil error, or a nil *File and
// an ErrorList (every error naming file:line:col and what was expected). A
// .bicepparam file is recognised by its name. Nesting depth and input size
// are bounded (see limits.go); past them Parse returns an error, never a
// partial tree.
package syntax

// Pos is a position in a source file: Line and Col are 1-based, Col counts
// bytes from the start of the line.
type Pos struct {
	Line int
	Col  int
}

// Position returns p; embedding Pos gives every node its Position method.
func (p Pos) Position() Pos { return p }

// Node is any node of the tree.
type Node interface {
	Position() Pos
}

// FileKind tells a Bicep file from a parameters file.
type FileKind int

const (
	// KindBicep is a .bicep file.
	KindBicep FileKind = iota
	// KindParams is a .bicepparam file: using, extends, param assignments,
	// var and import.
	KindParams
)

// File is one parsed source file. Parse returns a File only when the whole
// source parsed without error.
type File struct {
	Name       string // the file name given to Parse, used in errors
	Kind       FileKind
	Statements []Statement
	Pragmas    []*Pragma
}

// Position returns line 1, column 1: a File is a Node for Inspect.
func (f *File) Position() Pos { return Pos{Line: 1, Col: 1} }

// Pragma is a #disable-next-line or #disable-diagnostics directive.
type Pragma struct {
	Pos
	Name  string   // "disable-next-line" or "disable-diagnostics"
	Codes []string // the diagnostic codes listed after it
}

// Statement is a top-level declaration (or a nested resource, which is a
// *Resource inside an object body).
type Statement interface {
	Node
	stmt()
}

// Decorator is one @name(args) or @ns.name(args) before a declaration, an
// object-type property or a tuple-type item. Call.Recv is the namespace
// (an *Ident such as sys or az) or nil.
type Decorator struct {
	Pos  // the '@'
	Call *CallExpr
}

// Name returns the decorator's function name without its namespace
// (description for both @description and @sys.description).
func (d *Decorator) Name() string { return d.Call.Name.Name }

// TargetScope is `targetScope = expr`.
type TargetScope struct {
	Pos
	Decorators []*Decorator
	Value      Expr
}

// Metadata is `metadata name = expr`.
type Metadata struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Value      Expr
}

// Param is a parameter declaration of a .bicep file:
// `param name type [= default]`, or the legacy
// `param name resource 'type@version'`.
type Param struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Type       TypeExpr // always set; a *ResourceTypeRef for the legacy form
	Default    Expr     // nil when there is no default
}

// ParamAssignment is `param name = expr` in a .bicepparam file.
type ParamAssignment struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Value      Expr
}

// Var is `var name [type] = expr` (the type is optional and rare).
type Var struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Type       TypeExpr // nil when not written
	Value      Expr
}

// Output is `output name type = expr` or
// `output name resource 'type@version' = expr` (Type is then a
// *ResourceTypeRef).
type Output struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Type       TypeExpr
	Value      Expr
}

// Resource is `resource name 'type@version' [existing] = body`.
// Body is an *ObjectExpr, an *IfExpr (conditional resource) or a *ForExpr
// (resource loop, whose body is in turn an *ObjectExpr or an *IfExpr).
// A Resource also appears as an item of a resource's *ObjectExpr body: a
// nested child resource, whose Type may be a bare child type ('subnets')
// or a full one.
type Resource struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Type       *StringLit // 'Microsoft.X/y@version'; never interpolated
	Existing   bool
	Body       Expr
}

// Module is `module name 'path-or-ref' = body`. Path is the literal as
// written: a relative path ('./aks.bicep'), or a registry or template-spec
// reference ('br:host/path:tag', 'br/public:avm/res/x:1.0.0',
// 'ts:sub/rg/name:version'). Body is as for Resource.
type Module struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Path       *StringLit
	Body       Expr
}

// TypeDecl is `type name = typeExpr`.
type TypeDecl struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Value      TypeExpr
}

// Func is a user-defined function:
// `func name(p1 type1, p2 type2) resultType => body`.
type Func struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Params     []*LambdaParam // each with its Type set
	Result     TypeExpr
	Body       Expr
}

// Import is a compile-time import:
// `import {a, b as c} from 'file'` (Items set) or
// `import * as ns from 'file'` (Wildcard set).
type Import struct {
	Pos
	Decorators []*Decorator
	Items      []*ImportItem
	Wildcard   *Ident // the alias of `* as alias`; nil for an item list
	From       *StringLit
}

// ImportItem is one `name` or `name as alias` of an import list. Name is an
// *Ident or a *StringLit (a quoted exported name).
type ImportItem struct {
	Pos
	Name  Expr
	Alias *Ident // nil when there is no `as`
}

// Extension is `extension spec [with {config}] [as alias]`, also written
// with the older keywords `provider` and (legacy) `import 'spec@ver'`.
// Spec is an *Ident (extension kubernetes) or a *StringLit
// ('br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview').
type Extension struct {
	Pos
	Decorators []*Decorator
	Keyword    string // "extension", "provider" or "import"
	Spec       Expr
	Config     Expr   // the object after `with`; nil when absent
	Alias      *Ident // nil when absent
}

// Assert is `assert name = expr`.
type Assert struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Value      Expr
}

// Using is `using 'main.bicep'` or `using none` in a .bicepparam file.
// Path is nil for `using none`.
type Using struct {
	Pos
	Path *StringLit
	None bool
}

// Extends is `extends 'base.bicepparam'` in a .bicepparam file.
type Extends struct {
	Pos
	Path *StringLit
}

// Test is the experimental `test name 'file.bicep' = {…}` declaration.
type Test struct {
	Pos
	Decorators []*Decorator
	Name       *Ident
	Path       *StringLit
	Body       Expr
}

func (*TargetScope) stmt()     {}
func (*Metadata) stmt()        {}
func (*Param) stmt()           {}
func (*ParamAssignment) stmt() {}
func (*Var) stmt()             {}
func (*Output) stmt()          {}
func (*Resource) stmt()        {}
func (*Module) stmt()          {}
func (*TypeDecl) stmt()        {}
func (*Func) stmt()            {}
func (*Import) stmt()          {}
func (*Extension) stmt()       {}
func (*Assert) stmt()          {}
func (*Using) stmt()           {}
func (*Extends) stmt()         {}
func (*Test) stmt()            {}

// Expr is an expression.
type Expr interface {
	Node
	expr()
}

// Ident is an identifier: a variable, parameter, resource, module, function
// or namespace name, an object key written without quotes, or a property
// name after '.'.
type Ident struct {
	Pos
	Name string
}

// StringLit is a string: 'text', 'a${x}b' (interpolated) or ”'multi-line”'
// (never interpolated). Parts holds the decoded text around the
// interpolations, so len(Parts) == len(Exprs)+1: Parts[0] Exprs[0] Parts[1]
// … Exprs[n-1] Parts[n].
type StringLit struct {
	Pos
	Parts     []string
	Exprs     []Expr
	Multiline bool
}

// Value returns the string and true when it has no interpolation.
func (s *StringLit) Value() (string, bool) {
	if len(s.Exprs) != 0 {
		return "", false
	}
	return s.Parts[0], true
}

// IntLit is a non-negative integer literal (a minus is a *UnaryExpr).
// Value is exact: a literal that does not fit in int64 is a parse error.
type IntLit struct {
	Pos
	Text  string
	Value int64
}

// BoolLit is true or false.
type BoolLit struct {
	Pos
	Value bool
}

// NullLit is null.
type NullLit struct {
	Pos
}

// ArrayExpr is `[ item … ]`; items are separated by newlines or commas.
// An item may be a *SpreadExpr.
type ArrayExpr struct {
	Pos
	Items []Expr
}

// ObjectExpr is `{ key: value … }`; items are separated by newlines or
// commas. An item is an *ObjectProperty, a *SpreadExpr or, in a resource
// body, a nested *Resource.
type ObjectExpr struct {
	Pos
	Items []ObjectItem
}

// ObjectItem is an item of an *ObjectExpr.
type ObjectItem interface {
	Node
	objectItem()
}

// ObjectProperty is `key: value`. Key is an *Ident (written bare, keywords
// included) or a *StringLit (quoted, possibly interpolated).
type ObjectProperty struct {
	Pos
	Decorators []*Decorator
	Key        Expr
	Value      Expr
}

// KeyName returns the key's text when it is a bare identifier or a string
// without interpolation.
func (p *ObjectProperty) KeyName() (string, bool) {
	switch k := p.Key.(type) {
	case *Ident:
		return k.Name, true
	case *StringLit:
		return k.Value()
	}
	return "", false
}

// SpreadExpr is `...x` in an array or object.
type SpreadExpr struct {
	Pos
	X Expr
}

func (*ObjectProperty) objectItem() {}
func (*SpreadExpr) objectItem()     {}
func (*Resource) objectItem()       {}

// PropertyAccess is `x.name`, or `x.?name` when Safe.
type PropertyAccess struct {
	Pos
	X    Expr
	Name *Ident
	Safe bool
}

// ResourceAccess is `parent::child`, naming a nested resource.
type ResourceAccess struct {
	Pos
	X    Expr
	Name *Ident
}

// IndexExpr is `x[index]`, `x[?index]` when Safe, `x[^index]` when
// FromEnd (counting from the end: x[^1] is the last item).
type IndexExpr struct {
	Pos
	X       Expr
	Index   Expr
	Safe    bool
	FromEnd bool
}

// NonNullExpr is `x!`.
type NonNullExpr struct {
	Pos
	X Expr
}

// CallExpr is `name(args)` or `recv.name(args)`: Recv is the namespace or
// object the function is called on (az in az.resourceGroup(), sys in
// sys.concat(), a resource in kv.getSecret('x')), nil for a plain call.
type CallExpr struct {
	Pos
	Recv Expr
	Name *Ident
	Args []Expr
}

// UnaryExpr is `!x` or `-x`; Op is "!" or "-".
type UnaryExpr struct {
	Pos
	Op string
	X  Expr
}

// BinaryExpr is `x op y`. Op is one of, by increasing precedence:
// "??"; "||"; "&&"; "==" "!=" "=~" "!~"; "<" "<=" ">" ">="; "+" "-";
// "*" "/" "%". All are left-associative, as in Bicep's parser.
type BinaryExpr struct {
	Pos
	Op string
	X  Expr
	Y  Expr
}

// TernaryExpr is `cond ? then : else` (lowest precedence,
// right-associative).
type TernaryExpr struct {
	Pos
	Cond Expr
	Then Expr
	Else Expr
}

// LambdaExpr is `x => body`, `(a, b) => body` or `() => body`.
type LambdaExpr struct {
	Pos
	Params []*LambdaParam
	Body   Expr
}

// LambdaParam is one parameter of a lambda or a user-defined function;
// Type is set for functions (and typed lambdas), nil otherwise.
type LambdaParam struct {
	Pos
	Name *Ident
	Type TypeExpr
}

// ParenExpr is `(x)`.
type ParenExpr struct {
	Pos
	X Expr
}

// IfExpr is the `if (cond) body` of a conditional resource or module (or of
// a filtered loop body); Body is an *ObjectExpr.
type IfExpr struct {
	Pos
	Cond Expr // the condition inside the parentheses
	Body Expr
}

// ForExpr is `[for item in iterable: body]` or
// `[for (item, index) in iterable: body]`; Item is always set, Index is nil
// without an index variable. Body is any expression; for resources and
// modules an *ObjectExpr or an *IfExpr (a filtered loop).
type ForExpr struct {
	Pos
	Item     *Ident
	Index    *Ident
	Iterable Expr
	Body     Expr
}

func (*Ident) expr()          {}
func (*StringLit) expr()      {}
func (*IntLit) expr()         {}
func (*BoolLit) expr()        {}
func (*NullLit) expr()        {}
func (*ArrayExpr) expr()      {}
func (*ObjectExpr) expr()     {}
func (*SpreadExpr) expr()     {}
func (*PropertyAccess) expr() {}
func (*ResourceAccess) expr() {}
func (*IndexExpr) expr()      {}
func (*NonNullExpr) expr()    {}
func (*CallExpr) expr()       {}
func (*UnaryExpr) expr()      {}
func (*BinaryExpr) expr()     {}
func (*TernaryExpr) expr()    {}
func (*LambdaExpr) expr()     {}
func (*ParenExpr) expr()      {}
func (*IfExpr) expr()         {}
func (*ForExpr) expr()        {}

// TypeExpr is a type: after a param, output or var name, in a type
// declaration, or in a function signature.
type TypeExpr interface {
	Node
	typeExpr()
}

// TypeRef names a type: string, int, bool, object, array, any, a
// user-defined or imported type (myType), or one in the sys namespace
// (sys.string: Qualifier set). Any other `a.b` is a *TypePropertyAccess,
// since syntax alone cannot tell a wildcard import's alias
// (import * as types … types.myType) from a type's property (myType.prop):
// the compiler resolves it against the file's Import.Wildcard aliases.
type TypeRef struct {
	Pos
	Qualifier *Ident // nil when not namespaced
	Name      *Ident
}

// LiteralType is a literal used as a type: 'value', 12, -1, true, false,
// null (Value is the literal expression; -1 is a *UnaryExpr), or an
// object or array of literals.
type LiteralType struct {
	Pos
	Value Expr
}

// ArrayType is `elem[]`.
type ArrayType struct {
	Pos
	Elem TypeExpr
}

// NullableType is `t?`.
type NullableType struct {
	Pos
	X TypeExpr
}

// NonNullableType is `t!`: t without null.
type NonNullableType struct {
	Pos
	X TypeExpr
}

// UnionType is `a | b | c` (also written with a leading `|` over lines).
type UnionType struct {
	Pos
	Members []TypeExpr
}

// ObjectType is `{ name: type … }`, with `*: type` for additional
// properties (Additional, nil when absent).
type ObjectType struct {
	Pos
	Props      []*ObjectTypeProperty
	Additional *ObjectTypeProperty // the `*: type` item; Key is nil
}

// ObjectTypeProperty is one `key: type` of an object type. Key is an
// *Ident or a *StringLit (nil for the `*` additional-properties item).
type ObjectTypeProperty struct {
	Pos
	Decorators []*Decorator
	Key        Expr
	Value      TypeExpr
}

// TupleType is `[ type … ]`: a fixed-length array type.
type TupleType struct {
	Pos
	Items []*TupleTypeItem
}

// TupleTypeItem is one (possibly decorated) item of a tuple type.
type TupleTypeItem struct {
	Pos
	Decorators []*Decorator
	Value      TypeExpr
}

// ParameterizedType is `name<args>`, e.g.
// resourceInput<'Microsoft.ContainerService/managedClusters@2025-10-01'>
// or resourceOutput<…>; Qualifier is set for a namespaced one
// (sys.resourceInput<…>). Args are *LiteralType or other type expressions.
type ParameterizedType struct {
	Pos
	Qualifier *Ident
	Name      *Ident
	Args      []TypeExpr
}

// TypePropertyAccess is `t.name` on a type, e.g.
// resourceInput<'…'>.properties.networkProfile.
type TypePropertyAccess struct {
	Pos
	X    TypeExpr
	Name *Ident
}

// TypeIndex is `t[0]` (tuple item) or `t[*]` (array element: Star set,
// Index nil).
type TypeIndex struct {
	Pos
	X     TypeExpr
	Index *IntLit
	Star  bool
}

// TypeAdditionalProperties is `t.*`: the type of an object type's
// additional properties.
type TypeAdditionalProperties struct {
	Pos
	X TypeExpr
}

// ResourceTypeRef is `resource 'type@version'` used as a type (legacy
// resource-typed parameters and outputs).
type ResourceTypeRef struct {
	Pos
	Type *StringLit
}

// ParenType is `(t)`.
type ParenType struct {
	Pos
	X TypeExpr
}

func (*TypeRef) typeExpr()                  {}
func (*LiteralType) typeExpr()              {}
func (*ArrayType) typeExpr()                {}
func (*NullableType) typeExpr()             {}
func (*NonNullableType) typeExpr()          {}
func (*UnionType) typeExpr()                {}
func (*ObjectType) typeExpr()               {}
func (*TupleType) typeExpr()                {}
func (*ParameterizedType) typeExpr()        {}
func (*TypePropertyAccess) typeExpr()       {}
func (*TypeIndex) typeExpr()                {}
func (*TypeAdditionalProperties) typeExpr() {}
func (*ResourceTypeRef) typeExpr()          {}
func (*ParenType) typeExpr()                {}
