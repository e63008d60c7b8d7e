# AKS Automatic cluster: the resource has no argument for local accounts, and aksguard assumes nothing AKS Automatic chooses (as Azure/terraform quickstart/101-aks-automatic, MIT).
resource "azurerm_kubernetes_automatic_cluster" "aks_automatic" {
  name                = "aks-automatic"
  location            = "westus2"
  resource_group_name = "rg-automatic"

  identity {
    type = "SystemAssigned"
  }
}
