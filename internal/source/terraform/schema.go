package terraform

import (
	"fmt"
	"sort"
	"strings"
)

// schema is what aksguard knows of a block's arguments and nested blocks,
// across azurerm versions 1.x to 5.x: those the mapping reads and those
// that no control depends on. A nil entry is an argument, or a block whose
// content no control depends on; a non-nil entry is a nested block whose
// content is checked in turn.
//
// Anything a block sets outside its schema is unrecognised: it may be an
// argument of a provider aksguard does not know yet, or a form the
// mapping misses, and it may change what a default means. The mapping
// records it on the cluster or pool (Cluster.Unrecognised), and the
// controls then never pass on a default (docs/inputs.md).
type schema map[string]schema

// leaf builds a schema whose entries are arguments (or blocks not
// descended into).
func leaf(names ...string) schema {
	s := schema{}
	for _, n := range names {
		s[n] = nil
	}
	return s
}

// with adds nested blocks that are checked to a schema.
func (s schema) with(blocks map[string]schema) schema {
	for n, b := range blocks {
		s[n] = b
	}
	return s
}

// metaArgs are Terraform's own arguments and blocks of every resource.
var metaArgs = []string{"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "timeouts", "id"}

// poolSchema is default_node_pool, the legacy agent_pool_profile and
// azurerm_kubernetes_cluster_node_pool (their arguments mostly overlap; a
// few are legal on one only, which terraform validate catches).
var poolSchema = leaf(strings.Fields(`
	name vm_size node_count min_count max_count count
	auto_scaling_enabled enable_auto_scaling
	host_encryption_enabled enable_host_encryption
	node_public_ip_enabled enable_node_public_ip node_public_ip_prefix_id
	node_taints only_critical_addons_enabled mode os_type os_sku
	orchestrator_version current_orchestrator_version node_image_version
	availability_zones zones capacity_reservation_group_id host_group_id
	proximity_placement_group_id gpu_instance gpu_driver fips_enabled
	kubelet_disk_type max_pods node_labels os_disk_size_gb os_disk_type
	pod_subnet_id vnet_subnet_id scale_down_mode snapshot_id
	temporary_name_for_rotation type tags ultra_ssd_enabled workload_runtime
	message_of_the_day custom_ca_trust_enabled kubernetes_cluster_id
	eviction_policy priority spot_max_price dns_prefix fqdn
	kubelet_config linux_os_config node_network_profile upgrade_settings
	windows_profile`)...)

// clusterSchema is azurerm_kubernetes_cluster. default_node_pool and
// agent_pool_profile are checked as pools (poolSchema).
var clusterSchema = leaf(strings.Fields(`
	name location resource_group_name dns_prefix dns_prefix_private_cluster
	fqdn private_fqdn portal_fqdn node_resource_group node_resource_group_id
	kube_config kube_config_raw kube_admin_config kube_admin_config_raw
	http_application_routing_zone_name oidc_issuer_url current_kubernetes_version
	kubernetes_version sku_tier support_plan tags edge_zone
	private_cluster_enabled private_link_enabled private_cluster_public_fqdn_enabled
	private_dns_zone_id api_server_authorized_ip_ranges public_network_access_enabled
	local_account_disabled role_based_access_control_enabled run_command_enabled
	workload_identity_enabled oidc_issuer_enabled enable_pod_security_policy
	azure_policy_enabled http_application_routing_enabled open_service_mesh_enabled
	image_cleaner_enabled image_cleaner_interval_hours cost_analysis_enabled
	disk_encryption_set_id custom_ca_trust_certificates_base64
	automatic_upgrade_channel automatic_channel_upgrade
	node_os_upgrade_channel node_os_channel_upgrade
	default_node_pool agent_pool_profile
	auto_scaler_profile bootstrap_profile confidential_computing http_proxy_config
	ingress_application_gateway kubelet_identity monitor_metrics
	maintenance_window maintenance_window_auto_upgrade maintenance_window_node_os
	service_mesh_profile storage_profile upgrade_override web_app_routing
	windows_profile workload_autoscaler_profile ai_toolchain_operator_enabled`)...).with(map[string]schema{
	// Node auto-provisioning (provider 5.x): its nodes are not agent
	// pools and no control reads them; the block is known so that the
	// pools that are listed are still judged.
	"node_provisioning_profile": leaf("mode", "default_node_pools"),
	"api_server_access_profile": leaf("authorized_ip_ranges", "subnet_id",
		"vnet_integration_enabled", "virtual_network_integration_enabled"),
	"azure_active_directory_role_based_access_control": aadSchema,
	"role_based_access_control": leaf("enabled").with(map[string]schema{
		"azure_active_directory": aadSchema,
	}),
	"identity":          leaf("type", "identity_ids", "user_assigned_identity_id", "principal_id", "tenant_id"),
	"service_principal": leaf("client_id", "client_secret"),
	"linux_profile":     leaf("admin_username", "ssh_key"),
	"network_profile": leaf(strings.Fields(`
		network_plugin network_plugin_mode network_policy network_mode
		network_data_plane ebpf_data_plane outbound_type load_balancer_sku
		load_balancer_profile nat_gateway_profile advanced_networking
		dns_service_ip docker_bridge_cidr pod_cidr pod_cidrs service_cidr
		service_cidrs ip_versions`)...),
	"oms_agent":                  leaf("log_analytics_workspace_id", "msi_auth_for_monitoring_enabled", "oms_agent_identity"),
	"key_vault_secrets_provider": leaf("secret_rotation_enabled", "secret_rotation_interval", "secret_identity"),
	"aci_connector_linux":        leaf("subnet_name", "connector_identity"),
	"microsoft_defender":         leaf("log_analytics_workspace_id"),
	"key_management_service":     leaf("key_vault_key_id", "key_vault_network_access"),
	// Provider 2.x and earlier.
	"addon_profile": leaf().with(map[string]schema{
		"kube_dashboard":           leaf("enabled"),
		"http_application_routing": leaf("enabled", "http_application_routing_zone_name"),
		"azure_policy":             leaf("enabled"),
		"oms_agent":                leaf("enabled", "log_analytics_workspace_id", "oms_agent_identity"),
		"aci_connector_linux":      leaf("enabled", "subnet_name"),
		"open_service_mesh":        leaf("enabled"),
		"azure_keyvault_secrets_provider": leaf("enabled", "secret_rotation_enabled",
			"secret_rotation_interval", "secret_identity"),
		"ingress_application_gateway": leaf("enabled", "gateway_id", "gateway_name", "subnet_cidr",
			"subnet_id", "effective_gateway_id", "ingress_application_gateway_identity"),
	}),
})

// aadSchema is azure_active_directory_role_based_access_control (3.x and
// later) and role_based_access_control.azure_active_directory (2.x).
var aadSchema = leaf("managed", "tenant_id", "admin_group_object_ids", "azure_rbac_enabled",
	"client_app_id", "server_app_id", "server_app_secret")

// diagSchema is azurerm_monitor_diagnostic_setting.
var diagSchema = leaf(strings.Fields(`
	name target_resource_id log_analytics_workspace_id log_analytics_destination_type
	storage_account_id eventhub_authorization_rule_id eventhub_name
	partner_solution_id metric enabled_metric`)...).with(map[string]schema{
	"enabled_log": leaf("category", "category_group", "retention_policy"),
	"log":         leaf("category", "category_group", "enabled", "retention_policy"),
})

func init() {
	for _, s := range []schema{clusterSchema, poolSchema, diagSchema} {
		for _, m := range metaArgs {
			s[m] = nil
		}
	}
}

// unrecognised lists what a block sets outside its schema, in the order of
// the input (by line, then name): "ADDRESS.ARG (FILE:LINE)".
func unrecognised(b block, s schema, file string) []string {
	type hit struct {
		text string
		line int
	}
	var hits []hit
	var walk func(b block, s schema)
	walk = func(b block, s schema) {
		for _, n := range b.names() {
			sub, ok := s[n.name]
			switch {
			case !ok:
				hits = append(hits, hit{fmt.Sprintf("%s.%s (%s)", b.path(), n.name, at(file, n.line)), n.line})
			case sub != nil:
				bs, _ := b.blocks(n.name)
				for _, nb := range bs {
					walk(nb, sub)
				}
			}
		}
	}
	walk(b, s)
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].line != hits[j].line {
			return hits[i].line < hits[j].line
		}
		return hits[i].text < hits[j].text
	})
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.text)
	}
	return out
}

