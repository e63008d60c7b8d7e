package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestAzAPIHCL reads azapi_resource clusters, pools and diagnostic settings
// through the ARM body mapping: paths inside body, lines of the values,
// Unknown (never a default) below what is not known offline.
func TestAzAPIHCL(t *testing.T) {
	const a = "azapi_resource.aks"
	const p = a + ".body.properties"
	tests := []struct {
		dir        string
		name, rg   string
		api        string
		fields     []expect
		pools      map[string][]expect
		poolsKnown bool
		diags      []string // "target name logs"
		maint      []string // "cluster: names"
		registries []string // "name admin public endpoints" (states)
		errors     []string // file:line: part of the message
	}{
		{
			dir: "object", name: "aks-azapi", rg: "rg-azapi", api: "2024-05-01", poolsKnown: true,
			fields: []expect{
				known("KubernetesVersion", "1.34", p+".kubernetesVersion"),
				known("SKUTier", "Standard", a+".body.sku.tier"),
				known("DisableLocalAccounts", true, p+".disableLocalAccounts"),
				known("EnableRBAC", true, p+".enableRBAC"),
				known("AADManaged", true, p+".aadProfile.managed"),
				known("AzureRBAC", true, p+".aadProfile.enableAzureRBAC"),
				known("PrivateCluster", true, p+".apiServerAccessProfile.enablePrivateCluster"),
				known("NetworkPolicy", "cilium", p+".networkProfile.networkPolicy"),
				known("IdentityType", "UserAssigned", a+".identity[0].type"),
				absent("OutboundType", p+".networkProfile.outboundType"),
				absent("WorkloadIdentity", ""),
			},
			pools: map[string][]expect{"system": {known("EncryptionAtHost", true, p+".agentPoolProfiles[0].enableEncryptionAtHost"), known("Mode", "System", "")}},
		},
		{
			dir: "jsonencode", name: "aks-v1", api: "2023-04-02-preview", poolsKnown: true,
			fields: []expect{known("DisableLocalAccounts", false, p+".disableLocalAccounts"), absent("EnableRBAC", p+".enableRBAC")},
			pools:  map[string][]expect{"default": {known("EnableNodePublicIP", true, p+".agentPoolProfiles[0].enableNodePublicIP")}},
		},
		{
			dir: "heredoc", name: "aks-json", rg: "rg-json", api: "2021-05-01", poolsKnown: true,
			fields: []expect{known("EnableRBAC", false, p+".enableRBAC"), known("DisableLocalAccounts", true, p+".disableLocalAccounts")},
		},
		{
			dir: "unknown", name: "aks-unknown", api: "2024-05-01",
			fields: []expect{
				unknown("DisableLocalAccounts", p+".disableLocalAccounts", "var.local_accounts_off"),
				unknown("NetworkPolicy", p+".networkProfile", "known only after apply"),
				unknown("NetworkPlugin", p+".networkProfile", "known only after apply"),
				known("EnableRBAC", true, p+".enableRBAC"),
			},
		},
		{
			dir: "children", name: "aks-kids", rg: "rg-kids", api: "2025-02-01", poolsKnown: true,
			pools: map[string][]expect{
				"system": {known("Mode", "System", "")},
				"user":   {known("Mode", "User", "azapi_resource.user.body.properties.mode"), known("EnableNodePublicIP", true, "")},
			},
			diags: []string{"tf:azapi_resource.aks aks-diag kube-audit-admin=true"},
			maint: []string{"tf:azapi_resource.aks: aksManagedAutoUpgradeSchedule"},
			// publicNetworkAccess from a variable without a default;
			// private endpoints are never "none".
			registries: []string{"acrkids admin=true public=unknown pe=unknown"},
		},
		{
			dir: "badjson", name: "aks-bad", rg: "rg", api: "2024-05-01",
			fields: []expect{unknown("DisableLocalAccounts", "", "is not JSON")},
			errors: []string{"main.tf:5: azapi_resource.aks.body is not JSON"},
		},
		{
			dir: "sensitive", name: "aks-sensitive", rg: "rg", api: "2024-05-01", poolsKnown: true,
			fields: []expect{
				unknown("DisableLocalAccounts", p+".disableLocalAccounts", whySensitiveBody),
				unknown("AzureRBAC", p+".aadProfile.enableAzureRBAC", whySensitiveBody),
				known("AADManaged", true, p+".aadProfile.managed"),
				known("EnableRBAC", true, p+".enableRBAC"),
			},
		},
		{dir: "dyntype", errors: []string{"main.tf:3: azapi_resource.aks: its type"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			b := DecodeHCLDir(filepath.Join("testdata", "azapi", tt.dir), nil, nil)
			if out, _ := json.Marshal(b); strings.Contains(string(out), "not-a-real-password") {
				t.Errorf("a sensitive value reached the batch")
			}
			var errs []string
			for _, e := range b.Errors {
				errs = append(errs, fmt.Sprintf("%s:%d: %s", filepath.Base(e.Input), e.Line, e.Message))
			}
			if len(errs) != len(tt.errors) {
				t.Fatalf("errors %q, want %q", errs, tt.errors)
			}
			for i, w := range tt.errors {
				if !strings.HasPrefix(errs[i], w) {
					t.Errorf("error %q, want it to start with %q", errs[i], w)
				}
			}
			if tt.name == "" {
				if len(b.Clusters) != 0 {
					t.Fatalf("clusters %d, want none", len(b.Clusters))
				}
				return
			}
			if len(b.Clusters) != 1 {
				t.Fatalf("clusters %d, want 1", len(b.Clusters))
			}
			c := b.Clusters[0]
			if c.TFAddress != a || c.ID != "tf:"+a || c.Name != tt.name || c.ResourceGroup != tt.rg || c.Format != inventory.FormatTFHCL ||
				c.APIVersion != tt.api || !c.IsAzAPI() || c.Source.Line == 0 {
				t.Errorf("cluster %s id %s name %s rg %s format %s api %s type %s line %d", c.TFAddress, c.ID, c.Name, c.ResourceGroup, c.Format, c.APIVersion, c.AzAPIType, c.Source.Line)
			}
			checkFields(t, c.TFAddress, c, tt.fields)
			if c.PoolsKnown != tt.poolsKnown {
				t.Errorf("PoolsKnown %v (%s), want %v", c.PoolsKnown, c.PoolsUnknown, tt.poolsKnown)
			}
			for name, exps := range tt.pools {
				var pool *inventory.AgentPool
				for _, p := range c.AgentPools {
					if p.Name == name {
						pool = p
					}
				}
				if pool == nil {
					t.Errorf("no pool %s", name)
					continue
				}
				checkFields(t, "pool "+name, pool, exps)
			}
			var diags []string
			for _, d := range b.Diagnostics {
				var logs []string
				for _, l := range d.Setting.Logs {
					logs = append(logs, fmt.Sprintf("%s=%v", l.Category, l.Enabled.Val))
				}
				diags = append(diags, d.TargetID+" "+d.Setting.Name+" "+strings.Join(logs, ","))
				if p := d.Setting.HasDestination.Path; !strings.HasPrefix(p, "azapi_resource.diag.body.properties.") {
					t.Errorf("diagnostic setting destination path %q", p)
				}
			}
			if strings.Join(diags, "|") != strings.Join(tt.diags, "|") {
				t.Errorf("diagnostics %q, want %q", diags, tt.diags)
			}
			var regs []string
			for _, r := range b.Registries {
				st := func(k inventory.State) string {
					return map[inventory.State]string{inventory.Known: "known", inventory.Unknown: "unknown", inventory.Absent: "absent"}[k]
				}
				regs = append(regs, fmt.Sprintf("%s admin=%v public=%s pe=%s", r.Name, r.AdminUserEnabled.Val, st(r.PublicNetworkAccess.State), st(r.PrivateEndpoints.State)))
			}
			if strings.Join(regs, "|") != strings.Join(tt.registries, "|") {
				t.Errorf("registries %q, want %q", regs, tt.registries)
			}
			var maint []string
			for _, m := range b.Maintenance {
				maint = append(maint, m.ClusterID+": "+strings.Join(m.Data.Names, ","))
			}
			if strings.Join(maint, "|") != strings.Join(tt.maint, "|") {
				t.Errorf("maintenance %q, want %q", maint, tt.maint)
			}
		})
	}
}

