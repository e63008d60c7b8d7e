package arm

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// Decode reads one ARM-shaped JSON document (already parsed): a managed
// cluster (az or REST), a list of them (`az aks list` array or REST
// `{value:[...]}`), or companion data (diagnostic settings, upgrade
// profiles, supported versions, maintenance configurations, container
// registries, app credentials). hint is the file name, used only to tell what
// an empty list is. Nothing recognised → Batch.Skipped is set.
func Decode(root *jsontree.Node, file string) *inventory.Batch {
	b := &inventory.Batch{}
	if errs := DuplicateKeyErrors(root, file); len(errs) > 0 {
		b.Errors = errs
		return b
	}
	items := []*jsontree.Node{root}
	isList := false
	switch {
	case root.Kind == jsontree.Array:
		items, isList = root.Items, true
	case root.Kind == jsontree.Object && root.Get("value") != nil && root.Get("value").Kind == jsontree.Array && len(root.Members) <= 3:
		// REST list response: {value:[...], nextLink}
		items, isList = root.Get("value").List(), true
	}
	if isList && len(items) == 0 {
		lower := strings.ToLower(file)
		switch {
		case strings.Contains(lower, "diag"):
			b.UnjoinedDiagnostics = append(b.UnjoinedDiagnostics, inventory.Source{File: file, Line: root.Line})
		case strings.Contains(lower, "maintenance"):
			b.Maintenance = append(b.Maintenance, inventory.MaintenanceFor{Data: inventory.MaintenanceData{Source: inventory.Source{File: file, Line: root.Line}, Authoritative: true}})
		default:
			b.Skipped = "empty JSON list (name the file after its content, e.g. diagnostic-settings.json or maintenance.json, so aksguard can tell what it lists)"
		}
		return b
	}
	// A listing of maintenance configurations is authoritative for its cluster
	// only as a whole, so collect the names per cluster first.
	maint := map[string]*inventory.MaintenanceFor{}
	var maintOrder []string
	var creds []*jsontree.Node
	// item decodes one resource; parentID is the cluster an export nests it
	// in (its resources[]), which it belongs to when its own ID does not say.
	var item func(it *jsontree.Node, parentID string, depth int)
	item = func(it *jsontree.Node, parentID string, depth int) {
		if it == nil || it.Kind != jsontree.Object {
			return
		}
		or := func(id string) string {
			if id == "" {
				return parentID
			}
			return id
		}
		switch kindOf(it, parentID != "" || depth > 0) {
		case kindCluster:
			format := inventory.FormatAzCLI
			c, errs := ParseCluster(it, file, format, nil)
			b.Clusters = append(b.Clusters, c)
			b.Errors = append(b.Errors, errs...)
			children(it, c, depth, item, b, file)
		case kindAgentPool:
			// A standalone agent pool resource (az aks nodepool show, or a REST
			// agentPools list): joined to its cluster as a pool.
			p, errs := ParseStandalonePool(it, file)
			b.Errors = append(b.Errors, errs...)
			if p.Name == "" {
				p.Name, _ = it.Get("name").AsString()
			}
			id, _ := it.Get("id").AsString()
			b.Pools = append(b.Pools, inventory.PoolFor{ClusterID: or(ClusterIDOf(id)), Pool: p})
		case kindDiagSetting:
			id, _ := it.Get("id").AsString()
			target := ""
			if i := strings.Index(strings.ToLower(id), "/providers/microsoft.insights/diagnosticsettings/"); i > 0 {
				target = id[:i]
			}
			ds, errs := ParseDiagSetting(it, file, nil)
			b.Errors = append(b.Errors, errs...)
			b.Diagnostics = append(b.Diagnostics, inventory.DiagnosticFor{TargetID: or(target), Setting: ds})
		case kindUpgradeProfile:
			id, _ := it.Get("id").AsString()
			u := inventory.UpgradeFor{ClusterID: or(ClusterIDOf(id)), Source: inventory.Source{File: file, Line: it.Line}}
			for _, up := range propsOf(it).Get("controlPlaneProfile", "upgrades").List() {
				if v, ok := up.Get("kubernetesVersion").AsString(); ok {
					u.ControlPlane = append(u.ControlPlane, v)
				}
			}
			b.UpgradeProfiles = append(b.UpgradeProfiles, u)
			for _, pp := range propsOf(it).Get("agentPoolProfiles").List() {
				b.PoolUpgrades = append(b.PoolUpgrades, poolUpgrade(pp, u.ClusterID, "", file))
			}
		case kindPoolUpgradeProfile:
			id, _ := it.Get("id").AsString()
			b.PoolUpgrades = append(b.PoolUpgrades, poolUpgrade(propsOf(it), or(ClusterIDOf(id)), poolNameOf(id), file))
		case kindVersions:
			b.Versions = append(b.Versions, ParseVersions(it, file))
		case kindMaintenance:
			id, _ := it.Get("id").AsString()
			cid := or(ClusterIDOf(id))
			m := maint[cid]
			if m == nil {
				m = &inventory.MaintenanceFor{ClusterID: cid, Data: inventory.MaintenanceData{Source: inventory.Source{File: file, Line: it.Line}, Authoritative: isList && depth == 0}}
				maint[cid] = m
				maintOrder = append(maintOrder, cid)
			}
			name, _ := it.Get("name").AsString()
			m.Data.Names = append(m.Data.Names, name)
		case kindRegistry:
			reg, errs := ParseRegistry(it, file)
			b.Errors = append(b.Errors, errs...)
			b.Registries = append(b.Registries, reg)
		case kindCredential:
			creds = append(creds, it)
		case kindApp:
			b.Credentials = append(b.Credentials, parseApp(it, file))
		case kindPricing:
			pf, errs := ParsePricing(it, file)
			b.Errors = append(b.Errors, errs...)
			b.Pricings = append(b.Pricings, pf)
		}
	}
	for _, it := range items {
		item(it, "", 0)
	}
	for _, cid := range maintOrder {
		b.Maintenance = append(b.Maintenance, *maint[cid])
	}
	if len(creds) > 0 {
		cd := &inventory.CredentialData{Source: inventory.Source{File: file, Line: root.Line}}
		for _, it := range creds {
			cd.Credentials = append(cd.Credentials, parseCredential(it))
		}
		b.Credentials = append(b.Credentials, cd)
	}
	if b.Empty() && len(b.Errors) == 0 {
		b.Skipped = "JSON that is not an AKS cluster or a companion Azure resource aksguard reads"
	}
	return b
}

