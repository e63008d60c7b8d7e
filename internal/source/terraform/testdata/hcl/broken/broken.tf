resource "azurerm_kubernetes_cluster_node_pool" "bad" {
  name                  = "bad"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.good.id
  vm_size               = "Standard_D4s_v5"
  node_taints           = ["a=b:NoSchedule"
}
