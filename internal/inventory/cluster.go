// Package inventory is the one model of the scanned world: AKS clusters with
// the Azure facts around them, and the errors met while loading them. Sources
// fill it; checks only read it.
package inventory

import (
	"github.com/aksguard/aksguard/internal/jsontree"
)

// Format names the kind of input a cluster was read from.
type Format string

// The cluster input formats.
const (
	FormatAzCLI       Format = "az-cli"       // az aks show / list -o json (flattened)
	FormatARM         Format = "arm-rest"     // ARM REST body (with properties)
	FormatARMTemplate Format = "arm-template" // ARM template export
	FormatTFPlan      Format = "terraform-plan"
	FormatTFHCL       Format = "terraform-hcl"
	FormatLive        Format = "azure-live"
	FormatBicep       Format = "bicep" // Bicep source (.bicep), read natively
)

// IsTerraform reports whether remediation should name Terraform arguments.
func (f Format) IsTerraform() bool { return f == FormatTFPlan || f == FormatTFHCL }

// Deployed reports whether the input describes a cluster as Azure runs it
// (az output, a REST GET body, a live read) rather than one to be deployed
// (a template, Terraform). Where Azure's default for an unset field depends
// on the API version that created the cluster, a deployed body that omits
// the field does not say which default applied.
func (f Format) Deployed() bool { return f == FormatAzCLI || f == FormatARM || f == FormatLive }

// Source is where an object was read.
type Source struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// ModuleCall is one Terraform module call on the way from the root module
// to a resource declared inside a module: its address (module.aks,
// module.fleet["prod"]) and where the call is.
type ModuleCall struct {
	Address string
	Source  Source
}

// Cluster is an AKS managed cluster with the fields the controls read.
type Cluster struct {
	ID            string
	Name          string
	ResourceGroup string
	Subscription  string
	Location      string
	Format        Format
	Source        Source
	// TFAddress is the Terraform resource address (azurerm_kubernetes_cluster.main)
	// for Terraform inputs; remediation names its arguments.
	TFAddress string
	// TFLegacy names the first provider 2.x-only block or argument of a
	// Terraform cluster (azurerm_kubernetes_cluster.main.addon_profile),
	// "" when there is none: fixes name 3.x+ arguments.
	TFLegacy string
	// AzAPIType is the type of the azapi_resource a Terraform cluster was
	// read from ("Microsoft.ContainerService/managedClusters@2024-05-01"),
	// "" otherwise. Its body is an ARM body: the fields follow Azure's
	// defaults, not the azurerm provider's, and fixes name body paths.
	AzAPIType string
	// BicepAddress is the Bicep declaration a Bicep cluster was read from,
	// as a path of declarations from BicepFile: "resource aks", or
	// "module aks > resource managedCluster" through module calls; ""
	// for other formats. Fixes name it with the property to set.
	BicepAddress string
	// BicepFile is the .bicep file BicepAddress starts in (the file
	// scanned); "" means Source.File.
	BicepFile string
	// APIVersion is the API version the input names for the cluster's body
	// (the azapi type's suffix), "" when it names none. Some Azure defaults
	// depend on it.
	APIVersion string

	KubernetesVersion        Field[string] // requested (may be a minor alias like 1.34)
	CurrentKubernetesVersion Field[string] // running, full patch
	SKUTier                  Field[string] // Free, Standard, Premium
	SupportPlan              Field[string] // KubernetesOfficial, AKSLongTermSupport
	CreatedAt                Field[string] // systemData.createdAt (RFC3339)

	// API server access.
	PrivateCluster           Field[bool]
	PrivateClusterPublicFQDN Field[bool]
	AuthorizedIPRanges       Field[[]string]

	// Authentication and authorization.
	AADProfile           Field[bool] // an aadProfile is present (legacy or managed)
	AADManaged           Field[bool]
	AdminGroupObjectIDs  Field[[]string]
	AzureRBAC            Field[bool]
	DisableLocalAccounts Field[bool]
	EnableRBAC           Field[bool]

	// Identity.
	IdentityType             Field[string] // SystemAssigned, UserAssigned, None
	ServicePrincipalClientID Field[string] // "msi" with managed identity
	WorkloadIdentity         Field[bool]
	OIDCIssuer               Field[bool]
	PodIdentity              Field[bool]

	// Network.
	NetworkPlugin Field[string]
	NetworkPolicy Field[string]
	OutboundType  Field[string]

	// Add-ons, keyed by case-folded add-on name (jsontree.Fold: omsagent, azurepolicy,
	// azurekeyvaultsecretsprovider, kubedashboard, httpapplicationrouting,
	// aciconnectorlinux).
	Addons map[string]*Addon

	// Security profile and the rest.
	ContainerInsights Field[bool] // azureMonitorProfile.containerInsights.enabled
	Defender          Field[bool] // securityProfile.defender.securityMonitoring.enabled
	ImageCleaner      Field[bool]
	KMS               Field[bool] // securityProfile.azureKeyVaultKms.enabled
	DiskEncryptionSet Field[string]

	UpgradeChannel       Field[string] // rapid, stable, patch, node-image, none
	NodeOSUpgradeChannel Field[string] // None, Unmanaged, NodeImage, SecurityPatch

	SSHPublicKeys Field[int] // number of linuxProfile.ssh.publicKeys

	AgentPools []*AgentPool
	// PoolsKnown is false when the input could not list the pools (e.g. a
	// Terraform pool count that is unknown at plan time).
	PoolsKnown   bool
	PoolsUnknown string

	// Companion Azure data, joined by resource ID. Nil means no such input.
	Diagnostics        *DiagnosticData
	UpgradeProfile     *UpgradeProfile
	MaintenanceConfigs *MaintenanceData
	Registries         []*Registry
	Credentials        *CredentialData
	// DefenderPricing is the subscription's Defender for Containers plan
	// (Microsoft.Security/pricings/Containers); nil when not read.
	DefenderPricing *PricingData

	// Unrecognised lists the arguments and blocks of the cluster's
	// Terraform resource that aksguard does not read
	// ("azurerm_kubernetes_cluster.main.foo (main.tf:12)"). Such an
	// argument may change what a default means, so a control never passes
	// on a default while this is not empty.
	Unrecognised []string

	// ModuleCalls are the Terraform module calls, from the root module,
	// that declare the cluster (Source is inside the last one's module).
	ModuleCalls []ModuleCall

	// Unread records companion data a live source tried to read and could
	// not, by companion (the Companion* constants), with the reason and the
	// permission it needs. Controls that need the companion say
	// not-assessed with this reason instead of asking for a file.
	Unread map[string]string

	// Primary is set when this cluster is the same AKS cluster as Primary,
	// read from another input (az JSON and Terraform side by side): the
	// controls judge each input's view, and the engine reports the views as
	// one cluster, keeping one result per differing input where they
	// disagree. Nil for the first (primary) view.
	Primary *Cluster
}

