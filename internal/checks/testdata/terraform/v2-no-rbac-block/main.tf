# azurerm 2.x without role_based_access_control: 2.x creates the cluster
# without Kubernetes RBAC, 3.x and later with it.
resource "azurerm_kubernetes_cluster" "old" {
  name                = "aks-old"
  location            = "westeurope"
  resource_group_name = "rg-old"
  dns_prefix          = "aks-old"

  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }

  identity {
    type = "SystemAssigned"
  }

  addon_profile {
    kube_dashboard {
      enabled = false
    }
  }
}