// TestAzAPIHeredocLines: a JSON body keeps the lines of the file.
func TestAzAPIHeredocLines(t *testing.T) {
	b := DecodeHCLDir(filepath.Join("testdata", "azapi", "heredoc"), nil, nil)
	if len(b.Clusters) != 1 {
		t.Fatalf("clusters %d", len(b.Clusters))
	}
	if l := b.Clusters[0].EnableRBAC.Line; l != 9 {
		t.Errorf("enableRBAC at line %d, want 9", l)
	}
	if l := b.Clusters[0].DisableLocalAccounts.Line; l != 10 {
		t.Errorf("disableLocalAccounts at line %d, want 10", l)
	}
}

// TestAzAPIPlan reads azapi_resource values of a plan: an object body
// (2.x) with parts known after apply, a JSON text body (1.x) of a pool
// joined to its cluster through the configuration's parent_id reference.
func TestAzAPIPlan(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "azapi", "plan", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodePlanJSON(data, "plan.json")
	if len(b.Errors) != 0 {
		t.Fatalf("errors %+v", b.Errors)
	}
	if len(b.Clusters) != 1 {
		t.Fatalf("clusters %d", len(b.Clusters))
	}
	c := b.Clusters[0]
	const p = "azapi_resource.aks.body.properties"
	if c.Name != "aks-plan" || c.ResourceGroup != "rg-plan" || c.Format != inventory.FormatTFPlan || c.APIVersion != "2024-05-01" || c.Source.Line == 0 {
		t.Errorf("cluster %+v", c)
	}
	checkFields(t, "plan", c, []expect{
		known("DisableLocalAccounts", true, p+".disableLocalAccounts"),
		known("EnableRBAC", false, p+".enableRBAC"),
		unknown("NetworkPolicy", p+".networkProfile", whyAfterApply),
		known("IdentityType", "SystemAssigned", "azapi_resource.aks.identity[0].type"),
		unknown("AzureRBAC", p+".aadProfile", whySensitiveBody),
	})
	if out, _ := json.Marshal(b); strings.Contains(string(out), "not-a-real-secret") {
		t.Errorf("a sensitive value reached the batch")
	}
	names := map[string]*inventory.AgentPool{}
	for _, pl := range c.AgentPools {
		names[pl.Name] = pl
	}
	if names["system"] == nil || names["user"] == nil {
		t.Fatalf("pools %v", names)
	}
	checkFields(t, "user", names["user"], []expect{known("EncryptionAtHost", true, "azapi_resource.user.body.properties.enableEncryptionAtHost")})
	checkFields(t, "system", names["system"], []expect{known("EnableNodePublicIP", true, p+".agentPoolProfiles[0].enableNodePublicIP")})
}

