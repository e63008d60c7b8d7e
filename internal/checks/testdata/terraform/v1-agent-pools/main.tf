# azurerm 1.x: agent_pool_profile blocks instead of default_node_pool.
resource "azurerm_kubernetes_cluster" "old" {
  name                = "aks-old"
  location            = "westeurope"
  resource_group_name = "rg-old"
  dns_prefix          = "aks-old"

  agent_pool_profile {
    name    = "linux"
    count   = 2
    vm_size = "Standard_D2_v2"
    os_type = "Linux"
  }

  agent_pool_profile {
    name                  = "public"
    count                 = 1
    vm_size               = "Standard_D2_v2"
    os_type               = "Linux"
    enable_node_public_ip = true
  }

  service_principal {
    client_id     = "2f4e6a8c-0b1d-4e3f-a5c7-e9f1a3b5c7d9"
    client_secret = "not-a-real-secret"
  }

  role_based_access_control {
    enabled = true
  }
}