// Same returns the primary view of the cluster (itself, or Primary).
func (c *Cluster) Same() *Cluster {
	if c.Primary != nil {
		return c.Primary
	}
	return c
}

// Companion data a live source reads next to a cluster (keys of Cluster.Unread).
const (
	CompanionAgentPools   = "agentPools"
	CompanionUpgrades     = "upgradeProfile"
	CompanionPoolUpgrades = "poolUpgradeProfiles"
	CompanionVersions     = "kubernetesVersions"
	CompanionDiagnostics  = "diagnosticSettings"
	CompanionMaintenance  = "maintenanceConfigurations"
	CompanionDefender     = "defenderPricing"
	CompanionRegistries   = "containerRegistries"
)

// UnreadReason returns why a companion could not be read ("" when it was
// read or never tried).
func (c *Cluster) UnreadReason(companion string) string {
	return c.Unread[companion]
}

// SetUnread records that a companion could not be read.
func (c *Cluster) SetUnread(companion, reason string) {
	if c.Unread == nil {
		c.Unread = map[string]string{}
	}
	c.Unread[companion] = reason
}

// Addon is one add-on profile.
type Addon struct {
	Name    string // as spelled in the input
	Enabled Field[bool]
	Config  map[string]Field[string] // keys lower-cased
	// ConfigUnknown is set (Unknown) when the whole config map is an
	// unresolved expression: any key may hold any value.
	ConfigUnknown Field[string]
}

// AddonEnabled returns the add-on's enabled field (Absent when the add-on is
// not listed at all).
func (c *Cluster) AddonEnabled(name string) Field[bool] {
	if a := c.Addons[jsontree.Fold(name)]; a != nil {
		return a.Enabled
	}
	return Field[bool]{}
}

// Addon returns an add-on by case-insensitive name, or nil.
func (c *Cluster) Addon(name string) *Addon {
	return c.Addons[jsontree.Fold(name)]
}

