package terraform

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// typeAzAPIUpdate patches an existing resource: azapi reads it, merges the
// body into it and writes it back.
const typeAzAPIUpdate = "azapi_update_resource"

// pendingPatch is an azapi_update_resource of a managed cluster, applied
// to its cluster once every resource is read.
type pendingPatch struct {
	patch *inventory.Cluster // the body mapped like a cluster's
	addr  string
	src   inventory.Source
	to    link
	key   string
}

// azapiUpdate reads an azapi_update_resource of type managedClusters: what
// its body sets wins over the cluster it names (resource_id, or parent_id
// and name); and one of type managedClusters/agentPools, which patches a
// node pool of the cluster (azapi_pool_patch.go). Other types are not read.
func (e *evaluator) azapiUpdate(c *collector, f *hclFile, blk *hclsyntax.Block) {
	addr := typeAzAPIUpdate + "." + blk.Labels[1]
	line := blk.DefRange().Start.Line
	ta := blk.Body.Attributes["type"]
	if ta == nil {
		return
	}
	tv, why := e.eval(ta.Expr, e.ctx(), f, "")
	typ, _ := toGo(tv).(string)
	if why != "" {
		// Only the resource type matters: an API version that does not
		// evaluate (terraform-azurerm-aks's local.aks_api_version) is
		// no reason to skip the patch.
		typ = exprText(f, ta.Expr)
	}
	t, _, _ := strings.Cut(typ, "@")
	t = strings.Trim(t, "\" \t")
	pool := strings.EqualFold(t, armPool)
	if !pool && !strings.EqualFold(t, armCluster) {
		return
	}
	insts, _ := e.instances(blk.Body, e.ctx(), f)
	for _, in := range insts {
		h := &hclBlock{e: e, f: f, body: blk.Body, ctx: in.ctx, iterWhy: in.iterWhy, p: addr + in.key, ln: line}
		body, ab := e.readAzAPIBody(h, c)
		body = ab.mergeSensitive(body, e.hclSensitiveBody(h, ab), 0)
		if pool {
			name, arg := "", "resource_id"
			if a := h.body.Attributes[arg]; a != nil {
				name = poolNameOf(stringOf(h.attr(arg)).Or(exprText(f, a.Expr)))
			} else {
				arg = "parent_id"
				name = stringOf(h.attr("name")).Or("")
			}
			c.addPoolPatch(h, body, ab, name, inventory.Source{File: f.name, Line: line}, e.link(h, arg), in.key)
			continue
		}
		patch, errs := arm.ParseClusterAt(body, h.p+".body", f.name, inventory.FormatTFHCL, ab.resolve)
		c.batch.Errors = append(c.batch.Errors, errs...)
		arg := "resource_id"
		if h.body.Attributes[arg] == nil {
			arg = "parent_id"
		}
		c.patches = append(c.patches, pendingPatch{patch: patch, addr: h.p, src: inventory.Source{File: f.name, Line: line}, to: e.link(h, arg), key: in.key})
	}
}

// applyPatches applies each patch to the cluster of this input it names.
// A patch of a cluster outside this input is reported: the cluster is then
// judged without it, which could pass on a setting the patch changes.
func (c *collector) applyPatches() {
	for _, p := range c.patches {
		cl := c.find(p.to, p.key)
		if cl == nil {
			if c.ambiguous(p.to, p.addr, p.src) {
				continue
			}
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: p.src.File, Line: p.src.Line,
				Message: fmt.Sprintf("%s patches a managed cluster %s that is not declared in this input, so the patch is not applied; scan it together with the configuration that declares the cluster", p.addr, p.to.describe())})
			continue
		}
		patchCluster(cl, p.patch)
	}
}

// patchCluster sets on cl every field the patch sets (Known or Unknown),
// and the add-ons it lists. A patch that lists agent pools makes the pool
// list unknown: azapi replaces the list, which aksguard does not merge.
func patchCluster(cl, patch *inventory.Cluster) {
	dst, src := reflect.ValueOf(cl).Elem(), reflect.ValueOf(patch).Elem()
	for i := 0; i < dst.NumField(); i++ {
		f := src.Field(i)
		if f.Kind() != reflect.Struct || !strings.HasPrefix(f.Type().Name(), "Field[") {
			continue
		}
		if inventory.State(f.FieldByName("State").Uint()) != inventory.Absent {
			dst.Field(i).Set(f)
		}
	}
	for _, a := range patch.Addons {
		cl.SetAddon(a)
	}
	if len(patch.AgentPools) > 0 || !patch.PoolsKnown {
		why := patch.PoolsUnknown
		if why == "" {
			why = "agentPoolProfiles is replaced by " + patch.TFAddress + ", which aksguard does not merge"
		}
		cl.PoolsKnown, cl.PoolsUnknown = false, why
	}
}
