package source

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// join attaches companion data to its cluster by resource ID and returns the
// inventory. Data that names a cluster that is not part of the scan, or that
// cannot be attributed to one, is reported as a warning (the input was read;
// it just has nothing to join here), so the user learns why a control stayed
// not-assessed without the scan counting as failed.
func join(b *inventory.Batch) *inventory.Inventory {
	inv := &inventory.Inventory{Clusters: b.Clusters, Registries: b.Registries, Errors: b.Errors,
		Kube: b.Kube, Kubernetes: b.Kube != nil, Kubeconfigs: b.Kubeconfigs}
	if len(b.Audit) > 0 {
		inv.Audit = &inventory.AuditLog{Inputs: b.Audit}
	}
	byID := map[string]*inventory.Cluster{}
	byAddr := map[string]*inventory.Cluster{}
	for _, c := range b.Clusters {
		if c.ID != "" {
			byID[strings.ToLower(c.ID)] = c
		}
		if c.TFAddress != "" {
			k := "tf:" + strings.ToLower(c.TFAddress)
			if o, dup := byAddr[k]; dup && o != c {
				byAddr[k] = nil // several root modules define it: joins by address only within one (tfroots.go)
			} else if !dup {
				byAddr[k] = c
			}
		}
	}
	for k, c := range byAddr {
		if _, ok := byID[k]; !ok && c != nil {
			byID[k] = c
		}
	}
	// only picks the cluster that data without a resource ID belongs to: the
	// only cluster read from the same directory, else the only cluster.
	only := func(src inventory.Source) *inventory.Cluster {
		var same []*inventory.Cluster
		for _, c := range b.Clusters {
			if filepath.Dir(c.Source.File) == filepath.Dir(src.File) {
				same = append(same, c)
			}
		}
		if len(same) == 1 {
			return same[0]
		}
		if len(b.Clusters) == 1 {
			return b.Clusters[0]
		}
		return nil
	}
	find := func(id string) *inventory.Cluster {
		if id == "" {
			return nil
		}
		return byID[strings.ToLower(id)]
	}
	missing := func(src inventory.Source, what, id string) {
		msg := fmt.Sprintf("%s belongs to cluster %q, which is not in this scan: scan it together with the cluster's JSON or Terraform", what, id)
		if id == "" {
			msg = fmt.Sprintf("%s does not say which cluster it belongs to, and its directory does not hold exactly one cluster: keep it in a directory with its cluster's JSON", what)
		}
		inv.Warnings = append(inv.Warnings, inventory.InputError{Input: src.File, Line: src.Line, Message: msg})
	}

	for _, p := range b.Pools {
		c := find(p.ClusterID)
		if c == nil && p.Alone && p.ClusterID != "" {
			// A Terraform node pool names its cluster: judged under a
			// stand-in of that cluster, which later pools of the same
			// cluster join.
			c = standInFor(p)
			inv.Clusters = append(inv.Clusters, c)
			byID[strings.ToLower(p.ClusterID)] = c
		}
		if c == nil {
			missing(p.Pool.Source, "agent pool "+p.Pool.Name, p.ClusterID)
			continue
		}
		replaced := false
		for i, old := range c.AgentPools {
			if strings.EqualFold(old.Name, p.Pool.Name) {
				c.AgentPools[i], replaced = p.Pool, true
			}
		}
		if !replaced {
			c.AgentPools = append(c.AgentPools, p.Pool)
		}
	}
	for _, d := range b.Diagnostics {
		c := find(d.TargetID)
		if c == nil {
			if d.TargetID == "" || strings.Contains(strings.ToLower(d.TargetID), "managedclusters") || strings.HasPrefix(d.TargetID, "tf:") {
				missing(d.Setting.Source, "diagnostic setting "+d.Setting.Name, d.TargetID)
			}
			continue
		}
		if c.Diagnostics == nil {
			c.Diagnostics = &inventory.DiagnosticData{Source: d.Setting.Source}
		}
		c.Diagnostics.Settings = append(c.Diagnostics.Settings, d.Setting)
	}
	for _, src := range b.UnjoinedDiagnostics {
		c := only(src)
		if c == nil {
			missing(src, "an empty diagnostic-settings list", "")
			continue
		}
		if c.Diagnostics == nil {
			c.Diagnostics = &inventory.DiagnosticData{Source: src}
		}
	}
	upgrade := func(c *inventory.Cluster) *inventory.UpgradeProfile {
		if c.UpgradeProfile == nil {
			c.UpgradeProfile = &inventory.UpgradeProfile{Pools: map[string]*inventory.PoolUpgrade{}}
		}
		return c.UpgradeProfile
	}
	for _, u := range b.UpgradeProfiles {
		c := find(u.ClusterID)
		if c == nil {
			missing(u.Source, "upgrade profile", u.ClusterID)
			continue
		}
		up := upgrade(c)
		up.Source, up.ControlPlane, up.HaveControlPlane = u.Source, u.ControlPlane, true
	}
	for _, pu := range b.PoolUpgrades {
		c := find(pu.ClusterID)
		if c == nil {
			missing(pu.Profile.Source, "node-pool upgrade profile "+pu.Pool, pu.ClusterID)
			continue
		}
		prof := pu.Profile
		upgrade(c).Pools[strings.ToLower(pu.Pool)] = &prof
	}
	for _, vl := range b.Versions {
		n := 0
		for _, c := range b.Clusters {
			if vl.Location == "" || c.Location == "" || strings.EqualFold(normLoc(vl.Location), normLoc(c.Location)) {
				upgrade(c).Versions = vl
				n++
			}
		}
		if n == 0 && len(b.Clusters) > 0 {
			inv.Warnings = append(inv.Warnings, inventory.InputError{Input: vl.Source.File, Line: vl.Source.Line,
				Message: fmt.Sprintf("supported-version list for location %q matches no scanned cluster's location", vl.Location)})
		}
	}
	for _, m := range b.Maintenance {
		c := find(m.ClusterID)
		if c == nil && m.ClusterID == "" {
			c = only(m.Data.Source)
		}
		if c == nil {
			missing(m.Data.Source, "maintenance configuration list", m.ClusterID)
			continue
		}
		if c.MaintenanceConfigs == nil {
			d := m.Data
			c.MaintenanceConfigs = &d
			continue
		}
		c.MaintenanceConfigs.Names = append(c.MaintenanceConfigs.Names, m.Data.Names...)
		c.MaintenanceConfigs.Authoritative = c.MaintenanceConfigs.Authoritative || m.Data.Authoritative
	}
	for _, pr := range b.Pricings {
		if !strings.EqualFold(pr.Plan, "Containers") {
			continue
		}
		n := 0
		for _, c := range b.Clusters {
			if pr.Subscription != "" && strings.EqualFold(pr.Subscription, c.Subscription) {
				c.DefenderPricing = &inventory.PricingData{Source: pr.Source, Tier: pr.Tier}
				n++
			}
		}
		if n == 0 && len(b.Clusters) > 0 {
			inv.Warnings = append(inv.Warnings, inventory.InputError{Input: pr.Source.File, Line: pr.Source.Line,
				Message: fmt.Sprintf("Defender for Containers pricing of subscription %q matches no scanned cluster's subscription", pr.Subscription)})
		}
	}
	for _, cd := range b.Credentials {
		var target *inventory.Cluster
		if cd.AppID != "" {
			for _, c := range b.Clusters {
				if strings.EqualFold(c.ServicePrincipalClientID.Val, cd.AppID) {
					target = c
				}
			}
			if target == nil {
				missing(cd.Source, "credential list of application "+cd.AppID, "")
				continue
			}
		} else {
			var sp []*inventory.Cluster
			for _, c := range b.Clusters {
				if id := c.ServicePrincipalClientID; id.IsKnown() && !strings.EqualFold(id.Val, "msi") && id.Val != "" {
					sp = append(sp, c)
				}
			}
			if len(sp) != 1 {
				inv.Warnings = append(inv.Warnings, inventory.InputError{Input: cd.Source.File, Line: cd.Source.Line,
					Message: fmt.Sprintf("a bare credential list (az ad app credential list) joins only when the scan holds exactly one cluster with a service principal (found %d); scan `az ad app show --id APPID -o json` instead, which names the application", len(sp))})
				continue
			}
			target = sp[0]
		}
		target.Credentials = cd
	}
	sameClusters(inv)
	inv.KubeOwner = kubeOwner(inv.Clusters, inv.Kube)
	return inv
}

