resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-bad"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
  body      = "{ properties: nope"
}
