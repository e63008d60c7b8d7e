package terraform

import (
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// typeAutoCluster is an AKS Automatic cluster (azurerm 4.x and later): a
// managed cluster of SKU Automatic whose configuration AKS chooses itself.
const typeAutoCluster = "azurerm_kubernetes_automatic_cluster"

// isClusterType reports whether a resource type declares an AKS cluster.
func isClusterType(typ string) bool { return typ == typeCluster || typ == typeAutoCluster }

// autoClusterSchema is azurerm_kubernetes_automatic_cluster as the provider
// documents it: a few arguments (identity, API server access, private
// cluster, hosted system pool, ingress, service mesh) and the attributes it
// exports.
var autoClusterSchema = leaf(strings.Fields(`
	name location resource_group_name tags hosted_system web_app_routing_ingress service_mesh
	current_kubernetes_version fully_qualified_domain_name private_fully_qualified_domain_name
	portal_fully_qualified_domain_name kube_admin_config kube_admin_config_raw kube_config
	kube_config_raw oidc_issuer_url node_resource_group_id web_app_routing_identity`)...).with(map[string]schema{
	"identity":          leaf("type", "identity_ids", "principal_id", "tenant_id"),
	"api_server_access": leaf("authorized_ip_ranges", "subnet_id"),
	"private_cluster":   leaf("public_fully_qualified_domain_name_enabled", "private_dns_zone_id"),
})

func init() {
	for _, m := range metaArgs {
		autoClusterSchema[m] = nil
	}
	sensitiveArgs[typeAutoCluster] = leaf("kube_config", "kube_config_raw", "kube_admin_config", "kube_admin_config_raw")
}

// whyAutomatic is the reason of every field an AKS Automatic cluster does
// not set in its arguments: AKS applies its own configuration there, and
// aksguard assumes none of it.
const whyAutomatic = "an AKS Automatic cluster (azurerm_kubernetes_automatic_cluster) has no argument for this: AKS chooses it, and aksguard does not assume its choice; scan the deployed cluster (az aks show -o json) to judge it"

// mapAutomaticCluster maps an azurerm_kubernetes_automatic_cluster. It
// reads what its arguments set (identity, authorized IP ranges, the private
// cluster block); every other field, add-on and the node pools, which AKS
// Automatic configures itself, is Unknown with whyAutomatic, so no control
// passes or fails on a default that is not AKS Automatic's.
func mapAutomaticCluster(b block, format inventory.Format, src inventory.Source) *inventory.Cluster {
	addr := b.path()
	c := &inventory.Cluster{Format: format, Source: src, TFAddress: addr}
	c.ID = stringOf(b.attr("id")).Or("")
	if c.ID == "" {
		c.ID = "tf:" + addr
	} else {
		c.Subscription, _ = arm.SplitID(c.ID)
	}
	c.Name = stringOf(b.attr("name")).Or(addr)
	c.ResourceGroup = stringOf(b.attr("resource_group_name")).Or("")
	c.Location = stringOf(b.attr("location")).Or("")
	c.CurrentKubernetesVersion = stringOf(b.attr("current_kubernetes_version"))

	// The API server is public unless the private_cluster block is there;
	// no authorized IP range is set unless api_server_access lists some.
	c.AuthorizedIPRanges = stringsOf(sub(b, "api_server_access").attr("authorized_ip_ranges"))
	private := sub(b, "private_cluster")
	c.PrivateCluster = private.present()
	c.PrivateClusterPublicFQDN = boolOf(private.attr("public_fully_qualified_domain_name_enabled"))
	// identity is required: a managed identity, never a service principal.
	c.IdentityType = stringOf(sub(b, "identity").attr("type"))
	c.ServicePrincipalClientID = inventory.Field[string]{Path: addr + ".service_principal", Line: b.line()}

	c.PoolsKnown, c.PoolsUnknown = false, "AKS Automatic manages the node pools of "+addr+" itself (node auto-provisioning); the configuration lists none"
	for _, name := range []string{"omsagent", "azurepolicy", "azureKeyvaultSecretsProvider", "httpApplicationRouting", "aciConnectorLinux", "kubeDashboard"} {
		c.SetAddon(&inventory.Addon{Name: name, Enabled: inventory.Unresolved[bool](whyAutomatic, addr, b.line()),
			Config: map[string]inventory.Field[string]{}, ConfigUnknown: inventory.Unresolved[string](whyAutomatic, addr, b.line())})
	}
	c.UnknownUnlessRead(whyAutomatic, addr, b.line())
	c.Unrecognised = unrecognised(b, autoClusterSchema, src.File)
	return c
}
