# Two instances of one cluster that differ (count), and a node pool of a
# cluster that is not in the scan (a literal ID): one result per instance,
# and the pool judged under a stand-in of its cluster.
resource "azurerm_kubernetes_cluster" "c" {
  count                  = 2
  name                   = "aks-${count.index}"
  location               = "westeurope"
  resource_group_name    = "rg"
  local_account_disabled = count.index == 0
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4ds_v5"
  }
  identity { type = "SystemAssigned" }
}

resource "azurerm_kubernetes_cluster_node_pool" "edge" {
  name                   = "edge"
  kubernetes_cluster_id  = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop"
  vm_size                = "Standard_D4ds_v5"
  node_public_ip_enabled = true
}
