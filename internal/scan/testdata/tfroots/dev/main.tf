# dev disables local accounts and sends the API server's logs to a
# workspace: its diagnostic setting must join dev's cluster only.
resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks"
  location               = "westeurope"
  resource_group_name    = "rg-dev"
  dns_prefix             = "aks"
  local_account_disabled = true

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-diag"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "kube-apiserver"
  }
}
