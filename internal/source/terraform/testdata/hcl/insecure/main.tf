terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-shop-dev"
  location = "westeurope"
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "law-shop-dev"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
}

# A quick dev cluster: public API server, kubenet, no Entra ID, local accounts.
resource "azurerm_kubernetes_cluster" "main" {
  name                             = "aks-shop-dev"
  location                         = azurerm_resource_group.main.location
  resource_group_name              = azurerm_resource_group.main.name
  dns_prefix                       = "aksshopdev"
  kubernetes_version               = "1.29"
  http_application_routing_enabled = true
  local_account_disabled           = false

  default_node_pool {
    name                   = "default"
    node_count             = 2
    vm_size                = "Standard_B4ms"
    node_public_ip_enabled = true
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
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "public" {
  name                   = "public"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.main.id
  vm_size                = "Standard_D8s_v5"
  node_count             = 2
  node_public_ip_enabled = true
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-diag"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  dynamic "enabled_log" {
    for_each = ["kube-apiserver", "kube-scheduler"]
    content {
      category = enabled_log.value
    }
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
