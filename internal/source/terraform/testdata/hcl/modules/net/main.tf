# A module whose outputs are known offline.
variable "prefix" {
  type = string
}

output "cluster_name" {
  value = "${var.prefix}-from-net"
}

output "subnet_id" {
  value = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks"
}

output "tier" {
  value = "Standard"
}
