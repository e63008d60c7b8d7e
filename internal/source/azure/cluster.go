package azure

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/azure/armbody"
	"github.com/aksguard/aksguard/internal/source/detect"
)

// Permissions the reads need (Azure RBAC actions), by companion.
const (
	PermCluster      = "Microsoft.ContainerService/managedClusters/read"
	PermAgentPools   = "Microsoft.ContainerService/managedClusters/agentPools/read"
	PermUpgrades     = "Microsoft.ContainerService/managedClusters/upgradeProfiles/read"
	PermPoolUpgrades = "Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles/read"
	PermVersions     = "Microsoft.ContainerService/locations/kubernetesVersions/read"
	PermDiagnostics  = "Microsoft.Insights/diagnosticSettings/read"
	PermMaintenance  = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations/read"
	PermPricings     = "Microsoft.Security/pricings/read"
	PermRegistries   = "Microsoft.ContainerRegistry/registries/read"
)

// Options tune a live read.
type Options struct {
	// RegistryHosts are the registry hosts of the images the cluster runs
	// (e.g. what the Kubernetes half saw: "contoso.azurecr.io"). When set,
	// the container registries of the cluster's subscription whose login
	// server is one of them are read; when empty, the registries in the
	// cluster's resource group.
	RegistryHosts []string
	// Decode decodes the bodies; nil decodes them as files of the same
	// content with no options would be. The scan passes its
	// source.Options, which is a Decoder, so that the live path decodes
	// through the same input-detector table as files.
	Decode Decoder
}

// Decoder decodes one ARM body, named name in results and errors, into a
// batch. It is declared here, and satisfied by source.Options, so that
// this package does not import internal/source (its parent, which reads
// what this package returns).
type Decoder interface {
	DecodeJSON(data []byte, name string) *inventory.Batch
}

// decode decodes one ARM body with o.Decode.
func (o Options) decode(data []byte, name string) *inventory.Batch {
	if o.Decode == nil {
		return detect.JSON(data, name, true, detect.Params{})
	}
	return o.Decode.DecodeJSON(data, name)
}

// Read is what a live read of one cluster found.
type Read struct {
	// ID is the cluster's resource ID as asked for.
	ID string
	// Batches hold the cluster and its companion data, ready for
	// source.Options.Live.
	Batches []*inventory.Batch
	// Cluster is the decoded cluster (nil when Err is set); its Unread
	// names the companions that could not be read.
	Cluster *inventory.Cluster
	// Err is set when the cluster itself could not be read; it says what
	// to do.
	Err error
}

// ClusterID builds a managed cluster's resource ID.
func ClusterID(subscription, resourceGroup, name string) string {
	return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup +
		"/providers/Microsoft.ContainerService/managedClusters/" + name
}

// ParseClusterID checks that id is a managed cluster's resource ID and
// returns its parts.
func ParseClusterID(id string) (subscription, resourceGroup, name string, err error) {
	p := strings.Split(strings.Trim(strings.TrimSpace(id), "/"), "/")
	if len(p) != 8 || !strings.EqualFold(p[0], "subscriptions") || !strings.EqualFold(p[2], "resourceGroups") ||
		!strings.EqualFold(p[4], "providers") || !strings.EqualFold(p[5], "Microsoft.ContainerService") ||
		!strings.EqualFold(p[6], "managedClusters") || p[1] == "" || p[3] == "" || p[7] == "" {
		return "", "", "", fmt.Errorf("%q is not a managed cluster resource ID: want /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME (az aks show -g RG -n NAME --query id -o tsv prints it)", id)
	}
	for _, s := range []string{p[1], p[3], p[7]} {
		if strings.ContainsAny(s, "?#%") {
			return "", "", "", fmt.Errorf("%q is not a managed cluster resource ID: %q holds a character names cannot", id, s)
		}
	}
	return p[1], p[3], p[7], nil
}

// sourceName is the name results and errors give to an ARM body: the URL
// path it was read from.
func sourceName(path string) string {
	if u, err := url.Parse(path); err == nil && u.Path != "" {
		path = u.Path
	}
	return "azure:" + path
}

// pageName names page i (from 0) of a listing read from path.
func pageName(path string, i int) string {
	if i == 0 {
		return sourceName(path)
	}
	return fmt.Sprintf("%s (page %d)", sourceName(path), i+1)
}

