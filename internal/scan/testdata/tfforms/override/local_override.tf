# A developer's override that turns local accounts back on.
resource "azurerm_kubernetes_cluster" "main" {
  local_account_disabled = false
}
