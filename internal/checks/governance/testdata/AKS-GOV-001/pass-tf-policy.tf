# Terraform: azure_policy_enabled = true
resource "azurerm_kubernetes_cluster" "demo" {
  name                = "aks-demo"
  location            = "westeurope"
  resource_group_name = "rg-demo"
  dns_prefix          = "aks-demo"

  azure_policy_enabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4ds_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
