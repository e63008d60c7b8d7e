# Arguments aksguard does not read, on the cluster and on its default pool.
resource "azurerm_kubernetes_cluster" "c" {
  name                   = "aks-c"
  location               = "westeurope"
  resource_group_name    = "rg-c"
  dns_prefix             = "aks-c"
  local_account_disabled = true
  rbac_mode              = "disabled"

  default_node_pool {
    name              = "system"
    node_count        = 1
    vm_size           = "Standard_D2_v2"
    public_ip_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }
}
