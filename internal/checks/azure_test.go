package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
)

func k[T any](v T) inventory.Field[T] { return inventory.Set(v, "p", 1) }

func unk[T any]() inventory.Field[T] {
	return inventory.Unresolved[T]("unresolved ARM expression [parameters('x')]", "p", 1)
}

// hardened returns a cluster that passes every Azure-side control.
func hardened() *inventory.Cluster {
	c := &inventory.Cluster{
		ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", Name: "c", ResourceGroup: "rg",
		Format: inventory.FormatAzCLI, Source: inventory.Source{File: "c.json", Line: 1}, PoolsKnown: true,
		KubernetesVersion: k("1.36.3"), CurrentKubernetesVersion: k("1.36.3"),
		PrivateCluster: k(true), PrivateClusterPublicFQDN: k(false),
		AADProfile: k(true), AADManaged: k(true), AdminGroupObjectIDs: k([]string{"g"}), AzureRBAC: k(true),
		DisableLocalAccounts: k(true), EnableRBAC: k(true),
		IdentityType: k("UserAssigned"), ServicePrincipalClientID: k("msi"), WorkloadIdentity: k(true), OIDCIssuer: k(true),
		NetworkPlugin: k("azure"), NetworkPolicy: k("cilium"), OutboundType: k("userDefinedRouting"),
		Defender: k(true), ImageCleaner: k(true), KMS: k(true),
		UpgradeChannel: k("patch"), NodeOSUpgradeChannel: k("NodeImage"),
		Diagnostics: &inventory.DiagnosticData{Settings: []inventory.DiagnosticSetting{{Name: "d", HasDestination: k(true),
			Logs: []inventory.LogSetting{{CategoryGroup: "allLogs", Enabled: k(true)}}}}},
		MaintenanceConfigs: &inventory.MaintenanceData{Names: []string{"aksManagedAutoUpgradeSchedule"}, Authoritative: true},
	}
	c.SetAddon(&inventory.Addon{Name: "omsagent", Enabled: k(true)})
	c.SetAddon(&inventory.Addon{Name: "azurepolicy", Enabled: k(true)})
	c.SetAddon(&inventory.Addon{Name: "azureKeyvaultSecretsProvider", Enabled: k(true), Config: map[string]inventory.Field[string]{"enablesecretrotation": k("true")}})
	c.AgentPools = []*inventory.AgentPool{
		{Name: "system", Mode: k("System"), OSType: k("Linux"), OrchestratorVersion: k("1.36.3"), NodeImageVersion: k("AKSAzureLinux-V3gen2-202611.10.0"),
			EnableNodePublicIP: k(false), EncryptionAtHost: k(true), SSHAccess: k("Disabled"), NodeTaints: k([]string{"CriticalAddonsOnly=true:NoSchedule"})},
		{Name: "apps", Mode: k("User"), OSType: k("Linux"), OrchestratorVersion: k("1.36.3"), NodeImageVersion: k("AKSAzureLinux-V3gen2-202611.10.0"),
			EnableNodePublicIP: k(false), EncryptionAtHost: k(true), SSHAccess: k("Disabled")},
	}
	return c
}

func run(t *testing.T, c *inventory.Cluster, id string, settings ...func(*check.Settings)) []check.Result {
	t.Helper()
	s := check.DefaultSettings()
	for _, f := range settings {
		f(&s)
	}
	inv := &inventory.Inventory{Clusters: []*inventory.Cluster{c}}
	return engine.Run(inv, engine.Options{Settings: s, Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Only: map[string]bool{id: true}})
}

