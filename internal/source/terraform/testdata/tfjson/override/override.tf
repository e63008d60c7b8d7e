# Replaces an argument, a whole nested block type, and a local.
resource "azurerm_kubernetes_cluster" "main" {
  local_account_disabled    = false
  automatic_upgrade_channel = local.channel

  network_profile {
    network_plugin = "kubenet"
  }
}

locals {
  channel = "patch"
}
