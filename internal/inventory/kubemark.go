package inventory

// KubeMark is where each object collection of a Kube ends (Mark), so that
// the objects later merges append can be cut out again (Slice). A scan
// marks its merged inventory before and after each file's objects instead
// of holding every file's own Kube until its objects are attributed to
// clusters: at 50,000 files those Kubes and their counts were 40 MB held
// to the end of reading, and then holes in the heap.
type KubeMark [kubeCollections]int32

// kubeCollections is the number of object collections of a Kube.
const kubeCollections = 22

// Mark is where k's collections end now.
func (k *Kube) Mark() KubeMark {
	return KubeMark{
		int32(len(k.Namespaces)),
		int32(len(k.Workloads)),
		int32(len(k.Services)),
		int32(len(k.Ingresses)),
		int32(len(k.NetworkPolicies)),
		int32(len(k.CiliumPolicies)),
		int32(len(k.CalicoPolicies)),
		int32(len(k.ServiceAccounts)),
		int32(len(k.Roles)),
		int32(len(k.ClusterRoles)),
		int32(len(k.RoleBindings)),
		int32(len(k.ClusterRoleBindings)),
		int32(len(k.Secrets)),
		int32(len(k.ConfigMaps)),
		int32(len(k.Nodes)),
		int32(len(k.AdmissionPolicies)),
		int32(len(k.AdmissionPolicyBindings)),
		int32(len(k.Constraints)),
		int32(len(k.ConstraintTemplates)),
		int32(len(k.VulnerabilityReports)),
		int32(len(k.AzureIdentities)),
		int32(len(k.AzureIdentityBindings)),
	}
}

// Slice is a Kube of the objects k's collections gained between two of
// its marks, sharing k's arrays (with their capacity clipped, so appending
// to the slice never writes into k). It holds no counts.
func (k *Kube) Slice(from, to KubeMark) *Kube {
	return &Kube{
		Namespaces:              k.Namespaces[from[0]:to[0]:to[0]],
		Workloads:               k.Workloads[from[1]:to[1]:to[1]],
		Services:                k.Services[from[2]:to[2]:to[2]],
		Ingresses:               k.Ingresses[from[3]:to[3]:to[3]],
		NetworkPolicies:         k.NetworkPolicies[from[4]:to[4]:to[4]],
		CiliumPolicies:          k.CiliumPolicies[from[5]:to[5]:to[5]],
		CalicoPolicies:          k.CalicoPolicies[from[6]:to[6]:to[6]],
		ServiceAccounts:         k.ServiceAccounts[from[7]:to[7]:to[7]],
		Roles:                   k.Roles[from[8]:to[8]:to[8]],
		ClusterRoles:            k.ClusterRoles[from[9]:to[9]:to[9]],
		RoleBindings:            k.RoleBindings[from[10]:to[10]:to[10]],
		ClusterRoleBindings:     k.ClusterRoleBindings[from[11]:to[11]:to[11]],
		Secrets:                 k.Secrets[from[12]:to[12]:to[12]],
		ConfigMaps:              k.ConfigMaps[from[13]:to[13]:to[13]],
		Nodes:                   k.Nodes[from[14]:to[14]:to[14]],
		AdmissionPolicies:       k.AdmissionPolicies[from[15]:to[15]:to[15]],
		AdmissionPolicyBindings: k.AdmissionPolicyBindings[from[16]:to[16]:to[16]],
		Constraints:             k.Constraints[from[17]:to[17]:to[17]],
		ConstraintTemplates:     k.ConstraintTemplates[from[18]:to[18]:to[18]],
		VulnerabilityReports:    k.VulnerabilityReports[from[19]:to[19]:to[19]],
		AzureIdentities:         k.AzureIdentities[from[20]:to[20]:to[20]],
		AzureIdentityBindings:   k.AzureIdentityBindings[from[21]:to[21]:to[21]],
	}
}
