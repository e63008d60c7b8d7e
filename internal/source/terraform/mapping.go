package terraform

import (
	"strings"

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

	// Authentication and authorization. Provider 2.x nests the AAD block
	// in role_based_access_control.
	rbac := sub(b, "role_based_access_control")
	aad, legacyAAD := sub(b, "azure_active_directory_role_based_access_control"), false
	if aad.b == nil && aad.why == "" {
		if l := subOf(rbac, "azure_active_directory"); l.b != nil || l.why != "" {
			aad, legacyAAD = l, true
		}
	}
	c.AADProfile = aad.present()
	c.AADManaged = aadManaged(aad, legacyAAD)
	c.AdminGroupObjectIDs = stringsOf(aad.attr("admin_group_object_ids"))
	c.AzureRBAC = boolOf(aad.attr("azure_rbac_enabled"))
	c.DisableLocalAccounts = boolOf(b.attr("local_account_disabled"))
	c.EnableRBAC = boolOf(first(b.attr("role_based_access_control_enabled"), rbac.attr("enabled")))
	c.TFLegacy = legacySyntax(b)
	if c.EnableRBAC.State == inventory.Absent {
		if old := c.TFLegacy; old != "" {
			c.EnableRBAC = inventory.Unresolved[bool]("the cluster uses provider 2.x syntax ("+old+") without role_based_access_control: provider 2.x and earlier disable Kubernetes RBAC when the block is absent, 3.x and later enable it",
				c.EnableRBAC.Path, c.EnableRBAC.Line)
		}
	}

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
	poolArg := "default_node_pool"
	if len(dnp) == 0 && why == "" {
		// Provider 1.x: agent_pool_profile blocks, the first being the
		// pool that later became the system pool.
		if old, w := b.blocks("agent_pool_profile"); len(old) > 0 || w != "" {
			dnp, why, poolArg = old, w, "agent_pool_profile"
		}
	}
	for i, pb := range dnp {
		tfAddress := pb.path()
		if poolArg == "default_node_pool" {
			tfAddress = addr + ".default_node_pool"
		}
		pool := mapPool(pb, tfAddress, i == 0, src.File)
		pool.Source = inventory.Source{File: src.File, Line: pb.line()}
		c.AgentPools = append(c.AgentPools, pool)
		if poolArg == "default_node_pool" {
			break
		}
	}
	if why != "" {
		c.PoolsKnown, c.PoolsUnknown = false, why
	}
	c.Unrecognised = unrecognised(b, clusterSchema, src.File)
	return c, mapMaintenance(b, c.ID, src.File)
}

// aadManaged is true for any azure_active_directory_role_based_access_control
// block in provider 4.x and later (legacy AAD was removed); 3.x plans carry a
// managed argument that says it. managed defaults to false in the 2.x
// role_based_access_control.azure_active_directory block, and a block that
// names the legacy client and server applications is legacy AAD.
func aadManaged(aad nested, legacy bool) inventory.Field[bool] {
	m := aad.attr("managed")
	if m.state != inventory.Absent || aad.b == nil {
		return boolOf(m)
	}
	for _, arg := range []string{"client_app_id", "server_app_id"} {
		// Plans of some versions list the argument as "" when unset.
		if v := aad.attr(arg); v.state == inventory.Unknown || stringOf(v).Or("") != "" {
			return inventory.Set(false, v.path, v.line)
		}
	}
	if legacy {
		return inventory.Set(false, m.path, m.line)
	}
	return inventory.Set(true, aad.name, aad.line)
}

// legacySyntax names the first argument of the cluster that exists only in
// provider 2.x and earlier, "" when there is none.
func legacySyntax(b block) string {
	for _, n := range []string{"addon_profile", "agent_pool_profile", "enable_pod_security_policy"} {
		if v := b.attr(n); v.state != inventory.Absent {
			return v.path
		}
		if bs, why := b.blocks(n); len(bs) > 0 || why != "" {
			return b.path() + "." + n
		}
	}
	return ""
}

