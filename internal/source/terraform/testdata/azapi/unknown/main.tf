# Values known only after apply, or from a variable without a default,
# leave only the fields below them unknown.
variable "local_accounts_off" {
  type = bool
}

resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-unknown"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      disableLocalAccounts = var.local_accounts_off
      networkProfile       = azurerm_virtual_network.net.network_profile
      enableRBAC           = true
      agentPoolProfiles    = local.pools
    }
  }
}

locals {
  pools = [for p in azurerm_resource_group.rg.tags : p]
}
