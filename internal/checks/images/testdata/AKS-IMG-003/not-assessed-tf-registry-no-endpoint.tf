# Terraform: the private registry without admin user, but no azurerm_private_endpoint here: one declared elsewhere would not be seen, so its endpoints are not counted as none.
resource "azurerm_container_registry" "acr" {
  name                          = "acrshopprod"
  resource_group_name           = "rg-shop"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}
