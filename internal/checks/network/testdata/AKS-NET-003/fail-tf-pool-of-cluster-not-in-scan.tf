# Terraform: a node pool whose cluster (a literal ID) is not in the scan, with node_public_ip_enabled = true: the pool is judged, under a stand-in of its cluster.
resource "azurerm_kubernetes_cluster_node_pool" "edge" {
  name                   = "edge"
  kubernetes_cluster_id  = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod"
  vm_size                = "Standard_D4ds_v5"
  node_public_ip_enabled = true
}