// kubeOwner decides which cluster of the scan the Kubernetes input k
// belongs to, and records why: the only cluster of the scan (its views
// count as one); several clusters that all carry one name (one cluster read
// in several forms); with several clusters, the one whose default node
// resource group (MC_<rg>_<name>_<location>) every labelled Node's
// kubernetes.azure.com/cluster label names. Otherwise none, and the reason
// is the sentence the controls give for the Kubernetes half they could not
// judge. No cluster is assumed: guessing would let one cluster's manifests
// pass another cluster's controls.
func kubeOwner(clusters []*inventory.Cluster, k *inventory.Kube) inventory.KubeOwner {
	switch {
	case k == nil:
		return inventory.KubeOwner{Reason: "the scan holds no Kubernetes input"}
	case len(clusters) == 0:
		return inventory.KubeOwner{Reason: "the scan holds no AKS cluster"}
	}
	// The same cluster read from several inputs (inventory.Cluster.Primary)
	// is one cluster here.
	var primaries []*inventory.Cluster
	for _, c := range clusters {
		if c.Primary == nil {
			primaries = append(primaries, c)
		}
	}
	if len(primaries) == 1 {
		why := "the only cluster in the scan"
		if len(clusters) > 1 {
			why += fmt.Sprintf(" (read from %d inputs)", len(clusters))
		}
		return inventory.KubeOwner{Cluster: clusters[0], Views: clusters, Reason: why}
	}
	if inventory.SameName(clusters) {
		return inventory.KubeOwner{Cluster: clusters[0], Views: clusters,
			Reason: fmt.Sprintf("every cluster of the scan is named %s: one cluster read in several forms", clusters[0].Name)}
	}
	var match *inventory.Cluster
	labelled := 0
	for _, n := range k.Nodes {
		v := n.Labels["kubernetes.azure.com/cluster"]
		if v == "" {
			continue
		}
		labelled++
		var hit *inventory.Cluster
		for _, c := range primaries {
			if c.ResourceGroup != "" && c.Name != "" && c.Location != "" &&
				strings.EqualFold(v, "MC_"+c.ResourceGroup+"_"+c.Name+"_"+c.Location) {
				hit = c
				break
			}
		}
		if hit == nil || (match != nil && match != hit) {
			match = nil
			break
		}
		match = hit
	}
	if match != nil {
		return inventory.KubeOwner{Cluster: match, Views: viewsOf(clusters, match),
			Reason: "every Node's kubernetes.azure.com/cluster label names the cluster's node resource group MC_" + match.ResourceGroup + "_" + match.Name + "_" + match.Location}
	}
	why := fmt.Sprintf("the scan holds %d AKS clusters and Kubernetes input that cannot be attributed to one of them", len(primaries))
	if labelled == 0 {
		why += " (no Node carries a kubernetes.azure.com/cluster label naming a cluster's node resource group)"
	}
	return inventory.KubeOwner{Reason: why + "; scan each cluster with its own manifests or live connection"}
}