func at(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// sensitiveArgs are the arguments the azurerm provider marks sensitive
// (Sensitive: true in its schema), by resource type, as nested schemas:
// a nil entry is a sensitive argument (or a block sensitive as a whole),
// a non-nil one a block holding sensitive arguments. Their values are
// never read, whatever the plan's sensitivity marks say, and in HCL the
// variables and locals that feed them are sensitive wherever else they
// are used, whether or not the variable is declared sensitive.
// http_proxy_config's trusted_ca and proxy URLs (which may hold
// credentials) are treated as sensitive too.
var sensitiveArgs = map[string]schema{
	typeCluster: leaf("kube_config", "kube_config_raw", "kube_admin_config", "kube_admin_config_raw").with(map[string]schema{
		"service_principal": leaf("client_secret"),
		"windows_profile":   leaf("admin_password"),
		"azure_active_directory_role_based_access_control": leaf("server_app_secret"),
		"role_based_access_control": leaf().with(map[string]schema{
			"azure_active_directory": leaf("server_app_secret"),
		}),
		"http_proxy_config": leaf("trusted_ca", "http_proxy", "https_proxy"),
	}),
}

// isSensitiveArg reports whether name in a block whose sensitive schema is
// s is a sensitive argument; sub is the schema of a nested block.
func isSensitiveArg(s schema, name string) (sensitive bool, sub schema) {
	if s == nil {
		return false, nil
	}
	n, ok := s[name]
	if !ok {
		return false, nil
	}
	return n == nil, n
}
