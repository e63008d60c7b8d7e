# Terraform: the default pool sets host_encryption_enabled = true
resource "azurerm_kubernetes_cluster" "demo" {
  name                = "aks-demo"
  location            = "westeurope"
  resource_group_name = "rg-demo"
  dns_prefix          = "aks-demo"

  sku_tier = "Standard"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4ds_v5"
    node_count = 3

    host_encryption_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }
}