// viewsOf lists the views of the primary cluster p, p first.
func viewsOf(clusters []*inventory.Cluster, p *inventory.Cluster) []*inventory.Cluster {
	views := []*inventory.Cluster{p}
	for _, c := range clusters {
		if c.Primary == p {
			views = append(views, c)
		}
	}
	return views
}

// sameClusters links clusters that several inputs describe (az JSON and
// Terraform of one cluster): the same ARM resource ID; else, when one of
// them is a deployed cluster (an ARM ID), the same literal name with no known
// subscription, resource group or location that differs. When
// one side lacks the subscription or resource group (Terraform HCL often
// does), the match must also be unambiguous: exactly one other cluster of
// the scan could be it. The first one read is the primary;
// the others get Primary set, and companion data joined to any view is
// shared by all of them.
func sameClusters(inv *inventory.Inventory) {
	armID := func(c *inventory.Cluster) string {
		if strings.HasPrefix(strings.ToLower(c.ID), "/subscriptions/") {
			return strings.ToLower(c.ID)
		}
		return ""
	}
	eq := strings.EqualFold
	// known compares two optional values: equal when both are known.
	known := func(x, y string) bool { return x == "" || y == "" || eq(x, y) }
	match := func(a, b *inventory.Cluster) bool {
		if armID(a) != "" && armID(b) != "" {
			return armID(a) == armID(b)
		}
		// Otherwise one side must be a deployed cluster (an ARM ID) and the
		// name a literal: two partial views (two Terraform directories, two
		// templates naming their cluster by a parameter) are never merged.
		if armID(a) == "" && armID(b) == "" || strings.ContainsAny(a.Name, "[]{}()$") {
			return false
		}
		return a.Name != "" && eq(a.Name, b.Name) && known(a.ResourceGroup, b.ResourceGroup) &&
			known(a.Subscription, b.Subscription) && known(normLoc(a.Location), normLoc(b.Location))
	}
	partial := func(c *inventory.Cluster) bool { return c.Subscription == "" || c.ResourceGroup == "" }
	var primaries []*inventory.Cluster
	for _, c := range inv.Clusters {
		if c.Primary != nil {
			continue // linked by its reader (a template deploying it twice)
		}
		var cands []*inventory.Cluster
		for _, p := range primaries {
			if p.Source.File != c.Source.File && match(p, c) {
				cands = append(cands, p)
			}
		}
		if len(cands) != 1 {
			primaries = append(primaries, c)
			continue
		}
		// Where one side lacks the subscription or the resource group
		// (Terraform HCL, a reference not resolved), the match must be the
		// only cluster of the scan it could be.
		p := cands[0]
		if partial(p) || partial(c) {
			n := 0
			for _, o := range inv.Clusters {
				if o != c && match(o, c) {
					n++
				}
			}
			if n != 1 {
				primaries = append(primaries, c)
				continue
			}
		}
		c.Primary = p
	}
	for _, p := range primaries {
		views := []*inventory.Cluster{p}
		for _, c := range inv.Clusters {
			if c.Primary == p {
				views = append(views, c)
			}
		}
		if len(views) == 1 {
			continue
		}
		for _, v := range views {
			for _, o := range views {
				shareCompanions(v, o)
			}
		}
	}
}

