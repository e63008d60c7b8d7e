package terraform

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeHCLDirForms reads the other Terraform configuration forms:
// *.tf.json (alone and beside .tf files) and override files merged as
// Terraform merges them.
func TestDecodeHCLDirForms(t *testing.T) {
	const m = "azurerm_kubernetes_cluster.main"
	tests := []struct {
		dir      string
		name     string
		line     int
		fields   []expect
		pools    []string
		poolF    map[string][]expect
		errors   []string // file:line prefixes
		clusters int
	}{
		{
			// variables.tf + main.tf.json: variables, locals, templates,
			// blocks written as an object and as an array of objects, a
			// dynamic block, count; lines point into the JSON file.
			dir: "mixed", name: "aks-shop-prod", line: 12, clusters: 1,
			fields: []expect{
				known("DisableLocalAccounts", true, m+".local_account_disabled"),
				known("EnableRBAC", true, m+".role_based_access_control_enabled"),
				known("AuthorizedIPRanges", []string{"203.0.113.0/24"}, m+".api_server_access_profile[0].authorized_ip_ranges"),
				known("NetworkPlugin", "azure", m+".network_profile[0].network_plugin"),
				unknown("NetworkPolicy", m+".network_profile[0].network_policy", "var.policy"),
				known("Defender", true, m+".microsoft_defender"),
			},
			pools: []string{"system", "apps0", "apps1"},
			poolF: map[string][]expect{
				"system": {known("EnableNodePublicIP", false, m+".default_node_pool[0].node_public_ip_enabled")},
				"apps1":  {known("EnableNodePublicIP", true, "azurerm_kubernetes_cluster_node_pool.apps[1].node_public_ip_enabled")},
			},
		},
		{
			// override.tf turns local_account_disabled false, replaces the
			// whole network_profile block (its network_policy is gone) and a
			// local; z_override.tf.json (merged after it) sets sku_tier and
			// replaces the pools' for_each by count.
			dir: "override", name: "aks-base", line: 1, clusters: 1,
			fields: []expect{
				known("DisableLocalAccounts", false, m+".local_account_disabled"),
				known("NetworkPlugin", "kubenet", m+".network_profile[0].network_plugin"),
				absent("NetworkPolicy", m+".network_profile[0].network_policy"),
				known("UpgradeChannel", "patch", m+".automatic_upgrade_channel"),
				known("SKUTier", "Standard", m+".sku_tier"),
			},
			pools: []string{"system", "only"},
		},
		{
			// An override of a resource no primary file defines is an
			// error (Terraform refuses it); the primary is still read,
			// unchanged.
			dir: "override-missing", name: "aks", line: 1, clusters: 1,
			fields: []expect{known("DisableLocalAccounts", true, m+".local_account_disabled")},
			pools:  []string{"system"},
			errors: []string{filepath.Join("testdata/tfjson/override-missing", "main_override.tf") + ":1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := filepath.Join("testdata/tfjson", tt.dir)
			b := DecodeHCLDir(dir, nil, nil)
			if len(b.Errors) != len(tt.errors) {
				t.Fatalf("errors %v, want %v", b.Errors, tt.errors)
			}
			for i, e := range b.Errors {
				if !strings.HasPrefix(e.Error(), tt.errors[i]) {
					t.Errorf("error %q, want prefix %q", e.Error(), tt.errors[i])
				}
			}
			if len(b.Clusters) != tt.clusters {
				t.Fatalf("%d clusters, want %d", len(b.Clusters), tt.clusters)
			}
			c := clusterByAddress(t, b, m)
			if c.Name != tt.name || c.Source.Line != tt.line {
				t.Errorf("name/line = %q %d, want %q %d (%s)", c.Name, c.Source.Line, tt.name, tt.line, c.Source.File)
			}
			checkFields(t, m, c, tt.fields)
			if got := poolNames(c); !reflect.DeepEqual(got, tt.pools) {
				t.Errorf("pools %v, want %v", got, tt.pools)
			}
			for name, exps := range tt.poolF {
				checkFields(t, m+"/"+name, poolByName(t, c, name), exps)
			}
		})
	}
}