// ReadCluster reads a managed cluster and its companion data. A failure
// to read the cluster is Read.Err; a companion that cannot be read (403,
// 404) is recorded in the cluster's Unread with the permission it needs, so
// the controls that need it say not-assessed; other companion failures are
// input errors as well.
func (c *Client) ReadCluster(ctx context.Context, id string, opts Options) *Read {
	r := &Read{ID: id}
	sub, rg, name, err := ParseClusterID(id)
	if err != nil {
		r.Err = err
		return r
	}
	id = ClusterID(sub, rg, name)
	data, err := c.get(ctx, id, APIContainerService)
	if err != nil {
		r.Err = clusterError(id, err)
		return r
	}
	b := opts.decode(data, sourceName(id))
	if len(b.Clusters) != 1 {
		msg := "the response is not a managed cluster"
		if len(b.Errors) > 0 {
			msg += ": " + b.Errors[0].Message
		}
		r.Err = &ReadError{ID: id, Reason: msg}
		return r
	}
	cl := b.Clusters[0]
	if cl.ID == "" {
		cl.ID = id
	}
	cl.Format = inventory.FormatLive
	if cl.Subscription == "" {
		cl.Subscription = sub
	}
	if cl.ResourceGroup == "" {
		cl.ResourceGroup = rg
	}
	r.Cluster = cl
	r.Batches = append(r.Batches, b)

	rd := &companionReader{c: c, ctx: ctx, r: r, cl: cl, opts: opts}
	base := id
	rd.list(inventory.CompanionAgentPools, "the agent pools of "+id, PermAgentPools, base+"/agentPools", APIContainerService, nil)
	rd.one(inventory.CompanionUpgrades, "the upgrade profile of "+id, PermUpgrades, base+"/upgradeProfiles/default", APIContainerService, nil)
	for _, pool := range poolNames(r) {
		pool := pool
		rd.one(inventory.CompanionPoolUpgrades, "the upgrade profile of agent pool "+pool, PermPoolUpgrades,
			base+"/agentPools/"+url.PathEscape(pool)+"/upgradeProfiles/default", APIContainerService, func(b *inventory.Batch) {
				for i := range b.PoolUpgrades {
					if b.PoolUpgrades[i].Pool == "" {
						b.PoolUpgrades[i].Pool = pool
					}
				}
			})
	}
	if loc := cl.Location; loc != "" {
		rd.one(inventory.CompanionVersions, "the Kubernetes versions offered in "+loc, PermVersions,
			"/subscriptions/"+sub+"/providers/Microsoft.ContainerService/locations/"+url.PathEscape(normLocation(loc))+"/kubernetesVersions", APIContainerService,
			func(b *inventory.Batch) {
				for _, v := range b.Versions {
					if v.Location == "" {
						v.Location = loc
					}
				}
			})
	}
	rd.list(inventory.CompanionDiagnostics, "the diagnostic settings of "+id, PermDiagnostics, base+"/providers/Microsoft.Insights/diagnosticSettings", APIDiagnosticSettings, nil)
	rd.list(inventory.CompanionMaintenance, "the maintenance configurations of "+id, PermMaintenance, base+"/maintenanceConfigurations", APIContainerService, nil)
	rd.one(inventory.CompanionDefender, "the Defender for Containers pricing of subscription "+sub, PermPricings,
		"/subscriptions/"+sub+"/providers/Microsoft.Security/pricings/Containers", APIPricings, func(b *inventory.Batch) {
			for i := range b.Pricings {
				if b.Pricings[i].Subscription == "" {
					b.Pricings[i].Subscription = sub
				}
			}
		})
	rd.registries(sub, rg)
	return r
}

// clusterError says what to do when the cluster itself cannot be read.
func clusterError(id string, err error) error {
	var ae *Error
	if errors.As(err, &ae) && ae.NotFound() {
		return &ReadError{ID: id, Reason: fmt.Sprintf("not found (HTTP 404 %s): check the subscription, resource group and name; az aks list -o table lists the clusters you can see", ae.Code)}
	}
	return &ReadError{ID: id, Reason: reason(PermCluster, err)}
}

func normLocation(l string) string { return strings.ReplaceAll(strings.ToLower(l), " ", "") }

