package kit

// The catalog areas as the controls name them (check.Control.Area). Some
// areas share a title: the image controls of governance and the nodes
// controls are listed under the title of the section they belong to.
const (
	AreaAccess     = "API server access and authentication"
	AreaDashboard  = "Kubernetes Dashboard"
	AreaGovernance = "Governance and images"
	AreaIdentity   = "Cluster identity and credentials"
	AreaMonitoring = "Monitoring and threat protection"
	AreaNetwork    = "Network"
	AreaUpgrades   = "Upgrades and nodes"
	AreaRBAC       = "RBAC"
	AreaSecrets    = "Secrets"
	AreaVersions   = "Upgrades and nodes"
	// AreaAudit is the area of the audit-log detections (§11).
	AreaAudit = "Audit-log detections"
	// AreaWorkloads is the area of the workload controls (§8).
	AreaWorkloads = "Workload security"
)