type docKind int

const (
	kindUnknown docKind = iota
	kindCluster
	kindAgentPool
	kindDiagSetting
	kindUpgradeProfile
	kindPoolUpgradeProfile
	kindVersions
	kindMaintenance
	kindRegistry
	kindCredential
	kindApp
	kindPricing
)

// kindOf tells what a resource is. child says it is nested in a cluster's
// resources[], where its type may be relative to the cluster ("agentPools",
// "maintenanceConfigurations", "providers/Microsoft.Insights/diagnosticSettings").
func kindOf(n *jsontree.Node, child bool) docKind {
	t, _ := n.Get("type").AsString()
	if t == "" {
		t, _ = n.Get("ResourceType").AsString() // Get-AzResource
	}
	t = strings.ToLower(t)
	if child {
		t = childType(t)
	}
	if t == "" {
		// Some bodies (and hand-trimmed files) omit type; an AKS child
		// resource's ID still says what it is.
		id, _ := n.Get("id").AsString()
		t = childTypeOf(id)
	}
	p := propsOf(n)
	switch {
	case t == "microsoft.containerservice/managedclusters" || (t == "" && IsManagedCluster(n)):
		return kindCluster
	case t == "microsoft.containerservice/managedclusters/agentpools":
		return kindAgentPool
	case t == "microsoft.insights/diagnosticsettings" || (t == "" && p.Get("logs") != nil && (p.Get("workspaceId") != nil || p.Get("storageAccountId") != nil || p.Get("eventHubName") != nil || p.Get("eventHubAuthorizationRuleId") != nil)):
		return kindDiagSetting
	case t == "microsoft.containerservice/managedclusters/upgradeprofiles" && p.Get("controlPlaneProfile") != nil,
		t == "" && p.Get("controlPlaneProfile") != nil:
		return kindUpgradeProfile
	case t == "microsoft.containerservice/managedclusters/agentpools/upgradeprofiles",
		p.Get("latestNodeImageVersion") != nil:
		return kindPoolUpgradeProfile
	case n.Get("values") != nil && n.Get("values").Kind == jsontree.Array && len(n.Get("values").List()) > 0 && n.Get("values", "0", "patchVersions") != nil:
		return kindVersions
	case t == "microsoft.containerservice/managedclusters/maintenanceconfigurations":
		return kindMaintenance
	case t == "microsoft.containerregistry/registries" || (p.Get("loginServer") != nil && p.Get("adminUserEnabled") != nil):
		return kindRegistry
	case n.Get("keyId") != nil && n.Get("endDateTime") != nil:
		return kindCredential
	case n.Get("appId") != nil && n.Get("passwordCredentials") != nil:
		return kindApp
	case t == "microsoft.security/pricings":
		return kindPricing
	}
	return kindUnknown
}

