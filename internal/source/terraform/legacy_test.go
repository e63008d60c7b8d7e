package terraform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// decodeEither reads src as plan JSON when it starts with "{", else as one
// main.tf.
func decodeEither(src string) *inventory.Batch {
	if strings.HasPrefix(strings.TrimSpace(src), "{") {
		return DecodePlanJSON([]byte(src), "plan.json")
	}
	return DecodeHCLDir("dir", map[string][]byte{"main.tf": []byte(src)}, nil)
}

// planState wraps cluster values (JSON) in a state of provider 2.x.
func planState(values string) string {
	return `{"format_version":"0.1","values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.old","mode":"managed",` +
		`"type":"azurerm_kubernetes_cluster","name":"old","values":` + values + `}]}}}`
}

// TestLegacySyntax maps provider 1.x/2.x blocks, in HCL and in plan JSON,
// to the same fields as their current forms.
func TestLegacySyntax(t *testing.T) {
	const a = "azurerm_kubernetes_cluster.old"
	tests := []struct {
		name   string
		src    string
		fields []expect
		addons map[string]expect
		pools  []string
		check  func(t *testing.T, c *inventory.Cluster)
	}{
		{
			name: "hcl role_based_access_control and addon_profile",
			src: `resource "azurerm_kubernetes_cluster" "old" {
  name = "old"
  default_node_pool { name = "default" }
  role_based_access_control {
    enabled = false
    azure_active_directory {
      client_app_id     = "c"
      server_app_id     = "s"
      server_app_secret = "x"
    }
  }
  addon_profile {
    kube_dashboard { enabled = true }
    http_application_routing { enabled = false }
    oms_agent {
      enabled                    = true
      log_analytics_workspace_id = "/w"
    }
    azure_keyvault_secrets_provider {
      enabled                 = true
      secret_rotation_enabled = true
    }
  }
}`,
			fields: []expect{
				known("EnableRBAC", false, a+".role_based_access_control[0].enabled"),
				known("AADProfile", true, a+".role_based_access_control[0].azure_active_directory"),
				known("AADManaged", false, ""),
			},
			addons: map[string]expect{
				"kubeDashboard":                known("", true, a+".addon_profile[0].kube_dashboard[0].enabled"),
				"httpApplicationRouting":       known("", false, a+".addon_profile[0].http_application_routing[0].enabled"),
				"omsagent":                     known("", true, ""),
				"azureKeyvaultSecretsProvider": known("", true, ""),
				"azurepolicy":                  absent("", a+".azure_policy_enabled"),
			},
			pools: []string{"default"},
			check: func(t *testing.T, c *inventory.Cluster) {
				if c.TFLegacy != a+".addon_profile" {
					t.Errorf("TFLegacy %q", c.TFLegacy)
				}
				if got := c.Addon("omsagent").Config["loganalyticsworkspaceresourceid"]; got.Val != "/w" {
					t.Errorf("omsagent workspace %+v", got)
				}
				if got := c.Addon("azureKeyvaultSecretsProvider").Config["enablesecretrotation"]; got.Val != "true" {
					t.Errorf("rotation %+v", got)
				}
			},
		},
		{
			name: "plan managed AAD nested in role_based_access_control",
			src: planState(`{"name":"old","role_based_access_control":[{"enabled":true,"azure_active_directory":[{"managed":true,` +
				`"admin_group_object_ids":["g1","g2"],"azure_rbac_enabled":true,"client_app_id":"","server_app_id":"","tenant_id":"t"}]}],` +
				`"addon_profile":[{"kube_dashboard":[],"azure_policy":[{"enabled":true}],"oms_agent":[]}],"default_node_pool":[{"name":"default"}]}`),
			fields: []expect{
				known("EnableRBAC", true, ""),
				known("AADManaged", true, a+".role_based_access_control[0].azure_active_directory[0].managed"),
				known("AdminGroupObjectIDs", []string{"g1", "g2"}, ""),
				known("AzureRBAC", true, ""),
			},
			addons: map[string]expect{
				"azurepolicy": known("", true, ""),
				"omsagent":    absent("", a+".oms_agent"),
			},
			check: func(t *testing.T, c *inventory.Cluster) {
				if c.Addon("kubeDashboard") != nil {
					t.Errorf("a dashboard add-on without a block: %+v", c.Addon("kubeDashboard"))
				}
			},
		},
		{
			name: "hcl agent_pool_profile: the first is the system pool",
			src: `resource "azurerm_kubernetes_cluster" "old" {
  name = "old"
  agent_pool_profile {
    name  = "first"
    count = 1
  }
  agent_pool_profile {
    name                  = "win"
    os_type               = "Windows"
    enable_node_public_ip = true
  }
}`,
			pools: []string{"first", "win"},
			check: func(t *testing.T, c *inventory.Cluster) {
				checkFields(t, "first", c.AgentPools[0], []expect{known("Mode", "System", ""), known("OSType", "Linux", "")})
				checkFields(t, "win", c.AgentPools[1], []expect{known("Mode", "User", ""), known("OSType", "Windows", ""),
					known("EnableNodePublicIP", true, a+".agent_pool_profile[1].enable_node_public_ip")})
			},
		},
		{
			name: "hcl 2.x syntax without RBAC block: RBAC unknown",
			src: `resource "azurerm_kubernetes_cluster" "old" {
  addon_profile {
    kube_dashboard { enabled = false }
  }
}`,
			fields: []expect{unknown("EnableRBAC", a+".role_based_access_control_enabled", "provider 2.x and earlier disable Kubernetes RBAC")},
		},
		{
			name:   "hcl 3.x syntax without RBAC argument: on by default",
			src:    `resource "azurerm_kubernetes_cluster" "old" { azure_policy_enabled = true }`,
			fields: []expect{absent("EnableRBAC", a+".role_based_access_control_enabled")},
			check: func(t *testing.T, c *inventory.Cluster) {
				if c.TFLegacy != "" {
					t.Errorf("TFLegacy %q on 3.x syntax", c.TFLegacy)
				}
			},
		},
		{
			name: "hcl 3.x AAD block naming the legacy applications is legacy AAD",
			src: `resource "azurerm_kubernetes_cluster" "old" {
  azure_active_directory_role_based_access_control { server_app_id = "s" }
}`,
			fields: []expect{known("AADManaged", false, a+".azure_active_directory_role_based_access_control[0].server_app_id")},
		},
		{
			name:   "plan 3.x AAD block without managed, empty legacy applications: managed",
			src:    planState(`{"name":"old","azure_active_directory_role_based_access_control":[{"client_app_id":"","server_app_id":"","tenant_id":"t"}]}`),
			fields: []expect{known("AADManaged", true, a+".azure_active_directory_role_based_access_control")},
		},
		{
			name: "current form wins over addon_profile",
			src: `resource "azurerm_kubernetes_cluster" "old" {
  http_application_routing_enabled = false
  addon_profile {
    http_application_routing { enabled = true }
  }
}`,
			addons: map[string]expect{"httpApplicationRouting": known("", false, a+".http_application_routing_enabled")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := decodeEither(tt.src)
			if len(b.Errors) > 0 {
				t.Fatalf("errors %v", b.Errors)
			}
			c := clusterByAddress(t, b, a)
			checkFields(t, tt.name, c, tt.fields)
			for name, e := range tt.addons {
				if e.state == inventory.Absent {
					if ad := c.Addon(name); ad != nil && ad.Enabled.State != inventory.Absent {
						t.Errorf("add-on %s: %+v, want absent", name, ad.Enabled)
					}
					continue
				}
				checkAddon(t, c, name, e)
			}
			if tt.pools != nil && !reflect.DeepEqual(poolNames(c), tt.pools) {
				t.Errorf("pools %v, want %v", poolNames(c), tt.pools)
			}
			if len(c.Unrecognised) > 0 {
				t.Errorf("unrecognised %v, want none", c.Unrecognised)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// TestUnrecognised lists what a known resource sets outside the schema, with
// its place, on the cluster, its pools and (through the log default) its
// diagnostic settings.
func TestUnrecognised(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		cluster []string
		pool    []string
	}{
		{
			name: "hcl argument, nested argument, dynamic block, pool argument",
			src: `resource "azurerm_kubernetes_cluster" "c" {
  name      = "c"
  rbac_mode = "off"
  network_profile {
    network_plugin = "azure"
    policy_engine  = "none"
  }
  dynamic "future_block" {
    for_each = []
    content {}
  }
  default_node_pool {
    name        = "sys"
    public_ips  = true
  }
  lifecycle { ignore_changes = [tags] }
}`,
			cluster: []string{
				"azurerm_kubernetes_cluster.c.rbac_mode (dir/main.tf:3)",
				"azurerm_kubernetes_cluster.c.network_profile[0].policy_engine (dir/main.tf:6)",
				"azurerm_kubernetes_cluster.c.future_block (dir/main.tf:8)",
			},
			pool: []string{"azurerm_kubernetes_cluster.c.default_node_pool[0].public_ips (dir/main.tf:14)"},
		},
		{
			name: "plan: set values and values known after apply; null, [] and {} are not set",
			src: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed",
"type":"azurerm_kubernetes_cluster","name":"c","values":{"name":"c","rbac_mode":"off","unset_one":null,"empty_block":[],"empty_map":{},
"default_node_pool":[{"name":"sys","public_ips":true}]}}]}},
"resource_changes":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
"change":{"actions":["create"],"after":{},"after_unknown":{"id":true,"future_id":true}}}]}`,
			cluster: []string{
				"azurerm_kubernetes_cluster.c.future_id (plan.json:1)",
				"azurerm_kubernetes_cluster.c.rbac_mode (plan.json:1)",
			},
			pool: []string{"azurerm_kubernetes_cluster.c.default_node_pool[0].public_ips (plan.json:1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := decodeEither(tt.src)
			if len(b.Errors) > 0 {
				t.Fatalf("errors %v", b.Errors)
			}
			c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
			if !reflect.DeepEqual(c.Unrecognised, tt.cluster) {
				t.Errorf("cluster unrecognised\n got %q\nwant %q", c.Unrecognised, tt.cluster)
			}
			if got := c.AgentPools[0].Unrecognised; !reflect.DeepEqual(got, tt.pool) {
				t.Errorf("pool unrecognised\n got %q\nwant %q", got, tt.pool)
			}
		})
	}

	t.Run("diagnostic setting: a legacy log without enabled is no longer on by default", func(t *testing.T) {
		b := decodeEither(`resource "azurerm_kubernetes_cluster" "c" {}
