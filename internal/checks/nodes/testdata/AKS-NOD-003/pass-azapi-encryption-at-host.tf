# azapi: a separate agentPools resource with enableEncryptionAtHost = true
resource "azapi_resource" "demo" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-demo"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-demo"
  body = jsonencode({
    properties = {
      agentPoolProfiles = [
        { name = "system", mode = "System", enableEncryptionAtHost = true }
      ]
    }
  })
}

resource "azapi_resource" "user" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2024-05-01"
  name      = "user"
  parent_id = azapi_resource.demo.id
  body = jsonencode({
    properties = { mode = "User", enableEncryptionAtHost = true }
  })
}