// TestDecodeHCLDirJSONLines: a field read from a .tf.json file carries the
// line of its key, and one set by an override file no line of the
// resource's file.
func TestDecodeHCLDirJSONLines(t *testing.T) {
	b := DecodeHCLDir(filepath.Join("testdata/tfjson", "mixed"), nil, nil)
	c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.main")
	if !strings.HasSuffix(c.Source.File, "main.tf.json") || c.DisableLocalAccounts.Line != 16 {
		t.Errorf("source %s, local_account_disabled line %d, want main.tf.json and 16", c.Source.File, c.DisableLocalAccounts.Line)
	}
	b = DecodeHCLDir(filepath.Join("testdata/tfjson", "override"), nil, nil)
	c = clusterByAddress(t, b, "azurerm_kubernetes_cluster.main")
	if c.DisableLocalAccounts.Line != 0 || c.SKUTier.Line != 0 || c.NetworkPlugin.Line != 0 {
		t.Errorf("lines %d %d %d, want 0: set by override files", c.DisableLocalAccounts.Line, c.SKUTier.Line, c.NetworkPlugin.Line)
	}
}

// TestDecodeHCLDirJSONErrors: a .tf.json file that is not valid JSON or not
// Terraform's JSON shape is an input error naming file and line.
func TestDecodeHCLDirJSONErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"not JSON", "{\n  \"resource\": [\n", "mem/main.tf.json:"},
		{"block body not an object", "{\"resource\": {\"azurerm_kubernetes_cluster\": {\"main\": 3}}}", "mem/main.tf.json:1"},
		{"bad template", "{\"resource\": {\"azurerm_kubernetes_cluster\": {\"main\": {\n\"name\": \"${\"}}}}", "mem/main.tf.json:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := DecodeHCLDir("mem", map[string][]byte{"main.tf.json": []byte(tt.src)}, nil)
			if len(b.Errors) != 1 || !strings.HasPrefix(b.Errors[0].Error(), filepath.FromSlash(tt.want)) || len(b.Clusters) != 0 {
				t.Errorf("errors %v clusters %d, want one error at %s", b.Errors, len(b.Clusters), tt.want)
			}
		})
	}
}

// TestOverrideRules: the merge rules of override files that decide what
// the controls read, in memory.
func TestOverrideRules(t *testing.T) {
	const m = "azurerm_kubernetes_cluster.main"
	const base = `variable "policy" {}
resource "azurerm_kubernetes_cluster" "main" {
  name = "aks"
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
  dynamic "microsoft_defender" {
    for_each = []
    content {
      log_analytics_workspace_id = "w"
    }
  }
  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
  }
}
`
	tests := []struct {
		name     string
		override string
		want     []expect
		pool     string
	}{
		{"a static block replaces a dynamic block of its type", `resource "azurerm_kubernetes_cluster" "main" {
  microsoft_defender {
    log_analytics_workspace_id = "w"
  }
}`, []expect{known("Defender", true, m+".microsoft_defender"), known("NetworkPolicy", "azure", "")}, "system"},
		{"an unknown value in an override is quoted from the override file", `resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_policy = var.policy
  }
}`, []expect{unknown("NetworkPolicy", m+".network_profile[0].network_policy", "`var.policy`"), absent("NetworkPlugin", "")}, "system"},
		{"a default node pool block replaced whole", `resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name                   = "sys2"
    node_public_ip_enabled = true
  }
}`, []expect{absent("Defender", m+".microsoft_defender")}, "sys2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(base), "override.tf": []byte(tt.override)}, nil)
			if len(b.Errors) != 0 {
				t.Fatalf("errors %v", b.Errors)
			}
			c := clusterByAddress(t, b, m)
			checkFields(t, m, c, tt.want)
			if got := poolNames(c); !reflect.DeepEqual(got, []string{tt.pool}) {
				t.Errorf("pools %v, want [%s]", got, tt.pool)
			}
		})
	}
}
