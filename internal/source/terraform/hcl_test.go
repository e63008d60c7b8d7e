package terraform

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

func TestDecodeHCLDir(t *testing.T) {
	const m = "azurerm_kubernetes_cluster.main"
	const this = "azurerm_kubernetes_cluster.this"
	tests := []struct {
		dir         string
		vars        map[string]string
		clusters    map[string]clusterWant
		diags       []diagWant
		maintenance map[string][]string
		errors      []string // file:line prefixes
		secrets     []string
	}{
		{
			dir: "insecure",
			clusters: map[string]clusterWant{m: {
				id: "tf:" + m, name: "aks-shop-dev", line: 27, poolsKnown: true,
				fields: []expect{
					known("KubernetesVersion", "1.29", m+".kubernetes_version"),
					absent("PrivateCluster", m+".private_cluster_enabled"),
					absent("AuthorizedIPRanges", m+".api_server_access_profile[0].authorized_ip_ranges"),
					absent("AADProfile", m+".azure_active_directory_role_based_access_control"),
					known("DisableLocalAccounts", false, m+".local_account_disabled"),
					absent("EnableRBAC", m+".role_based_access_control_enabled"),
					known("IdentityType", "SystemAssigned", m+".identity[0].type"),
					known("NetworkPlugin", "kubenet", m+".network_profile[0].network_plugin"),
					absent("NetworkPolicy", m+".network_profile[0].network_policy"),
					known("SSHPublicKeys", 1, m+".linux_profile[0].ssh_key"),
				},
				addons: map[string]expect{
					"httpApplicationRouting": known("", true, m+".http_application_routing_enabled"),
					"omsagent":               absent("", m+".oms_agent"),
					"azurepolicy":            absent("", m+".azure_policy_enabled"),
				},
				pools: []string{"default", "public"},
				poolFields: map[string][]expect{
					"default": {known("EnableNodePublicIP", true, m+".default_node_pool[0].node_public_ip_enabled"), absent("EncryptionAtHost", "")},
					"public":  {known("EnableNodePublicIP", true, ""), known("Mode", "User", ""), known("OSType", "Linux", "")},
				},
			}},
			// The dynamic enabled_log block over a literal list is expanded.
			diags: []diagWant{{target: "tf:" + m, name: "aks-diag", hasDest: true, logs: []string{"kube-apiserver=true", "kube-scheduler=true"}}},
		},
		{
			dir: "hardened",
			clusters: map[string]clusterWant{m: {
				id: "tf:" + m, name: "aks-payments-prod", line: 8, poolsKnown: true,
				fields: []expect{
					known("KubernetesVersion", "1.34", m+".kubernetes_version"),
					known("SKUTier", "Standard", ""),
					known("PrivateCluster", true, m+".private_cluster_enabled"),
					known("PrivateClusterPublicFQDN", false, ""),
					known("AADProfile", true, m+".azure_active_directory_role_based_access_control"),
					known("AADManaged", true, ""),
					known("AdminGroupObjectIDs", []string{"9e1c5d0a-7d36-4f0e-bb43-2d0f6f0e4a11"}, ""),
					known("AzureRBAC", true, m+".azure_active_directory_role_based_access_control[0].azure_rbac_enabled"),
					known("DisableLocalAccounts", true, ""),
					known("EnableRBAC", true, ""),
					known("IdentityType", "UserAssigned", ""),
					known("WorkloadIdentity", true, ""),
					known("OIDCIssuer", true, ""),
					known("NetworkPolicy", "cilium", ""),
					known("OutboundType", "userDefinedRouting", ""),
					known("Defender", true, m+".microsoft_defender"),
					known("ImageCleaner", true, ""),
					known("KMS", true, m+".key_management_service"),
					unknown("DiskEncryptionSet", m+".disk_encryption_set_id", "azurerm_disk_encryption_set.aks.id is known only after apply"),
					known("UpgradeChannel", "patch", ""),
					known("NodeOSUpgradeChannel", "SecurityPatch", ""),
				},
				addons: map[string]expect{
					"omsagent":                     known("", true, m+".oms_agent"),
					"azureKeyvaultSecretsProvider": known("", true, ""),
					"azurepolicy":                  known("", true, ""),
				},
				// for_each over a variable map (with optional() defaults)
				// makes one pool per key.
				pools: []string{"system", "apps", "win"},
				poolFields: map[string][]expect{
					"system": {known("OnlyCriticalAddons", true, ""), known("EncryptionAtHost", true, ""), known("OrchestratorVersion", "1.34", "")},
					"apps":   {known("NodeTaints", []string{"workload=apps:NoSchedule"}, `azurerm_kubernetes_cluster_node_pool.user["apps"].node_taints`), known("OSType", "Linux", "")},
					"win":    {known("OSType", "Windows", `azurerm_kubernetes_cluster_node_pool.user["win"].os_type`), known("NodeTaints", []string{}, "")},
				},
			}},
			diags:       []diagWant{{target: "tf:" + m, name: "aks-audit", hasDest: true, logs: []string{"kube-audit-admin=true", "guard=true"}}},
			maintenance: map[string][]string{"tf:" + m: {"aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"}},
		},
		{
			dir:  "vars",
			vars: map[string]string{"sku_tier": "Standard", "unused": "x"},
			clusters: map[string]clusterWant{this: {
				// name: default < terraform.tfvars; channel: < prod.auto.tfvars;
				// sku_tier: < the variables given.
				id: "tf:" + this, name: "aks-from-tfvars", line: 1, poolsKnown: false,
				fields: []expect{
					known("PrivateCluster", false, this+".private_cluster_enabled"),
					known("AuthorizedIPRanges", []string{"203.0.113.0/24"}, this+".api_server_access_profile[0].authorized_ip_ranges"),
					known("UpgradeChannel", "patch", ""),
					known("SKUTier", "Standard", ""),
					known("DisableLocalAccounts", true, ""), // "true" string converts
					unknown("NetworkPolicy", this+".network_profile[0].network_policy", "var.network_policy has no default"),
					unknown("ServicePrincipalClientID", this+".service_principal[0].client_id", "sensitive"),
					// dynamic block over an unresolvable condition
					unknown("Defender", this+".microsoft_defender", `dynamic "microsoft_defender" block at `+filepath.Join("testdata/hcl/vars", "main.tf")+":37"),
				},
				// dynamic block whose for_each resolves to [] (null default)
				addons: map[string]expect{"omsagent": absent("", this+".oms_agent")},
				// count = var.pool_count has no value: one stand-in pool, and
				// the cluster's pool list is marked incomplete.
				pools: []string{"system", "azurerm_kubernetes_cluster_node_pool.extra"},
			}},
			secrets: []string{"hunter2-very-secret", "00000000-1111-2222-3333-444444444444"},
		},
		{
			dir: "locals",
			clusters: map[string]clusterWant{m: {
				id: "tf:" + m, name: "aks-prod", line: 26, poolsKnown: true,
				fields: []expect{
					known("PrivateCluster", true, ""), // known part of a partly unknown local
					known("AuthorizedIPRanges", []string{"203.0.113.0/24", "198.51.100.7/32"}, ""),
					known("UpgradeChannel", "patch", ""),
					unknown("NodeOSUpgradeChannel", m+".node_os_upgrade_channel", `azurerm_resource_group.main.tags["os_channel"] is known only after apply`),
					unknown("NetworkPolicy", "", `no function named "cidrsubnet"`),
				},
				// batch joins through local.cluster_id.
				pools:      []string{"system", "batch"},
				poolFields: map[string][]expect{"system": {known("NodeTaints", []string{"CriticalAddonsOnly=true:NoSchedule"}, "")}},
			}},
		},
		{
			dir: "broken",
			clusters: map[string]clusterWant{"azurerm_kubernetes_cluster.good": {
				id: "tf:azurerm_kubernetes_cluster.good", name: "aks-good", line: 1, poolsKnown: true,
				pools: []string{"system"},
			}},
			errors: []string{filepath.Join("testdata/hcl/broken", "broken.tf") + ":6: Missing item separator"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := filepath.Join("testdata/hcl", tt.dir)
			b := DecodeHCLDir(dir, nil, tt.vars)
			if len(b.Errors) != len(tt.errors) {
				t.Fatalf("errors %v, want %v", b.Errors, tt.errors)
			}
			for i, e := range b.Errors {
				if !strings.HasPrefix(e.Error(), tt.errors[i]) || !strings.Contains(e.Message, "fix") {
					t.Errorf("error %q, want prefix %q and a fix", e.Error(), tt.errors[i])
				}
			}
			if len(b.Clusters) != len(tt.clusters) {
				t.Fatalf("%d clusters, want %d", len(b.Clusters), len(tt.clusters))
			}
			for addr, w := range tt.clusters {
				c := clusterByAddress(t, b, addr)
				if c.ID != w.id || c.Name != w.name {
					t.Errorf("id/name = %q %q, want %q %q", c.ID, c.Name, w.id, w.name)
				}
				if c.Format != inventory.FormatTFHCL || c.Source.Line != w.line || !strings.HasPrefix(c.Source.File, dir) {
					t.Errorf("format/source = %s %+v, want line %d in %s", c.Format, c.Source, w.line, dir)
				}
				if c.PoolsKnown != w.poolsKnown {
					t.Errorf("PoolsKnown %v (%s)", c.PoolsKnown, c.PoolsUnknown)
				}
				checkFields(t, addr, c, w.fields)
				for name, e := range w.addons {
					checkAddon(t, c, name, e)
				}
				if got := poolNames(c); !reflect.DeepEqual(got, w.pools) {
					t.Errorf("pools %v, want %v", got, w.pools)
				}
				for name, exps := range w.poolFields {
					checkFields(t, addr+"/"+name, poolByName(t, c, name), exps)
				}
			}
			var diags []diagWant
			for _, d := range b.Diagnostics {
				diags = append(diags, diagWant{target: d.TargetID, name: d.Setting.Name, hasDest: d.Setting.HasDestination.Or(false), logs: logView(d.Setting)})
			}
			if !reflect.DeepEqual(diags, tt.diags) {
				t.Errorf("diagnostics\n got %+v\nwant %+v", diags, tt.diags)
			}
			maint := map[string][]string{}
			for _, mf := range b.Maintenance {
				maint[mf.ClusterID] = mf.Data.Names
			}
			if len(maint) != len(tt.maintenance) || (len(maint) > 0 && !reflect.DeepEqual(maint, tt.maintenance)) {
				t.Errorf("maintenance %v, want %v", maint, tt.maintenance)
			}
			assertNoLeak(t, b, tt.secrets...)
		})
	}
}

