package terraform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

const testSub = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590"

type diagWant struct {
	target  string
	name    string
	hasDest bool
	logs    []string
}

type clusterWant struct {
	id, name, rg string
	line         int
	fields       []expect
	addons       map[string]expect
	pools        []string
	poolFields   map[string][]expect
	poolsKnown   bool
}

func TestDecodePlanJSON(t *testing.T) {
	const m = "azurerm_kubernetes_cluster.main"
	const hardenedID = testSub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-payments-prod"
	const legacyID = testSub + "/resourceGroups/rg-legacy/providers/Microsoft.ContainerService/managedClusters/aks-legacy"
	const mod = "module.aks.azurerm_kubernetes_cluster.this"
	tests := []struct {
		file        string
		clusters    map[string]clusterWant
		diags       []diagWant
		maintenance map[string][]string
		errors      int
		secrets     []string
	}{
		{
			file: "insecure.json",
			clusters: map[string]clusterWant{m: {
				id: "tf:" + m, name: "aks-shop-dev", rg: "rg-shop-dev", line: 51, poolsKnown: true,
				fields: []expect{
					known("KubernetesVersion", "1.29", m+".kubernetes_version"),
					unknown("CurrentKubernetesVersion", m+".current_kubernetes_version", "known after apply"),
					known("SKUTier", "Free", m+".sku_tier"),
					known("PrivateCluster", false, m+".private_cluster_enabled"),
					absent("AuthorizedIPRanges", m+".api_server_access_profile[0].authorized_ip_ranges"),
					absent("AADProfile", m+".azure_active_directory_role_based_access_control"),
					absent("AADManaged", ""),
					known("DisableLocalAccounts", false, m+".local_account_disabled"),
					known("EnableRBAC", true, m+".role_based_access_control_enabled"),
					absent("IdentityType", m+".identity[0].type"),
					known("ServicePrincipalClientID", "6f1c2a1e-0000-4b5e-9c3a-111122223333", m+".service_principal[0].client_id"),
					known("NetworkPlugin", "kubenet", m+".network_profile[0].network_plugin"),
					unknown("NetworkPolicy", m+".network_profile[0].network_policy", "known after apply"),
					known("OutboundType", "loadBalancer", ""),
					absent("Defender", m+".microsoft_defender"),
					absent("KMS", m+".key_management_service"),
					absent("UpgradeChannel", m+".automatic_upgrade_channel"),
					known("NodeOSUpgradeChannel", "None", m+".node_os_upgrade_channel"),
					known("SSHPublicKeys", 1, m+".linux_profile[0].ssh_key"),
				},
				addons: map[string]expect{
					"omsagent":               absent("", m+".oms_agent"),
					"azurepolicy":            known("", false, m+".azure_policy_enabled"),
					"httpApplicationRouting": known("", true, m+".http_application_routing_enabled"),
				},
				pools: []string{"default", "public"},
				poolFields: map[string][]expect{
					"default": {
						known("Mode", "System", m+".default_node_pool"),
						known("OSType", "Linux", ""),
						known("EnableNodePublicIP", true, m+".default_node_pool[0].node_public_ip_enabled"),
						known("EncryptionAtHost", false, m+".default_node_pool[0].host_encryption_enabled"),
						unknown("OrchestratorVersion", m+".default_node_pool[0].orchestrator_version", "known after apply"),
					},
					"public": {
						known("Mode", "User", "azurerm_kubernetes_cluster_node_pool.public.mode"),
						known("EnableNodePublicIP", true, "azurerm_kubernetes_cluster_node_pool.public.node_public_ip_enabled"),
					},
				},
			}},
			diags:   []diagWant{{target: "tf:" + m, name: "aks-diag", hasDest: true, logs: []string{"kube-apiserver=true"}}},
			secrets: []string{"s3cr3t-Sp-Value~do-not-leak"},
		},
		{
			file: "hardened.json",
			clusters: map[string]clusterWant{m: {
				id: hardenedID, name: "aks-payments-prod", rg: "rg-payments-prod", line: 8, poolsKnown: true,
				fields: []expect{
					known("KubernetesVersion", "1.34", ""),
					known("CurrentKubernetesVersion", "1.34.2", ""),
					known("SKUTier", "Standard", ""),
					known("PrivateCluster", true, m+".private_cluster_enabled"),
					known("PrivateClusterPublicFQDN", false, m+".private_cluster_public_fqdn_enabled"),
					known("AADProfile", true, m+".azure_active_directory_role_based_access_control"),
					known("AADManaged", true, ""),
					known("AdminGroupObjectIDs", []string{"9e1c5d0a-7d36-4f0e-bb43-2d0f6f0e4a11"}, m+".azure_active_directory_role_based_access_control[0].admin_group_object_ids"),
					known("AzureRBAC", true, ""),
					known("DisableLocalAccounts", true, ""),
					known("IdentityType", "UserAssigned", m+".identity[0].type"),
					absent("ServicePrincipalClientID", m+".service_principal[0].client_id"),
					known("WorkloadIdentity", true, ""),
					known("OIDCIssuer", true, ""),
					known("NetworkPlugin", "azure", ""),
					known("NetworkPolicy", "cilium", ""),
					known("OutboundType", "userDefinedRouting", ""),
					known("Defender", true, m+".microsoft_defender"),
					known("ImageCleaner", true, ""),
					known("KMS", true, ""),
					known("DiskEncryptionSet", testSub+"/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/diskEncryptionSets/des-aks", ""),
					known("UpgradeChannel", "patch", ""),
					known("NodeOSUpgradeChannel", "SecurityPatch", ""),
					absent("SSHPublicKeys", m+".linux_profile[0].ssh_key"),
				},
				addons: map[string]expect{
					"omsagent":                     known("", true, m+".oms_agent"),
					"azurepolicy":                  known("", true, ""),
					"azureKeyvaultSecretsProvider": known("", true, ""),
					"httpApplicationRouting":       known("", false, ""),
					"aciConnectorLinux":            absent("", m+".aci_connector_linux"),
				},
				pools: []string{"system", "apps", "win"},
				poolFields: map[string][]expect{
					"system": {known("OnlyCriticalAddons", true, m+".default_node_pool[0].only_critical_addons_enabled"), known("EncryptionAtHost", true, "")},
					"apps":   {known("NodeTaints", []string{"workload=apps:NoSchedule"}, "azurerm_kubernetes_cluster_node_pool.apps.node_taints")},
					"win":    {known("OSType", "Windows", "azurerm_kubernetes_cluster_node_pool.win.os_type"), known("Mode", "User", "")},
				},
			}},
			diags:       []diagWant{{target: hardenedID, name: "aks-audit", hasDest: true, logs: []string{"guard=true", "kube-audit-admin=true"}}},
			maintenance: map[string][]string{hardenedID: {"aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"}},
		},
		{
			file: "v3names.json",
			clusters: map[string]clusterWant{"azurerm_kubernetes_cluster.legacy": {
				id: legacyID, name: "aks-legacy", rg: "rg-legacy", line: 8, poolsKnown: true,
				fields: []expect{
					known("AuthorizedIPRanges", []string{"203.0.113.0/24", "0.0.0.0/0"}, "azurerm_kubernetes_cluster.legacy.api_server_authorized_ip_ranges"),
					known("AADManaged", true, "azurerm_kubernetes_cluster.legacy.azure_active_directory_role_based_access_control[0].managed"),
					known("UpgradeChannel", "stable", "azurerm_kubernetes_cluster.legacy.automatic_channel_upgrade"),
					known("NodeOSUpgradeChannel", "NodeImage", "azurerm_kubernetes_cluster.legacy.node_os_channel_upgrade"),
				},
				addons: map[string]expect{"azureKeyvaultSecretsProvider": known("", true, "")},
				pools:  []string{"default"},
				poolFields: map[string][]expect{"default": {
					known("EnableNodePublicIP", false, "azurerm_kubernetes_cluster.legacy.default_node_pool[0].enable_node_public_ip"),
					known("EncryptionAtHost", false, "azurerm_kubernetes_cluster.legacy.default_node_pool[0].enable_host_encryption"),
				}},
			}},
			diags: []diagWant{{target: legacyID, name: "legacy-diag", hasDest: true,
				logs: []string{"kube-audit=false", "kube-apiserver=true", "group:audit=true"}}},
			maintenance: map[string][]string{legacyID: {"default"}},
		},
		{
			file: "modules.json",
			clusters: map[string]clusterWant{mod: {
				id: "tf:" + mod, name: "aks-platform", rg: "rg-platform", line: 65, poolsKnown: true,
				fields: []expect{
					unknown("AuthorizedIPRanges", mod+".api_server_access_profile[0].authorized_ip_ranges", "known after apply"),
					unknown("SKUTier", mod+".sku_tier", "known after apply"),
					unknown("OutboundType", mod+".network_profile[0].outbound_type", "known after apply"),
					known("AADProfile", true, ""),
					known("AzureRBAC", true, ""),
					known("NetworkPolicy", "calico", ""),
				},
				// gpu joins through module.aks.cluster_id (an output), batch
				// through var.cluster_id of a for_each module.
				pools: []string{"sys", "gpu", "batch"},
				poolFields: map[string][]expect{
					"gpu":   {known("NodeTaints", []string{"sku=gpu:NoSchedule"}, "azurerm_kubernetes_cluster_node_pool.gpu.node_taints")},
					"batch": {known("EnableNodePublicIP", true, `module.pools["batch"].azurerm_kubernetes_cluster_node_pool.this.node_public_ip_enabled`)},
				},
			}},
			// The diag setting reaches the cluster through var.cluster_id of
			// module.monitoring; its event hub destination is unknown but set.
			diags: []diagWant{{target: "tf:" + mod, name: "aks-logs", hasDest: true, logs: []string{"group:audit=true"}}},
		},
		{
			file: "state.json",
			clusters: map[string]clusterWant{"azurerm_kubernetes_cluster.ops": {
				id: testSub + "/resourceGroups/rg-ops/providers/Microsoft.ContainerService/managedClusters/aks-ops", name: "aks-ops", rg: "rg-ops", line: 22, poolsKnown: true,
				fields: []expect{
					known("AuthorizedIPRanges", []string{"198.51.100.0/24"}, ""),
					known("CurrentKubernetesVersion", "1.32.7", ""),
				},
				// The spot pool's kubernetes_cluster_id differs in case only.
				pools: []string{"system", "spot"},
			}},
			// The Key Vault diagnostic setting is not about AKS.
			secrets: []string{"secret-kubeconfig-content"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := DecodePlanJSON(readFile(t, "testdata/plan/"+tt.file), tt.file)
			if len(b.Errors) != tt.errors {
				t.Fatalf("errors %v, want %d", b.Errors, tt.errors)
			}
			if len(b.Clusters) != len(tt.clusters) {
				t.Fatalf("%d clusters, want %d", len(b.Clusters), len(tt.clusters))
			}
			for addr, w := range tt.clusters {
				c := clusterByAddress(t, b, addr)
				if c.ID != w.id || c.Name != w.name || c.ResourceGroup != w.rg {
					t.Errorf("id/name/rg = %q %q %q, want %q %q %q", c.ID, c.Name, c.ResourceGroup, w.id, w.name, w.rg)
				}
				if c.Format != inventory.FormatTFPlan || c.Source.File != tt.file || c.Source.Line != w.line {
					t.Errorf("format/source = %s %+v, want %s line %d", c.Format, c.Source, tt.file, w.line)
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
				if !mf.Data.Authoritative {
					t.Errorf("maintenance of %s not authoritative", mf.ClusterID)
				}
				maint[mf.ClusterID] = mf.Data.Names
			}
			if len(maint) != len(tt.maintenance) || (len(maint) > 0 && !reflect.DeepEqual(maint, tt.maintenance)) {
				t.Errorf("maintenance %v, want %v", maint, tt.maintenance)
			}
			assertNoLeak(t, b, tt.secrets...)
		})
	}
}

func TestDecodePlanJSONSmallCases(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		check func(t *testing.T, b *inventory.Batch)
	}{
		{
			name: "empty state",
			json: `{"format_version":"1.0"}`,
			check: func(t *testing.T, b *inventory.Batch) {
				if !b.Empty() || len(b.Errors) > 0 {
					t.Errorf("want an empty batch, got %+v", b)
				}
			},
		},
		{
			name: "private_link_enabled of provider 2.x, compact JSON",
			json: `{"format_version":"0.1","terraform_version":"0.14.11","values":{"root_module":{"resources":[` +
				`{"address":"azurerm_kubernetes_cluster.old","mode":"managed","type":"azurerm_kubernetes_cluster","name":"old",` +
				`"values":{"name":"old","private_link_enabled":true,"default_node_pool":[{"name":"pool1","enable_node_public_ip":true}]}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.old")
				checkFields(t, "old", c, []expect{known("PrivateCluster", true, "azurerm_kubernetes_cluster.old.private_link_enabled")})
				checkFields(t, "old/pool1", poolByName(t, c, "pool1"), []expect{known("EnableNodePublicIP", true, "")})
				if c.Source.Line != 1 {
					t.Errorf("line %d, want 1", c.Source.Line)
				}
			},
		},
		{
			name: "plan with only resource_changes; whole blocks unknown",
			json: `{"format_version":"1.2","resource_changes":[{"address":"azurerm_kubernetes_cluster.x","mode":"managed","type":"azurerm_kubernetes_cluster","name":"x",
"change":{"actions":["create"],"after":{"name":"x","default_node_pool":[]},
"after_unknown":{"id":true,"oms_agent":true,"default_node_pool":true,"api_server_access_profile":[true]}}},
{"address":"azurerm_kubernetes_cluster.x","deposed":"00000001","mode":"managed","type":"azurerm_kubernetes_cluster","name":"x",
"change":{"actions":["delete"],"before":{"name":"x"},"after":null}}]}`,
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.x")
				checkAddon(t, c, "omsagent", unknown("", "azurerm_kubernetes_cluster.x.oms_agent", "known after apply"))
				checkFields(t, "x", c, []expect{unknown("AuthorizedIPRanges", "azurerm_kubernetes_cluster.x.api_server_access_profile[0].authorized_ip_ranges", "known after apply")})
				if c.PoolsKnown || c.PoolsUnknown != "known after apply" || len(c.AgentPools) != 0 {
					t.Errorf("pools known %v %q %d", c.PoolsKnown, c.PoolsUnknown, len(c.AgentPools))
				}
				if c.Source.Line != 1 {
					t.Errorf("line %d, want 1 (resource_changes address)", c.Source.Line)
				}
			},
		},
		{
			name: "deposed object does not hide the new object's unknowns",
			json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.r","mode":"managed","type":"azurerm_kubernetes_cluster","name":"r","values":{"name":"r"}}]}},
"resource_changes":[
{"address":"azurerm_kubernetes_cluster.r","mode":"managed","type":"azurerm_kubernetes_cluster","name":"r",
 "change":{"actions":["create"],"after":{"name":"r"},"after_unknown":{"sku_tier":true}}},
{"address":"azurerm_kubernetes_cluster.r","deposed":"00000001","mode":"managed","type":"azurerm_kubernetes_cluster","name":"r",
 "change":{"actions":["delete"],"before":{"name":"r","sku_tier":"Free"},"after":null,"after_unknown":{}}}]}`,
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.r")
				checkFields(t, "r", c, []expect{unknown("SKUTier", "azurerm_kubernetes_cluster.r.sku_tier", "known after apply")})
			},
		},
		{
			name: "sensitive values are not read",
			json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.s","mode":"managed","type":"azurerm_kubernetes_cluster","name":"s",
"values":{"name":"s","api_server_access_profile":[{"authorized_ip_ranges":["10.9.8.7/32"]}],"service_principal":[{"client_id":"cid-123","client_secret":"pw-456"}]},
"sensitive_values":{"api_server_access_profile":[{"authorized_ip_ranges":[true]}],"service_principal":[{"client_secret":true}]}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.s")
				checkFields(t, "s", c, []expect{
					unknown("AuthorizedIPRanges", "", "sensitive"),
					known("ServicePrincipalClientID", "cid-123", ""),
				})
				assertNoLeak(t, b, "10.9.8.7", "pw-456")
			},
		},
		{
			name: "for_each clusters and diagnostic settings joined by instance key",
			json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.c[\"blue\"]","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c","index":"blue","values":{"name":"aks-blue"}},
{"address":"azurerm_kubernetes_cluster.c[\"green\"]","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c","index":"green","values":{"name":"aks-green"}},
{"address":"azurerm_monitor_diagnostic_setting.d[\"green\"]","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d","index":"green","values":{"name":"diag-green","enabled_log":[{"category":"guard"}]}},
{"address":"azurerm_monitor_diagnostic_setting.d[\"blue\"]","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d","index":"blue","values":{"name":"diag-blue","enabled_log":[{"category":"kube-audit"}]}}]}},
"configuration":{"root_module":{"resources":[
{"address":"azurerm_monitor_diagnostic_setting.d","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d",
 "expressions":{"target_resource_id":{"references":["each.value.id","each.value"]}},"for_each_expression":{"references":["azurerm_kubernetes_cluster.c"]}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				got := map[string]string{}
				for _, d := range b.Diagnostics {
					got[d.Setting.Name] = d.TargetID
				}
				want := map[string]string{
					"diag-blue":  `tf:azurerm_kubernetes_cluster.c["blue"]`,
					"diag-green": `tf:azurerm_kubernetes_cluster.c["green"]`,
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("targets %v, want %v", got, want)
				}
				if l := clusterByAddress(t, b, `azurerm_kubernetes_cluster.c["green"]`).Source.Line; l != 3 {
					t.Errorf("line %d, want 3", l)
				}
			},
		},
		{
			name: "pool referring to a counted cluster without an index",
			json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.c[0]","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c","index":0,"values":{"name":"c0"}},
{"address":"azurerm_kubernetes_cluster.c[1]","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c","index":1,"values":{"name":"c1"}},
{"address":"azurerm_kubernetes_cluster_node_pool.p","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"p","values":{"name":"p"}}]}},
"configuration":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster_node_pool.p","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"p",
 "expressions":{"kubernetes_cluster_id":{"references":["azurerm_kubernetes_cluster.c","count.index"]}}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Message, "has 2 instances") || len(b.Pools) != 0 {
					t.Errorf("errors %v pools %+v", b.Errors, b.Pools)
				}
			},
		},
		{
			name: "node pool of a cluster outside the plan, by known ID",
			json: `{"format_version":"1.0","values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster_node_pool.x","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"x",
 "values":{"name":"x","kubernetes_cluster_id":"` + testSub + `/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other","mode":"System"}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Errors) != 0 || len(b.Pools) != 1 {
					t.Fatalf("errors %v, pools %+v", b.Errors, b.Pools)
				}
				p := b.Pools[0]
				if p.ClusterID != testSub+"/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other" || p.Pool.Source.Line != 2 {
					t.Errorf("pool for %q at line %d", p.ClusterID, p.Pool.Source.Line)
				}
				checkFields(t, "x", p.Pool, []expect{known("Mode", "System", "azurerm_kubernetes_cluster_node_pool.x.mode")})
			},
		},
		{
			name: "node pool of a cluster read from a data source",
			json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"data.azurerm_kubernetes_cluster.shared","mode":"data","type":"azurerm_kubernetes_cluster","name":"shared","values":{"id":"` + testSub + `/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shared","name":"shared"}},
{"address":"azurerm_kubernetes_cluster_node_pool.p","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"p","values":{"name":"p"}},
{"address":"azurerm_monitor_diagnostic_setting.d","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d","values":{"name":"d","storage_account_id":"sa"}}]}},
"resource_changes":[
{"address":"azurerm_kubernetes_cluster_node_pool.p","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"p","change":{"actions":["create"],"after":{"name":"p"},"after_unknown":{"kubernetes_cluster_id":true}}},
{"address":"azurerm_monitor_diagnostic_setting.d","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d","change":{"actions":["create"],"after":{"name":"d","storage_account_id":"sa"},"after_unknown":{"target_resource_id":true}}}],
"configuration":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster_node_pool.p","mode":"managed","type":"azurerm_kubernetes_cluster_node_pool","name":"p","expressions":{"kubernetes_cluster_id":{"references":["var.cluster_id"]}}},
{"address":"azurerm_monitor_diagnostic_setting.d","mode":"managed","type":"azurerm_monitor_diagnostic_setting","name":"d","expressions":{"target_resource_id":{"references":["data.azurerm_kubernetes_cluster.shared.id","data.azurerm_kubernetes_cluster.shared"]}}}]}}}`,
			check: func(t *testing.T, b *inventory.Batch) {
				if len(b.Errors) != 0 || len(b.Clusters) != 1 || b.Clusters[0].ID != "tf:var.cluster_id" || b.Clusters[0].Format != inventory.FormatTFPlan ||
					!strings.Contains(b.Clusters[0].StandIn, "azurerm_kubernetes_cluster_node_pool.p") || poolNames(b.Clusters[0])[0] != "p" {
					t.Errorf("errors %v, clusters %+v, want the pool under a stand-in named var.cluster_id", b.Errors, b.Clusters)
				}
				if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != testSub+"/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shared" {
					t.Errorf("diagnostics %+v, want one on the data source's cluster id", b.Diagnostics)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, DecodePlanJSON([]byte(tt.json), "plan.json"))
		})
	}
}

