# azapi 1.x: body is JSON text.
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2021-05-01"
  name      = "aks-json"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-json"
  body      = <<BODY
{
  "properties": {
    "enableRBAC": false,
    "disableLocalAccounts": true
  }
}
BODY
}
