# A stand-in for the registry module `terraform init` downloaded here: it
# declares no AKS resource.
variable "vnet_name" {
  type    = string
  default = "vnet"
}

output "vnet_name" {
  value = var.vnet_name
}
