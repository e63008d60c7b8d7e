# The tfhcl form of this variant (examples/hardened/terraform) with for_each
# on the cluster: its one instance is azurerm_kubernetes_cluster.payments["prod"],
# and the pool and the diagnostic setting iterate over the clusters.

# The hardened example cluster (examples/hardened/aks-payments-prod.json) as
# Terraform.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.40"
    }
  }
}

provider "azurerm" {
  features {}
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "admin_group_object_id" {
  type    = string
  default = "9c2b7e4a-1d3f-4e8b-a6c5-0f9d8e7c6b5a"
}

variable "log_analytics_workspace_id" {
  type    = string
  default = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-platform-prod"
}

resource "azurerm_resource_group" "payments" {
  name     = "rg-payments-prod"
  location = var.location
}

resource "azurerm_user_assigned_identity" "aks" {
  name                = "id-aks-payments-prod"
  resource_group_name = azurerm_resource_group.payments.name
  location            = var.location
}

resource "azurerm_kubernetes_cluster" "payments" {
  for_each = toset(["prod"])

  name                = "aks-payments-prod"
  location            = azurerm_resource_group.payments.location
  resource_group_name = azurerm_resource_group.payments.name
  dns_prefix          = "aks-payments-prod"
  kubernetes_version  = "1.36"
  sku_tier            = "Standard"

  private_cluster_enabled             = true
  private_cluster_public_fqdn_enabled = false
  local_account_disabled              = true
  role_based_access_control_enabled   = true
  oidc_issuer_enabled                 = true
  workload_identity_enabled           = true
  azure_policy_enabled                = true
  image_cleaner_enabled               = true
  image_cleaner_interval_hours        = 48
  automatic_upgrade_channel           = "patch"
  node_os_upgrade_channel             = "NodeImage"

  azure_active_directory_role_based_access_control {
    admin_group_object_ids = [var.admin_group_object_id]
    azure_rbac_enabled     = true
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = 3
    only_critical_addons_enabled = true
    host_encryption_enabled      = true
    os_sku                       = "AzureLinux"
    zones                        = ["1", "2", "3"]
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    outbound_type       = "userDefinedRouting"
  }

  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = var.log_analytics_workspace_id
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  key_management_service {
    key_vault_key_id         = "https://kv-payments-prod.vault.azure.net/keys/etcd/0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    key_vault_network_access = "Private"
  }

  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    day_of_week = "Sunday"
    start_time  = "01:00"
    duration    = 4
    utc_offset  = "+00:00"
  }

  maintenance_window_node_os {
    frequency   = "Weekly"
    interval    = 1
    day_of_week = "Sunday"
    start_time  = "01:00"
    duration    = 4
    utc_offset  = "+00:00"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  for_each = azurerm_kubernetes_cluster.payments

  name                    = "apps"
  kubernetes_cluster_id   = each.value.id
  vm_size                 = "Standard_D8ds_v5"
  mode                    = "User"
  auto_scaling_enabled    = true
  min_count               = 3
  max_count               = 12
  host_encryption_enabled = true
  os_sku                  = "AzureLinux"
  zones                   = ["1", "2", "3"]
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  for_each = azurerm_kubernetes_cluster.payments

  name                           = "aks-to-law"
  target_resource_id             = each.value.id
  log_analytics_workspace_id     = var.log_analytics_workspace_id
  log_analytics_destination_type = "Dedicated"

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

# The registry the cluster pulls from (examples/hardened/acr-paymentsprodacr.json
# as Terraform), one per key, each reached through its private endpoint.
resource "azurerm_container_registry" "payments" {
  for_each                      = toset(["prod"])
  name                          = "payments${each.key}acr"
  resource_group_name           = azurerm_resource_group.payments.name
  location                      = var.location
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  for_each            = azurerm_container_registry.payments
  name                = "pe-${each.value.name}"
  location            = var.location
  resource_group_name = azurerm_resource_group.payments.name
  subnet_id           = "/subscriptions/3f2c8b1e-6a4d-4c1f-9e2a-7b5d0c9e1a24/resourceGroups/rg-payments-prod/providers/Microsoft.Network/virtualNetworks/vnet-payments/subnets/endpoints"

  private_service_connection {
    name                           = "acr-${each.key}"
    private_connection_resource_id = each.value.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
