package terraform

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// pendingPoolPatch is an azapi_update_resource of a node pool, applied to
// the pool of its cluster once every resource is read.
type pendingPoolPatch struct {
	patch *inventory.AgentPool // the body mapped like a pool's
	pool  string               // the pool's name, "" when it cannot be read
	addr  string
	src   inventory.Source
	to    link
	key   string
}

// poolIDName reads the pool name at the end of an agent pool ID, as a
// value (…/agentPools/system) or as the text of a template
// ("${azurerm_kubernetes_cluster.main.id}/agentPools/system").
var poolIDName = regexp.MustCompile(`(?i)/agentPools/([A-Za-z0-9]+)"?\s*$`)

func poolNameOf(id string) string {
	if m := poolIDName.FindStringSubmatch(id); m != nil {
		return m[1]
	}
	return ""
}

// addPoolPatch maps a node pool patch's body and records it.
func (c *collector) addPoolPatch(b block, body *jsontree.Node, ab *azapiBody, name string, src inventory.Source, to link, key string) {
	props, ppath := azapiProps(body, b.path()+".body")
	patch, errs := arm.ParsePool(props, ppath, src.File, ab.resolve)
	c.batch.Errors = append(c.batch.Errors, errs...)
	c.poolPatches = append(c.poolPatches, pendingPoolPatch{patch: patch, pool: name, addr: b.path(), src: src, to: to, key: key})
}

// applyPoolPatches applies each node pool patch to the pool it names. A
// patch of a pool that cannot be named, or that the cluster does not list,
// makes the cluster's pool list unknown; one of a cluster outside this
// input is reported, as a cluster patch is.
func (c *collector) applyPoolPatches() {
	for _, p := range c.poolPatches {
		// resource_id = azurerm_kubernetes_cluster_node_pool.x[each.key].id
		// names the pool resource itself (try() over several: the one
		// that exists).
		if pl := c.poolByRef(p.to); pl != nil {
			patchFields(pl, p.patch)
			continue
		}
		if names := poolRefs(p.to); len(names) > 0 {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: p.src.File, Line: p.src.Line,
				Message: fmt.Sprintf("%s patches node pool %s, which is not declared in this input, so the patch is not applied; scan it together with the configuration that declares the pool", p.addr, strings.Join(names, " or "))})
			continue
		}
		cl := c.find(p.to, p.key)
		if cl == nil {
			if c.ambiguous(p.to, p.addr, p.src) {
				continue
			}
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: p.src.File, Line: p.src.Line,
				Message: fmt.Sprintf("%s patches a node pool of a managed cluster %s that is not declared in this input, so the patch is not applied; scan it together with the configuration that declares the cluster", p.addr, p.to.describe())})
			continue
		}
		var target *inventory.AgentPool
		for _, pl := range cl.AgentPools {
			if p.pool != "" && strings.EqualFold(pl.Name, p.pool) {
				target = pl
			}
		}
		if target == nil {
			why := fmt.Sprintf("%s patches a node pool aksguard cannot name", p.addr)
			if p.pool != "" {
				why = fmt.Sprintf("%s patches node pool %q, which the configuration of the cluster does not list", p.addr, p.pool)
			}
			cl.PoolsKnown, cl.PoolsUnknown = false, why
			continue
		}
		patchFields(target, p.patch)
	}
}

// patchFields sets on dst every Field that src sets (Known or Unknown).
// dst and src are pointers to the same struct type.
func patchFields(dst, src any) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := 0; i < d.NumField(); i++ {
		f := s.Field(i)
		if f.Kind() != reflect.Struct || !strings.HasPrefix(f.Type().Name(), "Field[") {
			continue
		}
		if inventory.State(f.FieldByName("State").Uint()) != inventory.Absent {
			d.Field(i).Set(f)
		}
	}
}

// poolRefs lists the azurerm_kubernetes_cluster_node_pool addresses a link
// refers to.
func poolRefs(l link) []string {
	var out []string
	for _, r := range l.refs {
		if resourceType(r) == typePool {
			out = append(out, r)
		}
	}
	return out
}

// poolByRef is the node pool resource instance of this input a link names
// by address, nil when it names none.
func (c *collector) poolByRef(l link) *inventory.AgentPool {
	for _, r := range poolRefs(l) {
		for _, p := range c.pools {
			if p.pool.TFAddress == r {
				return p.pool
			}
		}
	}
	return nil
}
