# The tfhcl form of this variant with for_each over a map on the cluster:
# its one instance is azurerm_kubernetes_cluster.main["prod"], which the
# diagnostic setting names by key; the variant's companion JSON is scanned
# beside it (formPaths).

resource "azurerm_kubernetes_cluster" "main" {
  for_each = { prod = "aks-exposed" }
  name = each.value
  location = "westeurope"
  resource_group_name = "rg-exposed"
  dns_prefix = "aks-exposed"
  kubernetes_version = "1.34.1"
  sku_tier = "Standard"
  private_cluster_enabled = false
  local_account_disabled = true
  role_based_access_control_enabled = false
  oidc_issuer_enabled = false
  workload_identity_enabled = false
  azure_policy_enabled = true
  http_application_routing_enabled = false
  image_cleaner_enabled = true
  automatic_upgrade_channel = "stable"
  node_os_upgrade_channel = "SecurityPatch"
  disk_encryption_set_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-exposed/providers/Microsoft.Compute/diskEncryptionSets/des"
  api_server_access_profile {
    authorized_ip_ranges = ["0.0.0.0/32", "10.0.0.0/8"]
  }
  azure_active_directory_role_based_access_control {
    admin_group_object_ids = []
    azure_rbac_enabled = false
    tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  }
  service_principal {
    client_id = "8d3f0c1a-2b4e-4f6a-9c7d-1e2f3a4b5c6d"
  }
  network_profile {
    network_plugin = "azure"
    outbound_type = "managedNATGateway"
    network_policy = "calico"
  }
  oms_agent {
    log_analytics_workspace_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"
  }
  key_vault_secrets_provider {
    secret_rotation_enabled = false
  }
  aci_connector_linux {
    subnet_name = "virtual-node-subnet"
  }
  linux_profile {
    admin_username = "azureuser"
    ssh_key {
      key_data = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAksguardExampleOnlyPublicKey ops@example"
    }
  }
  maintenance_window {
    allowed {
      day = "Sunday"
      hours = [1, 2]
    }
  }
  default_node_pool {
    name = "system"
    vm_size = "Standard_D4ds_v5"
    node_count = 3
    orchestrator_version = "1.34.1"
    node_public_ip_enabled = false
    host_encryption_enabled = false
    only_critical_addons_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main["prod"].id
  log_analytics_workspace_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"

  enabled_log {
    category = "kube-audit-admin"
  }
}