func TestDecodeHCLDirFieldLines(t *testing.T) {
	b := DecodeHCLDir("testdata/hcl/hardened", nil, nil)
	c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.main")
	for _, tt := range []struct {
		name string
		line int
	}{
		{"PrivateCluster", 17}, {"AzureRBAC", 46}, {"NetworkPolicy", 53}, {"Defender", 66},
		{"AuthorizedIPRanges", 8}, // absent: the resource block's line
	} {
		got := lineOf(c, tt.name)
		if got != tt.line {
			t.Errorf("%s line %d, want %d", tt.name, got, tt.line)
		}
	}
	if p := poolByName(t, c, "system"); p.Source.Line != 28 {
		t.Errorf("default pool line %d, want 28", p.Source.Line)
	}
	if s := b.Diagnostics[0].Setting; s.Source.Line != 108 || s.Logs[1].Line != 118 {
		t.Errorf("diag lines %d / %d, want 108 / 118", s.Source.Line, s.Logs[1].Line)
	}
}

func lineOf(obj any, field string) int {
	return int(reflect.ValueOf(obj).Elem().FieldByName(field).FieldByName("Line").Int())
}

// TestDecodeHCLDirInMemory covers cases given as a files map.
func TestDecodeHCLDirInMemory(t *testing.T) {
	const cl = `
resource "azurerm_kubernetes_cluster" "c" {
  name = "c"
  default_node_pool {
    name = "sys"
  }
%s
}
`
	tests := []struct {
		name  string
		files map[string]string
		vars  map[string]string
		check func(t *testing.T, b *inventory.Batch)
	}{
		{
			name: "complex -var value, tfvars.json",
			files: map[string]string{
				"main.tf": strings.Replace(cl, "%s", `  api_server_access_profile { authorized_ip_ranges = var.ranges }
  sku_tier = var.tier
  private_cluster_enabled = var.private`, 1) + `
variable "ranges" { type = list(string) }
variable "tier" {}
variable "private" { type = bool }`,
				"terraform.tfvars.json": `{"tier": "Premium", "private": "false"}`,
			},
			vars: map[string]string{"ranges": `["10.0.0.0/8", "192.168.0.0/16"]`},
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
				checkFields(t, "c", c, []expect{
					known("AuthorizedIPRanges", []string{"10.0.0.0/8", "192.168.0.0/16"}, ""),
					known("SKUTier", "Premium", ""),
					known("PrivateCluster", false, ""),
				})
			},
		},
		{
			name: "count = 0 cluster skipped; module not downloaded reported",
			files: map[string]string{
				"main.tf": `resource "azurerm_kubernetes_cluster" "off" {
  count = 0
  name  = "off"
}
module "aks" {
  source = "Azure/aks/azurerm"
}`,
			},
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Clusters) != 0 || len(b.Errors) != 1 {
					t.Fatalf("want one error and no cluster, got %+v", b)
				}
				e := b.Errors[0]
				if e.Input != filepath.Join("mem", "main.tf") || e.Line != 5 || !strings.Contains(e.Message, `module.aks: its source "Azure/aks/azurerm" is not available locally`) || !strings.Contains(e.Message, "run `terraform init`") {
					t.Errorf("error %+v, want the call, its source and terraform init", e)
				}
			},
		},
		{
			name: "dynamic blocks: iterator, nested, unknown",
			files: map[string]string{"main.tf": strings.Replace(cl, "%s", `
  dynamic "azure_active_directory_role_based_access_control" {
    for_each = [{ rbac = true }]
    iterator = aad
    content {
      azure_rbac_enabled     = aad.value.rbac
      admin_group_object_ids = [aad.key == 0 ? "g1" : "g2"]
    }
  }
  dynamic "key_management_service" {
    for_each = azurerm_key_vault_key.k[*].id
    content { key_vault_key_id = key_management_service.value }
  }
  linux_profile {
    admin_username = "ops"
    dynamic "ssh_key" {
      for_each = ["k1", "k2"]
      content { key_data = ssh_key.value }
    }
  }`, 1)},
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
				checkFields(t, "c", c, []expect{
					known("AADProfile", true, ""),
					known("AzureRBAC", true, "azurerm_kubernetes_cluster.c.azure_active_directory_role_based_access_control[0].azure_rbac_enabled"),
					known("AdminGroupObjectIDs", []string{"g1"}, ""),
					unknown("KMS", "azurerm_kubernetes_cluster.c.key_management_service", "azurerm_key_vault_key.k[*].id"),
					known("SSHPublicKeys", 2, "azurerm_kubernetes_cluster.c.linux_profile[0].ssh_key"),
				})
			},
		},
		{
			name: "pool in another directory's cluster",
			files: map[string]string{"pool.tf": `
data "azurerm_kubernetes_cluster" "shared" {
  name                = "shared"
  resource_group_name = "rg"
}
resource "azurerm_kubernetes_cluster_node_pool" "p" {
  name                  = "p"
  kubernetes_cluster_id = data.azurerm_kubernetes_cluster.shared.id
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  name                       = "d"
  target_resource_id         = "` + testSub + `/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shared"
  log_analytics_workspace_id = null
}`},
			check: func(t *testing.T, b *inventory.Batch) {
				// The pool is judged under a stand-in named by its reference.
				if len(b.Errors) != 0 || len(b.Clusters) != 1 {
					t.Fatalf("errors %v, %d clusters, want a stand-in", b.Errors, len(b.Clusters))
				}
				if c := b.Clusters[0]; c.ID != "tf:data.azurerm_kubernetes_cluster.shared.id" || !strings.Contains(c.StandIn, "its kubernetes_cluster_id (data.azurerm_kubernetes_cluster.shared.id) names no cluster") ||
					len(c.AgentPools) != 1 || c.AgentPools[0].Source.Line != 6 || c.DisableLocalAccounts.Why != c.StandIn {
					t.Errorf("stand-in %+v", c)
				}
				if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != testSub+"/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shared" {
					t.Fatalf("diagnostics %+v", b.Diagnostics)
				}
				s := b.Diagnostics[0].Setting
				checkField(t, "HasDestination", reflect.ValueOf(s.HasDestination), known("", false, "azurerm_monitor_diagnostic_setting.d.log_analytics_workspace_id"))
				if len(s.Logs) != 0 {
					t.Errorf("logs %v, want none", logView(s))
				}
			},
		},
		{
			name: "huge format width is not evaluated",
			files: map[string]string{"main.tf": strings.Replace(cl, "%s", `  sku_tier = format("%099999d", 1)
  support_plan = format("%s-%05d", "lts", 7)`, 1)},
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
				checkFields(t, "c", c, []expect{
					unknown("SKUTier", "", "over 9999"),
					known("SupportPlan", "lts-00007", ""),
				})
			},
		},
		{
			name: "pool and diagnostic setting of a cluster declared in another directory",
			files: map[string]string{"extra.tf": `
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name                  = "gpu"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
}
resource "azurerm_kubernetes_cluster_node_pool" "byid" {
  name                  = "byid"
  kubernetes_cluster_id = "` + testSub + `/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod"
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  name               = "d"
  target_resource_id = azurerm_kubernetes_cluster.main.id
  enabled_log { category_group = "allLogs" }
}`},
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Errors) != 0 || len(b.Clusters) != 0 {
					t.Fatalf("errors %v clusters %d", b.Errors, len(b.Clusters))
				}
				got := map[string]string{}
				for _, p := range b.Pools {
					got[p.Pool.Name] = p.ClusterID
				}
				want := map[string]string{
					"gpu":  "tf:azurerm_kubernetes_cluster.main",
					"byid": testSub + "/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod",
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("pools %v, want %v", got, want)
				}
				if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != "tf:azurerm_kubernetes_cluster.main" {
					t.Errorf("diagnostics %+v", b.Diagnostics)
				}
			},
		},
		{
			name: "bad tfvars and a bad default",
			files: map[string]string{
				"main.tf": strings.Replace(cl, "%s", `  sku_tier = var.tier
  kubernetes_version = var.v`, 1) + `
variable "tier" { default = "Free" }
variable "v" { default = local.x }`,
				"terraform.tfvars":  "tier = \"Standard\"\nblock {\n}\n",
				"extra.auto.tfvars": "tier = var.other\n",
			},
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Errors) != 2 {
					t.Fatalf("errors %v, want 2", b.Errors)
				}
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
				checkFields(t, "c", c, []expect{
					known("SKUTier", "Standard", ""),
					unknown("KubernetesVersion", "", "the default of var.v"),
				})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for n, s := range tt.files {
				files[n] = []byte(s)
			}
			b := DecodeHCLDir("mem", files, tt.vars)
			for _, c := range b.Clusters {
				if !strings.HasPrefix(c.Source.File, filepath.Join("mem", "")) {
					t.Errorf("source %q not under mem", c.Source.File)
				}
			}
			tt.check(t, b)
		})
	}
}

func TestDecodeHCLDirMissing(t *testing.T) {
	b := DecodeHCLDir(filepath.Join(t.TempDir(), "nope"), nil, nil)
	if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Message, "cannot read the directory") {
		t.Errorf("errors %v", b.Errors)
	}
}