// shareCompanions gives dst the companion data src has and dst lacks.
func shareCompanions(dst, src *inventory.Cluster) {
	if dst.Diagnostics == nil {
		dst.Diagnostics = src.Diagnostics
	}
	if dst.UpgradeProfile == nil {
		dst.UpgradeProfile = src.UpgradeProfile
	}
	if dst.MaintenanceConfigs == nil {
		dst.MaintenanceConfigs = src.MaintenanceConfigs
	}
	if dst.Credentials == nil {
		dst.Credentials = src.Credentials
	}
	if dst.DefenderPricing == nil {
		dst.DefenderPricing = src.DefenderPricing
	}
	if len(dst.Registries) == 0 {
		dst.Registries = src.Registries
	}
}

func normLoc(l string) string { return strings.ReplaceAll(strings.ToLower(l), " ", "") }

// attributable reports whether attributeKube may attribute Kubernetes
// input: the scan holds at least two clusters.
func attributable(inv *inventory.Inventory) bool { return len(primaryClusters(inv)) >= 2 }

// primaryClusters are the scan's clusters that are no view of another.
func primaryClusters(inv *inventory.Inventory) []*inventory.Cluster {
	var out []*inventory.Cluster
	for _, c := range inv.Clusters {
		if c.Primary == nil {
			out = append(out, c)
		}
	}
	return out
}

