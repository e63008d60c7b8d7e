package kit

const AreaAccess = "API server access and authentication"

const AreaDashboard = "Kubernetes Dashboard"

const AreaGovernance = "Governance and images"

const AreaIdentity = "Cluster identity and credentials"

const AreaMonitoring = "Monitoring and threat protection"

const AreaNetwork = "Network"

const AreaUpgrades = "Upgrades and nodes"

// The RBAC controls (catalog §10), and the controls that read the same
// RBAC index: AKS-DSH-002 (dashboard bindings), AKS-IDN-005 (image pull
// secrets for ACR) and AKS-WKL-011 (unneeded service account tokens).
// Decisions are in docs/rbac-controls.md.

const AreaRBAC = "RBAC"

const AreaSecrets = "Secrets"

// The Kubernetes version controls (AKS-UPG-001, -002, -003). They judge the
// control plane's version with internal/k8sversion: the embedded, dated
// dataset, overridden by the cluster's `az aks get-versions` list (joined by
// location into UpgradeProfile.Versions) for which minors and patches are
// offered, and by `az aks get-upgrades` (UpgradeProfile.ControlPlane) for the
// patches this cluster can move to. Every result names the data and its date.

const AreaVersions = "Upgrades and nodes"
