# Terraform: azurerm_container_registry with admin_enabled = false and public_network_access_enabled = false, and an azurerm_private_endpoint connecting to it.
resource "azurerm_container_registry" "acr" {
  name                          = "acrshopprod"
  resource_group_name           = "rg-shop"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acrshopprod"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "acrshopprod"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
