package syntax

import (
	"fmt"
	"reflect"
	"strings"
)

// dump renders a node as a compact S-expression with every node's
// position, for the table tests: (Kind@line:col field=value child …).
// Identifiers print as name@line:col, literals as their value@line:col.
func dump(n any) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(n))
	return b.String()
}

var posType = reflect.TypeOf(Pos{})

func dumpValue(b *strings.Builder, v reflect.Value) {
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		switch n := v.Interface().(type) {
		case *Ident:
			fmt.Fprintf(b, "%s@%d:%d", n.Name, n.Line, n.Col)
			return
		case *IntLit:
			fmt.Fprintf(b, "%d@%d:%d", n.Value, n.Line, n.Col)
			return
		case *BoolLit:
			fmt.Fprintf(b, "%t@%d:%d", n.Value, n.Line, n.Col)
			return
		case *NullLit:
			fmt.Fprintf(b, "null@%d:%d", n.Line, n.Col)
			return
		case *StringLit:
			if s, ok := n.Value(); ok && !n.Multiline {
				fmt.Fprintf(b, "%q@%d:%d", s, n.Line, n.Col)
				return
			}
		}
		v = v.Elem()
	}
	t := v.Type()
	b.WriteString("(")
	b.WriteString(t.Name())
	if f, ok := t.FieldByName("Pos"); ok && f.Type == posType && f.Anonymous {
		p := v.FieldByName("Pos").Interface().(Pos)
		fmt.Fprintf(b, "@%d:%d", p.Line, p.Col)
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if fv.IsZero() {
			continue
		}
		b.WriteString(" ")
		b.WriteString(f.Name)
		b.WriteString("=")
		switch fv.Kind() {
		case reflect.String:
			fmt.Fprintf(b, "%q", fv.String())
		case reflect.Bool:
			fmt.Fprintf(b, "%t", fv.Bool())
		case reflect.Int, reflect.Int64:
			fmt.Fprintf(b, "%d", fv.Int())
		case reflect.Slice:
			b.WriteString("[")
			for j := 0; j < fv.Len(); j++ {
				if j > 0 {
					b.WriteString(" ")
				}
				if fv.Index(j).Kind() == reflect.String {
					fmt.Fprintf(b, "%q", fv.Index(j).String())
					continue
				}
				dumpValue(b, fv.Index(j))
			}
			b.WriteString("]")
		default:
			dumpValue(b, fv)
		}
	}
	b.WriteString(")")
}