// propsOf returns the properties envelope when present (REST), else the
// object itself (az flattens it).
func propsOf(n *jsontree.Node) *jsontree.Node {
	if p := n.Get("properties"); p != nil && p.Kind == jsontree.Object {
		return p
	}
	return n
}

func propsPathOf(n *jsontree.Node) string {
	if p := n.Get("properties"); p != nil && p.Kind == jsontree.Object {
		return keyAsSpelled(n, "properties")
	}
	return ""
}

// childTypeOf returns the lower-cased resource type of an AKS child
// resource ID (".../managedClusters/C/agentPools/P" →
// "microsoft.containerservice/managedclusters/agentpools"), or "".
func childTypeOf(id string) string {
	cid := ClusterIDOf(id)
	if cid == "" || len(id) == len(cid) {
		return ""
	}
	parts := strings.Split(strings.Trim(id[len(cid):], "/"), "/")
	if len(parts)%2 != 0 || strings.EqualFold(parts[0], "providers") {
		return ""
	}
	t := "microsoft.containerservice/managedclusters"
	for i := 0; i < len(parts); i += 2 {
		t += "/" + strings.ToLower(parts[i])
	}
	return t
}

// ParsePricing reads one Defender plan pricing (REST body or
// `az security pricing show -o json`). The errors are values of the wrong
// JSON type, as for ParseCluster.
func ParsePricing(n *jsontree.Node, file string) (inventory.PricingFor, []inventory.InputError) {
	r := reader{resolve: identity, probs: newProblems(file)}
	p, ppath := propsOf(n), propsPathOf(n)
	pf := inventory.PricingFor{Source: inventory.Source{File: file, Line: n.Line}}
	id, _ := n.Get("id").AsString()
	pf.Subscription, _ = SplitID(id)
	pf.Plan, _ = n.Get("name").AsString()
	pf.Tier = r.stringField(p, ppath, "pricingTier")
	return pf, r.probs.errors()
}

func poolNameOf(id string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "agentPools") {
			return parts[i+1]
		}
	}
	return ""
}