// TestAzAPIUpdate: an azapi_update_resource of a managed cluster patches
// the cluster it names; one whose cluster is not in the input is reported.
func TestAzAPIUpdate(t *testing.T) {
	b := DecodeHCLDir(filepath.Join("testdata", "azapi", "update"), nil, nil)
	if len(b.Clusters) != 1 {
		t.Fatalf("clusters %d", len(b.Clusters))
	}
	c := b.Clusters[0]
	checkFields(t, "patched", c, []expect{
		known("DisableLocalAccounts", false, "azapi_update_resource.post_create.body.properties.disableLocalAccounts"),
		known("NetworkPolicy", "cilium", "azapi_update_resource.post_create.body.properties.networkProfile.networkPolicy"),
		known("IdentityType", "SystemAssigned", "azurerm_kubernetes_cluster.main.identity[0].type"),
	})
	if !c.PoolsKnown || len(c.AgentPools) != 1 {
		t.Errorf("pools %d known %v (%s)", len(c.AgentPools), c.PoolsKnown, c.PoolsUnknown)
	} else {
		// azapi_update_resource.pool patches the system pool it names.
		checkFields(t, "system", c.AgentPools[0], []expect{known("EnableNodePublicIP", true, "azapi_update_resource.pool.body.properties.enableNodePublicIP")})
	}
	if len(b.Errors) != 1 || b.Errors[0].Line != 42 || !strings.Contains(b.Errors[0].Message, "azapi_update_resource.elsewhere patches a managed cluster") {
		t.Errorf("errors %+v", b.Errors)
	}
}

