resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks"
  local_account_disabled = true
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
}
