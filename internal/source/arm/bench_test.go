package arm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// wideProperties is a cluster's properties object with n filler keys
// before the ones the reader maps, as a hostile body would send.
func wideProperties(n int) string {
	var b strings.Builder
	b.WriteString(`{`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"pad%d": %d, `, i, i)
	}
	b.WriteString(`"kubernetesVersion": "1.36.3", "enableRBAC": true, "agentPoolProfiles": [{"name": "system", "osType": "Linux"}]}`)
	return b.String()
}

// BenchmarkParseClusterWide reads a REST body whose properties object has
// 100,000 keys: each field the reader maps is one lookup in it.
func BenchmarkParseClusterWide(b *testing.B) {
	root, err := jsontree.Parse([]byte(`{"type": "Microsoft.ContainerService/managedClusters", "properties": ` + wideProperties(100000) + `}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, _ := ParseCluster(root, "wide.json", inventory.FormatARM, nil)
		if !c.EnableRBAC.Val {
			b.Fatal("enableRBAC not read")
		}
	}
}

// BenchmarkDecodeTemplateWide decodes a template whose cluster resource
// has a literal properties object of 100,000 keys.
func BenchmarkDecodeTemplateWide(b *testing.B) {
	root, err := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "c", "properties": ` + wideProperties(100000) + `}]}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if bt := DecodeTemplate(root, "wide.json", nil); len(bt.Clusters) != 1 {
			b.Fatal("no cluster")
		}
	}
}

// BenchmarkDecodeTemplateWideParameter decodes a template whose cluster
// properties come from a parameters-file value of 100,000 keys: the value
// is copied (it is from another file) and the copy is read field by field.
func BenchmarkDecodeTemplateWideParameter(b *testing.B) {
	root, err := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
"parameters": {"props": {"type": "object"}},
"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "c", "properties": "[parameters('props')]"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	params, err := LoadParameters([]byte(`{"parameters": {"props": {"value": `+wideProperties(100000)+`}}}`), "p.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		bt := DecodeTemplate(root, "wide.json", params)
		if len(bt.Clusters) != 1 || !bt.Clusters[0].EnableRBAC.Val {
			b.Fatalf("enableRBAC not read: %+v", bt.Clusters)
		}
	}
}
