# azapi 2.x merges sensitive_body into body: what it sets is unknown, never
# unset; what it does not set is read from body.
variable "admin_password" {
  type      = string
  sensitive = true
  default   = "not-a-real-password"
}

resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "aks-sensitive"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
  body = {
    properties = {
      enableRBAC = true
      aadProfile = { managed = true }
    }
  }
  sensitive_body = {
    properties = {
      disableLocalAccounts = true
      windowsProfile       = { adminPassword = var.admin_password }
      aadProfile           = { enableAzureRBAC = true }
    }
  }
}