// TestAzAPIUpdatePlan: the same patch in a plan (testdata/azapi/update,
// plan.json is its configuration in the shape terraform show -json prints,
// hand-written): the patch wins over the azurerm cluster's planned values.
func TestAzAPIUpdatePlan(t *testing.T) {
	b := DecodePlanJSON(readFile(t, filepath.Join("testdata", "azapi", "update", "plan.json")), "plan.json")
	if len(b.Errors) != 0 || len(b.Clusters) != 1 {
		t.Fatalf("errors %v, %d clusters", b.Errors, len(b.Clusters))
	}
	checkFields(t, "patched", b.Clusters[0], []expect{
		known("DisableLocalAccounts", false, "azapi_update_resource.post_create.body.properties.disableLocalAccounts"),
		known("NetworkPolicy", "cilium", "azapi_update_resource.post_create.body.properties.networkProfile.networkPolicy"),
		known("IdentityType", "SystemAssigned", "azurerm_kubernetes_cluster.main.identity[0].type"),
	})
	// The pool patch's resource_id waits for apply: which pool it patches
	// is not known, so the pool list is not either.
	if c := b.Clusters[0]; c.PoolsKnown || !strings.Contains(c.PoolsUnknown, "azapi_update_resource.pool patches a node pool aksguard cannot name") {
		t.Errorf("pools known %v (%s)", c.PoolsKnown, c.PoolsUnknown)
	}
}

// TestAzAPIPoolPatch: an azapi_update_resource of type agentPools patches
// the pool it names: through the node pool resource's id (as
// Azure/terraform-azurerm-aks does, MIT), by parent_id and name, or not at
// all when the pool is not in the input.
func TestAzAPIPoolPatch(t *testing.T) {
	const base = `
resource "azurerm_kubernetes_cluster" "main" {
  name = "aks"
  default_node_pool { name = "system" }
}
resource "azurerm_kubernetes_cluster_node_pool" "np" {
  for_each              = toset(["worker0"])
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
}
`
	for _, tc := range []struct {
		name, patch string
		pool        string // the patched pool, "" for none
		errs        []string
		unknownWhy  string // the cluster's pools unknown, why
	}{
		{name: "through the pool resource's id, with try()", pool: "worker0", patch: `
resource "azapi_update_resource" "dns" {
  for_each    = toset(["worker0"])
  resource_id = try(azurerm_kubernetes_cluster_node_pool.np[each.key].id, azurerm_kubernetes_cluster_node_pool.other[each.key].id)
  type        = "Microsoft.ContainerService/managedClusters/agentPools@2025-01-01"
  body        = { properties = { enableNodePublicIP = true } }
}`},
		{name: "by parent_id and name", pool: "system", patch: `
resource "azapi_update_resource" "sys" {
  parent_id = azurerm_kubernetes_cluster.main.id
  name      = "system"
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2025-01-01"
  body      = { properties = { enableNodePublicIP = true } }
}`},
		{name: "a pool the cluster does not list", unknownWhy: `azapi_update_resource.gpu patches node pool "gpu", which the configuration of the cluster does not list`, patch: `
resource "azapi_update_resource" "gpu" {
  resource_id = "${azurerm_kubernetes_cluster.main.id}/agentPools/gpu"
  type        = "Microsoft.ContainerService/managedClusters/agentPools@2025-01-01"
  body        = { properties = { enableNodePublicIP = true } }
}`},
		{name: "a pool resource not in the input", errs: []string{"azapi_update_resource.x patches node pool azurerm_kubernetes_cluster_node_pool.elsewhere, which is not declared in this input"}, patch: `
resource "azapi_update_resource" "x" {
  resource_id = azurerm_kubernetes_cluster_node_pool.elsewhere.id
  type        = "Microsoft.ContainerService/managedClusters/agentPools@2025-01-01"
  body        = { properties = { enableNodePublicIP = true } }
}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(base + tc.patch)}, nil)
			if len(b.Errors) != len(tc.errs) {
				t.Fatalf("errors %v, want %v", b.Errors, tc.errs)
			}
			for i, e := range tc.errs {
				if !strings.Contains(b.Errors[i].Message, e) {
					t.Errorf("error %q, want %q", b.Errors[i].Message, e)
				}
			}
			c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.main")
			if tc.unknownWhy != "" && (c.PoolsKnown || c.PoolsUnknown != tc.unknownWhy) {
				t.Errorf("pools known %v (%q), want unknown: %q", c.PoolsKnown, c.PoolsUnknown, tc.unknownWhy)
			}
			for _, p := range c.AgentPools {
				want := p.Name == tc.pool
				if got := p.EnableNodePublicIP.Or(false); got != want {
					t.Errorf("pool %s: node public IP %v, want %v (%+v)", p.Name, got, want, p.EnableNodePublicIP)
				}
			}
		})
	}
}