// mapAddons maps the add-on arguments to the ARM add-on names. Every add-on
// azurerm can set is recorded, Absent (with its argument path) when not set.
// The addon_profile block of provider 2.x and earlier is read when the
// current form of an add-on is absent.
func mapAddons(b block, c *inventory.Cluster) {
	profile := sub(b, "addon_profile")
	// legacy maps addon_profile[0].BLOCK { enabled = ..., ARG = ... }; nil
	// when the cluster has no addon_profile.
	legacy := func(name, blockType string, config map[string]string) *inventory.Addon {
		if profile.b == nil && profile.why == "" {
			return nil
		}
		n := subOf(profile, blockType)
		a := &inventory.Addon{Name: name, Enabled: boolOf(n.attr("enabled")), Config: map[string]inventory.Field[string]{}}
		if n.b == nil && n.why == "" {
			// No block: the add-on is not set.
			a.Enabled = inventory.Field[bool]{Path: n.name, Line: n.line}
		}
		if n.b != nil {
			for key, arg := range config {
				a.Config[key] = stringOf(n.attr(arg))
			}
		}
		return a
	}
	set := func(a *inventory.Addon, old *inventory.Addon) {
		if a.Enabled.State == inventory.Absent && old != nil && old.Enabled.State != inventory.Absent {
			a = old
		}
		c.SetAddon(a)
	}
	blockAddon := func(name, blockType, legacyType string, config map[string]string) {
		n := sub(b, blockType)
		a := &inventory.Addon{Name: name, Enabled: n.present(), Config: map[string]inventory.Field[string]{}}
		if n.b != nil {
			for key, arg := range config {
				a.Config[key] = stringOf(n.attr(arg))
			}
		}
		set(a, legacy(name, legacyType, config))
	}
	boolAddon := func(name, arg, legacyType string) {
		a := &inventory.Addon{Name: name, Enabled: boolOf(b.attr(arg)), Config: map[string]inventory.Field[string]{}}
		set(a, legacy(name, legacyType, nil))
	}
	// Config keys are the ARM config keys, lower-cased.
	oms := map[string]string{
		"loganalyticsworkspaceresourceid": "log_analytics_workspace_id",
		"useaadauth":                      "msi_auth_for_monitoring_enabled",
	}
	kv := map[string]string{
		"enablesecretrotation": "secret_rotation_enabled",
		"rotationpollinterval": "secret_rotation_interval",
	}
	blockAddon("omsagent", "oms_agent", "oms_agent", oms)
	blockAddon("azureKeyvaultSecretsProvider", "key_vault_secrets_provider", "azure_keyvault_secrets_provider", kv)
	blockAddon("aciConnectorLinux", "aci_connector_linux", "aci_connector_linux", map[string]string{
		"subnetname": "subnet_name",
	})
	boolAddon("azurepolicy", "azure_policy_enabled", "azure_policy")
	boolAddon("httpApplicationRouting", "http_application_routing_enabled", "http_application_routing")
	// The dashboard add-on exists only in provider 2.x and earlier.
	if a := legacy("kubeDashboard", "kube_dashboard", nil); a != nil && a.Enabled.State != inventory.Absent {
		c.SetAddon(a)
	}
}

// mapPool maps default_node_pool[0] or the first agent_pool_profile
// (system), another agent_pool_profile, or an
// azurerm_kubernetes_cluster_node_pool resource read from file.
func mapPool(b block, tfAddress string, system bool, file string) *inventory.AgentPool {
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
	p.Unrecognised = unrecognised(b, poolSchema, file)
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
	// A legacy log block without enabled is on by default; not when the
	// setting carries arguments aksguard does not read.
	unread := strings.Join(unrecognised(b, diagSchema, src.File), ", ")
	for _, kind := range []string{"enabled_log", "log"} {
		bs, why := b.blocks(kind)
		for _, lb := range bs {
			l := mapLog(lb, kind == "log")
			if unread != "" && kind == "log" && lb.attr("enabled").state == inventory.Absent {
				l.Enabled = inventory.Unresolved[bool]("enabled is not set (true by default), but the setting sets what aksguard does not read: "+unread,
					l.Enabled.Path, l.Enabled.Line)
			}
			s.Logs = append(s.Logs, l)
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
