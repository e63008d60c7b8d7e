resource "azurerm_kubernetes_cluster" "other" {
  local_account_disabled = false
}
