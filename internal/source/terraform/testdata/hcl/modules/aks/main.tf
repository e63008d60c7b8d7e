# A cluster module in the shape of Azure/terraform-azurerm-aks (MIT): the
# cluster's settings come from the caller's arguments.
variable "name" {
  type = string
}

variable "kubernetes_version" {
  type = string
}

variable "local_account_disabled" {
  type    = bool
  default = false
}

variable "subnet_id" {
  type    = string
  default = null
}

variable "sku" {
  type = object({
    tier = optional(string, "Free")
  })
  default = {}
}

locals {
  tier = var.sku.tier
}

resource "azurerm_kubernetes_cluster" "main" {
  name                   = var.name
  location               = "westeurope"
  resource_group_name    = "rg-${var.name}"
  local_account_disabled = var.local_account_disabled
  sku_tier               = local.tier
  kubernetes_version     = var.kubernetes_version

  default_node_pool {
    name           = "system"
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = var.subnet_id
  }

  identity {
    type = "SystemAssigned"
  }
}

output "cluster_id" {
  value = azurerm_kubernetes_cluster.main.id
}

output "cluster_name" {
  value = azurerm_kubernetes_cluster.main.name
}
