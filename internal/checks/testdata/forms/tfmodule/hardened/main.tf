# The tfhcl form of this variant (examples/hardened/terraform) called as a
# module with count: its cluster is module.aks[0].azurerm_kubernetes_cluster.*
module "aks" {
  count  = 1
  source = "../../../../../../examples/hardened/terraform"
}
