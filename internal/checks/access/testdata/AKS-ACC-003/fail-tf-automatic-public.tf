# AKS Automatic cluster without private_cluster or api_server_access ranges: its API server is public (as Azure/terraform quickstart/101-aks-automatic, MIT).
resource "azurerm_kubernetes_automatic_cluster" "aks_automatic" {
  name                = "aks-automatic"
  location            = "westus2"
  resource_group_name = "rg-automatic"

  identity {
    type = "SystemAssigned"
  }
}
