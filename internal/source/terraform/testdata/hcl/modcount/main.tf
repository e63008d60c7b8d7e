module "many" {
  count  = 300
  source = "./child"
}
