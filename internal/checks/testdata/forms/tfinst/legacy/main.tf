# The tfhcl form of this variant with count on the cluster: its one
# instance is azurerm_kubernetes_cluster.main[0]; the variant's companion
# JSON is scanned beside it (formPaths).

resource "azurerm_kubernetes_cluster" "main" {
  count = 1
  name = "aks-legacy"
  location = "westeurope"
  resource_group_name = "rg-legacy"
  dns_prefix = "aks-legacy"
  kubernetes_version = "1.36.3"
  sku_tier = "Free"
  private_cluster_enabled = false
  local_account_disabled = false
  oidc_issuer_enabled = true
  workload_identity_enabled = true
  image_cleaner_enabled = false
  automatic_channel_upgrade = "patch"
  node_os_channel_upgrade = "NodeImage"
  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24", "198.51.100.7"]
  }
  service_principal {
    client_id = "2f4e6a8c-0b1d-4e3f-a5c7-e9f1a3b5c7d9"
  }
  network_profile {
    network_plugin = "azure"
    outbound_type = "loadBalancer"
  }
  microsoft_defender {
    log_analytics_workspace_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"
  }
  key_management_service {
    key_vault_key_id = "https://kv-x.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef"
    key_vault_network_access = "Public"
  }
  default_node_pool {
    name = "system"
    vm_size = "Standard_D4ds_v5"
    node_count = 3
    orchestrator_version = "1.36.3"
    enable_node_public_ip = false
    enable_host_encryption = true
    only_critical_addons_enabled = true
  }
  role_based_access_control {
    enabled = true
    azure_active_directory {
      managed = false
      client_app_id = "0b1c2d3e-0000-4000-8000-00000000000a"
      server_app_id = "0b1c2d3e-0000-4000-8000-00000000000b"
      tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    }
  }
  addon_profile {
    azure_policy {
      enabled = false
    }
    http_application_routing {
      enabled = true
    }
    kube_dashboard {
      enabled = true
    }
    oms_agent {
      enabled = false
    }
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                    = "apps"
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.main[0].id
  vm_size                 = "Standard_D8ds_v5"
  mode                    = "User"
  orchestrator_version    = "1.36.1"
  enable_node_public_ip   = false
  enable_host_encryption  = true
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  count = length(azurerm_kubernetes_cluster.main)
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main[count.index].id
  log_analytics_workspace_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"

  log {
    category = "kube-apiserver"
    enabled  = true
  }

  log {
    category = "kube-controller-manager"
    enabled  = true
  }

  log {
    category = "kube-audit"
    enabled  = false
  }
}
