package manifest

import (
	"encoding/json"
	"strconv"

	"github.com/aksguard/aksguard/internal/inventory"
)

// The lean decoder: a document of the fast YAML subset (fastjson.go) is
// read into a tree of nodes (lean_tree.go) and mapped straight into the
// same Go structs the full path fills (workloadJSON, serviceJSON, ...),
// without JSON text and without reflection. The mapping of each struct is
// a table from JSON field name to a typed setter (lean_schema_gen.go,
// generated from the structs by `go test -run TestLeanSchemaGenerated
// -update`), so every field the full path would fill is filled, and a key
// no field has is skipped, as encoding/json skips it.
//
// Whatever the lean decoder is not sure of makes it give up on the
// document (bail), and the full path decodes it as before, with its
// errors and messages: a document outside the subset, a value of another
// type than its field's (the full path's type error), a field of a type
// the generator does not map (floats, interfaces, []byte, ...). It never
// answers differently: TestLeanEquivalent and FuzzLeanEquivalent compare
// both paths object for object (reflect.DeepEqual).

// ldec is a document's tree being mapped.
type ldec struct{ n []lnode }

// decoder maps the node at i into v (which is zero when called).
type decoder[T any] func(d *ldec, i int32, v *T)

// schema maps a JSON object into a struct T: its JSON field names (those
// of its embedded structs included) and their setters.
type schema[T any] struct {
	fields map[string]decoder[T]
}

// decode maps a mapping node into v; null leaves v as it is (zero), as
// encoding/json does.
func (s *schema[T]) decode(d *ldec, i int32, v *T) {
	n := &d.n[i]
	switch n.kind {
	case lNull:
		return
	case lMap:
	default:
		bail()
	}
	for c := i + 1; c < n.end; c = d.n[c].end {
		if f := s.fields[d.n[c].key]; f != nil {
			f(d, c, v)
		}
	}
}

// field is one field's setter: get finds the field in its struct.
func field[T, U any](get func(*T) *U, dec decoder[U]) decoder[T] {
	return func(d *ldec, i int32, v *T) { dec(d, i, get(v)) }
}

// unmapped is a field of a type the lean decoder does not map: the full
// path decodes a document that sets it.
//
//lint:ignore U1000 the generator emits it for such fields (none today)
func unmapped[T any](*ldec, int32, *T) { bail() }

func dString[S ~string](d *ldec, i int32, v *S) {
	switch n := &d.n[i]; n.kind {
	case lString:
		*v = S(n.s)
	case lNull:
	default:
		bail()
	}
}

func dBool[B ~bool](d *ldec, i int32, v *B) {
	switch d.n[i].kind {
	case lTrue:
		*v = true
	case lFalse:
		*v = false
	case lNull:
	default:
		bail()
	}
}

// dInt parses a number as encoding/json does for a signed integer field:
// its JSON text as a decimal integer that fits the type.
func dInt[I ~int | ~int8 | ~int16 | ~int32 | ~int64](d *ldec, i int32, v *I) {
	switch n := &d.n[i]; n.kind {
	case lNumber:
		x, err := strconv.ParseInt(n.s, 10, 64)
		if err != nil || int64(I(x)) != x {
			bail()
		}
		*v = I(x)
	case lNull:
	default:
		bail()
	}
}

//lint:ignore U1000 the generator emits it for unsigned fields (none today)
func dUint[I ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64](d *ldec, i int32, v *I) {
	switch n := &d.n[i]; n.kind {
	case lNumber:
		x, err := strconv.ParseUint(n.s, 10, 64)
		if err != nil || uint64(I(x)) != x {
			bail()
		}
		*v = I(x)
	case lNull:
	default:
		bail()
	}
}

// dPtr: null is nil; anything else a new value.
func dPtr[U any](dec decoder[U]) decoder[*U] {
	return func(d *ldec, i int32, v **U) {
		if d.n[i].kind == lNull {
			*v = nil
			return
		}
		p := new(U)
		dec(d, i, p)
		*v = p
	}
}

// dSlice: null is nil, [] an empty slice (not nil), as encoding/json.
func dSlice[S ~[]U, U any](dec decoder[U]) decoder[S] {
	return func(d *ldec, i int32, v *S) {
		n := &d.n[i]
		switch n.kind {
		case lNull:
			*v = nil
			return
		case lSeq:
		default:
			bail()
		}
		k := 0
		for c := i + 1; c < n.end; c = d.n[c].end {
			k++
		}
		s := make(S, k)
		k = 0
		for c := i + 1; c < n.end; c = d.n[c].end {
			dec(d, c, &s[k])
			k++
		}
		*v = s
	}
}

