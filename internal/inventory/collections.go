package inventory

import "sort"

// Collections name the parts of Kube a control can read. A live source that
// could not read one (HTTP 403, a timeout, a read cut short) records it in
// Kube.Unread, and the engine turns every control that reads it into
// not-assessed instead of judging from half the objects.
const (
	ColNamespaces              = "namespaces"
	ColWorkloads               = "workloads" // pods and every controller with a pod template
	ColServices                = "services"
	ColIngresses               = "ingresses"
	ColNetworkPolicies         = "networkpolicies"
	ColCiliumPolicies          = "ciliumnetworkpolicies" // namespaced and clusterwide
	ColCalicoPolicies          = "caliconetworkpolicies" // namespaced and global
	ColServiceAccounts         = "serviceaccounts"
	ColRoles                   = "roles"
	ColClusterRoles            = "clusterroles"
	ColRoleBindings            = "rolebindings"
	ColClusterRoleBindings     = "clusterrolebindings"
	ColSecrets                 = "secrets"
	ColConfigMaps              = "configmaps"
	ColNodes                   = "nodes"
	ColAdmissionPolicies       = "validatingadmissionpolicies"
	ColAdmissionPolicyBindings = "validatingadmissionpolicybindings"
	ColConstraints             = "constraints"
	ColConstraintTemplates     = "constrainttemplates"
	ColVulnerabilityReports    = "vulnerabilityreports"
	ColAzureIdentities         = "azureidentities"
	ColAzureIdentityBindings   = "azureidentitybindings"
)

// AllCollections lists every collection, in a fixed order.
var AllCollections = []string{
	ColNamespaces, ColWorkloads, ColServices, ColIngresses, ColNetworkPolicies, ColCiliumPolicies, ColCalicoPolicies, ColServiceAccounts,
	ColRoles, ColClusterRoles, ColRoleBindings, ColClusterRoleBindings, ColSecrets, ColConfigMaps,
	ColNodes, ColAdmissionPolicies, ColAdmissionPolicyBindings, ColConstraints, ColConstraintTemplates,
	ColVulnerabilityReports, ColAzureIdentities, ColAzureIdentityBindings,
}

// MarkUnread records that a collection could not be read completely, and
// why. Reasons for the same collection (several workload kinds, say) are
// joined.
func (k *Kube) MarkUnread(col, reason string) {
	if k.Unread == nil {
		k.Unread = map[string]string{}
	}
	if prev, ok := k.Unread[col]; ok && prev != reason {
		reason = prev + "; " + reason
	}
	k.Unread[col] = reason
}

// UnreadOf returns the reasons the given collections could not be read, in
// the order given; nil when all were read.
func (k *Kube) UnreadOf(cols []string) []string {
	if k == nil || len(k.Unread) == 0 {
		return nil
	}
	var out []string
	for _, c := range cols {
		if r, ok := k.Unread[c]; ok {
			out = append(out, r)
		}
	}
	return out
}

// UnreadCollections returns the collections that could not be read, sorted.
func (k *Kube) UnreadCollections() []string {
	out := make([]string, 0, len(k.Unread))
	for c := range k.Unread {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Without returns a shallow copy of k with one collection emptied: what a
// scan would see if that collection could not be read (tests use it to
// prove each control declares what it reads).
func (k *Kube) Without(col string) *Kube {
	c := *k
	switch col {
	case ColNamespaces:
		c.Namespaces = nil
	case ColWorkloads:
		c.Workloads = nil
	case ColServices:
		c.Services = nil
	case ColIngresses:
		c.Ingresses = nil
	case ColNetworkPolicies:
		c.NetworkPolicies = nil
	case ColCiliumPolicies:
		c.CiliumPolicies = nil
	case ColCalicoPolicies:
		c.CalicoPolicies = nil
	case ColServiceAccounts:
		c.ServiceAccounts = nil
	case ColRoles:
		c.Roles = nil
	case ColClusterRoles:
		c.ClusterRoles = nil
	case ColRoleBindings:
		c.RoleBindings = nil
	case ColClusterRoleBindings:
		c.ClusterRoleBindings = nil
	case ColSecrets:
		c.Secrets = nil
	case ColConfigMaps:
		c.ConfigMaps = nil
	case ColNodes:
		c.Nodes = nil
	case ColAdmissionPolicies:
		c.AdmissionPolicies = nil
	case ColAdmissionPolicyBindings:
		c.AdmissionPolicyBindings = nil
	case ColConstraints:
		c.Constraints = nil
	case ColConstraintTemplates:
		c.ConstraintTemplates = nil
	case ColVulnerabilityReports:
		c.VulnerabilityReports = nil
	case ColAzureIdentities:
		c.AzureIdentities = nil
	case ColAzureIdentityBindings:
		c.AzureIdentityBindings = nil
	default:
		panic("inventory: unknown collection " + col)
	}
	return &c
}

// EachObject calls f with the metadata of every object, collection by
// collection in the order of the Kube fields (AllCollections), each in
// input order.
func (k *Kube) EachObject(f func(*Meta)) {
	for _, x := range k.Namespaces {
		f(&x.Meta)
	}
	for _, x := range k.Workloads {
		f(&x.Meta)
	}
	for _, x := range k.Services {
		f(&x.Meta)
	}
	for _, x := range k.Ingresses {
		f(&x.Meta)
	}
	for _, x := range k.NetworkPolicies {
		f(&x.Meta)
	}
	for _, x := range k.CiliumPolicies {
		f(&x.Meta)
	}
	for _, x := range k.CalicoPolicies {
		f(&x.Meta)
	}
	for _, x := range k.ServiceAccounts {
		f(&x.Meta)
	}
	for _, x := range k.Roles {
		f(&x.Meta)
	}
	for _, x := range k.ClusterRoles {
		f(&x.Meta)
	}
	for _, x := range k.RoleBindings {
		f(&x.Meta)
	}
	for _, x := range k.ClusterRoleBindings {
		f(&x.Meta)
	}
	for _, x := range k.Secrets {
		f(&x.Meta)
	}
	for _, x := range k.ConfigMaps {
		f(&x.Meta)
	}
	for _, x := range k.Nodes {
		f(&x.Meta)
	}
	for _, x := range k.AdmissionPolicies {
		f(&x.Meta)
	}
	for _, x := range k.AdmissionPolicyBindings {
		f(&x.Meta)
	}
	for _, x := range k.Constraints {
		f(&x.Meta)
	}
	for _, x := range k.ConstraintTemplates {
		f(&x.Meta)
	}
	for _, x := range k.VulnerabilityReports {
		f(&x.Meta)
	}
	for _, x := range k.AzureIdentities {
		f(&x.Meta)
	}
	for _, x := range k.AzureIdentityBindings {
		f(&x.Meta)
	}
}
