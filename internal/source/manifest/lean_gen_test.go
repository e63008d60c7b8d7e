package manifest

import (
	"bytes"
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite lean_schema_gen.go")

// leanRoots are the structs the full path decodes the lean kinds into; the
// generator maps them and every struct they hold.
var leanRoots = []any{workloadJSON{}, namespaceJSON{}, serviceJSON{}, serviceAccountJSON{},
	ingressJSON{}, networkPolicyJSON{}, roleJSON{}, bindingJSON{}, configMapJSON{}}

// leanPackages are the packages whose types the tables name, by alias.
var leanPackages = map[string]string{
	"github.com/aksguard/aksguard/internal/source/manifest": "",
	"k8s.io/api/core/v1":                   "corev1",
	"k8s.io/api/networking/v1":             "networkingv1",
	"k8s.io/api/rbac/v1":                   "rbacv1",
	"k8s.io/apimachinery/pkg/apis/meta/v1": "metav1",
	"k8s.io/apimachinery/pkg/api/resource": "resource",
	"k8s.io/apimachinery/pkg/util/intstr":  "intstr",
	"k8s.io/apimachinery/pkg/types":        "types",
}

// TestLeanSchemaGenerated writes (with -update) or checks the lean
// decoder's tables: one per struct, one entry per JSON field, found as
// encoding/json finds them.
func TestLeanSchemaGenerated(t *testing.T) {
	g := &leanGen{vars: map[reflect.Type]string{}, imports: map[string]bool{}, names: map[string]bool{}}
	for _, r := range leanRoots {
		g.structVar(reflect.TypeOf(r))
	}
	for i := 0; i < len(g.queue); i++ {
		g.table(g.queue[i])
	}
	src := g.file()
	const path = "lean_schema_gen.go"
	if *update {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(old, src) {
		t.Fatalf("%s is not what the generator writes for today's structs: run go test ./internal/source/manifest -run TestLeanSchemaGenerated -update and read the diff", path)
	}
}

type leanGen struct {
	vars    map[reflect.Type]string
	queue   []reflect.Type
	imports map[string]bool
	names   map[string]bool // every JSON field name (interned)
	body    strings.Builder
	decls   strings.Builder
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	leanScalarType  = reflect.TypeFor[leanScalar]()
)

func (g *leanGen) typeExpr(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name()
		}
		alias, ok := leanPackages[t.PkgPath()]
		if !ok {
			panic("lean generator: add an alias for package " + t.PkgPath())
		}
		if alias == "" {
			return t.Name()
		}
		g.imports[t.PkgPath()] = true
		return alias + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + g.typeExpr(t.Elem())
	case reflect.Slice:
		return "[]" + g.typeExpr(t.Elem())
	case reflect.Map:
		return "map[" + g.typeExpr(t.Key()) + "]" + g.typeExpr(t.Elem())
	}
	panic("lean generator: an unnamed " + t.String() + ": give the struct a name")
}

func (g *leanGen) structVar(t reflect.Type) string {
	if v, ok := g.vars[t]; ok {
		return v
	}
	if t.Name() == "" {
		panic("lean generator: an anonymous struct " + t.String() + ": give it a name")
	}
	g.typeExpr(t) // checks the package
	alias := leanPackages[t.PkgPath()]
	v := "lean" + upperFirst(alias) + upperFirst(t.Name())
	g.vars[t] = v
	g.queue = append(g.queue, t)
	return v
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// dec is the decoder of a value of type t, or "" when it is not mapped.
func (g *leanGen) dec(t reflect.Type) string {
	switch {
	case t.Kind() == reflect.Pointer:
		if e := g.dec(t.Elem()); e != "" {
			return "dPtr[" + g.typeExpr(t.Elem()) + "](" + e + ")"
		}
		return ""
	case reflect.PointerTo(t).Implements(leanScalarType):
		return "dScalar[" + g.typeExpr(t) + "]"
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		return "dUnmarshal[" + g.typeExpr(t) + "]"
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return ""
	}
	switch t.Kind() {
	case reflect.String:
		return "dString[" + g.typeExpr(t) + "]"
	case reflect.Bool:
		return "dBool[" + g.typeExpr(t) + "]"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "dInt[" + g.typeExpr(t) + "]"
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "dUint[" + g.typeExpr(t) + "]"
	case reflect.Struct:
		return g.structVar(t) + ".decode"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "" // base64 in JSON
		}
		if e := g.dec(t.Elem()); e != "" {
			return "dSlice[" + g.typeExpr(t) + ", " + g.typeExpr(t.Elem()) + "](" + e + ")"
		}
	case reflect.Map:
		k := t.Key()
		if k.Kind() != reflect.String || reflect.PointerTo(k).Implements(textUnmarshaler) {
			return ""
		}
		if e := g.dec(t.Elem()); e != "" {
			return "dMap[" + g.typeExpr(t) + ", " + g.typeExpr(k) + ", " + g.typeExpr(t.Elem()) + "](" + e + ")"
		}
	}
	return "" // floats, interfaces, arrays, ...
}