// dMap: null is nil, {} an empty map (not nil), as encoding/json.
func dMap[M ~map[K]V, K ~string, V any](dec decoder[V]) decoder[M] {
	return func(d *ldec, i int32, v *M) {
		n := &d.n[i]
		switch n.kind {
		case lNull:
			*v = nil
			return
		case lMap:
		default:
			bail()
		}
		k := 0
		for c := i + 1; c < n.end; c = d.n[c].end {
			k++
		}
		m := make(M, k)
		for c := i + 1; c < n.end; c = d.n[c].end {
			var x V
			dec(d, c, &x)
			m[K(d.n[c].key)] = x
		}
		*v = m
	}
}

// dUnmarshal hands a scalar to the type's own UnmarshalJSON as the exact
// JSON text the full path would (resource.Quantity, intstr.IntOrString,
// metav1.Time ...); a mapping or a sequence is left to the full path.
func dUnmarshal[U any, P interface {
	*U
	json.Unmarshaler
}](d *ldec, i int32, v *U) {
	var text []byte
	switch n := &d.n[i]; n.kind {
	case lString:
		text = appendString(nil, n.s)
	case lNumber:
		text = []byte(n.s)
	case lTrue:
		text = []byte("true")
	case lFalse:
		text = []byte("false")
	case lNull:
		text = []byte("null")
	default:
		bail()
	}
	if P(v).UnmarshalJSON(text) != nil {
		bail()
	}
}

// leanScalar is implemented by the package's own value types that read a
// scalar without its JSON text (ConfigMap values): kind is the node's kind
// (lString, lNull, ...); an error is the full path's error.
type leanScalar interface {
	leanScalar(kind byte, s string) error
}

func dScalar[U any, P interface {
	*U
	leanScalar
}](d *ldec, i int32, v *U) {
	n := &d.n[i]
	if n.kind == lMap || n.kind == lSeq || P(v).leanScalar(n.kind, n.s) != nil {
		bail()
	}
}

// builder turns what was decoded of an object into its inventory form;
// the full and the lean path share it.
type builder interface {
	build(src inventory.Source, c class) (any, error)
}

// leanFunc decodes one object from its tree (the node at i).
type leanFunc func(d *ldec, i int32, src inventory.Source, c class) (any, error)

// decodeVia is the full path of an object decoded into T: JSON text,
// decoded case-sensitively, then built.
func decodeVia[T any, P interface {
	*T
	builder
}]() decodeFunc {
	return func(js []byte, src inventory.Source, c class) (any, error) {
		var o T
		if err := unmarshal(js, &o); err != nil {
			return nil, err
		}
		return P(&o).build(src, c)
	}
}

// leanVia is the lean path of the same object.
func leanVia[T any, P interface {
	*T
	builder
}](s *schema[T]) leanFunc {
	return func(d *ldec, i int32, src inventory.Source, c class) (any, error) {
		var o T
		s.decode(d, i, &o)
		return P(&o).build(src, c)
	}
}

// leanDecode decodes one document with the lean decoder; ok is false when
// it gave up and the full path must decode it. item says the document is
// a List entry cut out of its List (a one-entry sequence).
func leanDecode(data []byte, item bool, c class, src inventory.Source, apiVersion, kind string) (obj any, ok bool) {
	t := ltreePool.get()
	defer ltreePool.put(t)
	if !leanTree(data, t) {
		return nil, false
	}
	root := int32(0)
	if item {
		if len(t.nodes) < 2 || t.nodes[0].kind != lSeq || t.nodes[1].end != t.nodes[0].end {
			return nil, false
		}
		root = 1
	}
	if len(t.nodes) == 0 || t.nodes[root].kind != lMap {
		return nil, false
	}
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			obj, ok = nil, false
		}
	}()
	obj, err := c.lean(&ldec{n: t.nodes}, root, src, c)
	if err != nil {
		return nil, false
	}
	if m := metaOf(obj); m == nil || m.Kind != kind || m.APIVersion != apiVersion {
		// The scanner misread the document: the full path decides again.
		return nil, false
	}
	return obj, true
}
