variable "location" {
  type    = string
  default = "northeurope"
}

variable "admin_group_object_ids" {
  type    = list(string)
  default = ["9e1c5d0a-7d36-4f0e-bb43-2d0f6f0e4a11"]
}

variable "kubernetes_version" {
  type    = string
  default = "1.34"
}

variable "user_pools" {
  type = map(object({
    vm_size = string
    taints  = optional(list(string), [])
    os_type = optional(string, "Linux")
  }))
  default = {
    apps = { vm_size = "Standard_D8s_v5", taints = ["workload=apps:NoSchedule"] }
    win  = { vm_size = "Standard_D4s_v5", os_type = "Windows" }
  }
}
