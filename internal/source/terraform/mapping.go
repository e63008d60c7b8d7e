package terraform

import (
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// The azurerm resource types aksguard reads.
const (
	typeCluster = "azurerm_kubernetes_cluster"
	typePool    = "azurerm_kubernetes_cluster_node_pool"
	typeDiag    = "azurerm_monitor_diagnostic_setting"
)

// The arguments that name another resource; the readers resolve them to a
// cluster (a known ID, or the address a reference points at).
const (
	argPoolCluster = "kubernetes_cluster_id"
	argDiagTarget  = "target_resource_id"
)

// mapCluster maps an azurerm_kubernetes_cluster block. The ID is the
// resource's id when known (a state, or a plan updating an existing cluster)
// and "tf:ADDRESS" otherwise. It also returns the maintenance windows when
// the block declares any.
func mapCluster(b block, format inventory.Format, src inventory.Source) (*inventory.Cluster, *inventory.MaintenanceFor) {
	addr := b.path()
	c := &inventory.Cluster{Format: format, Source: src, TFAddress: addr, PoolsKnown: true}
	c.ID = stringOf(b.attr("id")).Or("")
	if c.ID == "" {
		c.ID = "tf:" + addr
	} else {
		c.Subscription, _ = arm.SplitID(c.ID)
	}
	c.Name = stringOf(b.attr("name")).Or(addr)
	c.ResourceGroup = stringOf(b.attr("resource_group_name")).Or("")
	c.Location = stringOf(b.attr("location")).Or("")

	c.KubernetesVersion = stringOf(b.attr("kubernetes_version"))
	c.CurrentKubernetesVersion = stringOf(b.attr("current_kubernetes_version"))
	c.SKUTier = stringOf(b.attr("sku_tier"))
	c.SupportPlan = stringOf(b.attr("support_plan"))

	// API server access.
	c.PrivateCluster = boolOf(first(b.attr("private_cluster_enabled"), b.attr("private_link_enabled")))
	c.PrivateClusterPublicFQDN = boolOf(b.attr("private_cluster_public_fqdn_enabled"))
	c.AuthorizedIPRanges = stringsOf(first(
		sub(b, "api_server_access_profile").attr("authorized_ip_ranges"),
		b.attr("api_server_authorized_ip_ranges")))

	// Authentication and authorization.
	aad := sub(b, "azure_active_directory_role_based_access_control")
	c.AADProfile = aad.present()
	c.AADManaged = aadManaged(aad)
	c.AdminGroupObjectIDs = stringsOf(aad.attr("admin_group_object_ids"))
	c.AzureRBAC = boolOf(aad.attr("azure_rbac_enabled"))
	c.DisableLocalAccounts = boolOf(b.attr("local_account_disabled"))
	c.EnableRBAC = boolOf(b.attr("role_based_access_control_enabled"))

	// Identity. Only client_id is read from service_principal: its
	// client_secret never enters the model.
	c.IdentityType = stringOf(sub(b, "identity").attr("type"))
	c.ServicePrincipalClientID = stringOf(sub(b, "service_principal").attr("client_id"))
	c.WorkloadIdentity = boolOf(b.attr("workload_identity_enabled"))
	c.OIDCIssuer = boolOf(b.attr("oidc_issuer_enabled"))

	// Network.
	np := sub(b, "network_profile")
	c.NetworkPlugin = stringOf(np.attr("network_plugin"))
	c.NetworkPolicy = stringOf(np.attr("network_policy"))
	c.OutboundType = stringOf(np.attr("outbound_type"))

	mapAddons(b, c)

	// Security profile and the rest.
	c.Defender = sub(b, "microsoft_defender").present()
	c.ImageCleaner = boolOf(b.attr("image_cleaner_enabled"))
	c.KMS = sub(b, "key_management_service").present()
	c.DiskEncryptionSet = stringOf(b.attr("disk_encryption_set_id"))
	c.UpgradeChannel = stringOf(first(b.attr("automatic_upgrade_channel"), b.attr("automatic_channel_upgrade")))
	c.NodeOSUpgradeChannel = stringOf(first(b.attr("node_os_upgrade_channel"), b.attr("node_os_channel_upgrade")))
	c.SSHPublicKeys = sub(b, "linux_profile").count("ssh_key")

	dnp, why := b.blocks("default_node_pool")
	switch {
	case len(dnp) > 0:
		pool := mapPool(dnp[0], addr+".default_node_pool", true)
		pool.Source = inventory.Source{File: src.File, Line: dnp[0].line()}
		c.AgentPools = append(c.AgentPools, pool)
	case why != "":
		c.PoolsKnown, c.PoolsUnknown = false, why
	}
	return c, mapMaintenance(b, c.ID, src.File)
}

// aadManaged is true for any azure_active_directory_role_based_access_control
// block in provider 4.x and later (legacy AAD was removed); 3.x plans carry a
// managed argument that says it.
func aadManaged(aad nested) inventory.Field[bool] {
	m := aad.attr("managed")
	if m.state != inventory.Absent || aad.b == nil {
		return boolOf(m)
	}
	return inventory.Set(true, aad.name, aad.line)
}

// mapAddons maps the add-on arguments to the ARM add-on names. Every add-on
// azurerm can set is recorded, Absent (with its argument path) when not set.
func mapAddons(b block, c *inventory.Cluster) {
	blockAddon := func(name, blockType string, config map[string]string) {
		n := sub(b, blockType)
		a := &inventory.Addon{Name: name, Enabled: n.present(), Config: map[string]inventory.Field[string]{}}
		if n.b != nil {
			for key, arg := range config {
				a.Config[key] = stringOf(n.attr(arg))
			}
		}
		c.SetAddon(a)
	}
	boolAddon := func(name, arg string) {
		c.SetAddon(&inventory.Addon{Name: name, Enabled: boolOf(b.attr(arg)), Config: map[string]inventory.Field[string]{}})
	}
	// Config keys are the ARM config keys, lower-cased.
	blockAddon("omsagent", "oms_agent", map[string]string{
		"loganalyticsworkspaceresourceid": "log_analytics_workspace_id",
		"useaadauth":                      "msi_auth_for_monitoring_enabled",
	})
	blockAddon("azureKeyvaultSecretsProvider", "key_vault_secrets_provider", map[string]string{
		"enablesecretrotation": "secret_rotation_enabled",
		"rotationpollinterval": "secret_rotation_interval",
	})
	blockAddon("aciConnectorLinux", "aci_connector_linux", map[string]string{
		"subnetname": "subnet_name",
	})
	boolAddon("azurepolicy", "azure_policy_enabled")
	boolAddon("httpApplicationRouting", "http_application_routing_enabled")
}

// mapPool maps default_node_pool[0] (system) or an
// azurerm_kubernetes_cluster_node_pool resource.
func mapPool(b block, tfAddress string, system bool) *inventory.AgentPool {
	p := &inventory.AgentPool{TFAddress: tfAddress}
	p.Name = stringOf(b.attr("name")).Or(tfAddress)
	if system {
		// The default pool is always a Linux system pool; neither is an
		// argument.
		p.Mode = inventory.Set("System", tfAddress, b.line())
		p.OSType = inventory.Set("Linux", tfAddress, b.line())
	} else {
		p.Mode = orDefault(stringOf(b.attr("mode")), "User")
		p.OSType = orDefault(stringOf(b.attr("os_type")), "Linux")
	}
	p.OrchestratorVersion = stringOf(b.attr("orchestrator_version"))
	p.EnableNodePublicIP = boolOf(first(b.attr("node_public_ip_enabled"), b.attr("enable_node_public_ip")))
	p.EncryptionAtHost = boolOf(first(b.attr("host_encryption_enabled"), b.attr("enable_host_encryption")))
	p.NodeTaints = stringsOf(b.attr("node_taints"))
	p.OnlyCriticalAddons = boolOf(b.attr("only_critical_addons_enabled"))
	return p
}

// orDefault applies the provider default of an argument that is not set.
func orDefault(f inventory.Field[string], def string) inventory.Field[string] {
	if f.State == inventory.Absent {
		return inventory.Set(def, f.Path, f.Line)
	}
	return f
}

// The diagnostic-setting arguments that name a destination.
var diagDestinations = []string{
	"log_analytics_workspace_id", "storage_account_id", "eventhub_authorization_rule_id", "partner_solution_id",
}

// mapDiag maps an azurerm_monitor_diagnostic_setting: its destination and
// its enabled_log blocks (and the removed log blocks of provider 3.x).
func mapDiag(b block, src inventory.Source) inventory.DiagnosticSetting {
	s := inventory.DiagnosticSetting{Source: src}
	s.Name = stringOf(b.attr("name")).Or(b.path())
	// A destination that is set counts, known or not: it is in the
	// configuration, only its ID waits for apply.
	s.HasDestination = inventory.Set(false, b.path()+"."+diagDestinations[0], b.line())
	for _, arg := range diagDestinations {
		v := b.attr(arg)
		if v.state == inventory.Unknown {
			s.HasDestination = inventory.Set(true, v.path, v.line)
			break
		}
		if str, _ := toString(v.v); v.state == inventory.Known && str != "" {
			s.HasDestination = inventory.Set(true, v.path, v.line)
			break
		}
	}
	for _, kind := range []string{"enabled_log", "log"} {
		bs, why := b.blocks(kind)
		for _, lb := range bs {
			s.Logs = append(s.Logs, mapLog(lb, kind == "log"))
		}
		if why != "" {
			s.Logs = append(s.Logs, inventory.LogSetting{
				Enabled: inventory.Unresolved[bool](why, b.path()+"."+kind, b.line()),
				Line:    b.line(),
			})
		}
	}
	return s
}

// mapLog maps one enabled_log block, or a legacy log block whose enabled
// argument defaults to true.
func mapLog(b block, legacy bool) inventory.LogSetting {
	l := inventory.LogSetting{Line: b.line()}
	cat, group := stringOf(b.attr("category")), stringOf(b.attr("category_group"))
	l.Category, l.CategoryGroup = cat.Or(""), group.Or("")
	switch {
	case cat.IsUnknown():
		l.Enabled = inventory.Unresolved[bool]("category: "+cat.Why, cat.Path, cat.Line)
	case group.IsUnknown():
		l.Enabled = inventory.Unresolved[bool]("category_group: "+group.Why, group.Path, group.Line)
	case legacy:
		l.Enabled = orTrue(boolOf(b.attr("enabled")))
	default:
		l.Enabled = inventory.Set(true, b.path(), b.line())
	}
	return l
}

func orTrue(f inventory.Field[bool]) inventory.Field[bool] {
	if f.State == inventory.Absent {
		return inventory.Set(true, f.Path, f.Line)
	}
	return f
}

// The maintenance_window* blocks and the maintenance configurations they
// create.
var maintenanceBlocks = []struct{ block, config string }{
	{"maintenance_window", "default"},
	{"maintenance_window_auto_upgrade", "aksManagedAutoUpgradeSchedule"},
	{"maintenance_window_node_os", "aksManagedNodeOSUpgradeSchedule"},
}

// mapMaintenance returns the cluster's maintenance configurations when it
// declares at least one maintenance_window* block. Without one it returns
// nil: an absent block in Terraform does not prove that no configuration
// exists (it may be managed outside Terraform).
func mapMaintenance(b block, clusterID, file string) *inventory.MaintenanceFor {
	var m *inventory.MaintenanceFor
	for _, mb := range maintenanceBlocks {
		n := sub(b, mb.block)
		if n.b == nil {
			continue
		}
		if m == nil {
			m = &inventory.MaintenanceFor{ClusterID: clusterID, Data: inventory.MaintenanceData{
				Source: inventory.Source{File: file, Line: n.line}, Authoritative: true,
			}}
		}
		m.Data.Names = append(m.Data.Names, mb.config)
	}
	return m
}