// poolNames are the cluster's pools: its agentPoolProfiles and the listed
// agent pools.
func poolNames(r *Read) []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			names = append(names, n)
		}
	}
	for _, p := range r.Cluster.AgentPools {
		add(p.Name)
	}
	for _, b := range r.Batches {
		for _, p := range b.Pools {
			add(p.Pool.Name)
		}
	}
	sort.Strings(names)
	return names
}

// companionReader reads one cluster's companion data.
type companionReader struct {
	c    *Client
	ctx  context.Context
	r    *Read
	cl   *inventory.Cluster
	opts Options
}

// one reads a single companion body.
func (rd *companionReader) one(key, what, perm, path, api string, fix func(*inventory.Batch)) {
	data, err := rd.c.get(rd.ctx, path, api)
	if err != nil {
		rd.fail(key, what, perm, err)
		return
	}
	rd.add(rd.opts.decode(data, sourceName(path)), fix)
}

// list reads every page of a companion listing.
func (rd *companionReader) list(key, what, perm, path, api string, fix func(*inventory.Batch)) {
	pages, err := rd.c.list(rd.ctx, path, api)
	if err != nil {
		rd.fail(key, what, perm, err)
		return
	}
	if armbody.EmptyList(pages) {
		// Said here, not guessed from the name: an empty list is known to
		// be a complete listing of nothing.
		src := inventory.Source{File: sourceName(path), Line: 1}
		switch key {
		case inventory.CompanionDiagnostics:
			if rd.cl.Diagnostics == nil {
				rd.cl.Diagnostics = &inventory.DiagnosticData{Source: src}
			}
		case inventory.CompanionMaintenance:
			rd.r.Batches = append(rd.r.Batches, &inventory.Batch{Maintenance: []inventory.MaintenanceFor{{ClusterID: rd.cl.ID,
				Data: inventory.MaintenanceData{Source: src, Authoritative: true}}}})
		}
		return
	}
	for i, data := range pages {
		if armbody.EmptyList([][]byte{data}) {
			continue
		}
		name := pageName(path, i)
		rd.add(rd.opts.decode(data, name), fix)
	}
}

// add binds companion data that carries no cluster ID to this cluster and
// keeps the batch.
func (rd *companionReader) add(b *inventory.Batch, fix func(*inventory.Batch)) {
	if fix != nil {
		fix(b)
	}
	bind(b, rd.cl)
	b.Skipped = ""
	rd.r.Batches = append(rd.r.Batches, b)
}

// fail records a companion that could not be read.
func (rd *companionReader) fail(key, what, perm string, err error) {
	var ae *Error
	if errors.As(err, &ae) {
		switch {
		case ae.Forbidden():
			rd.cl.SetUnread(key, fmt.Sprintf("the identity lacks %s (HTTP 403 reading %s)", perm, what))
			return
		case ae.NotFound():
			rd.cl.SetUnread(key, fmt.Sprintf("%s was not found (HTTP 404 at %s)", what, ae.Path))
			return
		}
	}
	msg := describe(what, perm, err)
	rd.cl.SetUnread(key, msg)
	rd.r.Batches = append(rd.r.Batches, &inventory.Batch{Errors: []inventory.InputError{{Input: sourceName(rd.r.Cluster.ID), Message: msg}}})
}

// bind gives companion data without a cluster ID to cl: a list read from
// below the cluster's ID belongs to it, whatever the body says.
func bind(b *inventory.Batch, cl *inventory.Cluster) {
	for i := range b.Pools {
		if b.Pools[i].ClusterID == "" {
			b.Pools[i].ClusterID = cl.ID
		}
	}
	for i := range b.Diagnostics {
		if b.Diagnostics[i].TargetID == "" {
			b.Diagnostics[i].TargetID = cl.ID
		}
	}
	for _, src := range b.UnjoinedDiagnostics {
		if cl.Diagnostics == nil {
			cl.Diagnostics = &inventory.DiagnosticData{Source: src}
		}
	}
	b.UnjoinedDiagnostics = nil
	for i := range b.UpgradeProfiles {
		if b.UpgradeProfiles[i].ClusterID == "" {
			b.UpgradeProfiles[i].ClusterID = cl.ID
		}
	}
	for i := range b.PoolUpgrades {
		if b.PoolUpgrades[i].ClusterID == "" {
			b.PoolUpgrades[i].ClusterID = cl.ID
		}
	}
	for i := range b.Maintenance {
		if b.Maintenance[i].ClusterID == "" {
			b.Maintenance[i].ClusterID = cl.ID
		}
	}
}
