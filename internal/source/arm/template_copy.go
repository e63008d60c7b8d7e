package arm

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/armexpr"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// ARM copy loops. A resource's `copy` ({name, count}) deploys count copies
// of it, each read in a scope where copyIndex() is its index, so a cluster
// or pool per copy comes out with its own name and values (like Terraform
// instances). A `copy` array inside properties ([{name, count, input}])
// builds the property `name` as an array of count inputs. A count that
// cannot be known offline is never taken as zero copies: the resource is
// read once with copyIndex() unresolved, and a property built by the loop
// is unresolved, both with the reason.

// maxCopiedResources bounds the resources and property values one template
// yields from copy loops (a loop inside a loop inside nested deployments
// multiplies); a real template stays far below it.
const maxCopiedResources = 4096

// copies returns the scopes of the copies of resource n: sc itself when n
// has no copy loop. unknown is non-empty (the reason) when the number of
// copies is not known: the one scope returned then stands for them all.
func (d *templateDecoder) copies(sc *armexpr.Scope, n *jsontree.Node) (scopes []*armexpr.Scope, unknown string) {
	loop := n.Get("copy")
	if loop == nil {
		return []*armexpr.Scope{sc}, ""
	}
	one := func(name, why string) ([]*armexpr.Scope, string) {
		return []*armexpr.Scope{sc.CopyUnknown(name, true, why)}, why
	}
	name, _ := loop.Get("name").AsString()
	if loop.Kind != jsontree.Object || name == "" {
		d.copyError(loop.Line, "a resource's copy must be an object {\"name\": ..., \"count\": ...}: aksguard reads the resource once with copyIndex() unresolved")
		return one(name, "the copy loop is malformed")
	}
	count, why, invalid := sc.Count(loop.Get("count"))
	if invalid {
		d.copyError(lineOf(loop.Get("count"), loop), fmt.Sprintf("copy loop %q: %s; Azure refuses the template, and aksguard reads the resource once with copyIndex() unresolved", clipPath(name), why))
		return one(name, why)
	}
	if why != "" {
		return one(name, "the number of copies is unknown: "+why)
	}
	if d.copied+count > maxCopiedResources {
		d.copyError(loop.Line, fmt.Sprintf("copy loop %q: the template's copy loops yield more than %d resources; aksguard reads this resource once with copyIndex() unresolved", clipPath(name), maxCopiedResources))
		return one(name, "too many copies to read")
	}
	d.copied += count
	out := make([]*armexpr.Scope, count)
	for i := range out {
		out[i] = sc.Copy(name, true, i)
	}
	return out, ""
}

// copyError records an input error of a copy loop, each line once.
func (d *templateDecoder) copyError(line int, msg string) {
	for _, e := range d.errs {
		if e.Line == line && e.Message == msg && e.Input == d.errFile() {
			return
		}
	}
	d.errs = append(d.errs, inventory.InputError{Input: d.errFile(), Line: line, Message: msg})
}

// propertyCopies returns resource n with the copy loops of its properties
// (at any depth of objects) expanded; n itself when it has none.
func (d *templateDecoder) propertyCopies(sc *armexpr.Scope, n *jsontree.Node) *jsontree.Node {
	props := n.Get("properties")
	if props == nil || props.Kind != jsontree.Object {
		return n
	}
	exp := d.expand(sc, props, 0)
	if exp == props {
		return n
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: n.Line, Members: make([]jsontree.Member, len(n.Members))}
	copy(out.Members, n.Members)
	for i, m := range out.Members {
		if m.Value == props {
			out.Members[i].Value = exp
		}
	}
	out.Reindex()
	return out
}

// isCopyLoops reports whether v is a property copy: an array of objects
// that each have a name.
func isCopyLoops(v *jsontree.Node) bool {
	if v == nil || v.Kind != jsontree.Array || len(v.Items) == 0 {
		return false
	}
	for _, it := range v.Items {
		if it == nil || it.Kind != jsontree.Object || it.Get("name") == nil {
			return false
		}
	}
	return true
}

// expand returns object o with its copy loops (and those of the objects
// below it) expanded, o itself when there are none.
func (d *templateDecoder) expand(sc *armexpr.Scope, o *jsontree.Node, depth int) *jsontree.Node {
	if o == nil || o.Kind != jsontree.Object || depth > maxTemplateNesting {
		return o
	}
	changed := false
	members := make([]jsontree.Member, 0, len(o.Members))
	for _, m := range o.Members {
		if strings.EqualFold(m.Key, "copy") && isCopyLoops(m.Value) {
			changed = true
			for _, loop := range m.Value.Items {
				name, _ := loop.Get("name").AsString()
				if name == "" {
					d.copyError(loop.Line, "a property copy loop needs a name (the property it builds): aksguard does not read it")
					continue
				}
				members = append(members, jsontree.Member{Key: name, Value: d.propertyLoop(sc, name, loop)})
			}
			continue
		}
		v := m.Value
		if v != nil && v.Kind == jsontree.Object {
			if e := d.expand(sc, v, depth+1); e != v {
				v, changed = e, true
			}
		}
		members = append(members, jsontree.Member{Key: m.Key, Value: v})
	}
	if !changed {
		return o
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: o.Line, Members: members}
	out.Reindex()
	return out
}

// propertyLoop builds the array of one property copy loop; a loop whose
// count is unknown or invalid gives a value that is unresolved with the
// reason.
func (d *templateDecoder) propertyLoop(sc *armexpr.Scope, name string, loop *jsontree.Node) *jsontree.Node {
	unresolved := func(why string) *jsontree.Node {
		return sc.UnknownCopies(name, why, lineOf(loop.Get("count"), loop))
	}
	input := loop.Get("input")
	if input == nil {
		d.copyError(loop.Line, fmt.Sprintf("property copy loop %q has no input: aksguard cannot read the property it builds", clipPath(name)))
		return unresolved("the copy loop has no input")
	}
	count, why, invalid := sc.Count(loop.Get("count"))
	if invalid {
		d.copyError(lineOf(loop.Get("count"), loop), fmt.Sprintf("property copy loop %q: %s; Azure refuses the template, and aksguard does not read the property", clipPath(name), why))
		return unresolved(why)
	}
	if why != "" {
		return unresolved(why)
	}
	if d.copied+count > maxCopiedResources {
		d.copyError(loop.Line, fmt.Sprintf("property copy loop %q: the template's copy loops yield more than %d resources and properties; aksguard does not read the property", clipPath(name), maxCopiedResources))
		return unresolved("too many copies to read")
	}
	d.copied += count
	out := &jsontree.Node{Kind: jsontree.Array, Line: loop.Line, Items: make([]*jsontree.Node, 0, count)}
	for i := 0; i < count; i++ {
		v, ok := sc.Copy(name, false, i).Instance(input)
		if !ok {
			return unresolved("the template needs more evaluation than aksguard allows")
		}
		out.Items = append(out.Items, v)
	}
	return out
}
