cluster_name    = "aks-from-tfvars"
upgrade_channel = "stable"
api_ranges      = ["203.0.113.0/24"]
