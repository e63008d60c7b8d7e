resource "azurerm_kubernetes_cluster" "this" {
  name                      = var.cluster_name
  location                  = "westeurope"
  resource_group_name       = "rg-vars"
  dns_prefix                = var.cluster_name
  private_cluster_enabled   = var.private
  automatic_upgrade_channel = var.upgrade_channel
  sku_tier                  = var.sku_tier
  local_account_disabled    = "true"

  api_server_access_profile {
    authorized_ip_ranges = var.api_ranges
  }

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  service_principal {
    client_id     = var.sp_client_id
    client_secret = var.sp_client_secret
  }

  network_profile {
    network_plugin = "azure"
    network_policy = var.network_policy
  }

  dynamic "oms_agent" {
    for_each = var.workspace_id == null ? [] : [var.workspace_id]
    content {
      log_analytics_workspace_id = oms_agent.value
    }
  }

  dynamic "microsoft_defender" {
    for_each = var.pool_count > 0 ? [1] : []
    content {
      log_analytics_workspace_id = "x"
    }
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "extra" {
  count                 = var.pool_count
  name                  = "extra${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  vm_size               = "Standard_D4s_v5"
}

resource "azurerm_kubernetes_cluster" "disabled" {
  count               = 0
  name                = "never"
  location            = "westeurope"
  resource_group_name = "rg-vars"
  dns_prefix          = "never"
}