// jsonField is a field as encoding/json sees it.
type jsonField struct {
	name   string
	path   []string // Go field names from the struct (embedded ones first)
	typ    reflect.Type
	tagged bool
	ok     bool // false: the lean decoder cannot set it (a ",string" field, a field behind an embedded pointer)
}

// jsonFields lists the fields encoding/json decodes into a struct: its
// rules for names, embedded structs and the dominance of the shallowest.
func jsonFields(t reflect.Type) []jsonField {
	type level struct {
		t    reflect.Type
		path []string
		ok   bool
	}
	var all [][]jsonField
	cur := []level{{t: t, ok: true}}
	for len(cur) > 0 {
		var next []level
		var here []jsonField
		for _, l := range cur {
			for i := 0; i < l.t.NumField(); i++ {
				sf := l.t.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				path := append(append([]string(nil), l.path...), sf.Name)
				ok := l.ok && !strings.Contains(","+opts+",", ",string,")
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					if name == "" {
						name = sf.Name
					}
					here = append(here, jsonField{name: name, path: path, typ: sf.Type, tagged: tag != "" && !strings.HasPrefix(tag, ","), ok: ok})
					continue
				}
				next = append(next, level{t: ft, path: path, ok: ok && sf.Type.Kind() != reflect.Pointer})
			}
		}
		all = append(all, here)
		cur = next
	}
	seen := map[string]bool{}
	var out []jsonField
	for _, here := range all {
		byName := map[string][]jsonField{}
		for _, f := range here {
			byName[f.name] = append(byName[f.name], f)
		}
		for _, f := range here {
			fs := byName[f.name]
			if seen[f.name] {
				continue
			}
			seen[f.name] = true
			if len(fs) > 1 {
				var tagged []jsonField
				for _, x := range fs {
					if x.tagged {
						tagged = append(tagged, x)
					}
				}
				if len(tagged) != 1 {
					continue // ambiguous: encoding/json ignores the name
				}
				f = tagged[0]
			}
			out = append(out, f)
		}
	}
	return out
}

func (g *leanGen) table(t reflect.Type) {
	v := g.vars[t]
	te := g.typeExpr(t)
	fmt.Fprintf(&g.decls, "\t%s = &schema[%s]{}\n", v, te)
	fmt.Fprintf(&g.body, "\t%s.fields = map[string]decoder[%s]{\n", v, te)
	for _, f := range jsonFields(t) {
		g.names[f.name] = true
		d := ""
		if f.ok {
			d = g.dec(f.typ)
		}
		if d == "" {
			fmt.Fprintf(&g.body, "\t\t%q: unmapped[%s],\n", f.name, te)
			continue
		}
		fmt.Fprintf(&g.body, "\t\t%q: field[%s, %s](func(v *%s) *%s { return &v.%s }, %s),\n",
			f.name, te, g.typeExpr(f.typ), te, g.typeExpr(f.typ), strings.Join(f.path, "."), d)
	}
	g.body.WriteString("\t}\n")
}

func (g *leanGen) file() []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by TestLeanSchemaGenerated (go test ./internal/source/manifest -run TestLeanSchemaGenerated -update); DO NOT EDIT.\n\n// The tables name every field, deprecated ones too.\n//lint:file-ignore SA1019 generated\n\npackage manifest\n\nimport (\n")
	var imps []string
	for p := range g.imports {
		imps = append(imps, p)
	}
	sort.Strings(imps)
	for _, p := range imps {
		fmt.Fprintf(&b, "\t%s %q\n", leanPackages[p], p)
	}
	b.WriteString(")\n\n// The lean decoder's tables (lean.go): one per struct the full path decodes into.\nvar (\n")
	b.WriteString(g.decls.String())
	b.WriteString(")\n\n// leanFieldNames are every JSON field name in the tables (interned).\nvar leanFieldNames = []string{\n")
	var names []string
	for n := range g.names {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n\nfunc init() {\n")
	b.WriteString(g.body.String())
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		panic(fmt.Sprintf("lean generator: %v\n%s", err, b.Bytes()))
	}
	return out
}
