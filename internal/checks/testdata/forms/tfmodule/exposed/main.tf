# The tfhcl form of this variant called as a module with for_each: its
# cluster is module.aks["prod"].azurerm_kubernetes_cluster.*; the variant's
# companion JSON is scanned beside it (formPaths).
module "aks" {
  for_each = toset(["prod"])
  source   = "../../tfhcl/exposed"
}
