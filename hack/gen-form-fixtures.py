#!/usr/bin/env python3
"""Generates internal/checks/testdata/forms/<form>/<variant>/ for the variants
below, in every input form aksguard reads: az CLI JSON, ARM REST, ARM template,
Terraform plan JSON and Terraform HCL. Each variant is one abstract cluster
spec; the emitters spell it in each form's own vocabulary, so the forms test
(internal/checks/forms_test.go) can assert that every control reaches the
same verdict whatever the form. Run: python3 hack/gen-form-fixtures.py
"""
import json, os, copy

ROOT = os.path.join(os.path.dirname(__file__), "..", "internal", "checks", "testdata", "forms")
SUB = "5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
LAW = f"/subscriptions/{SUB}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"
SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAksguardExampleOnlyPublicKey ops@example"

VARIANTS = {
  # Public with wide ranges, AAD without groups or Azure RBAC, RBAC off,
  # a service principal whose secret expires soon, NAT egress, dashboard and
  # virtual nodes on, Key Vault provider without rotation, an old patch with
  # a CVE, only a system pool, audit-admin logs only.
  "exposed": dict(
    name="aks-exposed", rg="rg-exposed", version="1.34.1", tier="Standard",
    private=False, public_fqdn=None, ranges=["0.0.0.0/32", "10.0.0.0/8"],
    aad=dict(managed=True, groups=[], azure_rbac=False), local_disabled=True, rbac=False,
    identity="SP", sp="8d3f0c1a-2b4e-4f6a-9c7d-1e2f3a4b5c6d",
    credentials=dict(form="app", end="2026-12-10T00:00:00Z"),
    wi=False, oidc=False, pod_identity=True,
    plugin="azure", policy="calico", outbound="managedNATGateway",
    addons=dict(omsagent=False, azurepolicy=True, kv=dict(rotation=False), dashboard=True, http=False, aci=True),
    container_insights=True, defender=False, cleaner=True, kms=False, des=True,
    upgrade="stable", nodeos="SecurityPatch", ssh_key=True,
    pools=[dict(name="system", mode="System", version="1.34.1", image="AKSUbuntu-2204gen2containerd-202611.03.0",
                pip=False, eah=False, ssh="Disabled", taints=[])],
    diag=[dict(category="kube-audit-admin")], maintenance=["default"],
    acr=dict(name="exposedacr", public="Disabled", admin=False, pe=1),
  ),
  # Public with narrow ranges, legacy AAD, a service principal with a valid
  # secret (bare credential list), no network policy, HTTP routing on,
  # monitoring off, the dashboard add-on on, a user pool behind the control
  # plane, no maintenance window listed. Terraform spells it in azurerm 2.x
  # syntax (role_based_access_control, addon_profile, enable_* pool
  # arguments).
  "legacy": dict(
    tf_syntax="v2",
    name="aks-legacy", rg="rg-legacy", version="1.36.3", tier="Free",
    # Created before AKS rotated certificates (AKS-IDN-006).
    created="2018-11-05T10:00:00Z",
    private=False, public_fqdn=None, ranges=["203.0.113.0/24", "198.51.100.7"],
    aad=dict(managed=False, groups=[], azure_rbac=False), local_disabled=False, rbac=True,
    identity="SP", sp="2f4e6a8c-0b1d-4e3f-a5c7-e9f1a3b5c7d9",
    credentials=dict(form="list", end="2028-01-31T00:00:00Z"),
    wi=True, oidc=True, pod_identity=False,
    plugin="azure", policy="none", outbound="loadBalancer",
    addons=dict(omsagent=False, azurepolicy=False, kv=None, dashboard=True, http=True, aci=False),
    container_insights=False, defender=True, cleaner=False, kms=True, des=False,
    upgrade="patch", nodeos="NodeImage", ssh_key=False,
    pools=[dict(name="system", mode="System", version="1.36.3", image="AKSUbuntu-2204gen2containerd-202611.03.0",
                pip=False, eah=True, ssh=None, taints=["CriticalAddonsOnly=true:NoSchedule"]),
           dict(name="apps", mode="User", version="1.36.1", image="AKSUbuntu-2204gen2containerd-202611.03.0",
                pip=False, eah=True, ssh=None, taints=[])],
    diag=[dict(category="kube-apiserver"), dict(category="kube-controller-manager"), dict(category="kube-audit", enabled=False)],
    maintenance=[],
    acr=None,
  ),
}