func TestAzureControls(t *testing.T) {
	type tc struct {
		name    string
		control string
		mutate  func(c *inventory.Cluster)
		want    check.Status
		msg     string // substring of the first non-pass result's message
	}
	tests := []tc{
		{"private cluster", "AKS-ACC-001", nil, check.Pass, ""},
		{"public, no ranges", "AKS-ACC-001", func(c *inventory.Cluster) { c.PrivateCluster = k(false) }, check.Fail, "whole internet"},
		{"public, 0.0.0.0/0", "AKS-ACC-001", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"10.0.0.0/8", "0.0.0.0/0"})
		}, check.Fail, "0.0.0.0/0"},
		{"public, narrow ranges", "AKS-ACC-001", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"203.0.113.7/32"})
		}, check.Pass, ""},
		{"public absent, ranges unknown", "AKS-ACC-001", func(c *inventory.Cluster) {
			c.PrivateCluster = inventory.Field[bool]{}
			c.AuthorizedIPRanges = unk[[]string]()
		}, check.NotAssessed, "cannot be determined"},
		{"private unknown", "AKS-ACC-001", func(c *inventory.Cluster) { c.PrivateCluster = unk[bool]() }, check.NotAssessed, ""},
		{"ranges n/a private", "AKS-ACC-002", nil, check.NotApplicable, ""},
		{"ranges wide /8", "AKS-ACC-002", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"10.0.0.0/8", "0.0.0.0/32"})
		}, check.Fail, "10.0.0.0/8"},
		{"ranges service tag", "AKS-ACC-002", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"AzureCloud"})
		}, check.Fail, "service tag"},
		{"ranges narrow incl lb egress", "AKS-ACC-002", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"0.0.0.0/32", "198.51.100.0/24", "2001:db8::/56"})
		}, check.Pass, ""},
		{"ranges threshold configurable", "AKS-ACC-002", func(c *inventory.Cluster) {
			c.PrivateCluster = k(false)
			c.AuthorizedIPRanges = k([]string{"198.51.100.0/24"})
		}, check.Pass, ""},
		{"public no ranges n/a", "AKS-ACC-002", func(c *inventory.Cluster) { c.PrivateCluster = k(false) }, check.NotApplicable, ""},
		{"private ok", "AKS-ACC-003", nil, check.Pass, ""},
		{"public", "AKS-ACC-003", func(c *inventory.Cluster) { c.PrivateCluster = inventory.Field[bool]{} }, check.Fail, "public"},
		{"public fqdn", "AKS-ACC-003", func(c *inventory.Cluster) { c.PrivateClusterPublicFQDN = k(true) }, check.Fail, "public FQDN"},
		{"aad managed", "AKS-ACC-004", nil, check.Pass, ""},
		{"no aad", "AKS-ACC-004", func(c *inventory.Cluster) {
			c.AADProfile, c.AADManaged = inventory.Field[bool]{}, inventory.Field[bool]{}
		}, check.Fail, "no Entra ID"},
		{"legacy aad", "AKS-ACC-004", func(c *inventory.Cluster) { c.AADManaged = k(false) }, check.Fail, "legacy"},
		{"local disabled", "AKS-ACC-005", nil, check.Pass, ""},
		{"local absent", "AKS-ACC-005", func(c *inventory.Cluster) { c.DisableLocalAccounts = inventory.Field[bool]{} }, check.Fail, "enabled"},
		{"local unknown", "AKS-ACC-005", func(c *inventory.Cluster) { c.DisableLocalAccounts = unk[bool]() }, check.NotAssessed, ""},
		{"rbac", "AKS-ACC-006", nil, check.Pass, ""},
		{"rbac default in a template", "AKS-ACC-006", func(c *inventory.Cluster) {
			c.EnableRBAC = inventory.Field[bool]{}
			c.Format = inventory.FormatARMTemplate
		}, check.Pass, "by default"},
		{"rbac default in Terraform", "AKS-ACC-006", func(c *inventory.Cluster) {
			c.EnableRBAC = inventory.Field[bool]{}
			c.Format = inventory.FormatTFPlan
		}, check.Pass, "by default"},
		{"rbac omitted from az output", "AKS-ACC-006", func(c *inventory.Cluster) { c.EnableRBAC = inventory.Field[bool]{} }, check.NotAssessed, "enableRBAC is not in this deployed cluster's body"},
		{"rbac omitted from a live read", "AKS-ACC-006", func(c *inventory.Cluster) {
			c.EnableRBAC = inventory.Field[bool]{}
			c.Format = inventory.FormatLive
		}, check.NotAssessed, "enableRBAC is not in this deployed cluster's body"},
		{"rbac off", "AKS-ACC-006", func(c *inventory.Cluster) { c.EnableRBAC = k(false) }, check.Fail, "disabled"},
		{"admin groups", "AKS-ACC-007", nil, check.Pass, ""},
		{"no admin groups", "AKS-ACC-007", func(c *inventory.Cluster) { c.AdminGroupObjectIDs = inventory.Field[[]string]{} }, check.Fail, "no admin group"},
		{"admin groups n/a", "AKS-ACC-007", func(c *inventory.Cluster) { c.AADManaged = inventory.Field[bool]{} }, check.NotApplicable, ""},
		{"azure rbac", "AKS-ACC-008", nil, check.Pass, ""},
		{"no azure rbac", "AKS-ACC-008", func(c *inventory.Cluster) { c.AzureRBAC = k(false) }, check.Fail, "without Azure RBAC"},
		{"azure rbac n/a", "AKS-ACC-008", func(c *inventory.Cluster) { c.AADManaged = k(false) }, check.NotApplicable, ""},
		{"msi", "AKS-IDN-001", nil, check.Pass, ""},
		{"sp", "AKS-IDN-001", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
		}, check.Fail, "service principal"},
		{"identity sanitised clientId", "AKS-IDN-001", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = k("SystemAssigned"), k("0000")
		}, check.Pass, ""},
		{"uami", "AKS-IDN-002", nil, check.Pass, ""},
		{"system assigned", "AKS-IDN-002", func(c *inventory.Cluster) { c.IdentityType = k("SystemAssigned") }, check.Fail, "system-assigned"},
		{"sp n/a", "AKS-IDN-002", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
		}, check.NotApplicable, ""},
		{"expiry n/a msi", "AKS-IDN-003", nil, check.NotApplicable, ""},
		{"expiry unknown", "AKS-IDN-003", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
		}, check.NotAssessed, "az ad app show"},
		{"expiry soon", "AKS-IDN-003", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
			c.Credentials = &inventory.CredentialData{AppID: "app-id", Credentials: []inventory.Credential{{DisplayName: "rbac", EndDateTime: "2026-12-10T00:00:00Z"}}}
		}, check.Fail, "expires 2026-12-10"},
		{"expired", "AKS-IDN-003", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
			c.Credentials = &inventory.CredentialData{AppID: "app-id", Credentials: []inventory.Credential{{KeyID: "k1", EndDateTime: "2025-01-01T00:00:00Z"}}}
		}, check.Fail, "expired"},
		{"expiry far", "AKS-IDN-003", func(c *inventory.Cluster) {
			c.IdentityType, c.ServicePrincipalClientID = inventory.Field[string]{}, k("app-id")
			c.Credentials = &inventory.CredentialData{AppID: "app-id", Credentials: []inventory.Credential{{KeyID: "k1", EndDateTime: "2028-01-01T00:00:00Z"}}}
		}, check.Pass, ""},
		{"wi azure side only", "AKS-IDN-004", nil, check.NotAssessed, "no Kubernetes input"},
		{"wi off", "AKS-IDN-004", func(c *inventory.Cluster) { c.WorkloadIdentity = inventory.Field[bool]{} }, check.Fail, "not enabled"},
		{"pod identity", "AKS-IDN-004", func(c *inventory.Cluster) { c.PodIdentity = k(true) }, check.Fail, "pod-managed"},
		{"netpol", "AKS-NET-001", nil, check.Pass, ""},
		{"netpol none", "AKS-NET-001", func(c *inventory.Cluster) { c.NetworkPolicy = k("none") }, check.Fail, "no network policy"},
		{"netpol absent", "AKS-NET-001", func(c *inventory.Cluster) { c.NetworkPolicy = inventory.Field[string]{} }, check.Fail, ""},
		{"udr", "AKS-NET-002", nil, check.Pass, ""},
		{"lb egress", "AKS-NET-002", func(c *inventory.Cluster) { c.OutboundType = k("loadBalancer") }, check.Fail, "public IPs"},
		{"nat egress", "AKS-NET-002", func(c *inventory.Cluster) { c.OutboundType = k("managedNATGateway") }, check.Fail, ""},
		{"no node pip", "AKS-NET-003", nil, check.Pass, ""},
		{"node pip", "AKS-NET-003", func(c *inventory.Cluster) { c.AgentPools[1].EnableNodePublicIP = k(true) }, check.Fail, "pool apps"},
		{"pools unknown", "AKS-NET-003", func(c *inventory.Cluster) { c.PoolsKnown, c.PoolsUnknown = false, "count unknown" }, check.NotAssessed, "enumerated"},
		{"no pools, live agent pools unread", "AKS-NET-003", func(c *inventory.Cluster) {
			c.Format, c.AgentPools = inventory.FormatLive, nil
			c.SetUnread(inventory.CompanionAgentPools, "HTTP 403: needs Microsoft.ContainerService/managedClusters/agentPools/read")
		}, check.NotAssessed, "the agent pools were not read: HTTP 403"},
		{"no pools in Terraform", "AKS-NOD-003", func(c *inventory.Cluster) {
			c.Format, c.AgentPools = inventory.FormatTFHCL, nil
		}, check.NotAssessed, "no default_node_pool"},
		{"no pools, every pool on the control plane's version", "AKS-UPG-006", func(c *inventory.Cluster) { c.AgentPools = nil }, check.NotAssessed, "lists no node pools"},
		{"http routing off", "AKS-NET-007", nil, check.Pass, ""},
		{"http routing on", "AKS-NET-007", func(c *inventory.Cluster) {
			c.SetAddon(&inventory.Addon{Name: "httpApplicationRouting", Enabled: k(true)})
		}, check.Fail, "enabled"},
		{"dashboard azure only", "AKS-DSH-001", nil, check.NotAssessed, "no Kubernetes input"},
		{"dashboard addon", "AKS-DSH-001", func(c *inventory.Cluster) { c.SetAddon(&inventory.Addon{Name: "KubeDashboard", Enabled: k(true)}) }, check.Fail, "Dashboard"},
		{"upgrade channel", "AKS-UPG-004", nil, check.Pass, ""},
		{"upgrade channel none", "AKS-UPG-004", func(c *inventory.Cluster) { c.UpgradeChannel = k("none") }, check.Fail, ""},
		{"node os", "AKS-UPG-005", nil, check.Pass, ""},
		{"node os unmanaged", "AKS-UPG-005", func(c *inventory.Cluster) { c.NodeOSUpgradeChannel = k("Unmanaged") }, check.Fail, "not rebooted"},
		{"node os absent arm", "AKS-UPG-005", func(c *inventory.Cluster) { c.NodeOSUpgradeChannel = inventory.Field[string]{} }, check.NotAssessed, "API version"},
		{"node os absent terraform", "AKS-UPG-005", func(c *inventory.Cluster) {
			c.NodeOSUpgradeChannel, c.Format = inventory.Field[string]{}, inventory.FormatTFHCL
		}, check.Pass, ""},
		{"pools follow", "AKS-UPG-006", nil, check.Pass, ""},
		{"pool lags", "AKS-UPG-006", func(c *inventory.Cluster) { c.AgentPools[1].OrchestratorVersion = k("1.35.7") }, check.Fail, "behind"},
		{"pool lags patch", "AKS-UPG-006", func(c *inventory.Cluster) { c.AgentPools[1].OrchestratorVersion = k("1.36.1") }, check.Fail, "behind"},
		{"image recent by date", "AKS-UPG-007", nil, check.Pass, ""},
		{"image old by date", "AKS-UPG-007", func(c *inventory.Cluster) {
			c.AgentPools[0].NodeImageVersion = k("AKSUbuntu-2204gen2containerd-202505.14.0")
		}, check.Fail, "days old"},
		{"image behind profile", "AKS-UPG-007", func(c *inventory.Cluster) {
			c.UpgradeProfile = &inventory.UpgradeProfile{Pools: map[string]*inventory.PoolUpgrade{"system": {LatestNodeImageVersion: "AKSAzureLinux-V3gen2-202611.17.0"}}}
		}, check.Fail, "older than the latest"},
		{"image windows no profile", "AKS-UPG-007", func(c *inventory.Cluster) {
			c.AgentPools = c.AgentPools[:1]
			c.AgentPools[0].OSType, c.AgentPools[0].NodeImageVersion = k("Windows"), k("AKSWindows-2022-containerd-20348.2113.231115")
		}, check.NotAssessed, "Windows"},
		{"reboots n/a", "AKS-UPG-009", nil, check.NotApplicable, ""},
		{"reboots need kured", "AKS-UPG-009", func(c *inventory.Cluster) { c.NodeOSUpgradeChannel = k("Unmanaged") }, check.NotAssessed, "kured"},
		{"maintenance", "AKS-UPG-010", nil, check.Pass, ""},
		{"maintenance none", "AKS-UPG-010", func(c *inventory.Cluster) { c.MaintenanceConfigs.Names = nil }, check.Fail, "no maintenance"},
		{"maintenance partial", "AKS-UPG-010", func(c *inventory.Cluster) { c.MaintenanceConfigs = &inventory.MaintenanceData{} }, check.NotAssessed, "not a complete"},
		{"maintenance no data", "AKS-UPG-010", func(c *inventory.Cluster) { c.MaintenanceConfigs = nil }, check.NotAssessed, "maintenanceconfiguration list"},
		{"no ssh key", "AKS-NOD-001", nil, check.Pass, ""},
		{"ssh key, disabled", "AKS-NOD-001", func(c *inventory.Cluster) { c.SSHPublicKeys = k(1) }, check.Pass, ""},
		{"ssh key, pools unknown", "AKS-NOD-001", func(c *inventory.Cluster) {
			c.SSHPublicKeys = k(1)
			c.PoolsKnown, c.PoolsUnknown = false, "count unknown"
		}, check.NotAssessed, "enumerated"},
		{"ssh key, no pools", "AKS-NOD-001", func(c *inventory.Cluster) {
			c.SSHPublicKeys = k(1)
			c.AgentPools = nil
		}, check.Fail, "no Linux pool that disables SSH"},
		{"no ssh key, no pools", "AKS-NOD-001", func(c *inventory.Cluster) { c.AgentPools = nil }, check.Pass, ""},
		{"ssh key open", "AKS-NOD-001", func(c *inventory.Cluster) {
			c.SSHPublicKeys = k(1)
			c.AgentPools[1].SSHAccess = inventory.Field[string]{}
		}, check.Fail, "accept SSH"},
		{"pools separated", "AKS-NOD-002", nil, check.Pass, ""},
		{"no user pool", "AKS-NOD-002", func(c *inventory.Cluster) { c.AgentPools = c.AgentPools[:1] }, check.Fail, "no User-mode"},
		{"system untainted", "AKS-NOD-002", func(c *inventory.Cluster) { c.AgentPools[0].NodeTaints = inventory.Field[[]string]{} }, check.Fail, "CriticalAddonsOnly"},
		{"terraform only critical", "AKS-NOD-002", func(c *inventory.Cluster) {
			c.AgentPools[0].NodeTaints, c.AgentPools[0].OnlyCriticalAddons = inventory.Field[[]string]{}, k(true)
		}, check.Pass, ""},
		{"host encryption", "AKS-NOD-003", nil, check.Pass, ""},
		{"no host encryption", "AKS-NOD-003", func(c *inventory.Cluster) { c.AgentPools[1].EncryptionAtHost = k(false) }, check.Fail, "pool apps"},
		{"des", "AKS-NOD-003", func(c *inventory.Cluster) {
			c.AgentPools[1].EncryptionAtHost = k(false)
			c.DiskEncryptionSet = k("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des")
		}, check.Pass, "customer-managed"},
		{"virtual nodes azure only", "AKS-NOD-004", nil, check.NotAssessed, "virtual-kubelet"},
		{"virtual nodes", "AKS-NOD-004", func(c *inventory.Cluster) { c.SetAddon(&inventory.Addon{Name: "aciConnectorLinux", Enabled: k(true)}) }, check.Fail, "ACI"},
		{"monitoring", "AKS-MON-001", nil, check.Pass, ""},
		{"monitoring off", "AKS-MON-001", func(c *inventory.Cluster) { c.SetAddon(&inventory.Addon{Name: "omsAgent", Enabled: k(false)}) }, check.Fail, "not collected"},
		{"container insights profile", "AKS-MON-001", func(c *inventory.Cluster) {
			c.SetAddon(&inventory.Addon{Name: "omsagent", Enabled: k(false)})
			c.ContainerInsights = k(true)
		}, check.Pass, ""},
		{"apiserver logs", "AKS-MON-002", nil, check.Pass, ""},
		{"apiserver logs disabled entry", "AKS-MON-002", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{Category: "kube-apiserver", Enabled: k(false)}}
		}, check.Fail, "no diagnostic setting"},
		{"apiserver logs no destination", "AKS-MON-002", func(c *inventory.Cluster) { c.Diagnostics.Settings[0].HasDestination = k(false) }, check.Fail, ""},
		{"no diag data", "AKS-MON-002", func(c *inventory.Cluster) { c.Diagnostics = nil }, check.NotAssessed, "diagnostic-settings list"},
		{"audit via group", "AKS-MON-003", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{CategoryGroup: "audit", Enabled: k(true)}}
		}, check.Pass, ""},
		{"audit admin", "AKS-MON-003", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{Category: "kube-audit-admin", Enabled: k(true)}}
		}, check.Pass, ""},
		{"audit missing", "AKS-MON-003", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{Category: "kube-apiserver", Enabled: k(true)}}
		}, check.Fail, "kube-audit"},
		{"audit unknown", "AKS-MON-003", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{Category: "kube-audit", Enabled: unk[bool]()}}
		}, check.NotAssessed, ""},
		{"kcm", "AKS-MON-004", nil, check.Pass, ""},
		{"kcm missing via audit group", "AKS-MON-004", func(c *inventory.Cluster) {
			c.Diagnostics.Settings[0].Logs = []inventory.LogSetting{{CategoryGroup: "audit", Enabled: k(true)}}
		}, check.Fail, ""},
		{"defender", "AKS-MON-005", nil, check.Pass, ""},
		{"no defender", "AKS-MON-005", func(c *inventory.Cluster) { c.Defender = inventory.Field[bool]{} }, check.Fail, ""},
		{"policy", "AKS-GOV-001", nil, check.Pass, ""},
		{"no policy", "AKS-GOV-001", func(c *inventory.Cluster) { delete(c.Addons, "azurepolicy") }, check.Fail, ""},
		{"images scanned azure only", "AKS-IMG-004", nil, check.NotAssessed, "Defender scans"},
		{"cleaner", "AKS-IMG-005", nil, check.Pass, ""},
		{"no cleaner", "AKS-IMG-005", func(c *inventory.Cluster) { c.ImageCleaner = k(false) }, check.Fail, ""},
		{"kv provider", "AKS-SEC-002", nil, check.Pass, ""},
		{"no kv provider", "AKS-SEC-002", func(c *inventory.Cluster) { delete(c.Addons, "azurekeyvaultsecretsprovider") }, check.Fail, ""},
		{"rotation", "AKS-SEC-003", nil, check.Pass, ""},
		{"no rotation", "AKS-SEC-003", func(c *inventory.Cluster) { c.Addon("azureKeyvaultSecretsProvider").Config = nil }, check.Fail, "does not rotate"},
		{"rotation n/a", "AKS-SEC-003", func(c *inventory.Cluster) { delete(c.Addons, "azurekeyvaultsecretsprovider") }, check.NotApplicable, ""},
		{"kms", "AKS-SEC-004", nil, check.Pass, ""},
		{"no kms", "AKS-SEC-004", func(c *inventory.Cluster) { c.KMS = k(false) }, check.Fail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.control+"/"+tt.name, func(t *testing.T) {
			c := hardened()
			if tt.mutate != nil {
				tt.mutate(c)
			}
			rs := run(t, c, tt.control)
			if len(rs) == 0 {
				t.Fatal("no result")
			}
			got := statusOf(rs, tt.control)
			if got != tt.want {
				t.Fatalf("status %s, want %s: %+v", got, tt.want, rs)
			}
			for _, r := range rs {
				if r.Status == check.Fail && r.Remediation == "" {
					t.Errorf("fail without remediation: %+v", r)
				}
				if r.Status != check.Pass && r.Message == "" {
					t.Errorf("result without message: %+v", r)
				}
			}
			if tt.msg != "" {
				found := false
				for _, r := range rs {
					if strings.Contains(r.Message, tt.msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("no result message contains %q: %+v", tt.msg, rs)
				}
			}
		})
	}
}