resource "azurerm_monitor_diagnostic_setting" "d" {
  target_resource_id = azurerm_kubernetes_cluster.c.id
  storage_account_id = "/s"
  future_switch      = false
  log { category = "kube-audit" }
  log {
    category = "kube-apiserver"
    enabled  = true
  }
}`)
		if len(b.Diagnostics) != 1 {
			t.Fatalf("diagnostics %+v, want one", b.Diagnostics)
		}
		s := b.Diagnostics[0].Setting
		if got := logView(s); !reflect.DeepEqual(got, []string{"kube-audit=?", "kube-apiserver=true"}) {
			t.Errorf("logs %v", got)
		}
		if why := s.Logs[0].Enabled.Why; !strings.Contains(why, "azurerm_monitor_diagnostic_setting.d.future_switch (dir/main.tf:5)") {
			t.Errorf("why %q", why)
		}
	})
}

// TestSetButUnknown: values known only after apply that are certainly set.
func TestSetButUnknown(t *testing.T) {
	type want struct {
		field string
		set   bool
		n     int
	}
	const cfg = `,"configuration":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c","expressions":{"disk_encryption_set_id":{"references":%s}}}]}}`
	plan := func(unknown, refs string) string {
		return `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed",
"type":"azurerm_kubernetes_cluster","name":"c","values":{"name":"c","azure_active_directory_role_based_access_control":[{"admin_group_object_ids":[null,"g"]}]}}]}},
"resource_changes":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
"change":{"actions":["create"],"after":{},"after_unknown":` + unknown + `}}]` + strings.Replace(cfg, "%s", refs, 1) + `}`
	}
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"hcl resource id and list of data-source IDs", `
data "azuread_group" "g" { display_name = "admins" }
resource "azurerm_kubernetes_cluster" "c" {
  disk_encryption_set_id = azurerm_disk_encryption_set.des.id
  azure_active_directory_role_based_access_control {
    admin_group_object_ids = [data.azuread_group.g.object_id, "literal"]
  }
}`, []want{{"DiskEncryptionSet", true, 0}, {"AdminGroupObjectIDs", true, 2}}},
		{"hcl interpolated id", `resource "azurerm_kubernetes_cluster" "c" { disk_encryption_set_id = "${azurerm_disk_encryption_set.des[0].id}" }`,
			[]want{{"DiskEncryptionSet", true, 0}}},
		{"hcl variable without default, other attribute, conditional: not proven set", `
variable "des" {}
variable "groups" { type = list(string) }
resource "azurerm_kubernetes_cluster" "c" {
  disk_encryption_set_id = var.des
  azure_active_directory_role_based_access_control {
    admin_group_object_ids = var.groups
  }
}`, []want{{"DiskEncryptionSet", false, 0}, {"AdminGroupObjectIDs", false, 0}}},
		{"hcl attribute that may be null", `resource "azurerm_kubernetes_cluster" "c" { disk_encryption_set_id = azurerm_x.y.optional_id }`,
			[]want{{"DiskEncryptionSet", false, 0}}},
		{"plan id reference and list of two", plan(`{"disk_encryption_set_id":true,"azure_active_directory_role_based_access_control":[{"admin_group_object_ids":[true,false]}]}`,
			`["azurerm_disk_encryption_set.des.id","azurerm_disk_encryption_set.des"]`),
			[]want{{"DiskEncryptionSet", true, 0}, {"AdminGroupObjectIDs", true, 2}}},
		{"plan reference to a variable", plan(`{"disk_encryption_set_id":true}`, `["var.des"]`),
			[]want{{"DiskEncryptionSet", false, 0}}},
		{"plan id behind a condition on another attribute", plan(`{"disk_encryption_set_id":true}`,
			`["azurerm_disk_encryption_set.des.enabled","azurerm_disk_encryption_set.des.id","azurerm_disk_encryption_set.des"]`),
			[]want{{"DiskEncryptionSet", false, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := decodeEither(tt.src)
			c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
			v := reflect.ValueOf(c).Elem()
			for _, w := range tt.want {
				f := v.FieldByName(w.field)
				state := inventory.State(f.FieldByName("State").Uint())
				set, n := f.FieldByName("Set").Bool(), int(f.FieldByName("Len").Int())
				if state != inventory.Unknown || set != w.set || n != w.n {
					t.Errorf("%s: state %d set %v len %d, want unknown set %v len %d (why %q)", w.field, state, set, n, w.set, w.n, f.FieldByName("Why").String())
				}
			}
		})
	}
}
