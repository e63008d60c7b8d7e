package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// instanceView is what a test of resource instances compares: each
// cluster by address with its name and pools, and each diagnostic setting
// with the cluster it joined.
type instanceView struct {
	clusters map[string]string // address → "name: pool, pool"
	diags    []string          // "setting → target"
}

func viewInstances(b *inventory.Batch) instanceView {
	v := instanceView{clusters: map[string]string{}}
	for _, c := range b.Clusters {
		v.clusters[c.TFAddress] = c.Name + ": " + strings.Join(poolNames(c), ", ")
	}
	for _, d := range b.Diagnostics {
		v.diags = append(v.diags, d.Setting.Name+" → "+d.TargetID)
	}
	sort.Strings(v.diags)
	return v
}

// TestHCLResourceInstances: count and for_each on a cluster give one
// cluster per instance, addressed as Terraform does, and the pools and
// diagnostic settings that refer to the instances (by index, by each.key,
// through for_each over the clusters themselves) join the instance they
// name.
func TestHCLResourceInstances(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		want   instanceView
		fields map[string][]expect // cluster address → field expectations
		pools  map[string][]expect // "cluster address/pool name" → field expectations
		disk   bool                // written to a directory (modules), root in root/
		errors []string            // substrings, one per error, in order
	}{
		{
			name: "count: clusters, pools and settings by count.index",
			files: map[string]string{"main.tf": `
resource "azurerm_kubernetes_cluster" "c" {
  count                  = 3
  name                   = "aks-${count.index}"
  local_account_disabled = count.index == 1
  default_node_pool { name = "sys" }
}
resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  count                 = length(azurerm_kubernetes_cluster.c)
  name                  = "apps${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.c[count.index].id
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  count              = length(azurerm_kubernetes_cluster.c[*].id)
  name               = "diag-${count.index}"
  target_resource_id = azurerm_kubernetes_cluster.c[count.index].id
  enabled_log { category = "kube-audit" }
}
resource "azurerm_kubernetes_cluster_node_pool" "one" {
  name                  = "one"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.c[2].id
}`},
			want: instanceView{
				clusters: map[string]string{
					"azurerm_kubernetes_cluster.c[0]": "aks-0: sys, apps0",
					"azurerm_kubernetes_cluster.c[1]": "aks-1: sys, apps1",
					"azurerm_kubernetes_cluster.c[2]": "aks-2: sys, apps2, one",
				},
				diags: []string{
					"diag-0 → tf:azurerm_kubernetes_cluster.c[0]",
					"diag-1 → tf:azurerm_kubernetes_cluster.c[1]",
					"diag-2 → tf:azurerm_kubernetes_cluster.c[2]",
				},
			},
			fields: map[string][]expect{
				"azurerm_kubernetes_cluster.c[0]": {known("DisableLocalAccounts", false, "azurerm_kubernetes_cluster.c[0].local_account_disabled")},
				"azurerm_kubernetes_cluster.c[1]": {known("DisableLocalAccounts", true, "azurerm_kubernetes_cluster.c[1].local_account_disabled")},
			},
		},
		{
			name: "for_each over a map; settings and pools for_each over the clusters",
			files: map[string]string{"main.tf": `
variable "clusters" {
  default = {
    prod = { local = false }
    dev  = { local = true }
  }
}
resource "azurerm_kubernetes_cluster" "c" {
  for_each               = var.clusters
  name                   = "aks-${each.key}"
  local_account_disabled = !each.value.local
  default_node_pool { name = "sys" }
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  for_each           = azurerm_kubernetes_cluster.c
  name               = "diag-${each.key}"
  target_resource_id = each.value.id
  enabled_log { category = "kube-audit" }
}
resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  for_each              = azurerm_kubernetes_cluster.c
  name                  = "apps"
  kubernetes_cluster_id = each.value.id
  node_public_ip_enabled = each.value.name == "x"
  os_type               = each.key == "dev" ? "Windows" : "Linux"
}
resource "azurerm_kubernetes_cluster_node_pool" "byname" {
  for_each              = toset(["dev"])
  name                  = "gpu"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.c[each.key].id
}`},
			want: instanceView{
				clusters: map[string]string{
					`azurerm_kubernetes_cluster.c["dev"]`:  "aks-dev: sys, apps, gpu",
					`azurerm_kubernetes_cluster.c["prod"]`: "aks-prod: sys, apps",
				},
				diags: []string{
					`diag-dev → tf:azurerm_kubernetes_cluster.c["dev"]`,
					`diag-prod → tf:azurerm_kubernetes_cluster.c["prod"]`,
				},
			},
			fields: map[string][]expect{
				`azurerm_kubernetes_cluster.c["prod"]`: {known("DisableLocalAccounts", true, "")},
				`azurerm_kubernetes_cluster.c["dev"]`:  {known("DisableLocalAccounts", false, "")},
			},
			pools: map[string][]expect{
				`azurerm_kubernetes_cluster.c["dev"]/apps`: {
					known("OSType", "Windows", `azurerm_kubernetes_cluster_node_pool.apps["dev"].os_type`),
					unknown("EnableNodePublicIP", "", "each.value is `azurerm_kubernetes_cluster.c`: azurerm_kubernetes_cluster.c is known only after apply"),
				},
				`azurerm_kubernetes_cluster.c["prod"]/apps`: {known("OSType", "Linux", "")},
			},
		},
		{
			name: "azapi_resource clusters and pools by instance",
			files: map[string]string{"main.tf": `
resource "azapi_resource" "aks" {
  count     = 2
  type      = "Microsoft.ContainerService/managedClusters@2025-02-01"
  name      = "aks-${count.index}"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
  body = {
    properties = {
      agentPoolProfiles    = [{ name = "system", mode = "System" }]
      disableLocalAccounts = count.index == 1
    }
  }
}
resource "azapi_resource" "user" {
  count     = 2
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2025-02-01"
  name      = "user${count.index}"
  parent_id = azapi_resource.aks[count.index].id
  body      = { properties = { mode = "User" } }
}`},
			want: instanceView{clusters: map[string]string{
				"azapi_resource.aks[0]": "aks-0: system, user0",
				"azapi_resource.aks[1]": "aks-1: system, user1",
			}},
			fields: map[string][]expect{
				"azapi_resource.aks[0]": {known("DisableLocalAccounts", false, "")},
				"azapi_resource.aks[1]": {known("DisableLocalAccounts", true, "azapi_resource.aks[1].body.properties.disableLocalAccounts")},
			},
		},
		{
			name: "instances inside module instances",
			disk: true,
			files: map[string]string{
				"root/main.tf": `
module "aks" {
  count  = 2
  source = "../aks"
  envs   = count.index == 0 ? ["a"] : ["a", "b"]
}`,
				"aks/main.tf": `
variable "envs" { type = list(string) }
resource "azurerm_kubernetes_cluster" "main" {
  for_each = toset(var.envs)
  name     = "aks-${each.key}"
  default_node_pool { name = "sys" }
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  for_each           = azurerm_kubernetes_cluster.main
  name               = "diag-${each.key}"
  target_resource_id = each.value.id
}`,
			},
			want: instanceView{
				clusters: map[string]string{
					`module.aks[0].azurerm_kubernetes_cluster.main["a"]`: "aks-a: sys",
					`module.aks[1].azurerm_kubernetes_cluster.main["a"]`: "aks-a: sys",
					`module.aks[1].azurerm_kubernetes_cluster.main["b"]`: "aks-b: sys",
				},
				diags: []string{
					`diag-a → tf:module.aks[0].azurerm_kubernetes_cluster.main["a"]`,
					`diag-a → tf:module.aks[1].azurerm_kubernetes_cluster.main["a"]`,
					`diag-b → tf:module.aks[1].azurerm_kubernetes_cluster.main["b"]`,
				},
			},
		},
		{
			name: "count = 1 is addressed [0], as in a plan; count = 0 gives none",
			files: map[string]string{"main.tf": `
resource "azurerm_kubernetes_cluster" "c" {
  count = 1
  name  = "aks"
  default_node_pool { name = "sys" }
}
resource "azurerm_kubernetes_cluster" "off" {
  count = 0
  name  = "off"
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  name               = "diag"
  target_resource_id = azurerm_kubernetes_cluster.c[0].id
}`},
			want: instanceView{
				clusters: map[string]string{"azurerm_kubernetes_cluster.c[0]": "aks: sys"},
				diags:    []string{"diag → tf:azurerm_kubernetes_cluster.c[0]"},
			},
		},
		{
			name: "instances not known: one cluster, said once, fields of the instance unknown",
			files: map[string]string{"main.tf": `
variable "names" { type = set(string) }
resource "azurerm_kubernetes_cluster" "c" {
  for_each = var.names
  name     = "aks-${each.key}"
  sku_tier = "Standard"
  local_account_disabled = each.key == "prod"
  default_node_pool { name = "sys" }
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  for_each           = azurerm_kubernetes_cluster.c
  name               = "diag"
  target_resource_id = each.value.id
}`},
			want: instanceView{
				clusters: map[string]string{"azurerm_kubernetes_cluster.c": "azurerm_kubernetes_cluster.c: sys"},
				diags:    []string{"diag → tf:azurerm_kubernetes_cluster.c"},
			},
			fields: map[string][]expect{"azurerm_kubernetes_cluster.c": {
				known("SKUTier", "Standard", ""),
				unknown("DisableLocalAccounts", "azurerm_kubernetes_cluster.c.local_account_disabled", "for_each `var.names`: var.names has no default"),
			}},
		},
		{
			name: "a pool whose instance key picks no cluster instance is reported, not joined to one",
			files: map[string]string{"main.tf": `
resource "azurerm_kubernetes_cluster" "c" {
  count = 2
  name  = "aks-${count.index}"
  default_node_pool { name = "sys" }
}
resource "azurerm_kubernetes_cluster_node_pool" "p" {
  for_each              = toset(["a"])
  name                  = "p"
  kubernetes_cluster_id = element(azurerm_kubernetes_cluster.c[*].id, 0)
}`},
			want: instanceView{clusters: map[string]string{
				"azurerm_kubernetes_cluster.c[0]": "aks-0: sys",
				"azurerm_kubernetes_cluster.c[1]": "aks-1: sys",
			}},
			errors: []string{`mem/main.tf:7: node pool azurerm_kubernetes_cluster_node_pool.p["a"] refers to azurerm_kubernetes_cluster.c, which has 2 instances here`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *inventory.Batch
			if tt.disk {
				dir := t.TempDir()
				for n, s := range tt.files {
					p := filepath.Join(dir, filepath.FromSlash(n))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				b = DecodeHCLDir(filepath.Join(dir, "root"), nil, nil)
			} else {
				files := map[string][]byte{}
				for n, s := range tt.files {
					files[n] = []byte(s)
				}
				b = DecodeHCLDir("mem", files, nil)
			}
			var errs []string
			for _, e := range b.Errors {
				errs = append(errs, e.Error())
			}
			if len(errs) != len(tt.errors) {
				t.Fatalf("errors %q, want %q", errs, tt.errors)
			}
			for i, e := range errs {
				if !strings.Contains(e, tt.errors[i]) {
					t.Errorf("error %q, want it to contain %q", e, tt.errors[i])
				}
			}
			if got := viewInstances(b); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			for addr, exps := range tt.fields {
				c := clusterByAddress(t, b, addr)
				checkFields(t, addr, c, exps)
			}
			for at, exps := range tt.pools {
				addr, pool, _ := strings.Cut(at, "/")
				checkFields(t, at, poolByName(t, clusterByAddress(t, b, addr), pool), exps)
			}
		})
	}
}