// kubePart is the Kubernetes input of one file or rendered directory.
type kubePart struct {
	path string
	kube *inventory.Kube
}

// attributeKube assigns each Kubernetes input of a scan holding several
// clusters to the cluster whose folder holds it: the nearest ancestor
// folder of the input that holds exactly one cluster (the files of its
// views count as one). An input whose nearest folder holding any cluster
// holds several stays unattributed. Nothing is recorded when no input
// could be attributed, so the scan keeps judging its Kubernetes input as a
// whole (Inventory.KubeOwner).
func attributeKube(inv *inventory.Inventory, parts []kubePart) {
	primaries := primaryClusters(inv)
	if len(primaries) < 2 || len(parts) == 0 {
		return
	}
	holds := func(dir string) []*inventory.Cluster {
		var out []*inventory.Cluster
		seen := map[*inventory.Cluster]bool{}
		for _, c := range inv.Clusters {
			f := c.Source.File
			if f == "" || seen[c.Same()] {
				continue
			}
			if rel, err := filepath.Rel(dir, f); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				seen[c.Same()] = true
				out = append(out, c.Same())
			}
		}
		return out
	}
	owner := func(path string) *inventory.Cluster {
		dir := filepath.Dir(filepath.Clean(path))
		for {
			switch cs := holds(dir); len(cs) {
			case 1:
				return cs[0]
			case 0:
			default:
				return nil
			}
			up := filepath.Dir(dir)
			if up == dir {
				return nil
			}
			dir = up
		}
	}
	by := map[*inventory.Cluster]*inventory.Kube{}
	var rest *inventory.Kube
	for _, p := range parts {
		c := owner(p.path)
		if c == nil {
			if rest == nil {
				rest = &inventory.Kube{}
			}
			rest.Merge(p.kube)
			continue
		}
		if by[c] == nil {
			by[c] = &inventory.Kube{}
		}
		by[c].Merge(p.kube)
	}
	if len(by) == 0 {
		return
	}
	// One part per cluster in the order of the scan's clusters, then the
	// input attributed to none.
	for _, c := range primaries {
		if k := by[c]; k != nil {
			inv.KubeByFolder = append(inv.KubeByFolder, inventory.KubePart{Kube: k, Owner: inventory.KubeOwner{
				Cluster: c, Views: viewsOf(inv.Clusters, c), Reason: "the same folder: the nearest folder above the input that holds a cluster holds this one alone"}})
		}
	}
	if rest != nil {
		inv.KubeByFolder = append(inv.KubeByFolder, inventory.KubePart{Kube: rest, Owner: inventory.KubeOwner{
			Reason: "no folder above the input holds exactly one cluster of the scan"}})
	}
}

// standInFor is the stand-in cluster of a node pool whose cluster, named
// by ID or Terraform address, is in no input of the scan.
func standInFor(p inventory.PoolFor) *inventory.Cluster {
	name := strings.TrimPrefix(p.ClusterID, "tf:")
	if i := strings.LastIndex(strings.ToLower(name), "/managedclusters/"); i >= 0 {
		name = name[i+len("/managedclusters/"):]
	}
	why := fmt.Sprintf("cluster %s is not in this scan, only node pools that name it (%s): scan them together with the cluster's configuration or az aks show output to judge the cluster itself", p.ClusterID, p.Pool.TFAddress)
	c := inventory.NewStandIn(p.ClusterID, name, p.Format, p.Pool.Source, why)
	c.Subscription, c.ResourceGroup = arm.SplitID(p.ClusterID)
	return c
}
