package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
)

// planConfig reads the configuration section of a plan: where an argument
// whose value is unknown at plan time points (kubernetes_cluster_id =
// azurerm_kubernetes_cluster.main.id), through module outputs and module
// variables.
type planConfig struct {
	root *tfjson.ConfigModule
	// byAddr indexes each module's resources by address, built on first
	// use: a scan per lookup made large plans quadratic.
	byAddr map[*tfjson.ConfigModule]map[string]*tfjson.ConfigResource
}

// resource is the configuration of the resource at addr (module-relative
// address without instance key) in m.
func (pc *planConfig) resource(m *tfjson.ConfigModule, addr string) *tfjson.ConfigResource {
	idx, ok := pc.byAddr[m]
	if !ok {
		if pc.byAddr == nil {
			pc.byAddr = map[*tfjson.ConfigModule]map[string]*tfjson.ConfigResource{}
		}
		idx = make(map[string]*tfjson.ConfigResource, len(m.Resources))
		for _, cr := range m.Resources {
			if cr != nil {
				if _, dup := idx[cr.Address]; !dup {
					idx[cr.Address] = cr // the first, as the scan found
				}
			}
		}
		pc.byAddr[m] = idx
	}
	return idx[addr]
}

// maxRefDepth bounds the hops through module outputs and variables.
const maxRefDepth = 8

func (pc *planConfig) module(mods []modStep) *tfjson.ConfigModule {
	m := pc.root
	for _, s := range mods {
		if m == nil {
			return nil
		}
		mc := m.ModuleCalls[s.name]
		if mc == nil {
			return nil
		}
		m = mc.Module
	}
	return m
}

// argRefs returns the absolute addresses of the resources an argument of
// the resource at addr refers to, nearest first.
func (pc *planConfig) argRefs(addr, arg string) []string {
	a, ok := parseAddress(addr)
	if !ok {
		return nil
	}
	m := pc.module(a.modules)
	if m == nil {
		return nil
	}
	rel := a
	rel.modules, rel.key = nil, ""
	if cr := pc.resource(m, rel.String()); cr != nil {
		e := cr.Expressions[arg]
		if e == nil || e.ExpressionData == nil {
			return nil
		}
		refs := dedupe(pc.resolve(a.modules, e.References, 0))
		if len(refs) == 0 && usesEachRef(e.References) && cr.ForEachExpression != nil && cr.ForEachExpression.ExpressionData != nil {
			// each.value.id with for_each over the clusters: the
			// for_each expression names them.
			refs = dedupe(pc.resolve(a.modules, cr.ForEachExpression.References, 0))
		}
		return refs
	}
	return nil
}

// nestedArgRefs is argRefs for an argument of the i-th nested block of a
// type (private_service_connection[0].private_connection_resource_id).
func (pc *planConfig) nestedArgRefs(addr, blockType string, i int, arg string) []string {
	a, ok := parseAddress(addr)
	if !ok {
		return nil
	}
	m := pc.module(a.modules)
	if m == nil {
		return nil
	}
	rel := a
	rel.modules, rel.key = nil, ""
	cr := pc.resource(m, rel.String())
	if cr == nil {
		return nil
	}
	bl := cr.Expressions[blockType]
	if bl == nil || bl.ExpressionData == nil || i >= len(bl.NestedBlocks) {
		return nil
	}
	e := bl.NestedBlocks[i][arg]
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	return dedupe(pc.resolve(a.modules, e.References, 0))
}

// argText is the first reference of an argument, for messages.
func (pc *planConfig) argText(addr, arg string) string {
	if refs := pc.argRefsRaw(addr, arg); len(refs) > 0 {
		return refs[0]
	}
	return ""
}

// argRefsRaw is the references of an argument's expression as the plan
// records them (azurerm_disk_encryption_set.x.id, azurerm_disk_encryption_set.x).
func (pc *planConfig) argRefsRaw(addr, arg string) []string {
	a, ok := parseAddress(addr)
	if !ok {
		return nil
	}
	m := pc.module(a.modules)
	if m == nil {
		return nil
	}
	rel := a
	rel.modules, rel.key = nil, ""
	if cr := pc.resource(m, rel.String()); cr != nil {
		if e := cr.Expressions[arg]; e != nil && e.ExpressionData != nil {
			return e.References
		}
	}
	return nil
}

// isIDRef reports whether an argument's expression refers to nothing but
// one resource's (or data source's) id: its value is then set, only known
// after apply. A reference to anything else (a variable, another
// attribute that may be null) leaves it merely unknown.
func (pc *planConfig) isIDRef(addr, arg string) bool {
	refs := pc.argRefsRaw(addr, arg)
	res, sawID := "", false
	for _, s := range refs {
		tr, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
		if diags.HasErrors() {
			return false
		}
		r := parseRef(tr)
		if r.kind != "resource" && r.kind != "data" {
			return false
		}
		if res != "" && r.res.String() != res {
			return false
		}
		res = r.res.String()
		switch attr := refAttr(tr); attr {
		case "":
		case "id", "object_id":
			sawID = true
		default:
			return false
		}
	}
	return sawID
}

// resolve turns references made inside the module at mods into resource
// addresses.
func (pc *planConfig) resolve(mods []modStep, refs []string, depth int) []string {
	if depth > maxRefDepth {
		return nil
	}
	var out []string
	for _, s := range refs {
		tr, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		r := parseRef(tr)
		switch r.kind {
		case "resource", "data":
			a := r.res
			a.modules = mods
			out = append(out, a.String())
		case "module":
			m := pc.module(mods)
			if m == nil || r.name == "" {
				continue
			}
			mc := m.ModuleCalls[r.mod.name]
			if mc == nil || mc.Module == nil {
				continue
			}
			o := mc.Module.Outputs[r.name]
			if o == nil || o.Expression == nil || o.Expression.ExpressionData == nil {
				continue
			}
			inner := append(append([]modStep(nil), mods...), r.mod)
			out = append(out, pc.resolve(inner, o.Expression.References, depth+1)...)
		case "var":
			if len(mods) == 0 {
				continue
			}
			parent := mods[:len(mods)-1]
			pm := pc.module(parent)
			if pm == nil {
				continue
			}
			mc := pm.ModuleCalls[mods[len(mods)-1].name]
			if mc == nil {
				continue
			}
			if e := mc.Expressions[r.name]; e != nil && e.ExpressionData != nil {
				out = append(out, pc.resolve(parent, e.References, depth+1)...)
			}
		}
	}
	return out
}

func usesEachRef(refs []string) bool {
	for _, r := range refs {
		if r == "each" || strings.HasPrefix(r, "each.") {
			return true
		}
	}
	return false
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
