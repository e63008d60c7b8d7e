# azurerm 2.x: RBAC off and add-ons in addon_profile.
resource "azurerm_kubernetes_cluster" "old" {
  name                = "aks-old"
  location            = "westeurope"
  resource_group_name = "rg-old"
  dns_prefix          = "aks-old"
  kubernetes_version  = "1.36.3"

  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }

  identity {
    type = "SystemAssigned"
  }

  role_based_access_control {
    enabled = false
  }

  addon_profile {
    kube_dashboard {
      enabled = true
    }
    http_application_routing {
      enabled = true
    }
    azure_policy {
      enabled = false
    }
    oms_agent {
      enabled                    = true
      log_analytics_workspace_id = "/subscriptions/5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"
    }
  }
}
