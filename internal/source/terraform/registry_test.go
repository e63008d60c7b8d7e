package terraform

import (
	"fmt"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestContainerRegistry: azurerm_container_registry in HCL and plans, with
// the azurerm_private_endpoint resources of the same input that connect to
// it counted; none found, or one whose target cannot be read, is an
// Unknown count, never zero.
func TestContainerRegistry(t *testing.T) {
	const acr = `
resource "azurerm_container_registry" "acr" {
  name                          = "acrprod"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = %s
  public_network_access_enabled = %s
}
`
	const pe = `
resource "azurerm_private_endpoint" "acr" {
  %s
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = %s
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
`
	hcl := func(admin, public, peMeta, target string) *inventory.Batch {
		src := fmt.Sprintf(acr, admin, public)
		if target != "" {
			src += fmt.Sprintf(pe, peMeta, target)
		}
		src += `variable "enabled" { type = bool }` + "\n" + `variable "acr_id" { type = string }` + "\n"
		return DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(src)}, nil)
	}
	const a = "azurerm_container_registry.acr"
	tests := []struct {
		name string
		b    *inventory.Batch
		want []expect
	}{
		{"private, one endpoint", hcl("false", "false", "", "azurerm_container_registry.acr.id"), []expect{
			known("PublicNetworkAccess", "Disabled", a+".public_network_access_enabled"),
			known("AdminUserEnabled", false, a+".admin_enabled"),
			known("PrivateEndpoints", 1, "azurerm_private_endpoint.acr"),
		}},
		{"endpoints by count over the registry", hcl("true", "true", "count = 2", "azurerm_container_registry.acr.id"), []expect{
			known("PublicNetworkAccess", "Enabled", ""),
			known("AdminUserEnabled", true, ""),
			known("PrivateEndpoints", 2, "azurerm_private_endpoint.acr[0]"),
		}},
		{"endpoint for_each over the registries", DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(fmt.Sprintf(acr, "false", "false") +
			fmt.Sprintf(pe, "for_each = { one = azurerm_container_registry.acr }", "each.value.id"))}, nil), []expect{
			known("PrivateEndpoints", 1, `azurerm_private_endpoint.acr["one"]`),
		}},
		{"no endpoint here", hcl("false", "var.enabled", "", ""), []expect{
			unknown("PublicNetworkAccess", a+".public_network_access_enabled", "var.enabled has no default"),
			unknown("PrivateEndpoints", a+" (private endpoints)", "no azurerm_private_endpoint in this configuration connects to the registry"),
		}},
		{"endpoint to an unknown target", hcl("false", "false", "", "var.acr_id"), []expect{
			unknown("PrivateEndpoints", "", "private endpoint azurerm_private_endpoint.acr (mem/main.tf:11): azurerm_private_endpoint.acr.private_service_connection[0].private_connection_resource_id = var.acr_id names no resource of this configuration"),
		}},
		{"endpoint whose count is not known", hcl("false", "false", "count = var.enabled ? 1 : 0", "azurerm_container_registry.acr.id"), []expect{
			unknown("PrivateEndpoints", "", "its count `var.enabled ? 1 : 0`: var.enabled has no default"),
		}},
		{"defaults", DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(`resource "azurerm_container_registry" "acr" {
  name = "acr"
  sku  = "Basic"
}`)}, nil), []expect{
			absent("PublicNetworkAccess", a+".public_network_access_enabled"),
			absent("AdminUserEnabled", a+".admin_enabled"),
		}},
		{"azapi registry, azurerm endpoint", DecodeHCLDir("mem", map[string][]byte{"main.tf": []byte(`resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrprod"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
  body      = { properties = { adminUserEnabled = false, publicNetworkAccess = "Disabled" } }
}` + fmt.Sprintf(pe, "", "azapi_resource.acr.id"))}, nil), []expect{
			known("PublicNetworkAccess", "Disabled", "azapi_resource.acr.body.properties.publicNetworkAccess"),
			known("PrivateEndpoints", 1, "azurerm_private_endpoint.acr"),
		}},
		{"plan", DecodePlanJSON(readFile(t, "testdata/plan/registry.json"), "registry.json"), []expect{
			known("PublicNetworkAccess", "Disabled", a+".public_network_access_enabled"),
			known("AdminUserEnabled", false, a+".admin_enabled"),
			known("PrivateEndpoints", 1, "azurerm_private_endpoint.acr"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.b.Errors) != 0 {
				t.Fatalf("errors %v", tt.b.Errors)
			}
			if len(tt.b.Registries) != 1 {
				t.Fatalf("%d registries, want 1", len(tt.b.Registries))
			}
			r := tt.b.Registries[0]
			if r.ID != "tf:"+a && r.ID != "tf:azapi_resource.acr" {
				t.Errorf("id %q", r.ID)
			}
			checkFields(t, a, r, tt.want)
		})
	}
}
