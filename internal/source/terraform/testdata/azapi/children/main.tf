# A cluster with a separate agent pool and a diagnostic setting, all azapi.
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2025-02-01"
  name      = "aks-kids"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kids"
  body = {
    properties = {
      agentPoolProfiles = [{ name = "system", mode = "System" }]
    }
  }
}

resource "azapi_resource" "user" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2025-02-01"
  name      = "user"
  parent_id = azapi_resource.aks.id
  body = {
    properties = {
      mode               = "User"
      enableNodePublicIP = true
    }
  }
}

resource "azapi_resource" "diag" {
  type      = "Microsoft.Insights/diagnosticSettings@2021-05-01-preview"
  name      = "aks-diag"
  parent_id = azapi_resource.aks.id
  body = {
    properties = {
      workspaceId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kids/providers/Microsoft.OperationalInsights/workspaces/log"
      logs = [
        { category = "kube-audit-admin", enabled = true }
      ]
    }
  }
}

resource "azapi_resource" "vnet" {
  type      = "Microsoft.Network/virtualNetworks@2024-01-01"
  name      = "not-read"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kids"
  body      = { properties = {} }
}

resource "azapi_resource" "maint" {
  type      = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations@2024-05-01"
  name      = "aksManagedAutoUpgradeSchedule"
  parent_id = azapi_resource.aks.id
  body = {
    properties = {
      maintenanceWindow = { durationHours = 4, schedule = { weekly = { dayOfWeek = "Sunday", intervalWeeks = 1 } }, startTime = "00:00" }
    }
  }
}

resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrkids"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kids"
  body = {
    sku = { name = "Premium" }
    properties = {
      adminUserEnabled    = true
      publicNetworkAccess = var.acr_public
    }
  }
}