func TestDecodePlanJSONErrors(t *testing.T) {
	tests := []struct {
		name, json string
		line       int
		msg        string
	}{
		{"not JSON", "{\n  \"format_version\": \"1.2\",\n  oops\n}", 3, "not valid JSON"},
		{"truncated", "{\n\"format_version\": \"1.2\",\n\"planned_values\": {", 3, "not valid JSON"},
		{"array", `[1,2]`, 1, "is a JSON array, not an object"},
		{"no format_version", `{"values":{}}`, 0, "no format_version"},
		{"unsupported format", `{"format_version":"2.0","values":{}}`, 0, "unsupported state format version"},
		{"wrong type", "{\"format_version\":\"1.2\",\n\"resource_changes\":{}}", 2, "cannot read the plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := DecodePlanJSON([]byte(tt.json), "bad.json")
			if len(b.Errors) != 1 {
				t.Fatalf("errors %v, want 1", b.Errors)
			}
			e := b.Errors[0]
			if e.Input != "bad.json" || e.Line != tt.line || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %q (line %d), want line %d containing %q", e.Error(), e.Line, tt.line, tt.msg)
			}
		})
	}
}

func TestIsPlanJSON(t *testing.T) {
	tests := []struct {
		json string
		want bool
	}{
		{`{"format_version":"1.2","planned_values":{}}`, true},
		{`{"format_version":"1.2","resource_changes":[]}`, true},
		{"\xef\xbb\xbf" + `{"format_version":"1.0","values":{"root_module":{}}}`, true},
		{`{"format_version":"1.0"}`, false},
		{`{"planned_values":{}}`, false},
		{`{"id":"/subscriptions/x","properties":{}}`, false},
		{`[{"format_version":"1.2","values":{}}]`, false},
		{`{"format_version":"1.2","values":`, false},
	}
	for _, tt := range tests {
		if got := IsPlanJSON([]byte(tt.json)); got != tt.want {
			t.Errorf("IsPlanJSON(%s) = %v", tt.json, got)
		}
		n, err := jsontree.Parse([]byte(strings.TrimPrefix(tt.json, "\xef\xbb\xbf")))
		if err == nil && IsPlanNode(n) != tt.want {
			t.Errorf("IsPlanNode(%s) = %v", tt.json, !tt.want)
		}
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in, str, stripped, typ string
		ok                     bool
	}{
		{"azurerm_kubernetes_cluster.main", "azurerm_kubernetes_cluster.main", "azurerm_kubernetes_cluster.main", "azurerm_kubernetes_cluster", true},
		{`module.a["x.y"].module.b[0].azurerm_kubernetes_cluster.c[2]`, `module.a["x.y"].module.b[0].azurerm_kubernetes_cluster.c[2]`, "module.a.module.b.azurerm_kubernetes_cluster.c", "azurerm_kubernetes_cluster", true},
		{"data.azurerm_kubernetes_cluster.d", "data.azurerm_kubernetes_cluster.d", "data.azurerm_kubernetes_cluster.d", "", true},
		{"module.a", "", "module.a", "", false},
		{"not an address!", "", "not an address!", "", false},
	}
	for _, tt := range tests {
		a, ok := parseAddress(tt.in)
		if ok != tt.ok || (ok && a.String() != tt.str) {
			t.Errorf("parseAddress(%q) = %q, %v", tt.in, a.String(), ok)
		}
		if got := stripKeys(tt.in); got != tt.stripped {
			t.Errorf("stripKeys(%q) = %q, want %q", tt.in, got, tt.stripped)
		}
		if got := resourceType(tt.in); got != tt.typ {
			t.Errorf("resourceType(%q) = %q, want %q", tt.in, got, tt.typ)
		}
	}
}
