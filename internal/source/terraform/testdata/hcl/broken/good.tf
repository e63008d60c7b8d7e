resource "azurerm_kubernetes_cluster" "good" {
  name                = "aks-good"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "good"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
}