func poolUpgrade(p *jsontree.Node, clusterID, name, file string) inventory.PoolUpgradeFor {
	if name == "" {
		name, _ = p.Get("name").AsString()
	}
	pu := inventory.PoolUpgrade{Source: inventory.Source{File: file, Line: p.Line}}
	pu.KubernetesVersion, _ = p.Get("kubernetesVersion").AsString()
	pu.LatestNodeImageVersion, _ = p.Get("latestNodeImageVersion").AsString()
	for _, up := range p.Get("upgrades").List() {
		if v, ok := up.Get("kubernetesVersion").AsString(); ok {
			pu.Upgrades = append(pu.Upgrades, v)
		}
	}
	return inventory.PoolUpgradeFor{ClusterID: clusterID, Pool: name, Profile: pu}
}

// ParseDiagSetting reads one diagnostic setting (REST, az, or the properties
// of a template resource through resolve). The errors are values of the
// wrong JSON type, as for ParseCluster.
func ParseDiagSetting(n *jsontree.Node, file string, resolve Resolver) (inventory.DiagnosticSetting, []inventory.InputError) {
	return ParseDiagSettingAt(n, "", file, resolve)
}

// ParseDiagSettingAt is ParseDiagSetting for a body at root in its input
// (azapi_resource.diag.body): the paths it records start with root.
func ParseDiagSettingAt(n *jsontree.Node, root, file string, resolve Resolver) (inventory.DiagnosticSetting, []inventory.InputError) {
	if resolve == nil {
		resolve = identity
	}
	r := reader{resolve: resolve, probs: newProblems(file)}
	p, ppath := propsOf(n), join(root, propsPathOf(n))
	ds := inventory.DiagnosticSetting{Source: inventory.Source{File: file, Line: n.Line}}
	ds.Name, _ = n.Get("name").AsString()
	dest := inventory.Set(false, join(ppath, "workspaceId"), p.Line)
	for _, k := range []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "eventHubName", "serviceBusRuleId", "marketplacePartnerId"} {
		f := r.stringField(p, ppath, k)
		if k == "workspaceId" && f.IsKnown() {
			ds.Workspace = f.Val
		}
		switch {
		case f.IsUnknown() && !dest.Val:
			dest = inventory.Unresolved[bool](f.Why, f.Path, f.Line)
		case f.IsKnown() && f.Val != "":
			dest = inventory.Set(true, f.Path, f.Line)
		}
		if dest.IsKnown() && dest.Val {
			break
		}
	}
	ds.HasDestination = dest
	logs, lpath, why := r.walk(p, ppath, "logs")
	if why == "" && logs != nil && logs.Kind != jsontree.Null && logs.Kind != jsontree.Array {
		why = r.probs.wrongType(lpath, logs, "a list")
	}
	if why != "" {
		ds.Logs = append(ds.Logs, inventory.LogSetting{Category: "*", Enabled: inventory.Unresolved[bool](why, lpath, p.Line), Line: p.Line})
		return ds, r.probs.errors()
	}
	if logs != nil {
		for i, l := range logs.List() {
			l, why := resolve(l)
			base := lpath + "[" + itoaSmall(i) + "]"
			if why != "" {
				ds.Logs = append(ds.Logs, inventory.LogSetting{Category: "*", Enabled: inventory.Unresolved[bool](why, base, logs.Line), Line: logs.Line})
				continue
			}
			if l == nil || l.Kind != jsontree.Object {
				why := r.probs.wrongType(base, orNull(l, logs), "an object")
				ds.Logs = append(ds.Logs, inventory.LogSetting{Category: "*", Enabled: inventory.Unresolved[bool](why, base, logs.Line), Line: logs.Line})
				continue
			}
			ls := inventory.LogSetting{Line: l.Line}
			ls.Category = r.stringField(l, base, "category").Or("")
			ls.CategoryGroup = r.stringField(l, base, "categoryGroup").Or("")
			ls.Enabled = r.boolField(l, base, "enabled")
			ds.Logs = append(ds.Logs, ls)
		}
	}
	return ds, r.probs.errors()
}

