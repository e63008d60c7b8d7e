package arm

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// Resource exports (`Get-AzResource -ExpandProperties`, PSRule's exported
// resource data, hand-assembled REST bodies) nest a cluster's child
// resources in its resources[]: agent pools, diagnostic settings,
// maintenance configurations, upgrade profiles. They are read as if they
// had been given in separate files, and belong to the cluster they are
// nested in when their own ID does not say otherwise.

// maxExportNesting bounds resources[] inside resources[].
const maxExportNesting = 8

// children decodes the resources nested in cluster object n.
func children(n *jsontree.Node, c *inventory.Cluster, depth int, item func(*jsontree.Node, string, int), b *inventory.Batch, file string) {
	res := n.Get("resources")
	if res == nil || res.Kind == jsontree.Null {
		return
	}
	if res.Kind != jsontree.Array {
		b.Errors = append(b.Errors, inventory.InputError{Input: file, Line: res.Line, Message: fmt.Sprintf(
			"the cluster's resources is %s, not a list of child resources: aksguard does not read its diagnostic settings, maintenance configurations or agent pools from it", kindPhrase("resources", res))})
		return
	}
	if depth >= maxExportNesting {
		b.Errors = append(b.Errors, inventory.InputError{Input: file, Line: res.Line, Message: fmt.Sprintf(
			"child resources nested more than %d levels deep: aksguard does not read them", maxExportNesting)})
		return
	}
	parent := c.ID
	if parent == "" {
		// A cluster without an ID: its children join it through a
		// template-local ID of its name.
		parent = clusterIDForChildren(c, file)
	}
	for _, it := range res.Items {
		item(it, parent, depth+1)
	}
}

// clusterIDForChildren gives a cluster read without an ID a local one
// ("export:FILE#managedClusters/NAME", which the join never takes for an ARM
// ID), so that the children nested in it join it and nothing else.
func clusterIDForChildren(c *inventory.Cluster, file string) string {
	name := c.Name
	if name == "" {
		name = fmt.Sprintf("line-%d", c.Source.Line)
	}
	c.ID = "export:" + file + "#managedClusters/" + name
	return c.ID
}

// childType turns the relative type of a nested child resource
// (lower-cased) into its full type; a full type is returned as it is.
func childType(t string) string {
	t = strings.TrimPrefix(t, "providers/")
	if t == "" || strings.Contains(strings.SplitN(t, "/", 2)[0], ".") {
		return t
	}
	return "microsoft.containerservice/managedclusters/" + t
}
