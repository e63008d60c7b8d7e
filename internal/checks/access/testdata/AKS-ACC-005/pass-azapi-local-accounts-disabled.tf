# azapi: body.properties.disableLocalAccounts = true
resource "azapi_resource" "demo" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-demo"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-demo"
  location  = "westeurope"
  identity {
    type = "SystemAssigned"
  }
  body = {
    properties = {
      dnsPrefix            = "aks-demo"
      disableLocalAccounts = true
      agentPoolProfiles = [
        { name = "system", mode = "System", vmSize = "Standard_D4ds_v5", count = 3 }
      ]
    }
  }
}