func TestACC002Threshold(t *testing.T) {
	c := hardened()
	c.PrivateCluster = k(false)
	c.AuthorizedIPRanges = k([]string{"198.51.100.0/24"})
	rs := run(t, c, "AKS-ACC-002", func(s *check.Settings) { s.AuthorizedRangeMaxPrefix = 28 })
	if rs[0].Status != check.Fail {
		t.Fatalf("a /24 with a /28 threshold must fail: %+v", rs)
	}
}

func TestRemediationPerFormat(t *testing.T) {
	c := hardened()
	c.DisableLocalAccounts = k(false)
	if got := run(t, c, "AKS-ACC-005")[0].Remediation; got != "az aks update -g rg -n c --disable-local-accounts" {
		t.Errorf("az remediation %q", got)
	}
	c.Format, c.TFAddress = inventory.FormatTFPlan, "module.aks.azurerm_kubernetes_cluster.main"
	if got := run(t, c, "AKS-ACC-005")[0].Remediation; !strings.Contains(got, "module.aks.azurerm_kubernetes_cluster.main") || !strings.Contains(got, "local_account_disabled = true") {
		t.Errorf("terraform remediation %q", got)
	}
	c.Format = inventory.FormatARMTemplate
	if got := run(t, c, "AKS-ACC-005")[0].Remediation; !strings.Contains(got, "properties.disableLocalAccounts: true") {
		t.Errorf("template remediation %q", got)
	}
}