// ParseVersions reads `az aks get-versions -o json` / the kubernetesVersions
// REST body.
func ParseVersions(n *jsontree.Node, file string) *inventory.VersionList {
	vl := &inventory.VersionList{Source: inventory.Source{File: file, Line: n.Line}}
	if id, ok := n.Get("id").AsString(); ok {
		parts := strings.Split(id, "/")
		for i := 0; i+1 < len(parts); i++ {
			if strings.EqualFold(parts[i], "locations") {
				vl.Location = parts[i+1]
			}
		}
	}
	for _, v := range n.Get("values").List() {
		m := inventory.VersionMinor{}
		m.Version, _ = v.Get("version").AsString()
		m.IsPreview, _ = v.Get("isPreview").AsBool()
		m.IsDefault, _ = v.Get("isDefault").AsBool()
		for _, sp := range v.Get("capabilities", "supportPlan").List() {
			if s, ok := sp.AsString(); ok {
				m.SupportPlans = append(m.SupportPlans, s)
			}
		}
		m.Patches = append(m.Patches, v.Get("patchVersions").Keys()...)
		vl.Minors = append(vl.Minors, m)
	}
	return vl
}

// ParseRegistry reads `az acr show -o json` or a REST registry body. The
// errors are values of the wrong JSON type, as for ParseCluster.
func ParseRegistry(n *jsontree.Node, file string) (*inventory.Registry, []inventory.InputError) {
	return ParseRegistryAt(n, "", file, nil)
}

// ParseRegistryAt is ParseRegistry for a body at root in its input
// (azapi_resource.acr.body), read through resolve.
func ParseRegistryAt(n *jsontree.Node, root, file string, resolve Resolver) (*inventory.Registry, []inventory.InputError) {
	if resolve == nil {
		resolve = identity
	}
	r := reader{resolve: resolve, probs: newProblems(file)}
	p, ppath := propsOf(n), join(root, propsPathOf(n))
	reg := &inventory.Registry{Source: inventory.Source{File: file, Line: n.Line}}
	reg.ID, _ = n.Get("id").AsString()
	reg.Name, _ = n.Get("name").AsString()
	reg.LoginServer, _ = p.Get("loginServer").AsString()
	reg.PublicNetworkAccess = r.stringField(p, ppath, "publicNetworkAccess")
	reg.AdminUserEnabled = r.boolField(p, ppath, "adminUserEnabled")
	pe, pepath, _ := r.walk(p, ppath, "privateEndpointConnections")
	switch {
	case pe == nil || pe.Kind == jsontree.Null:
		reg.PrivateEndpoints = inventory.Field[int]{Path: pepath}
	case pe.Kind == jsontree.Array:
		reg.PrivateEndpoints = inventory.Set(len(pe.Items), pepath, pe.Line)
	default:
		reg.PrivateEndpoints = inventory.Unresolved[int](r.probs.wrongType(pepath, pe, "a list"), pepath, pe.Line)
	}
	return reg, r.probs.errors()
}

// parseCredential reads one passwordCredential; the secret text (if any
// listing ever includes it) is never read.
func parseCredential(n *jsontree.Node) inventory.Credential {
	c := inventory.Credential{Line: n.Line}
	c.KeyID, _ = n.Get("keyId").AsString()
	c.DisplayName, _ = n.Get("displayName").AsString()
	c.EndDateTime, _ = n.Get("endDateTime").AsString()
	return c
}

func parseApp(n *jsontree.Node, file string) *inventory.CredentialData {
	cd := &inventory.CredentialData{Source: inventory.Source{File: file, Line: n.Line}}
	cd.AppID, _ = n.Get("appId").AsString()
	for _, it := range n.Get("passwordCredentials").List() {
		cd.Credentials = append(cd.Credentials, parseCredential(it))
	}
	for _, it := range n.Get("keyCredentials").List() {
		cd.Credentials = append(cd.Credentials, parseCredential(it))
	}
	return cd
}

func itoaSmall(i int) string {
	return strconv.Itoa(i)
}
