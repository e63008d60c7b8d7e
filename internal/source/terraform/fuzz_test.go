package terraform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// checkBatch asserts what holds for any input: a batch, errors that name
// their input, clusters that have an ID and an address.
func checkBatch(t *testing.T, b *inventory.Batch, input string) {
	t.Helper()
	if b == nil {
		t.Fatal("nil batch")
	}
	for _, e := range b.Errors {
		if e.Message == "" || e.Input == "" {
			t.Fatalf("error without input or message: %+v", e)
		}
	}
	for _, c := range b.Clusters {
		if c.ID == "" || c.TFAddress == "" || c.Source.File == "" {
			t.Fatalf("cluster without id, address or file: %+v", c)
		}
	}
}

func FuzzDecodePlanJSON(f *testing.F) {
	// The testdata plans, compacted: the engine mutates large inputs
	// slowly, and the indentation is most of their size. Line finding in
	// indented JSON is covered by the tests.
	seeds, _ := filepath.Glob("testdata/plan/*.json")
	azapi, _ := filepath.Glob("testdata/azapi/*/*.json")
	for _, p := range append(seeds, azapi...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("{\n \"format_version\": \"1.2\",\n \"planned_values\": {\"root_module\": {\"resources\": [\n  {\"address\": \"azurerm_kubernetes_cluster.a\", \"mode\": \"managed\", \"type\": \"azurerm_kubernetes_cluster\", \"values\": {\"name\": \"a\"}}]}}}"))
	f.Add([]byte(`{"format_version":"1.0"}`))
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"azurerm_kubernetes_cluster.x","mode":"managed","type":"azurerm_kubernetes_cluster","change":{"after":{"default_node_pool":{}},"after_unknown":{"oms_agent":[true]}}}]}`))
	// Depth: nesting past the bound, in a value and in the structure.
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.a","mode":"managed","type":"azurerm_kubernetes_cluster","values":{"tags":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}}]}}}`))
	f.Add([]byte(strings.Repeat(`{"a":`, 1000) + "1" + strings.Repeat("}", 1000)))
	// Duplicate keys, exact and folded.
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.a","mode":"managed","type":"azurerm_kubernetes_cluster","values":{"local_account_disabled":true,"local_account_disabled":false},"Values":{}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = IsPlanJSON(data)
		checkBatch(t, DecodePlanJSON(data, "fuzz.json"), "fuzz.json")
	})
}

func FuzzDecodeHCL(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/hcl/*/*.tf")
	azapi, _ := filepath.Glob("testdata/azapi/*/*.tf")
	seeds = append(seeds, azapi...)
	vars, err := os.ReadFile("testdata/hcl/vars/terraform.tfvars")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, vars)
	}
	f.Add([]byte(`resource "azurerm_kubernetes_cluster" "c" { count = format("%09999d", 1) }`), []byte(""))
	// azapi bodies: JSON text nested past jsontree's bound, an object
	// nested past maxBodyDepth.
	f.Add([]byte(`resource "azapi_resource" "c" {
  type = "Microsoft.ContainerService/managedClusters@2024-05-01"
  body = "`+strings.Repeat(`{\"a\":`, 600)+`1`+strings.Repeat("}", 600)+`"
}`), []byte(""))
	f.Add([]byte(`resource "azapi_resource" "c" {
  type = "Microsoft.ContainerService/managedClusters@2024-05-01"
  body = `+strings.Repeat("{ properties = ", 80)+"1"+strings.Repeat(" }", 80)+`
}`), []byte(""))
	// Depth: brackets and interpolations nested past the bound.
	f.Add([]byte(`locals { x = `+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+" }"), []byte(""))
	f.Add([]byte(`locals { x = "`+strings.Repeat("${", 600)+"1"+strings.Repeat("}", 600)+`" }`), []byte(""))
	// Work: a for nested over ranges, a doubled local, a long join.
	f.Add([]byte(`locals {
  a = "ab"
  b = "${local.a}${local.a}"
  c = [for x in range(50): [for y in range(50): local.b]]
}
resource "azurerm_kubernetes_cluster" "c" { sku_tier = join(local.b, flatten(local.c)) }`), []byte(`x = [for i in [1, 2]: i]`))
	// Small budgets: an input over budget ends in milliseconds, so the
	// engine tries thousands of inputs in a short run. The same code
	// paths run as with the real limits.
	saved := limits
	f.Cleanup(func() { limits = saved })
	limits.exprSteps, limits.exprBytes, limits.dirSteps, limits.dirBytes = 5000, 1<<20, 20000, 4<<20
	f.Fuzz(func(t *testing.T, tf, tfvars []byte) {
		files := map[string][]byte{"main.tf": tf, "terraform.tfvars": tfvars}
		checkBatch(t, DecodeHCLDir("fuzz", files, map[string]string{"pool_count": "2"}), "fuzz")
	})
}
