resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-base"
  location               = "westeurope"
  resource_group_name    = "rg"
  local_account_disabled = true
  sku_tier               = "Free"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
  }
}

locals {
  channel = "stable"
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  for_each              = toset(["a", "b"])
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = "Standard_D4s_v5"
}
