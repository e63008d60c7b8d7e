module "me" {
  source = "./"
}

module "missing" {
  source = "./nowhere"
}

module "git" {
  source = "git::https://example.com/aks.git?ref=v1"
}

# count = 0: nothing to read, so no error although the source is absent.
module "disabled" {
  count  = 0
  source = "git::https://example.com/disabled.git"
}