func TestRegistryControl(t *testing.T) {
	inv := &inventory.Inventory{Clusters: []*inventory.Cluster{hardened()}}
	rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Only: map[string]bool{"AKS-IMG-003": true}})
	if len(rs) != 1 || rs[0].Status != check.NotAssessed {
		t.Fatalf("without registry data: %+v", rs)
	}
	inv.Registries = []*inventory.Registry{
		{Name: "open", PublicNetworkAccess: k("Enabled"), AdminUserEnabled: k(true), PrivateEndpoints: k(0)},
		{Name: "closed", PublicNetworkAccess: k("Disabled"), AdminUserEnabled: k(false), PrivateEndpoints: k(1)},
	}
	rs = engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Only: map[string]bool{"AKS-IMG-003": true}})
	got := map[string]check.Status{}
	for _, r := range rs {
		got[r.Resource.Name] = r.Status
	}
	if got["open"] != check.Fail || got["closed"] != check.Pass {
		t.Fatalf("registry verdicts %v", got)
	}
}

// TestTerraformRemediation checks the Terraform rendering of fixes that add
// a resource, remove a block, or name the cluster through {tf}: no
// placeholder is left and the sentence reads as an instruction.
func TestTerraformRemediation(t *testing.T) {
	tests := []struct {
		id     string
		mutate func(c *inventory.Cluster)
		want   string
	}{
		{"AKS-MON-002", func(c *inventory.Cluster) { c.Diagnostics = &inventory.DiagnosticData{} },
			`Add an azurerm_monitor_diagnostic_setting with target_resource_id = module.aks.azurerm_kubernetes_cluster.main.id and enabled_log { category = "kube-apiserver" }, then terraform apply.`},
		{"AKS-MON-003", func(c *inventory.Cluster) { c.Diagnostics = &inventory.DiagnosticData{} },
			`Add an azurerm_monitor_diagnostic_setting with target_resource_id = module.aks.azurerm_kubernetes_cluster.main.id and enabled_log { category = "kube-audit" }, then terraform apply.`},
		{"AKS-MON-004", func(c *inventory.Cluster) { c.Diagnostics = &inventory.DiagnosticData{} },
			`Add an azurerm_monitor_diagnostic_setting with target_resource_id = module.aks.azurerm_kubernetes_cluster.main.id and enabled_log { category = "kube-controller-manager" }, then terraform apply.`},
		{"AKS-NOD-001", func(c *inventory.Cluster) {
			c.SSHPublicKeys = k(1)
			for _, p := range c.AgentPools {
				p.SSHAccess = inventory.Field[string]{}
			}
		}, "In module.aks.azurerm_kubernetes_cluster.main remove linux_profile { ssh_key } (sshAccess is not exposed by azurerm: az aks nodepool update --ssh-access disabled), then terraform apply."},
		{"AKS-NOD-004", func(c *inventory.Cluster) {
			c.SetAddon(&inventory.Addon{Name: "aciConnectorLinux", Enabled: k(true)})
		}, "In module.aks.azurerm_kubernetes_cluster.main remove the aci_connector_linux block, then terraform apply."},
		{"AKS-ACC-005", func(c *inventory.Cluster) { c.DisableLocalAccounts = k(false) },
			"In module.aks.azurerm_kubernetes_cluster.main set local_account_disabled = true, then terraform apply."},
		{"AKS-DSH-001", func(c *inventory.Cluster) {
			c.TFLegacy = "module.aks.azurerm_kubernetes_cluster.main.addon_profile"
			c.SetAddon(&inventory.Addon{Name: "kubeDashboard", Enabled: k(true)})
		}, "In module.aks.azurerm_kubernetes_cluster.main set addon_profile { kube_dashboard { enabled = false } } (azurerm 2.x; azurerm 3.0 and later do not manage the add-on: az aks disable-addons -g rg -n c -a kube-dashboard), then terraform apply."},
		{"AKS-ACC-006", func(c *inventory.Cluster) {
			c.TFLegacy = "module.aks.azurerm_kubernetes_cluster.main.addon_profile"
			c.EnableRBAC = k(false)
		}, "In module.aks.azurerm_kubernetes_cluster.main set role_based_access_control_enabled = true (forces a new cluster), then terraform apply. Arguments are named as in azurerm 3.x and later; this configuration uses 2.x syntax (module.aks.azurerm_kubernetes_cluster.main.addon_profile)."},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := hardened()
			c.Format, c.TFAddress = inventory.FormatTFHCL, "module.aks.azurerm_kubernetes_cluster.main"
			tt.mutate(c)
			var fails []string
			for _, r := range run(t, c, tt.id) {
				if r.Status == check.Fail {
					fails = append(fails, r.Remediation)
				}
			}
			if len(fails) == 0 {
				t.Fatalf("%s does not fail: %+v", tt.id, run(t, c, tt.id))
			}
			for _, got := range fails {
				if got != tt.want {
					t.Errorf("remediation\n got %q\nwant %q", got, tt.want)
				}
			}
		})
	}
}
