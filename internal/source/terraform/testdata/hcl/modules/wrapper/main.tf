# A module that calls another module (nested modules).
variable "name" {
  type = string
}

module "inner" {
  source                 = "../aks"
  name                   = "${var.name}-inner"
  local_account_disabled = true
}

output "inner_id" {
  value = module.inner.cluster_id
}
