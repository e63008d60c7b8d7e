package terraform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
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
		if c.ID == "" || (c.TFAddress == "") != (c.StandIn != "") || c.Source.File == "" {
			t.Fatalf("cluster without id, address (a stand-in has none) or file: %+v", c)
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

// FuzzDecodeHCLModules reads a root module that calls a local child module
// and a downloaded one (modules.json), all three fuzzed: a hostile module
// graph (cycles, self-calls, counts, arguments of any type) gives errors,
// never a panic or unbounded work.
func FuzzDecodeHCLModules(f *testing.F) {
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	manifest := []byte(`{"Modules":[{"Key":"remote","Source":"example/aks/azurerm","Dir":".terraform/modules/remote"}]}`)
	root := []byte(`module "child" {
  source                 = "./child"
  name                   = "x"
  local_account_disabled = true
}
module "remote" {
  count  = 2
  source = "example/aks/azurerm"
  name   = "r${count.index}"
}
resource "azurerm_kubernetes_cluster_node_pool" "p" { kubernetes_cluster_id = module.child.cluster_id }
`)
	f.Add(root, read("testdata/hcl/modules/aks/main.tf"), manifest)
	f.Add(read("testdata/hcl/modules/root/main.tf"), read("testdata/hcl/modules/wrapper/main.tf"), manifest)
	f.Add([]byte(`module "a" { source = "./child" }`), []byte(`module "b" { source = "../" }`), []byte(`{}`))
	f.Add([]byte(`module "a" {
  for_each = toset([for i in range(100) : tostring(i)])
  source   = "./child"
}`), []byte(`module "me" {
  count  = 10
  source = "./"
}`), []byte(`{"Modules":null}`))
	saved := limits
	f.Cleanup(func() { limits = saved })
	limits.exprSteps, limits.exprBytes, limits.dirSteps, limits.dirBytes = 5000, 1<<20, 20000, 4<<20
	f.Fuzz(func(t *testing.T, rootTF, childTF, modulesJSON []byte) {
		dir := t.TempDir()
		for p, data := range map[string][]byte{
			"main.tf":                           rootTF,
			"child/main.tf":                     childTF,
			".terraform/modules/remote/main.tf": childTF,
			".terraform/modules/modules.json":   modulesJSON,
		} {
			p = filepath.Join(dir, p)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		checkBatch(t, DecodeHCLDir(dir, nil, nil), dir)
	})
}

// FuzzDecodeTFJSON: a *.tf.json file, with an override file in either
// syntax, merged into it.
func FuzzDecodeTFJSON(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/tfjson/*/*.tf.json")
	over, err := os.ReadFile("testdata/tfjson/override/override.tf")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), over)
	}
	f.Add([]byte(`{"resource":{"azurerm_kubernetes_cluster":{"main":{"tags":`+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+`}}}}`), []byte(""))
	f.Add([]byte(`{"locals":[{"a":"${`+strings.Repeat("[", 300)+`}"}]}`), []byte(`locals { a = 1 }`))
	saved := limits
	f.Cleanup(func() { limits = saved })
	limits.exprSteps, limits.exprBytes, limits.dirSteps, limits.dirBytes = 5000, 1<<20, 20000, 4<<20
	f.Fuzz(func(t *testing.T, tfjson, override []byte) {
		files := map[string][]byte{"main.tf.json": tfjson, "override.tf": override}
		checkBatch(t, DecodeHCLDir("fuzz", files, nil), "fuzz")
	})
}

// FuzzDecodeStateJSON: a raw state file (terraform.tfstate).
func FuzzDecodeStateJSON(f *testing.F) {
	data, err := os.ReadFile("testdata/state/terraform.tfstate")
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":4,"terraform_version":"1","resources":[{"mode":"managed","type":"azurerm_kubernetes_cluster","name":"m","module":"module.a[0]","instances":[{"index_key":"k","attributes":{"local_account_disabled":false},"sensitive_attributes":[[{"type":"index","value":{"value":3,"type":"number"}}]]}]}]}`))
	f.Add([]byte(`{"version":4,"terraform_version":"1","resources":[{"mode":"managed","type":"azurerm_kubernetes_cluster","name":"m","instances":[{"attributes":{"tags":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := jsontree.Parse(data)
		if err != nil || !IsStateNode(root) {
			return
		}
		checkBatch(t, DecodeStateJSON(data, root, "terraform.tfstate"), "terraform.tfstate")
	})
}
