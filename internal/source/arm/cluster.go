package arm

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// IsManagedCluster reports whether an object is an AKS managed cluster in any
// of the ARM shapes.
func IsManagedCluster(n *jsontree.Node) bool {
	if n == nil || n.Kind != jsontree.Object {
		return false
	}
	if t, ok := n.Get("type").AsString(); ok {
		return strings.EqualFold(t, "Microsoft.ContainerService/managedClusters")
	}
	// az output always carries type; tolerate hand-trimmed files that kept
	// the telling fields.
	p := n
	if pp := n.Get("properties"); pp != nil && pp.Kind == jsontree.Object {
		p = pp
	}
	return p.Get("agentPoolProfiles") != nil && (p.Get("kubernetesVersion") != nil || p.Get("dnsPrefix") != nil)
}

// ParseCluster maps one managed-cluster object into the model. format is
// FormatAzCLI for flattened az output and FormatARM / FormatARMTemplate for
// objects with a properties envelope (detected from the object when the
// envelope is present). The errors are values of the wrong JSON type on the
// paths it maps (file:line, what to do); the fields below them are Unknown.
func ParseCluster(n *jsontree.Node, file string, format inventory.Format, resolve Resolver) (*inventory.Cluster, []inventory.InputError) {
	return ParseClusterAt(n, "", file, format, resolve)
}

