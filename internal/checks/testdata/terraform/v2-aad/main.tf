# azurerm 2.x: managed AAD nested in role_based_access_control, admin
# groups known only after apply.
data "azuread_group" "admins" {
  display_name = "aks-admins"
}

resource "azurerm_kubernetes_cluster" "old" {
  name                = "aks-old"
  location            = "westeurope"
  resource_group_name = "rg-old"
  dns_prefix          = "aks-old"

  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }

  identity {
    type = "SystemAssigned"
  }

  role_based_access_control {
    enabled = true
    azure_active_directory {
      managed                = true
      admin_group_object_ids = [data.azuread_group.admins.object_id]
      azure_rbac_enabled     = true
    }
  }

  addon_profile {
    azure_policy {
      enabled = true
    }
    http_application_routing {
      enabled = false
    }
  }
}
