# The tfhcl form of this variant (examples/insecure/terraform) with count on
# the cluster: its one instance is azurerm_kubernetes_cluster.shop[0], and
# the pool and the diagnostic setting name it by index.

# The insecure example cluster (examples/insecure/aks-shop-prod.json) as
# Terraform. aksguard reads it statically: literals, variables with defaults
# and simple locals.

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

variable "kubernetes_version" {
  type    = string
  default = "1.31.5"
}

locals {
  name = "aks-shop-prod"
  tags = {
    env  = "prod"
    team = "shop"
  }
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop-prod"
  location = var.location
}

resource "azurerm_kubernetes_cluster" "shop" {
  count = 1

  name                = local.name
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  dns_prefix          = "aks-shop-prod-3f2c8b"
  kubernetes_version  = var.kubernetes_version
  sku_tier            = "Free"

  role_based_access_control_enabled = true
  local_account_disabled            = false
  http_application_routing_enabled  = true
  automatic_upgrade_channel         = "none"
  node_os_upgrade_channel           = "Unmanaged"

  default_node_pool {
    name                 = "systempool"
    vm_size              = "Standard_D4s_v5"
    node_count           = 2
    orchestrator_version = var.kubernetes_version
  }

  identity {
    type = "SystemAssigned"
  }

  linux_profile {
    admin_username = "azureuser"
    ssh_key {
      key_data = file("~/.ssh/id_rsa.pub")
    }
  }

  network_profile {
    network_plugin = "kubenet"
    outbound_type  = "loadBalancer"
  }

  tags = local.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  count = length(azurerm_kubernetes_cluster.shop)

  name                   = "userpool"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.shop[count.index].id
  vm_size                = "Standard_D8s_v5"
  mode                   = "User"
  orchestrator_version   = "1.30.9"
  auto_scaling_enabled   = true
  min_count              = 3
  max_count              = 10
  node_public_ip_enabled = true
  zones                  = ["1", "2", "3"]
}

resource "azurerm_storage_account" "logs" {
  name                     = "stshopprodlogs"
  resource_group_name      = azurerm_resource_group.shop.name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name               = "send-to-storage"
  target_resource_id = azurerm_kubernetes_cluster.shop[0].id
  storage_account_id = azurerm_storage_account.logs.id

  enabled_log {
    category = "kube-apiserver"
  }
}

# The registry the cluster pulls from (examples/insecure/acr-shopprodacr.json
# as Terraform): admin user on, public network access on by default.
resource "azurerm_container_registry" "shop" {
  count               = 1
  name                = "shopprodacr"
  resource_group_name = azurerm_resource_group.shop.name
  location            = var.location
  sku                 = "Standard"
  admin_enabled       = true
}
