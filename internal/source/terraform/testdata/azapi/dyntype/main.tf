# The API version comes from a resource attribute: the type cannot be known.
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@${terraform_data.api.output}"
  name      = "aks-dyn"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
  body      = {}
}
