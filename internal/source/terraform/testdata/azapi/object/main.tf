# azapi 2.x: body is an HCL object. Shaped after Azure/terraform
# quickstart/101-aks-extended-zones/main.tf (MIT).
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-azapi"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-azapi"
  location  = "westeurope"
  identity {
    type = "UserAssigned"
  }
  body = {
    sku = {
      name = "Base"
      tier = "Standard"
    }
    properties = {
      kubernetesVersion    = "1.34"
      disableLocalAccounts = true
      enableRBAC           = true
      aadProfile = {
        managed         = true
        enableAzureRBAC = true
      }
      apiServerAccessProfile = {
        enablePrivateCluster = true
      }
      networkProfile = {
        networkPlugin = "azure"
        networkPolicy = "cilium"
      }
      addonProfiles = {
        azurepolicy = {
          enabled = true
        }
      }
      agentPoolProfiles = [
        {
          name                   = "system"
          mode                   = "System"
          enableEncryptionAtHost = true
        }
      ]
    }
  }
}
