# azapi_update_resource patches a cluster after it is created (as
# Azure/terraform-azurerm-aks main.tf does, MIT): what it sets wins.
locals {
  api = azurerm_resource_group.rg.tags["api"]
}

resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-patched"
  location               = "westeurope"
  resource_group_name    = "rg"
  dns_prefix             = "aks"
  local_account_disabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4ds_v5"
    node_count = 1
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azapi_update_resource" "post_create" {
  resource_id = azurerm_kubernetes_cluster.main.id
  type        = "Microsoft.ContainerService/managedClusters@${local.api}"
  body = {
    properties = {
      disableLocalAccounts = false
      networkProfile       = { networkPolicy = "cilium" }
    }
  }
}

resource "azapi_update_resource" "pool" {
  resource_id = "${azurerm_kubernetes_cluster.main.id}/agentPools/system"
  type        = "Microsoft.ContainerService/managedClusters/agentPools@${local.api}"
  body        = { properties = { enableNodePublicIP = true } }
}

resource "azapi_update_resource" "elsewhere" {
  resource_id = data.azurerm_kubernetes_cluster.other.id
  type        = "Microsoft.ContainerService/managedClusters@2024-05-01"
  body        = { properties = { disableLocalAccounts = false } }
}
