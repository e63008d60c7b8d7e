# Resource instances. ../../plan/instances.json is this configuration in
# the shape `terraform show -json` prints a plan (hand-written, trimmed to
# what aksguard reads): HCL and plan must give the same cluster addresses
# and join the same pools and settings.
variable "clusters" {
  default = {
    prod = { local = false }
    dev  = { local = true }
  }
}

resource "azurerm_kubernetes_cluster" "c" {
  for_each               = var.clusters
  name                   = "aks-${each.key}"
  location               = "westeurope"
  resource_group_name    = "rg"
  dns_prefix             = "aks-${each.key}"
  local_account_disabled = !each.value.local
  default_node_pool {
    name       = "sys"
    vm_size    = "Standard_D4s_v5"
    node_count = 1
  }
  identity { type = "SystemAssigned" }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  for_each              = azurerm_kubernetes_cluster.c
  name                  = "apps"
  kubernetes_cluster_id = each.value.id
  vm_size               = "Standard_D4s_v5"
}

resource "azurerm_monitor_diagnostic_setting" "d" {
  for_each                   = azurerm_kubernetes_cluster.c
  name                       = "diag-${each.key}"
  target_resource_id         = each.value.id
  log_analytics_workspace_id = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
  enabled_log { category = "kube-audit" }
}
