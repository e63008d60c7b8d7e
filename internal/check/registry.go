package check

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aksguard/aksguard/internal/inventory"
)

var (
	regMu    sync.Mutex
	registry = map[string]*Control{}
)

// Register adds a control. It panics on a duplicate or incomplete entry:
// that is a programming error caught by every test run.
func Register(c *Control) {
	regMu.Lock()
	defer regMu.Unlock()
	if c.ID == "" || c.Title == "" || c.Run == nil || c.Severity == SevNone || len(c.References) == 0 || c.Remediation == "" || c.FailsWhen == "" {
		panic(fmt.Sprintf("check: incomplete control %q", c.ID))
	}
	if _, dup := registry[c.ID]; dup {
		panic("check: duplicate control " + c.ID)
	}
	registry[c.ID] = c
}

// All returns the registered controls sorted by ID.
func All() []*Control {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]*Control, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a control by ID (case-insensitive).
func Lookup(id string) (*Control, bool) {
	regMu.Lock()
	defer regMu.Unlock()
	if c, ok := registry[id]; ok {
		return c, true
	}
	for k, c := range registry {
		if strings.EqualFold(k, id) {
			return c, true
		}
	}
	return nil, false
}

// KubeScopeResource names the resource of per-scan Kubernetes results:
// kind Cluster, named after the AKS cluster the join attributed the
// Kubernetes input to (Inventory.KubeOwner), else "kubernetes".
func KubeScopeResource(inv *inventory.Inventory) Resource {
	if c := inv.KubeOwner.Cluster; c != nil {
		r := ClusterResource(c)
		r.Kind = "Cluster"
		return r
	}
	return Resource{Kind: "Cluster", Name: "kubernetes"}
}

// ClusterResource names an AKS cluster in results: kind ManagedCluster, its
// resource ID, and its name (else its Terraform address, else its ID).
func ClusterResource(c *inventory.Cluster) Resource {
	name := c.Name
	if name == "" {
		name = c.TFAddress
	}
	if name == "" {
		name = c.ID
	}
	return Resource{Kind: "ManagedCluster", ID: c.ID, Name: name}
}
