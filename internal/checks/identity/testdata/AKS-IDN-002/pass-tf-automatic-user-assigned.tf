# AKS Automatic cluster with a user-assigned identity (adapted from Azure/terraform quickstart/101-aks-automatic-private-custom-network, MIT).
resource "azurerm_kubernetes_automatic_cluster" "aks_automatic" {
  name                = "aks-automatic-private"
  location            = "westus2"
  resource_group_name = "rg-automatic"

  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-automatic/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks"]
  }

  private_cluster {
    public_fully_qualified_domain_name_enabled = false
  }
}
