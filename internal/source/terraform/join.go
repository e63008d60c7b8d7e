package terraform

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// collector gathers what one input declares and joins node pools and
// diagnostic settings to their cluster once every resource is read: a
// resource may come before the cluster it names.
type collector struct {
	format   inventory.Format
	batch    *inventory.Batch
	clusters []*inventory.Cluster
	pools    []pendingPool
	diags    []pendingDiag
	maints   []pendingMaint // azapi maintenance configurations (azapi.go)
	patches  []pendingPatch // azapi_update_resource of clusters (azapi_update.go)
	// azapi_update_resource of node pools (azapi_pool_patch.go)
	poolPatches []pendingPoolPatch
	// azurerm_container_registry and azurerm_private_endpoint (registry.go)
	registries []pendingRegistry
	pes        []pendingPE
	// Indexes of clusters, built by finish: scanning every cluster for
	// every pool and setting made large inputs quadratic.
	byID   map[string]*inventory.Cluster   // lower-cased ID, the first
	byAddr map[string]*inventory.Cluster   // the first
	byBase map[string][]*inventory.Cluster // by address without instance keys
}

// link is what a reader found in an argument that names a cluster: the ID
// when it is known, and else the addresses its expression refers to.
type link struct {
	id   string
	refs []string // resource addresses, most specific first
	text string   // how the argument reads, for messages
}

type pendingPool struct {
	pool *inventory.AgentPool
	to   link
	key  string // the pool's instance key ("[0]", `["a"]`), to pick a counted cluster
	// poolsUnknown is set when the pool resource's count or for_each could
	// not be resolved: the cluster's pool list is then incomplete.
	poolsUnknown string
}

type pendingDiag struct {
	setting inventory.DiagnosticSetting
	to      link
	key     string
}

// newCollector gathers one input of a format (FormatTFHCL or FormatTFPlan).
func newCollector(format inventory.Format) *collector {
	return &collector{batch: &inventory.Batch{}, format: format}
}

func (c *collector) addCluster(cl *inventory.Cluster, m *inventory.MaintenanceFor) {
	c.clusters = append(c.clusters, cl)
	if m != nil {
		c.batch.Maintenance = append(c.batch.Maintenance, *m)
	}
}

// finish joins and returns the batch. Pools and settings whose cluster is
// in another input go to Batch.Pools and Batch.Diagnostics for the
// cross-input join.
func (c *collector) finish() *inventory.Batch {
	c.index()
	c.applyPatches()
	for _, p := range c.pools {
		cl := c.find(p.to, p.key)
		if cl == nil && c.ambiguous(p.to, "node pool "+p.pool.TFAddress, p.pool.Source) {
			continue
		}
		if cl == nil {
			// A cluster of another input (its ARM ID, or its address in
			// another directory) is joined across inputs; without one
			// there, the pool is judged under a stand-in of its cluster.
			if id := p.to.elsewhere(); id != "" {
				c.batch.Pools = append(c.batch.Pools, inventory.PoolFor{ClusterID: id, Pool: p.pool, Alone: true, Format: c.format})
				continue
			}
			if p.to.text == "" && p.to.id == "" {
				// kubernetes_cluster_id is required: terraform validate
				// fails without it.
				c.batch.Errors = append(c.batch.Errors, inventory.InputError{
					Input: p.pool.Source.File, Line: p.pool.Source.Line,
					Message: fmt.Sprintf("node pool %s: %s is not set, so the pool is not assessed; set it to the ID of its cluster", p.pool.TFAddress, argPoolCluster),
				})
				continue
			}
			c.standIn(p)
			continue
		}
		cl.AgentPools = append(cl.AgentPools, p.pool)
		if p.poolsUnknown != "" && cl.PoolsKnown {
			cl.PoolsKnown, cl.PoolsUnknown = false, p.poolsUnknown
		}
	}
	c.applyPoolPatches()
	for _, d := range c.diags {
		target := c.diagTarget(d)
		if target == "" {
			continue // not about an AKS cluster, or not knowable offline
		}
		c.batch.Diagnostics = append(c.batch.Diagnostics, inventory.DiagnosticFor{TargetID: target, Setting: d.setting})
	}
	c.finishMaintenance()
	c.finishRegistries()
	c.batch.Clusters = append(c.batch.Clusters, c.clusters...)
	return c.batch
}