def cid(s):
  return f"/subscriptions/{SUB}/resourcegroups/{s['rg']}/providers/Microsoft.ContainerService/managedClusters/{s['name']}"

def arm_props(s, az):
  """The cluster's properties; az=True uses az CLI key casing."""
  K = (lambda arm, azk: azk if az else arm)
  p = {}
  p["kubernetesVersion"] = s["version"]
  p["currentKubernetesVersion"] = s["version"]
  p["dnsPrefix"] = s["name"]
  p[K("enableRBAC", "enableRbac")] = s["rbac"]
  p["disableLocalAccounts"] = s["local_disabled"]
  asp = {"enablePrivateCluster": s["private"]}
  if s["ranges"]:
    asp[K("authorizedIPRanges", "authorizedIpRanges")] = s["ranges"]
  if s["public_fqdn"] is not None:
    asp[K("enablePrivateClusterPublicFQDN", "enablePrivateClusterPublicFqdn")] = s["public_fqdn"]
  p["apiServerAccessProfile"] = asp
  a = s["aad"]
  if a:
    if a["managed"]:
      p["aadProfile"] = {"managed": True, "adminGroupObjectIDs": a["groups"] or None, K("enableAzureRBAC", "enableAzureRbac"): a["azure_rbac"], K("tenantID", "tenantId"): TENANT}
    else:
      p["aadProfile"] = {K("clientAppID", "clientAppId"): "0b1c2d3e-0000-4000-8000-00000000000a", K("serverAppID", "serverAppId"): "0b1c2d3e-0000-4000-8000-00000000000b", K("tenantID", "tenantId"): TENANT}
  p["servicePrincipalProfile"] = {"clientId": s["sp"] if s["identity"] == "SP" else "msi"}
  p["oidcIssuerProfile"] = {"enabled": s["oidc"]}
  sec = {"workloadIdentity": {"enabled": s["wi"]}, "imageCleaner": {"enabled": s["cleaner"], "intervalHours": 48}}
  if s["defender"]:
    sec["defender"] = {"logAnalyticsWorkspaceResourceId": LAW, "securityMonitoring": {"enabled": True}}
  if s["kms"]:
    sec["azureKeyVaultKms"] = {"enabled": True, "keyId": "https://kv-x.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef", "keyVaultNetworkAccess": "Public"}
  p["securityProfile"] = sec
  if s["pod_identity"]:
    p["podIdentityProfile"] = {"enabled": True, "allowNetworkPluginKubenet": False}
  p["networkProfile"] = {"networkPlugin": s["plugin"], "networkPolicy": s["policy"], "outboundType": s["outbound"]}
  ad = s["addons"]
  addons = {}
  addons["omsagent"] = {"enabled": ad["omsagent"], "config": {K("logAnalyticsWorkspaceResourceID", "logAnalyticsWorkspaceResourceID"): LAW} if ad["omsagent"] else None}
  addons["azurepolicy"] = {"enabled": ad["azurepolicy"]}
  if ad["kv"] is not None:
    addons["azureKeyvaultSecretsProvider"] = {"enabled": True, "config": {"enableSecretRotation": "true" if ad["kv"]["rotation"] else "false"}}
  if ad["dashboard"]:
    addons["kubeDashboard"] = {"enabled": True}
  if ad["http"]:
    addons["httpApplicationRouting"] = {"enabled": True, "config": {"HTTPApplicationRoutingZoneName": "abc.westeurope.aksapp.io"}}
  if ad["aci"]:
    addons["aciConnectorLinux"] = {"enabled": True, "config": {"SubnetName": "virtual-node-subnet"}}
  p["addonProfiles"] = addons
  if s["container_insights"]:
    p["azureMonitorProfile"] = {"containerInsights": {"enabled": True, "logAnalyticsWorkspaceResourceId": LAW}}
  if s["des"]:
    p[K("diskEncryptionSetID", "diskEncryptionSetId")] = f"/subscriptions/{SUB}/resourceGroups/{s['rg']}/providers/Microsoft.Compute/diskEncryptionSets/des"
  p["autoUpgradeProfile"] = {"upgradeChannel": s["upgrade"], K("nodeOSUpgradeChannel", "nodeOsUpgradeChannel"): s["nodeos"]}
  if s["ssh_key"]:
    p["linuxProfile"] = {"adminUsername": "azureuser", "ssh": {"publicKeys": [{"keyData": SSH}]}}
  pools = []
  for pl in s["pools"]:
    x = {"name": pl["name"], "mode": pl["mode"], "count": 3, "vmSize": "Standard_D4ds_v5", "osType": "Linux",
         "orchestratorVersion": pl["version"], "currentOrchestratorVersion": pl["version"], "nodeImageVersion": pl["image"],
         K("enableNodePublicIP", "enableNodePublicIp"): pl["pip"], "enableEncryptionAtHost": pl["eah"],
         "type": "VirtualMachineScaleSets"}
    if pl["taints"]:
      x["nodeTaints"] = pl["taints"]
    if pl["ssh"]:
      x["securityProfile"] = {"sshAccess": pl["ssh"]}
    pools.append(x)
  p["agentPoolProfiles"] = pools
  return p

