variable "cluster_name" {
  type    = string
  default = "aks-from-default"
}

variable "private" {
  type    = bool
  default = false
}

variable "api_ranges" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "upgrade_channel" {
  type    = string
  default = "none"
}

variable "sku_tier" {
  type    = string
  default = "Free"
}

variable "network_policy" {
  type = string
  # no default: the caller must give it
}

variable "workspace_id" {
  type    = string
  default = null
}

variable "sp_client_id" {
  type      = string
  default   = "00000000-1111-2222-3333-444444444444"
  sensitive = true
}

variable "sp_client_secret" {
  type      = string
  default   = "hunter2-very-secret"
  sensitive = true
}

variable "pool_count" {
  type = number
}
