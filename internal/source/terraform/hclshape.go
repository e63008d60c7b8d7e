package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A resource with count or for_each is, to the expressions that refer to
// it, a collection of instances: a tuple for count, an object keyed like
// for_each. Its attributes stay unknown (known only after apply), but its
// instance keys are known wherever its count or for_each evaluates, so
// `for_each = azurerm_kubernetes_cluster.c`, `length(azurerm_kubernetes_cluster.c)`
// and `azurerm_kubernetes_cluster.c[*].id` evaluate to as many instances as
// Terraform would make. A resource without count or for_each, one whose
// instances cannot be listed, and one on a reference cycle stay wholly
// unknown, as before.

// resDecl is a resource block of the module, by "TYPE.NAME".
type resDecl struct {
	f   *hclFile
	blk *hclsyntax.Block
}

// declareResources records the module's resource blocks (the first of
// each address) and turns instance shapes on: the module's locals and
// module calls are evaluated by now, so count and for_each see them.
func (e *evaluator) declareResources(files []*hclFile) {
	e.resDecls = map[string]resDecl{}
	for _, f := range files {
		for _, blk := range f.body.Blocks {
			if blk.Type != "resource" || len(blk.Labels) != 2 {
				continue
			}
			k := blk.Labels[0] + "." + blk.Labels[1]
			if _, dup := e.resDecls[k]; !dup {
				e.resDecls[k] = resDecl{f: f, blk: blk}
			}
		}
	}
	e.shapes, e.shaping = map[string]cty.Value{}, map[string]bool{}
}

// resourceRoot is the value of a resource type's root name (the name
// before `.NAME`) for one expression: an object of the resources of that
// type the expression names, each its shape. ok is false when the
// expression names none of this module's resources of that type.
func (e *evaluator) resourceRoot(root string, trs []hcl.Traversal) (cty.Value, bool) {
	if e.resDecls == nil {
		return cty.NilVal, false
	}
	attrs := map[string]cty.Value{}
	found := false
	for _, tr := range trs {
		if tr.RootName() != root || len(tr) < 2 {
			continue
		}
		a, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		if _, done := attrs[a.Name]; done {
			continue
		}
		v := e.shape(root + "." + a.Name)
		attrs[a.Name] = v
		found = found || v != cty.DynamicVal
	}
	if !found {
		return cty.NilVal, false
	}
	return cty.ObjectVal(attrs), true
}

// shape is what a reference to a whole resource evaluates to: a tuple or
// object of unknown instances when its count or for_each evaluates, else
// unknown.
func (e *evaluator) shape(key string) cty.Value {
	if v, ok := e.shapes[key]; ok {
		return v
	}
	d, ok := e.resDecls[key]
	if !ok || e.shaping[key] {
		return cty.DynamicVal
	}
	body := d.blk.Body
	counted := body.Attributes["count"] != nil
	if !counted && body.Attributes["for_each"] == nil {
		e.shapes[key] = cty.DynamicVal
		return cty.DynamicVal
	}
	e.shaping[key] = true
	insts, why := e.instances(body, e.ctx(), d.f)
	delete(e.shaping, key)
	v := cty.DynamicVal
	switch {
	case why != "":
	case counted:
		v = cty.EmptyTupleVal
		if len(insts) > 0 {
			elems := make([]cty.Value, len(insts))
			for i := range elems {
				elems[i] = cty.DynamicVal
			}
			v = cty.TupleVal(elems)
		}
	default:
		v = cty.EmptyObjectVal
		if len(insts) > 0 {
			attrs := make(map[string]cty.Value, len(insts))
			for _, in := range insts {
				attrs[in.eachKey] = cty.DynamicVal
			}
			v = cty.ObjectVal(attrs)
		}
	}
	e.shapes[key] = v
	return v
}
