package kubeapi

import "github.com/aksguard/aksguard/internal/inventory"

// resource is one kind aksguard lists: once, cluster-wide, page by page.
type resource struct {
	group, version, name, kind string
	// col is the inventory collection its objects go to.
	col string
	// crd is set for kinds an add-on installs: a 404 means the add-on is
	// not installed, so there are none.
	crd bool
	// metadataOnly lists PartialObjectMetadata (Secrets: never their data).
	metadataOnly bool
}

// apiVersion is the resource's group/version as objects carry it.
func (r resource) apiVersion() string {
	if r.group == "" {
		return r.version
	}
	return r.group + "/" + r.version
}

// path is the cluster-wide collection URL path.
func (r resource) path() string {
	if r.group == "" {
		return "/api/" + r.version + "/" + r.name
	}
	return "/apis/" + r.group + "/" + r.version + "/" + r.name
}

// groupName is the RBAC apiGroups value ("" for the core group), quoted.
func (r resource) groupName() string { return `"` + r.group + `"` }

// resources are the kinds the controls read (deploy/rbac.yaml grants list
// on exactly these; a test keeps the two in step). Gatekeeper constraints
// are found through discovery (constraintGroup) since their kinds come
// from ConstraintTemplates.
var resources = []resource{
	{group: "", version: "v1", name: "namespaces", kind: "Namespace", col: inventory.ColNamespaces},
	{group: "", version: "v1", name: "pods", kind: "Pod", col: inventory.ColWorkloads},
	{group: "", version: "v1", name: "replicationcontrollers", kind: "ReplicationController", col: inventory.ColWorkloads},
	{group: "apps", version: "v1", name: "deployments", kind: "Deployment", col: inventory.ColWorkloads},
	{group: "apps", version: "v1", name: "replicasets", kind: "ReplicaSet", col: inventory.ColWorkloads},
	{group: "apps", version: "v1", name: "statefulsets", kind: "StatefulSet", col: inventory.ColWorkloads},
	{group: "apps", version: "v1", name: "daemonsets", kind: "DaemonSet", col: inventory.ColWorkloads},
	{group: "batch", version: "v1", name: "jobs", kind: "Job", col: inventory.ColWorkloads},
	{group: "batch", version: "v1", name: "cronjobs", kind: "CronJob", col: inventory.ColWorkloads},
	{group: "", version: "v1", name: "services", kind: "Service", col: inventory.ColServices},
	{group: "networking.k8s.io", version: "v1", name: "ingresses", kind: "Ingress", col: inventory.ColIngresses},
	{group: "networking.k8s.io", version: "v1", name: "networkpolicies", kind: "NetworkPolicy", col: inventory.ColNetworkPolicies},
	{group: "cilium.io", version: "v2", name: "ciliumnetworkpolicies", kind: "CiliumNetworkPolicy", col: inventory.ColCiliumPolicies, crd: true},
	{group: "cilium.io", version: "v2", name: "ciliumclusterwidenetworkpolicies", kind: "CiliumClusterwideNetworkPolicy", col: inventory.ColCiliumPolicies, crd: true},
	// Calico's CRDs: the projectcalico.org/v3 API (its API server) serves
	// the same objects, so one of the two is listed.
	{group: "crd.projectcalico.org", version: "v1", name: "networkpolicies", kind: "NetworkPolicy", col: inventory.ColCalicoPolicies, crd: true},
	{group: "crd.projectcalico.org", version: "v1", name: "globalnetworkpolicies", kind: "GlobalNetworkPolicy", col: inventory.ColCalicoPolicies, crd: true},
	{group: "", version: "v1", name: "serviceaccounts", kind: "ServiceAccount", col: inventory.ColServiceAccounts},
	{group: "rbac.authorization.k8s.io", version: "v1", name: "roles", kind: "Role", col: inventory.ColRoles},
	{group: "rbac.authorization.k8s.io", version: "v1", name: "clusterroles", kind: "ClusterRole", col: inventory.ColClusterRoles},
	{group: "rbac.authorization.k8s.io", version: "v1", name: "rolebindings", kind: "RoleBinding", col: inventory.ColRoleBindings},
	{group: "rbac.authorization.k8s.io", version: "v1", name: "clusterrolebindings", kind: "ClusterRoleBinding", col: inventory.ColClusterRoleBindings},
	{group: "", version: "v1", name: "secrets", kind: "Secret", col: inventory.ColSecrets, metadataOnly: true},
	{group: "", version: "v1", name: "configmaps", kind: "ConfigMap", col: inventory.ColConfigMaps},
	{group: "", version: "v1", name: "nodes", kind: "Node", col: inventory.ColNodes},
	{group: "admissionregistration.k8s.io", version: "v1", name: "validatingadmissionpolicies", kind: "ValidatingAdmissionPolicy", col: inventory.ColAdmissionPolicies},
	{group: "admissionregistration.k8s.io", version: "v1", name: "validatingadmissionpolicybindings", kind: "ValidatingAdmissionPolicyBinding", col: inventory.ColAdmissionPolicyBindings},
	{group: "aquasecurity.github.io", version: "v1alpha1", name: "vulnerabilityreports", kind: "VulnerabilityReport", col: inventory.ColVulnerabilityReports, crd: true},
	{group: "aadpodidentity.k8s.io", version: "v1", name: "azureidentities", kind: "AzureIdentity", col: inventory.ColAzureIdentities, crd: true},
	{group: "aadpodidentity.k8s.io", version: "v1", name: "azureidentitybindings", kind: "AzureIdentityBinding", col: inventory.ColAzureIdentityBindings, crd: true},
}

// constraintGroup holds Gatekeeper's constraints, one resource per
// ConstraintTemplate; the version served is read from discovery.
const constraintGroup = "constraints.gatekeeper.sh"

// Resources names what aksguard lists, as "group/resource" ("" for the
// core group), for documentation and the RBAC test.
func Resources() []string {
	out := make([]string, len(resources))
	for i, r := range resources {
		out[i] = r.group + "/" + r.name
	}
	return out
}

// Listed is one kind aksguard lists and the collection its objects fill.
type Listed struct {
	Group, Resource, Collection string
	// MetadataOnly is set for Secrets.
	MetadataOnly bool
	// AddOn is set for kinds an add-on installs (absent otherwise).
	AddOn bool
}

// Listing returns every kind aksguard lists, Gatekeeper constraints last.
func Listing() []Listed {
	out := make([]Listed, 0, len(resources)+1)
	for _, r := range resources {
		out = append(out, Listed{Group: r.group, Resource: r.name, Collection: r.col, MetadataOnly: r.metadataOnly, AddOn: r.crd})
	}
	return append(out, Listed{Group: constraintGroup, Resource: "*", Collection: "constraints", AddOn: true})
}
