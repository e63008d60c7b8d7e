package arm

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// TestDecodeTemplateOrigins: a compiled template names, per resource, the
// file and address it was written at; evidence, pools, companion data and
// copy-loop errors name that file, while template-local IDs keep the
// template's own name so children still join their cluster.
func TestDecodeTemplateOrigins(t *testing.T) {
	src := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "languageVersion": "2.0",
 "resources": {
  "aks": {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-01-01", "name": "c1",
   "properties": {"disableLocalAccounts": true}},
  "mod": {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "m",
   "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
    "template": {"languageVersion": "2.0", "resources": {
     "pool": {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "2024-01-01", "name": "c1/p1",
      "properties": {"count": 1}},
     "bad": {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "2024-01-01", "name": "c1/p2",
      "copy": {"name": "x", "count": -1}, "properties": {}}}}}}
 }}`
	root, err := jsontree.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res := root.Get("resources")
	inner := res.Get("mod", "properties", "template", "resources")
	origins := map[*jsontree.Node]Origin{
		res.Get("aks"):    {File: "main.bicep", Address: "resource aks"},
		res.Get("mod"):    {File: "main.bicep", Address: "module mod"},
		inner.Get("pool"): {File: "pool.bicep", Address: "module mod > resource pool"},
		inner.Get("bad"):  {File: "pool.bicep", Address: "module mod > resource bad"},
	}
	addrs := map[string]string{}
	b := DecodeTemplateWith(root, "main.bicep", nil, TemplateOptions{Format: inventory.FormatARMTemplate, Origins: origins,
		Address: func(c *inventory.Cluster, p *inventory.AgentPool, addr string) {
			if c != nil {
				addrs["cluster"] = addr
			} else {
				addrs["pool "+p.Name] = addr
			}
		}})
	if len(b.Clusters) != 1 || b.Clusters[0].Source.File != "main.bicep" {
		t.Fatalf("clusters: %+v", b.Clusters)
	}
	if len(b.Pools) != 2 {
		t.Fatalf("pools: %+v", b.Pools)
	}
	for _, p := range b.Pools {
		if p.Pool.Source.File != "pool.bicep" || p.ClusterID != b.Clusters[0].ID {
			t.Errorf("pool %s: source %+v, cluster %q (want pool.bicep, %q)", p.Pool.Name, p.Pool.Source, p.ClusterID, b.Clusters[0].ID)
		}
	}
	if addrs["cluster"] != "resource aks" || addrs["pool p1"] != "module mod > resource pool" {
		t.Errorf("addresses: %v", addrs)
	}
	if len(b.Errors) != 1 || b.Errors[0].Input != "pool.bicep" {
		t.Errorf("errors: %+v (want one copy-loop error in pool.bicep)", b.Errors)
	}
}

// TestDecodeTemplateClusterCap: copy loops (here of nested deployments,
// which multiply) never yield more than maxTemplateClusters clusters; past
// it the template is an input error and reading stops.
func TestDecodeTemplateClusterCap(t *testing.T) {
	src := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[format('d{0}', copyIndex())]",
  "copy": {"name": "outer", "count": 40},
  "properties": {"mode": "Incremental", "template": {"resources": [
   {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-01-01", "name": "[format('c{0}', copyIndex())]",
    "copy": {"name": "inner", "count": 40}, "properties": {}}]}}}]}`
	root, err := jsontree.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodeTemplate(root, "bomb.json", nil)
	if len(b.Clusters) != maxTemplateClusters {
		t.Errorf("%d clusters, want the cap %d", len(b.Clusters), maxTemplateClusters)
	}
	if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Message, "clusters (copy loops of nested deployments multiply)") {
		t.Errorf("errors %v", b.Errors)
	}
}
