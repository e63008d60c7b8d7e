# Mixed directory: variables in HCL, the cluster in JSON (main.tf.json).
variable "prefix" {
  type    = string
  default = "shop"
}
