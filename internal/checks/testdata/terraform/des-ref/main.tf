# The disk encryption set is another resource: its ID is known after apply,
# but the argument is set.
resource "azurerm_disk_encryption_set" "des" {
  name                = "des"
  location            = "westeurope"
  resource_group_name = "rg-c"
  key_vault_key_id    = "https://kv.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef"
}

resource "azurerm_kubernetes_cluster" "c" {
  name                   = "aks-c"
  location               = "westeurope"
  resource_group_name    = "rg-c"
  dns_prefix             = "aks-c"
  disk_encryption_set_id = azurerm_disk_encryption_set.des.id

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }

  identity {
    type = "SystemAssigned"
  }
}