// elsewhere is how a cluster outside this input is named: its known ID, or
// "tf:ADDRESS" for a reference to an azurerm_kubernetes_cluster; "" when the
// link names no cluster.
func (l link) elsewhere() string {
	if l.id != "" {
		return l.id
	}
	for _, r := range l.refs {
		if isClusterType(resourceType(r)) {
			return "tf:" + r
		}
	}
	return ""
}

func (l link) describe() string {
	switch {
	case l.text != "":
		return "(" + l.text + ")"
	case l.id != "":
		return "(" + l.id + ")"
	}
	return "(not set)"
}

// diagTarget is the TargetID of a diagnostic setting: the ID of the cluster
// it names in this input, a known AKS resource ID, or "tf:ADDRESS" for a
// cluster declared elsewhere. "" when the target is no AKS cluster.
func (c *collector) diagTarget(d pendingDiag) string {
	if cl := c.find(d.to, d.key); cl != nil {
		return cl.ID
	}
	if c.ambiguous(d.to, "diagnostic setting "+d.setting.Name, d.setting.Source) {
		return ""
	}
	id := d.to.elsewhere()
	if d.to.id != "" && arm.ClusterIDOf(id) == "" {
		return "" // a diagnostic setting of some other resource
	}
	return id
}

func (c *collector) index() {
	c.byID = make(map[string]*inventory.Cluster, len(c.clusters))
	c.byAddr = make(map[string]*inventory.Cluster, len(c.clusters))
	c.byBase = make(map[string][]*inventory.Cluster, len(c.clusters))
	for _, cl := range c.clusters {
		// strings.EqualFold matched IDs before; ToLower differs from it
		// only for a few non-ASCII runes, which resource IDs do not hold.
		if id := strings.ToLower(cl.ID); c.byID[id] == nil {
			c.byID[id] = cl
		}
		if c.byAddr[cl.TFAddress] == nil {
			c.byAddr[cl.TFAddress] = cl
		}
		base := stripKeys(cl.TFAddress)
		c.byBase[base] = append(c.byBase[base], cl)
	}
}

// find returns the cluster a link names: by known ID, else by address. A
// reference without an instance key matches a counted cluster when only one
// instance exists or when the referring resource has the same key.
func (c *collector) find(l link, key string) *inventory.Cluster {
	if l.id != "" {
		if cl := c.byID[strings.ToLower(l.id)]; cl != nil {
			return cl
		}
	}
	for _, r := range l.refs {
		if cl := c.byAddr[r]; cl != nil {
			return cl
		}
	}
	for _, r := range l.refs {
		hits := c.byBase[stripKeys(r)]
		if len(hits) == 1 {
			return hits[0]
		}
		for _, cl := range hits {
			if key != "" && strings.HasSuffix(cl.TFAddress, key) {
				return cl
			}
		}
	}
	return nil
}

// ambiguous reports (and records as an input error) a link whose cluster
// reference matches several cluster instances of this input.
func (c *collector) ambiguous(l link, what string, src inventory.Source) bool {
	for _, r := range l.refs {
		base := stripKeys(r)
		if n := len(c.byBase[base]); n > 1 {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: src.File, Line: src.Line,
				Message: fmt.Sprintf("%s refers to %s, which has %d instances here, and its own instance key does not pick one; it is not assessed (refer to one instance, e.g. %s[0].id)", what, base, n, base)})
			return true
		}
	}
	return false
}

// standIn judges a pool whose kubernetes_cluster_id resolves to no
// cluster, here or elsewhere (a variable without a value, a data source
// whose id waits for plan time): under a stand-in cluster named by the
// reference, one per reference text and module, whose own fields are
// Unknown.
func (c *collector) standIn(p pendingPool) {
	prefix := ""
	if a, ok := parseAddress(p.pool.TFAddress); ok {
		prefix = a.prefix()
	}
	text := strings.Trim(p.to.describe(), "()")
	id := "tf:" + prefix + text
	for _, cl := range c.clusters {
		if cl.ID == id && cl.StandIn != "" {
			cl.AgentPools = append(cl.AgentPools, p.pool)
			return
		}
	}
	why := fmt.Sprintf("the cluster of node pool %s is not in this input: its %s %s names no cluster aksguard can read; scan the pool together with the configuration that declares its cluster to judge the cluster itself",
		p.pool.TFAddress, argPoolCluster, p.to.describe())
	cl := inventory.NewStandIn(id, prefix+text, c.format, p.pool.Source, why)
	cl.AgentPools = []*inventory.AgentPool{p.pool}
	c.clusters = append(c.clusters, cl)
}
