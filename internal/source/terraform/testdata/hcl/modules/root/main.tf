variable "prefix" {
  type    = string
  default = "shop"
}

locals {
  hardened = true
  # A local that reads a module output (evaluated again once module.net
  # is read).
  tier = module.net.tier
}

module "net" {
  source = "../net"
  prefix = var.prefix
}

# Inputs from a variable, a local and another module's static outputs.
module "aks" {
  source                 = "../aks"
  name                   = module.net.cluster_name
  local_account_disabled = local.hardened
  subnet_id              = module.net.subnet_id
  sku                    = { tier = local.tier }
}

# Instances: one cluster per key, each.key and each.value evaluated.
module "fleet" {
  for_each               = { prod = true, dev = false }
  source                 = "../aks"
  name                   = "fleet-${each.key}"
  local_account_disabled = each.value
}

module "counted" {
  count  = 2
  source = "../aks"
  name   = "counted-${count.index}"
}

module "off" {
  count  = 0
  source = "../aks"
  name   = "off"
}

# An input known only after apply.
module "unknown" {
  source                 = "../aks"
  name                   = "unknown"
  local_account_disabled = data.azurerm_client_config.current.object_id != ""
}

module "wrapped" {
  source = "../wrapper"
  name   = var.prefix
}

module "remote" {
  source  = "example/aks/azurerm"
  version = "1.0.0"
}

# Joins to the cluster inside module.aks through its output.
resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-audit"
  target_resource_id         = module.aks.cluster_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs"

  enabled_log {
    category = "kube-audit-admin"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = module.aks.cluster_id
  vm_size               = "Standard_D4s_v5"
}

# Instances not known offline: read once, count.index unknown.
variable "enabled" {
  type = bool
}

module "maybe" {
  count                  = var.enabled ? 1 : 0
  source                 = "../aks"
  name                   = "maybe"
  local_account_disabled = count.index == 0
}
