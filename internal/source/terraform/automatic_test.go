package terraform

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestAutomaticCluster: azurerm_kubernetes_automatic_cluster in HCL and in
// a plan maps what its arguments set; what AKS Automatic chooses itself is
// Unknown (whyAutomatic), never a default of azurerm_kubernetes_cluster.
func TestAutomaticCluster(t *testing.T) {
	const a = "azurerm_kubernetes_automatic_cluster.aks_automatic"
	// From Azure/terraform quickstart/101-aks-automatic-private-custom-network
	// (MIT), with literal IDs for the references.
	const private = `
resource "azurerm_kubernetes_automatic_cluster" "aks_automatic" {
  name                = "aks-auto"
  location            = "westus2"
  resource_group_name = "rg"
  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks"]
  }
  api_server_access {
    subnet_id            = azurerm_subnet.api_server.id
    authorized_ip_ranges = ["203.0.113.0/24"]
  }
  private_cluster {
    public_fully_qualified_domain_name_enabled = var.public_fqdn
  }
  kube_config_raw = "never read"
}
variable "public_fqdn" { default = true }
resource "azurerm_monitor_diagnostic_setting" "d" {
  name                       = "d"
  target_resource_id         = azurerm_kubernetes_automatic_cluster.aks_automatic.id
  log_analytics_workspace_id = "law"
}`
	const plan = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"` + a + `","mode":"managed","type":"azurerm_kubernetes_automatic_cluster","name":"aks_automatic",
 "values":{"name":"aks-auto","location":"westus2","resource_group_name":"rg","identity":[{"type":"SystemAssigned","identity_ids":null}],
  "api_server_access":[],"private_cluster":[],"hosted_system":[],"tags":null}}]}}}`
	common := []expect{
		unknown("DisableLocalAccounts", a, "AKS Automatic"),
		unknown("AzureRBAC", a, "AKS Automatic"),
		unknown("NetworkPolicy", a, "AKS Automatic"),
		unknown("UpgradeChannel", a, "AKS Automatic"),
		unknown("SKUTier", a, "AKS Automatic"),
		absent("ServicePrincipalClientID", a+".service_principal"),
	}
	tests := []struct {
		name   string
		b      *inventory.Batch
		fields []expect
	}{
		{"hcl private", DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(private)}, nil), []expect{
			known("IdentityType", "UserAssigned", a+".identity[0].type"),
			known("PrivateCluster", true, a+".private_cluster"),
			known("PrivateClusterPublicFQDN", true, a+".private_cluster[0].public_fully_qualified_domain_name_enabled"),
			known("AuthorizedIPRanges", []string{"203.0.113.0/24"}, a+".api_server_access[0].authorized_ip_ranges"),
		}},
		{"plan public", DecodePlanJSON([]byte(plan), "plan.json"), []expect{
			known("IdentityType", "SystemAssigned", ""),
			absent("PrivateCluster", a+".private_cluster"),
			absent("AuthorizedIPRanges", a+".api_server_access[0].authorized_ip_ranges"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.b.Errors) != 0 {
				t.Fatalf("errors %v", tt.b.Errors)
			}
			c := clusterByAddress(t, tt.b, a)
			if c.Name != "aks-auto" || c.ID != "tf:"+a {
				t.Errorf("name %q id %q", c.Name, c.ID)
			}
			checkFields(t, a, c, append(tt.fields, common...))
			checkAddon(t, c, "azurepolicy", unknown("", a, "AKS Automatic"))
			if c.PoolsKnown || !strings.Contains(c.PoolsUnknown, "AKS Automatic manages the node pools") || len(c.AgentPools) != 0 {
				t.Errorf("pools known %v (%q), %d pools", c.PoolsKnown, c.PoolsUnknown, len(c.AgentPools))
			}
			if len(c.Unrecognised) != 0 {
				t.Errorf("unrecognised %v", c.Unrecognised)
			}
		})
	}
	// The diagnostic setting joins the automatic cluster.
	b := tests[0].b
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != "tf:"+a {
		t.Errorf("diagnostics %+v", b.Diagnostics)
	}
}
