# Fuzz seed: the resources beyond the cluster that aksguard reads (an AKS
# Automatic cluster, a registry and its private endpoint, a node pool of a
# cluster outside the input, a node pool patch), with instances.
resource "azurerm_kubernetes_automatic_cluster" "auto" {
  count               = 2
  name                = "auto-${count.index}"
  location            = "westus2"
  resource_group_name = "rg"
  identity { type = "SystemAssigned" }
  api_server_access { authorized_ip_ranges = ["203.0.113.0/24"] }
  private_cluster { public_fully_qualified_domain_name_enabled = false }
}

resource "azurerm_container_registry" "acr" {
  for_each                      = toset(["a", "b"])
  name                          = "acr${each.key}"
  resource_group_name           = "rg"
  location                      = "westus2"
  sku                           = "Premium"
  admin_enabled                 = each.key == "b"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  for_each            = azurerm_container_registry.acr
  name                = "pe-${each.key}"
  location            = "westus2"
  resource_group_name = "rg"
  subnet_id           = var.subnet_id
  private_service_connection {
    name                           = each.key
    private_connection_resource_id = each.value.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "orphan" {
  name                  = "orphan"
  kubernetes_cluster_id = var.cluster_id
}

resource "azapi_update_resource" "orphan" {
  resource_id = azurerm_kubernetes_cluster_node_pool.orphan.id
  type        = "Microsoft.ContainerService/managedClusters/agentPools@2025-01-01"
  body        = { properties = { enableNodePublicIP = true } }
}

variable "subnet_id" { type = string }
variable "cluster_id" { type = string }
