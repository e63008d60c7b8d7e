upgrade_channel = "patch"
