# Stands for a registry module `terraform init` downloaded.
resource "azurerm_kubernetes_cluster" "this" {
  name                   = "aks-remote"
  location               = "westeurope"
  resource_group_name    = "rg-remote"
  local_account_disabled = true

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
}
