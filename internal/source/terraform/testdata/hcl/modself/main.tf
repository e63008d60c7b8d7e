module "me" {
  source = "./"
}

module "missing" {
  source = "./nowhere"
}

module "git" {
  source = "git::https://example.com/aks.git?ref=v1"
}