// ParseClusterAt is ParseCluster for a body that sits at root in its input
// (azapi_resource.aks.body): every path the fields record starts with it,
// so evidence names the place to change.
func ParseClusterAt(n *jsontree.Node, root, file string, format inventory.Format, resolve Resolver) (*inventory.Cluster, []inventory.InputError) {
	if resolve == nil {
		resolve = identity
	}
	r := reader{resolve: resolve, probs: newProblems(file)}
	c := &inventory.Cluster{Format: format, Source: inventory.Source{File: file, Line: n.Line}, PoolsKnown: true}
	props, propsPath, envelope := r.envelopeAt(n, root)
	if envelope && format == inventory.FormatAzCLI {
		c.Format = inventory.FormatARM
	}
	c.ID = r.stringField(n, root, "id").Val
	c.Name = r.stringField(n, root, "name").Or("")
	c.Location = r.stringField(n, root, "location").Or("")
	c.ResourceGroup = r.stringField(n, root, "resourceGroup").Or("")
	if c.ID != "" {
		sub, rg := SplitID(c.ID)
		c.Subscription = sub
		if c.ResourceGroup == "" {
			c.ResourceGroup = rg
		}
	}

	p := func(keys ...string) (base *jsontree.Node, path string, k []string) { return props, propsPath, keys }
	b := func(keys ...string) inventory.Field[bool] {
		base, path, k := p(keys...)
		return r.boolField(base, path, k...)
	}
	s := func(keys ...string) inventory.Field[string] {
		base, path, k := p(keys...)
		return r.stringField(base, path, k...)
	}
	ss := func(keys ...string) inventory.Field[[]string] {
		base, path, k := p(keys...)
		return r.stringsField(base, path, k...)
	}

	c.KubernetesVersion = s("kubernetesVersion")
	c.CurrentKubernetesVersion = s("currentKubernetesVersion")
	c.SKUTier = r.stringField(n, root, "sku", "tier")
	c.SupportPlan = s("supportPlan")
	c.CreatedAt = r.stringField(n, root, "systemData", "createdAt")

	c.PrivateCluster = b("apiServerAccessProfile", "enablePrivateCluster")
	c.PrivateClusterPublicFQDN = b("apiServerAccessProfile", "enablePrivateClusterPublicFQDN")
	c.AuthorizedIPRanges = ss("apiServerAccessProfile", "authorizedIPRanges")
	if c.AuthorizedIPRanges.State == inventory.Absent {
		// API versions 2019-02-01 to 2019-06-01 kept the ranges at
		// properties.apiServerAuthorizedIPRanges (before
		// apiServerAccessProfile existed).
		if old := ss("apiServerAuthorizedIPRanges"); old.State != inventory.Absent {
			c.AuthorizedIPRanges = old
		}
	}

	aad, aadPath, why := r.walk(props, propsPath, "aadProfile")
	switch {
	case why != "":
		c.AADProfile = inventory.Unresolved[bool](why, aadPath, props.Line)
	case aad.IsNull():
		c.AADProfile = inventory.Field[bool]{Path: aadPath}
	case aad.Kind != jsontree.Object:
		c.AADProfile = inventory.Unresolved[bool](r.probs.wrongType(aadPath, aad, "an object"), aadPath, aad.Line)
	default:
		c.AADProfile = inventory.Set(true, aadPath, aad.Line)
	}
	c.AADManaged = b("aadProfile", "managed")
	c.AdminGroupObjectIDs = ss("aadProfile", "adminGroupObjectIDs")
	c.AzureRBAC = b("aadProfile", "enableAzureRBAC")
	c.DisableLocalAccounts = b("disableLocalAccounts")
	c.EnableRBAC = b("enableRBAC")

	c.IdentityType = r.stringField(n, root, "identity", "type")
	c.ServicePrincipalClientID = s("servicePrincipalProfile", "clientId")
	c.WorkloadIdentity = b("securityProfile", "workloadIdentity", "enabled")
	c.OIDCIssuer = b("oidcIssuerProfile", "enabled")
	c.PodIdentity = b("podIdentityProfile", "enabled")

	c.NetworkPlugin = s("networkProfile", "networkPlugin")
	c.NetworkPolicy = s("networkProfile", "networkPolicy")
	c.OutboundType = s("networkProfile", "outboundType")

	addons, apath, why := r.walk(props, propsPath, "addonProfiles")
	if why == "" && addons != nil && addons.Kind != jsontree.Null && addons.Kind != jsontree.Object {
		why = r.probs.wrongType(apath, addons, "an object")
	}
	switch {
	case why != "":
		// The whole add-on map is an expression (or not a map): every
		// add-on is unknown.
		for _, name := range []string{"omsagent", "azurepolicy", "azureKeyvaultSecretsProvider", "kubeDashboard", "httpApplicationRouting", "aciConnectorLinux"} {
			c.SetAddon(&inventory.Addon{Name: name, Enabled: inventory.Unresolved[bool](why, apath, lineOf(addons, props))})
		}
	case addons != nil && addons.Kind == jsontree.Object:
		for _, m := range addons.Members {
			a := &inventory.Addon{Name: m.Key, Config: map[string]inventory.Field[string]{}}
			a.Enabled = r.boolField(m.Value, join(apath, m.Key), "enabled")
			cfg, cpath, why := r.walk(m.Value, join(apath, m.Key), "config")
			switch {
			case why != "":
				a.ConfigUnknown = inventory.Unresolved[string](why, cpath, lineOf(cfg, m.Value))
			case cfg != nil && cfg.Kind != jsontree.Null && cfg.Kind != jsontree.Object:
				a.ConfigUnknown = inventory.Unresolved[string](r.probs.wrongType(cpath, cfg, "an object"), cpath, cfg.Line)
			case cfg != nil && cfg.Kind == jsontree.Object:
				for _, cm := range cfg.Members {
					a.Config[jsontree.Fold(cm.Key)] = r.stringField(cfg, cpath, cm.Key)
				}
			}
			c.SetAddon(a)
		}
	}

	c.ContainerInsights = b("azureMonitorProfile", "containerInsights", "enabled")
	c.Defender = b("securityProfile", "defender", "securityMonitoring", "enabled")
	c.ImageCleaner = b("securityProfile", "imageCleaner", "enabled")
	c.KMS = b("securityProfile", "azureKeyVaultKms", "enabled")
	c.DiskEncryptionSet = s("diskEncryptionSetID")
	c.UpgradeChannel = s("autoUpgradeProfile", "upgradeChannel")
	c.NodeOSUpgradeChannel = s("autoUpgradeProfile", "nodeOSUpgradeChannel")

	keys, kpath, why := r.walk(props, propsPath, "linuxProfile", "ssh", "publicKeys")
	switch {
	case why != "":
		c.SSHPublicKeys = inventory.Unresolved[int](why, kpath, props.Line)
	case keys.IsNull():
		c.SSHPublicKeys = inventory.Field[int]{Path: kpath}
	case keys.Kind == jsontree.Array:
		c.SSHPublicKeys = inventory.Set(len(keys.Items), kpath, keys.Line)
	default:
		c.SSHPublicKeys = inventory.Unresolved[int](r.probs.wrongType(kpath, keys, "a list"), kpath, keys.Line)
	}

	pools, ppath, why := r.walk(props, propsPath, "agentPoolProfiles")
	switch {
	case why != "":
		c.PoolsKnown, c.PoolsUnknown = false, why
	case pools != nil && pools.Kind == jsontree.Array:
		for i, pn := range pools.Items {
			ipath := ppath + "[" + strconv.Itoa(i) + "]"
			pn, why := resolve(pn)
			if why != "" {
				c.PoolsKnown, c.PoolsUnknown = false, why
				continue
			}
			if pn == nil || pn.Kind != jsontree.Object {
				// A pool the reader cannot read: the list is incomplete.
				c.PoolsKnown, c.PoolsUnknown = false, r.probs.wrongType(ipath, orNull(pn, pools), "an object")
				continue
			}
			c.AgentPools = append(c.AgentPools, r.pool(pn, ipath, file))
		}
	case pools != nil && pools.Kind != jsontree.Null:
		c.PoolsKnown, c.PoolsUnknown = false, r.probs.wrongType(ppath, pools, "a list")
	}
	return c, r.probs.errors()
}

