# azapi 1.x: body = jsonencode({...}). Shaped after
# Azure/terraform-provider-azapi examples (MPL-2.0).
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2023-04-02-preview"
  name      = "aks-v1"
  parent_id = azurerm_resource_group.rg.id
  location  = "westeurope"
  body = jsonencode({
    properties = {
      disableLocalAccounts = false
      agentPoolProfiles = [
        {
          name               = "default"
          mode               = "System"
          enableNodePublicIP = true
        }
      ]
    }
  })
}
