# A misspelt argument, and the required variable "name" not set.
module "aks" {
  source = "../modules/aks"
  nmae   = "aks-typo"
}
