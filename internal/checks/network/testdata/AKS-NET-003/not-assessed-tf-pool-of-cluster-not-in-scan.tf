# Terraform: the same pool without node public IPs: it passes, but the cluster's other pools are not in the scan, so the cluster is not judged.
resource "azurerm_kubernetes_cluster_node_pool" "edge" {
  name                   = "edge"
  kubernetes_cluster_id  = var.cluster_id
  vm_size                = "Standard_D4ds_v5"
  node_public_ip_enabled = false
}

variable "cluster_id" {
  type = string
}
