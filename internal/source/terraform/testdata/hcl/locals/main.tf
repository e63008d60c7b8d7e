locals {
  # Refers to locals declared further down.
  cluster_name = "${local.prefix}-${local.env}"
  tags         = merge(local.base_tags, { env = local.env })
  ranges       = concat(local.office_ranges, ["198.51.100.7/32"])
  cluster_id   = azurerm_kubernetes_cluster.main.id
  settings = {
    private = true
    subnet  = azurerm_subnet.aks.id
  }
}

locals {
  prefix        = "aks"
  env           = lower(var.environment)
  base_tags     = { owner = "platform" }
  office_ranges = ["203.0.113.0/24"]
  channel       = upper(substr(var.environment, 0, 1)) == "P" ? "patch" : "rapid"
}

variable "environment" {
  type    = string
  default = "PROD"
}

resource "azurerm_kubernetes_cluster" "main" {
  name                    = local.cluster_name
  location                = "westeurope"
  resource_group_name     = "rg-locals"
  dns_prefix              = local.cluster_name
  private_cluster_enabled = local.settings.private
  tags                    = local.tags

  automatic_upgrade_channel = local.channel
  node_os_upgrade_channel   = azurerm_resource_group.main.tags["os_channel"]

  api_server_access_profile {
    authorized_ip_ranges = local.ranges
    subnet_id            = local.settings.subnet
  }

  default_node_pool {
    name           = "system"
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = local.settings.subnet
    node_taints    = [for t in ["CriticalAddonsOnly=true:NoSchedule"] : t]
  }

  network_profile {
    network_plugin = "azure"
    network_policy = cidrsubnet("10.0.0.0/16", 8, 1)
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = local.cluster_id
  vm_size               = "Standard_F8s_v2"
  mode                  = "User"
}
