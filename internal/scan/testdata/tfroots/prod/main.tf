# Two root modules that both define azurerm_kubernetes_cluster.main and
# the same cluster name: prod keeps local accounts and has no diagnostic
# setting.
resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks"
  location               = "westeurope"
  resource_group_name    = "rg-prod"
  dns_prefix             = "aks"
  local_account_disabled = false

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