def identity(s):
  if s["identity"] == "SP":
    return None
  return {"type": s["identity"]}

def write(path, obj):
  os.makedirs(os.path.dirname(path), exist_ok=True)
  with open(path, "w") as f:
    if isinstance(obj, str):
      f.write(obj)
    else:
      json.dump(obj, f, indent=2)
      f.write("\n")

def credentials(s, d):
  c = s.get("credentials")
  if not c:
    return
  cred = {"customKeyIdentifier": None, "displayName": "aks", "endDateTime": c["end"], "hint": "q7~", "keyId": "c0ffee00-0000-4000-8000-000000000001", "secretText": None, "startDateTime": "2025-01-01T00:00:00Z"}
  if c["form"] == "app":
    write(f"{d}/app.json", {"appId": s["sp"], "displayName": s["name"] + "-sp", "keyCredentials": [], "passwordCredentials": [cred]})
  else:
    write(f"{d}/app-credentials.json", [cred])

def emit_az(s, d):
  c = {"id": cid(s), "name": s["name"], "location": "westeurope", "resourceGroup": s["rg"], "type": "Microsoft.ContainerService/ManagedClusters",
       "sku": {"name": "Base", "tier": s["tier"]}, "identity": identity(s)}
  if s.get("created"):
    c["systemData"] = {"createdAt": s["created"], "createdByType": "User"}
  c.update(arm_props(s, True))
  write(f"{d}/cluster.json", c)
  diag = [{"id": cid(s) + "/providers/microsoft.insights/diagnosticSettings/aks-logs", "name": "aks-logs", "type": "Microsoft.Insights/diagnosticSettings",
           "resourceGroup": s["rg"], "workspaceId": LAW,
           "logs": [{"category": l.get("category"), "categoryGroup": l.get("group"), "enabled": l.get("enabled", True)} for l in s["diag"]]}]
  write(f"{d}/diagnostic-settings.json", diag)
  write(f"{d}/maintenance-configurations.json", [{"id": cid(s) + "/maintenanceConfigurations/" + m, "name": m, "resourceGroup": s["rg"],
        "type": "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "timeInWeek": [{"day": "Sunday", "hourSlots": [1, 2]}]} for m in s["maintenance"]])
  if s["acr"]:
    a = s["acr"]
    write(f"{d}/acr.json", {"id": f"/subscriptions/{SUB}/resourceGroups/{s['rg']}/providers/Microsoft.ContainerRegistry/registries/{a['name']}", "name": a["name"],
          "type": "Microsoft.ContainerRegistry/registries", "loginServer": a["name"] + ".azurecr.io", "adminUserEnabled": a["admin"], "publicNetworkAccess": a["public"],
          "privateEndpointConnections": [{"id": "pe%d" % i} for i in range(a["pe"])]})
  credentials(s, d)

def emit_rest(s, d):
  c = {"id": cid(s), "name": s["name"], "location": "westeurope", "type": "Microsoft.ContainerService/ManagedClusters",
       "sku": {"name": "Base", "tier": s["tier"]}, "properties": arm_props(s, False)}
  if s.get("created"):
    c["systemData"] = {"createdAt": s["created"], "createdByType": "User"}
  if identity(s):
    c["identity"] = identity(s)
  write(f"{d}/cluster.json", c)
  write(f"{d}/diagnosticSettings.json", {"value": [{"id": cid(s) + "/providers/microsoft.insights/diagnosticSettings/aks-logs", "name": "aks-logs",
        "type": "Microsoft.Insights/diagnosticSettings", "properties": {"workspaceId": LAW,
        "logs": [{"category": l.get("category"), "categoryGroup": l.get("group"), "enabled": l.get("enabled", True)} for l in s["diag"]]}}]})
  write(f"{d}/maintenanceConfigurations.json", {"value": [{"id": cid(s) + "/maintenanceConfigurations/" + m, "name": m,
        "type": "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "properties": {"timeInWeek": [{"day": "Sunday", "hourSlots": [1]}]}} for m in s["maintenance"]]})
  if s["acr"]:
    a = s["acr"]
    write(f"{d}/registry.json", {"id": f"/subscriptions/{SUB}/resourceGroups/{s['rg']}/providers/Microsoft.ContainerRegistry/registries/{a['name']}", "name": a["name"],
          "type": "Microsoft.ContainerRegistry/registries", "properties": {"loginServer": a["name"] + ".azurecr.io", "adminUserEnabled": a["admin"],
          "publicNetworkAccess": a["public"], "privateEndpointConnections": [{"id": "pe%d" % i} for i in range(a["pe"])]}})
  credentials(s, d)

def emit_template(s, d):
  props = arm_props(s, False)
  for k in ("currentKubernetesVersion",):
    props.pop(k, None)
  for pl in props["agentPoolProfiles"]:
    pl.pop("currentOrchestratorVersion", None)
  props["kubernetesVersion"] = "[parameters('kubernetesVersion')]"
  res = [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "[parameters('clusterName')]",
          "location": "[parameters('location')]", "sku": {"name": "Base", "tier": s["tier"]}, "properties": props}]
  if identity(s):
    res[0]["identity"] = identity(s)
  res.append({"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "aks-logs",
              "scope": "[format('Microsoft.ContainerService/managedClusters/{0}', parameters('clusterName'))]",
              "dependsOn": ["[resourceId('Microsoft.ContainerService/managedClusters', parameters('clusterName'))]"],
              "properties": {"workspaceId": LAW, "logs": [{k: v for k, v in {"category": l.get("category"), "categoryGroup": l.get("group"), "enabled": l.get("enabled", True)}.items() if v is not None} for l in s["diag"]]}})
  for m in s["maintenance"]:
    res.append({"type": "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "apiVersion": "2025-10-01",
                "name": "[format('{0}/%s', parameters('clusterName'))]" % m,
                "dependsOn": ["[resourceId('Microsoft.ContainerService/managedClusters', parameters('clusterName'))]"],
                "properties": {"timeInWeek": [{"day": "Sunday", "hourSlots": [1]}]}})
  if s["acr"]:
    a = s["acr"]
    res.append({"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": a["name"], "location": "[parameters('location')]",
                "sku": {"name": "Premium"}, "properties": {"adminUserEnabled": a["admin"], "publicNetworkAccess": a["public"]}})
    if a["pe"]:
      res.append({"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01", "name": "pe-" + a["name"], "location": "[parameters('location')]",
                  "properties": {"privateLinkServiceConnections": [{"name": "acr", "properties": {"groupIds": ["registry"],
                  "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', '%s')]" % a["name"]}}]}})
  t = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
       "parameters": {"clusterName": {"type": "string", "defaultValue": s["name"]}, "location": {"type": "string", "defaultValue": "westeurope"},
                      "kubernetesVersion": {"type": "string", "defaultValue": s["version"]}},
       "resources": res}
  write(f"{d}/template.json", t)
  credentials(s, d)

def tf_cluster_args(s):
  """Terraform arguments of azurerm_kubernetes_cluster as (name, value) with
  nested blocks as dicts / lists of dicts."""
  a = {"name": s["name"], "location": "westeurope", "resource_group_name": s["rg"], "dns_prefix": s["name"],
       "kubernetes_version": s["version"], "sku_tier": s["tier"],
       "private_cluster_enabled": s["private"], "local_account_disabled": s["local_disabled"],
       "role_based_access_control_enabled": s["rbac"], "oidc_issuer_enabled": s["oidc"], "workload_identity_enabled": s["wi"],
       "azure_policy_enabled": s["addons"]["azurepolicy"], "http_application_routing_enabled": s["addons"]["http"],
       "image_cleaner_enabled": s["cleaner"], "automatic_upgrade_channel": s["upgrade"], "node_os_upgrade_channel": s["nodeos"]}
  blocks = {}
  if s["ranges"]:
    blocks["api_server_access_profile"] = {"authorized_ip_ranges": s["ranges"]}
  if s["aad"]:
    if s["aad"]["managed"]:
      blocks["azure_active_directory_role_based_access_control"] = {"admin_group_object_ids": s["aad"]["groups"], "azure_rbac_enabled": s["aad"]["azure_rbac"], "tenant_id": TENANT}
    else:
      blocks["azure_active_directory_role_based_access_control"] = {"managed": False, "client_app_id": "0b1c2d3e-0000-4000-8000-00000000000a", "server_app_id": "0b1c2d3e-0000-4000-8000-00000000000b", "tenant_id": TENANT}
  if s["identity"] == "SP":
    blocks["service_principal"] = {"client_id": s["sp"]}
  else:
    blocks["identity"] = {"type": s["identity"]}
  blocks["network_profile"] = {"network_plugin": s["plugin"], "outbound_type": s["outbound"]}
  if s["policy"] != "none":  # azurerm: leave network_policy unset for none
    blocks["network_profile"]["network_policy"] = s["policy"]
  if s["addons"]["omsagent"] or s["container_insights"]:
    blocks["oms_agent"] = {"log_analytics_workspace_id": LAW}
  if s["addons"]["kv"] is not None:
    blocks["key_vault_secrets_provider"] = {"secret_rotation_enabled": s["addons"]["kv"]["rotation"]}
  if s["addons"]["aci"]:
    blocks["aci_connector_linux"] = {"subnet_name": "virtual-node-subnet"}
  if s["defender"]:
    blocks["microsoft_defender"] = {"log_analytics_workspace_id": LAW}
  if s["kms"]:
    blocks["key_management_service"] = {"key_vault_key_id": "https://kv-x.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef", "key_vault_network_access": "Public"}
  if s["des"]:
    a["disk_encryption_set_id"] = f"/subscriptions/{SUB}/resourceGroups/{s['rg']}/providers/Microsoft.Compute/diskEncryptionSets/des"
  if s["ssh_key"]:
    blocks["linux_profile"] = {"admin_username": "azureuser", "ssh_key": {"key_data": SSH}}
  if "default" in s["maintenance"]:
    blocks["maintenance_window"] = {"allowed": {"day": "Sunday", "hours": [1, 2]}}
  dp = s["pools"][0]
  blocks["default_node_pool"] = {"name": dp["name"], "vm_size": "Standard_D4ds_v5", "node_count": 3, "orchestrator_version": dp["version"],
                                 "node_public_ip_enabled": dp["pip"], "host_encryption_enabled": dp["eah"],
                                 "only_critical_addons_enabled": any(t.startswith("CriticalAddonsOnly") for t in dp["taints"])}
  if s.get("tf_syntax") == "v2":
    v2_syntax(s, a, blocks)
  return a, blocks

# Provider 3.x names of arguments renamed in 4.0, used by the 2.x syntax.
V2_NAMES = {"automatic_upgrade_channel": "automatic_channel_upgrade", "node_os_upgrade_channel": "node_os_channel_upgrade",
            "node_public_ip_enabled": "enable_node_public_ip", "host_encryption_enabled": "enable_host_encryption"}

def v2_syntax(s, a, blocks):
  """Rewrites the arguments in azurerm 2.x syntax: RBAC and AAD in
  role_based_access_control, add-ons in addon_profile."""
  for k in ("role_based_access_control_enabled", "azure_policy_enabled", "http_application_routing_enabled"):
    del a[k]
  for old, new in V2_NAMES.items():
    if old in a:
      a[new] = a.pop(old)
  rbac = {"enabled": s["rbac"]}
  aad = blocks.pop("azure_active_directory_role_based_access_control", None)
  if aad is not None:
    rbac["azure_active_directory"] = aad
  blocks["role_based_access_control"] = rbac
  ad = s["addons"]
  addons = {"azure_policy": {"enabled": ad["azurepolicy"]}, "http_application_routing": {"enabled": ad["http"]},
            "kube_dashboard": {"enabled": ad["dashboard"]}}
  if "oms_agent" in blocks:
    addons["oms_agent"] = dict(enabled=True, **blocks.pop("oms_agent"))
  else:
    addons["oms_agent"] = {"enabled": False}
  blocks["addon_profile"] = addons
  dnp = blocks["default_node_pool"]
  blocks["default_node_pool"] = {V2_NAMES.get(k, k): v for k, v in dnp.items()}

def pool_arg(s, name):
  return V2_NAMES.get(name, name) if s.get("tf_syntax") == "v2" else name

def hcl_value(v):
  if isinstance(v, bool):
    return "true" if v else "false"
  if isinstance(v, (int, float)):
    return str(v)
  if isinstance(v, list):
    return "[" + ", ".join(hcl_value(x) for x in v) + "]"
  return json.dumps(v)

def hcl_block(name, body, indent="  ", labels=""):
  out = [f"{indent}{name}{labels} {{"]
  for k, v in body.items():
    if isinstance(v, dict):
      out.extend(hcl_block(k, v, indent + "  "))
    else:
      out.append(f"{indent}  {k} = {hcl_value(v)}")
  out.append(indent + "}")
  return out

def emit_tfhcl(s, d):
  a, blocks = tf_cluster_args(s)
  lines = ["# Generated by hack/gen-form-fixtures.py", ""]
  body = dict(a)
  body.update(blocks)
  lines += [l[2:] if l.startswith("  ") else l for l in hcl_block("resource", body, "  ", ' "azurerm_kubernetes_cluster" "main"')]
  for pl in s["pools"][1:]:
    lines += ["", 'resource "azurerm_kubernetes_cluster_node_pool" "%s" {' % pl["name"],
              f'  name                    = "{pl["name"]}"',
              "  kubernetes_cluster_id   = azurerm_kubernetes_cluster.main.id",
              '  vm_size                 = "Standard_D8ds_v5"',
              f'  mode                    = "{pl["mode"]}"',
              f'  orchestrator_version    = "{pl["version"]}"',
              f"  {pool_arg(s, 'node_public_ip_enabled'):<23} = {hcl_value(pl['pip'])}",
              f"  {pool_arg(s, 'host_encryption_enabled'):<23} = {hcl_value(pl['eah'])}", "}"]
  lines += ["", 'resource "azurerm_monitor_diagnostic_setting" "aks" {', '  name                       = "aks-logs"',
            "  target_resource_id         = azurerm_kubernetes_cluster.main.id", f'  log_analytics_workspace_id = "{LAW}"']
  for l in s["diag"]:
    if s.get("tf_syntax") == "v2":
      # Provider 2.x: log blocks with enabled, disabled ones included.
      lines += ["", "  log {", f'    category = "{l["category"]}"', f'    enabled  = {hcl_value(l.get("enabled", True))}', "  }"]
    elif l.get("enabled", True):
      lines += ["", "  enabled_log {", f'    category = "{l["category"]}"' if l.get("category") else f'    category_group = "{l["group"]}"', "  }"]
  lines += ["}", ""]
  write(f"{d}/main.tf", "\n".join(lines))
  credentials(s, d)

def tf_values(a, blocks):
  v = dict(a)
  for k, b in blocks.items():
    inner = {}
    for kk, vv in b.items():
      inner[kk] = [vv] if isinstance(vv, dict) else vv
    v[k] = [inner]
  return v

def tf_exprs(a, blocks):
  e = {k: {"constant_value": v} for k, v in a.items()}
  for k, b in blocks.items():
    inner = {}
    for kk, vv in b.items():
      inner[kk] = [{x: {"constant_value": y} for x, y in vv.items()}] if isinstance(vv, dict) else {"constant_value": vv}
    e[k] = [inner]
  return e

def emit_tfplan(s, d):
  a, blocks = tf_cluster_args(s)
  resources, changes, config = [], [], []
  def add(addr, typ, name, values, exprs):
    resources.append({"address": addr, "mode": "managed", "type": typ, "name": name, "provider_name": "registry.terraform.io/hashicorp/azurerm",
                      "schema_version": 0, "values": values, "sensitive_values": {}})
    changes.append({"address": addr, "mode": "managed", "type": typ, "name": name, "provider_name": "registry.terraform.io/hashicorp/azurerm",
                    "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {"id": True}, "before_sensitive": False, "after_sensitive": {}}})
    config.append({"address": addr, "mode": "managed", "type": typ, "name": name, "provider_config_key": "azurerm", "expressions": exprs, "schema_version": 0})
  add("azurerm_kubernetes_cluster.main", "azurerm_kubernetes_cluster", "main", tf_values(a, blocks), tf_exprs(a, blocks))
  for pl in s["pools"][1:]:
    vals = {"name": pl["name"], "vm_size": "Standard_D8ds_v5", "mode": pl["mode"], "orchestrator_version": pl["version"],
            pool_arg(s, "node_public_ip_enabled"): pl["pip"], pool_arg(s, "host_encryption_enabled"): pl["eah"]}
    ex = {k: {"constant_value": v} for k, v in vals.items()}
    ex["kubernetes_cluster_id"] = {"references": ["azurerm_kubernetes_cluster.main.id", "azurerm_kubernetes_cluster.main"]}
    add("azurerm_kubernetes_cluster_node_pool." + pl["name"], "azurerm_kubernetes_cluster_node_pool", pl["name"], vals, ex)
  if s.get("tf_syntax") == "v2":
    # Provider 2.x: log blocks with enabled, disabled ones included.
    logs = [{"category": l["category"], "enabled": l.get("enabled", True), "retention_policy": []} for l in s["diag"]]
    vals = {"name": "aks-logs", "log_analytics_workspace_id": LAW, "log": logs}
    ex = {"name": {"constant_value": "aks-logs"}, "log_analytics_workspace_id": {"constant_value": LAW},
          "target_resource_id": {"references": ["azurerm_kubernetes_cluster.main.id", "azurerm_kubernetes_cluster.main"]},
          "log": [{"category": {"constant_value": l["category"]}, "enabled": {"constant_value": l["enabled"]}} for l in logs]}
  else:
    logs = [{"category": l.get("category") or "", "category_group": l.get("group") or ""} for l in s["diag"] if l.get("enabled", True)]
    vals = {"name": "aks-logs", "log_analytics_workspace_id": LAW, "enabled_log": logs}
    ex = {"name": {"constant_value": "aks-logs"}, "log_analytics_workspace_id": {"constant_value": LAW},
          "target_resource_id": {"references": ["azurerm_kubernetes_cluster.main.id", "azurerm_kubernetes_cluster.main"]},
          "enabled_log": [{("category" if l["category"] else "category_group"): {"constant_value": l["category"] or l["category_group"]}} for l in logs]}
  add("azurerm_monitor_diagnostic_setting.aks", "azurerm_monitor_diagnostic_setting", "aks", vals, ex)
  plan = {"format_version": "1.2", "terraform_version": "1.13.4", "planned_values": {"root_module": {"resources": resources}},
          "resource_changes": changes, "configuration": {"provider_config": {"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}},
          "root_module": {"resources": config}}, "timestamp": "2026-11-20T10:00:00Z", "applyable": True, "complete": True, "errored": False}
  write(f"{d}/plan.json", plan)
  credentials(s, d)

for variant, spec in VARIANTS.items():
  for form, emit in (("az", emit_az), ("rest", emit_rest), ("template", emit_template), ("tfplan", emit_tfplan), ("tfhcl", emit_tfhcl)):
    d = os.path.join(ROOT, form, variant)
    if os.path.isdir(d):
      for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    emit(copy.deepcopy(spec), d)
print("generated", ", ".join(VARIANTS))
