package inventory

// Batch is what one source found in one input, before joining: clusters and
// the companion Azure data that still has to be attached to its cluster by
// resource ID.
type Batch struct {
	Clusters []*Cluster
	// Pools are agent pools given as separate resources
	// (managedClusters/agentPools in a template, `az aks nodepool list`);
	// they replace or extend the pools of their cluster.
	Pools       []PoolFor
	Diagnostics []DiagnosticFor
	// UnjoinedDiagnostics are diagnostic-setting listings that carry no
	// resource ID (an empty `az monitor diagnostic-settings list`); they
	// join to the only cluster of the scan, or are reported.
	UnjoinedDiagnostics []Source
	UpgradeProfiles     []UpgradeFor
	PoolUpgrades        []PoolUpgradeFor
	Versions            []*VersionList
	Maintenance         []MaintenanceFor
	Registries          []*Registry
	Credentials         []*CredentialData
	// Pricings are Defender plan pricings (Microsoft.Security/pricings),
	// joined to the clusters of their subscription.
	Pricings []PricingFor
	Errors   []InputError
	// Skipped is set when the input is not something aksguard scans; it
	// names what it was taken for.
	Skipped string

	// Kube is set when the input held Kubernetes objects (even an empty
	// List).
	Kube *Kube
	// Kubeconfigs are kubeconfig files read (they are no Kubernetes
	// objects: they do not make a Kubernetes input).
	Kubeconfigs []*Kubeconfig
	// Audit lists the audit-log inputs read; their events went to the
	// scan's AuditObserver as they were read (inventory/audit.go).
	Audit []AuditInput
}

// Empty reports whether the batch found nothing at all.
func (b *Batch) Empty() bool {
	return len(b.Clusters) == 0 && len(b.Pools) == 0 && len(b.Diagnostics) == 0 && len(b.UnjoinedDiagnostics) == 0 &&
		len(b.UpgradeProfiles) == 0 && len(b.PoolUpgrades) == 0 && len(b.Versions) == 0 &&
		len(b.Maintenance) == 0 && len(b.Registries) == 0 && len(b.Credentials) == 0 && len(b.Pricings) == 0 && b.Kube == nil && len(b.Kubeconfigs) == 0 && len(b.Audit) == 0
}

// DiagnosticFor is a diagnostic setting and the resource it targets: an ARM
// resource ID, or "tf:ADDRESS" for a Terraform reference.
type DiagnosticFor struct {
	TargetID string
	Setting  DiagnosticSetting
}

// UpgradeFor is a cluster upgrade profile (az aks get-upgrades).
type UpgradeFor struct {
	ClusterID    string
	Source       Source
	ControlPlane []string
}

// PoolUpgradeFor is an agent-pool upgrade profile (az aks nodepool get-upgrades).
type PoolUpgradeFor struct {
	ClusterID string
	Pool      string
	Profile   PoolUpgrade
}

// MaintenanceFor is a cluster's maintenance configurations.
type MaintenanceFor struct {
	ClusterID string
	Data      MaintenanceData
}

// Merge appends another batch's findings.
func (b *Batch) Merge(o *Batch) {
	b.Clusters = append(b.Clusters, o.Clusters...)
	b.Pools = append(b.Pools, o.Pools...)
	b.Diagnostics = append(b.Diagnostics, o.Diagnostics...)
	b.UnjoinedDiagnostics = append(b.UnjoinedDiagnostics, o.UnjoinedDiagnostics...)
	b.UpgradeProfiles = append(b.UpgradeProfiles, o.UpgradeProfiles...)
	b.PoolUpgrades = append(b.PoolUpgrades, o.PoolUpgrades...)
	b.Versions = append(b.Versions, o.Versions...)
	b.Maintenance = append(b.Maintenance, o.Maintenance...)
	b.Registries = append(b.Registries, o.Registries...)
	b.Credentials = append(b.Credentials, o.Credentials...)
	b.Pricings = append(b.Pricings, o.Pricings...)
	b.Kubeconfigs = append(b.Kubeconfigs, o.Kubeconfigs...)
	b.Audit = append(b.Audit, o.Audit...)
	if o.Kube != nil {
		if b.Kube == nil {
			b.Kube = &Kube{}
		}
		b.Kube.Merge(o.Kube)
	}
	b.Errors = append(b.Errors, o.Errors...)
}

// PoolFor is an agent pool and the cluster it belongs to (an ARM resource ID,
// or "tf:ADDRESS" / a template resource name where no ID exists).
type PoolFor struct {
	ClusterID string
	Pool      *AgentPool
	// Alone: when no cluster of the scan has ClusterID, the pool is judged
	// under a stand-in cluster (NewStandIn) of Format instead of being
	// reported as a warning (Terraform node pools, which name the cluster
	// they belong to).
	Alone  bool
	Format Format
}

// PricingFor is one Defender plan's pricing on a subscription
// (az security pricing show, GET .../providers/Microsoft.Security/pricings/NAME).
type PricingFor struct {
	Subscription string
	Plan         string // Containers, VirtualMachines, ...
	Tier         Field[string]
	Source       Source
}