// orNull stands in a JSON null (at the line of within) for a missing value.
func orNull(n, within *jsontree.Node) *jsontree.Node {
	if n != nil {
		return n
	}
	return &jsontree.Node{Kind: jsontree.Null, Line: within.Line}
}

// ParsePool reads one agent pool: an element of agentPoolProfiles (basePath
// names it) or the properties of a managedClusters/agentPools resource. The
// errors are values of the wrong JSON type, as for ParseCluster.
func ParsePool(pn *jsontree.Node, basePath, file string, resolve Resolver) (*inventory.AgentPool, []inventory.InputError) {
	if resolve == nil {
		resolve = identity
	}
	r := reader{resolve: resolve, probs: newProblems(file)}
	return r.pool(pn, basePath, file), r.probs.errors()
}

// ParseStandalonePool reads a managedClusters/agentPools resource body (az
// aks nodepool show, an element of a REST agentPools list).
func ParseStandalonePool(n *jsontree.Node, file string) (*inventory.AgentPool, []inventory.InputError) {
	r := reader{resolve: identity, probs: newProblems(file)}
	props, path, _ := r.envelope(n)
	return r.pool(props, path, file), r.probs.errors()
}

func (r reader) pool(pn *jsontree.Node, basePath, file string) *inventory.AgentPool {
	pool := &inventory.AgentPool{Source: inventory.Source{File: file, Line: pn.Line}}
	pool.Name = r.stringField(pn, basePath, "name").Or("")
	pool.Mode = r.stringField(pn, basePath, "mode")
	pool.OSType = r.stringField(pn, basePath, "osType")
	pool.OrchestratorVersion = r.stringField(pn, basePath, "orchestratorVersion")
	pool.CurrentOrchestratorVersion = r.stringField(pn, basePath, "currentOrchestratorVersion")
	pool.NodeImageVersion = r.stringField(pn, basePath, "nodeImageVersion")
	pool.EnableNodePublicIP = r.boolField(pn, basePath, "enableNodePublicIP")
	pool.EncryptionAtHost = r.boolField(pn, basePath, "enableEncryptionAtHost")
	pool.SSHAccess = r.stringField(pn, basePath, "securityProfile", "sshAccess")
	pool.NodeTaints = r.stringsField(pn, basePath, "nodeTaints")
	return pool
}

// keyAsSpelled returns the key of n matching k case-insensitively, as spelled.
func keyAsSpelled(n *jsontree.Node, k string) string {
	if m, ok := n.Lookup(k); ok {
		return m.Key
	}
	return k
}

// SplitID returns the subscription and resource group of an ARM resource ID.
func SplitID(id string) (sub, rg string) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		switch strings.ToLower(parts[i]) {
		case "subscriptions":
			if sub == "" {
				sub = parts[i+1]
			}
		case "resourcegroups":
			if rg == "" {
				rg = parts[i+1]
			}
		}
	}
	return sub, rg
}

// ClusterIDOf returns the managed-cluster ID that a child resource ID
// (agent pool, upgrade profile, diagnostic setting, maintenance
// configuration) belongs to, or "" when the ID names no managed cluster.
func ClusterIDOf(id string) string {
	lower := strings.ToLower(id)
	const marker = "/providers/microsoft.containerservice/managedclusters/"
	i := strings.Index(lower, marker)
	if i < 0 {
		return ""
	}
	rest := id[i+len(marker):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return id[:i+len(marker)] + rest
}