// SetAddon stores an add-on under its case-folded name (jsontree.Fold, the
// folding of the readers' key lookup: "azurePolicy" and "azurepolicy" are
// one add-on, "azurepol\u0130cy" is another, although strings.ToLower
// would make it "azurepolicy").
func (c *Cluster) SetAddon(a *Addon) {
	if c.Addons == nil {
		c.Addons = map[string]*Addon{}
	}
	c.Addons[jsontree.Fold(a.Name)] = a
}

// AgentPool is one node pool.
type AgentPool struct {
	Name      string
	Source    Source
	TFAddress string // azurerm_kubernetes_cluster_node_pool.x, or the cluster's default_node_pool
	// BicepAddress is, for a pool declared as its own
	// Microsoft.ContainerService/managedClusters/agentPools resource in
	// Bicep, that declaration's path (as Cluster.BicepAddress: "resource
	// userPool"); "" (or the cluster's address) for a pool in the
	// cluster's properties.agentPoolProfiles.
	BicepAddress               string
	Mode                       Field[string] // System, User
	OSType                     Field[string] // Linux, Windows
	OrchestratorVersion        Field[string]
	CurrentOrchestratorVersion Field[string]
	NodeImageVersion           Field[string]
	EnableNodePublicIP         Field[bool]
	EncryptionAtHost           Field[bool]
	SSHAccess                  Field[string] // LocalUser, Disabled, EntraId
	NodeTaints                 Field[[]string]
	OnlyCriticalAddons         Field[bool] // Terraform only_critical_addons_enabled
	// Unrecognised lists the pool's Terraform arguments aksguard does not
	// read (see Cluster.Unrecognised).
	Unrecognised []string
	// ModuleCalls: see Cluster.ModuleCalls.
	ModuleCalls []ModuleCall
}

// DiagnosticData is what the input says about diagnostic settings on a cluster.
type DiagnosticData struct {
	Source   Source
	Settings []DiagnosticSetting
}

// DiagnosticSetting is one Microsoft.Insights/diagnosticSettings resource.
type DiagnosticSetting struct {
	Name   string
	Source Source
	// HasDestination is false when no workspace, storage account, event hub
	// or partner destination is set. Unknown when the destination is an
	// unresolved expression.
	HasDestination Field[bool]
	Logs           []LogSetting
}

// LogSetting is one entry of a diagnostic setting's logs.
type LogSetting struct {
	Category      string
	CategoryGroup string
	Enabled       Field[bool]
	Line          int
}

// UpgradeProfile is `az aks get-upgrades` plus the node-pool upgrade profiles
// and the supported-version list.
type UpgradeProfile struct {
	Source           Source
	ControlPlane     []string // upgrades offered to the control plane
	HaveControlPlane bool
	Pools            map[string]*PoolUpgrade // by lower-cased pool name
	Versions         *VersionList
}

// PoolUpgrade is one agent pool's upgrade profile.
type PoolUpgrade struct {
	Source                 Source
	KubernetesVersion      string
	LatestNodeImageVersion string
	Upgrades               []string
}

// VersionList is `az aks get-versions` output.
type VersionList struct {
	Source   Source
	Location string
	Minors   []VersionMinor
}

// VersionMinor is one offered minor with its patches.
type VersionMinor struct {
	Version      string // "1.35"
	IsPreview    bool
	IsDefault    bool
	SupportPlans []string // KubernetesOfficial, AKSLongTermSupport
	Patches      []string // "1.35.1"
}

// MaintenanceData is the list of maintenance configurations of a cluster.
type MaintenanceData struct {
	Source Source
	Names  []string
	// Authoritative is true for a full listing (ARM list, az ... list).
	// Terraform's maintenance_window blocks also count.
	Authoritative bool
}

// Registry is an Azure Container Registry (az acr show).
type Registry struct {
	ID                  string
	Name                string
	LoginServer         string
	Source              Source
	PublicNetworkAccess Field[string] // Enabled / Disabled
	AdminUserEnabled    Field[bool]
	PrivateEndpoints    Field[int]
}

// PricingData is a Defender plan's pricing on the cluster's subscription.
type PricingData struct {
	Source Source
	Tier   Field[string] // Standard (plan on) or Free (off)
}

// CredentialData lists a service principal's secrets with their end dates.
type CredentialData struct {
	Source      Source
	AppID       string
	Credentials []Credential
}

// Credential is one password or certificate credential (never its value).
type Credential struct {
	KeyID       string
	DisplayName string
	EndDateTime string // RFC3339
	Line        int
}

// IsAzAPI reports whether a Terraform cluster was read from an
// azapi_resource body (ARM vocabulary and defaults).
func (c *Cluster) IsAzAPI() bool { return c.AzAPIType != "" }