// TestInstancesHCLAgreesWithPlan reads one configuration with instances as
// HCL and as a plan: the same clusters at the same addresses, with the same
// pools and settings joined, and the same field values.
func TestInstancesHCLAgreesWithPlan(t *testing.T) {
	hcl := DecodeHCLDir("testdata/hcl/instances", nil, nil)
	plan := DecodePlanJSON(readFile(t, "testdata/plan/instances.json"), "instances.json")
	if len(hcl.Errors)+len(plan.Errors) != 0 {
		t.Fatalf("errors: hcl %v, plan %v", hcl.Errors, plan.Errors)
	}
	want := instanceView{
		clusters: map[string]string{
			`azurerm_kubernetes_cluster.c["dev"]`:  "aks-dev: sys, apps",
			`azurerm_kubernetes_cluster.c["prod"]`: "aks-prod: sys, apps",
		},
		diags: []string{
			`diag-dev → tf:azurerm_kubernetes_cluster.c["dev"]`,
			`diag-prod → tf:azurerm_kubernetes_cluster.c["prod"]`,
		},
	}
	for name, b := range map[string]*inventory.Batch{"hcl": hcl, "plan": plan} {
		if got := viewInstances(b); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got  %+v\nwant %+v", name, got, want)
		}
		for addr, v := range map[string]bool{`azurerm_kubernetes_cluster.c["dev"]`: false, `azurerm_kubernetes_cluster.c["prod"]`: true} {
			checkFields(t, name+" "+addr, clusterByAddress(t, b, addr), []expect{known("DisableLocalAccounts", v, addr+".local_account_disabled")})
			for _, p := range clusterByAddress(t, b, addr).AgentPools {
				if p.Name == "apps" && p.TFAddress != strings.Replace(addr, "azurerm_kubernetes_cluster.c", "azurerm_kubernetes_cluster_node_pool.apps", 1) {
					t.Errorf("%s: pool address %s", name, p.TFAddress)
				}
			}
		}
	}
}
