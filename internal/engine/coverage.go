package engine

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// A control that produces no result for a cluster would be silent: a user
// could not tell "checked and fine" from "never looked". After each control
// runs, the engine gives every scope of the scan that the control said
// nothing about exactly one result:
//
//   - not-assessed naming the input the control needs and the scope lacks
//     (Azure input for a manifests-only scan, Kubernetes input for an
//     Azure-only cluster, the control's Needs such as a live connection);
//   - not-applicable when the scope has every input the control reads and
//     the Kubernetes input simply holds nothing of the kinds it judges (no
//     Services, no Roles): the result says so and names those kinds;
//   - not-assessed when a cluster's Azure input was present and the control
//     still produced nothing (never a silent pass).
//
// The scopes are the scan's clusters and, when the Kubernetes input belongs
// to none of them, that input itself (Cluster "kubernetes"), and the
// clusters audit logs name that the scan has no other input of (or, for a
// log that names none when the scan has several clusters or none, the
// audit logs' own scope "audit-log"): check.AuditScopeResource decides,
// for the audit controls and here alike.

// scope is one place every control must say something about.
type scope struct {
	res   check.Resource
	src   check.Location
	azure bool // Azure input (the cluster) is part of the scope
	kube  bool // the scan's Kubernetes input belongs to this scope
	log   bool // an audit-log input of the scan belongs to this scope
}

// scopes lists the clusters of the scan and, when the Kubernetes input is
// attributed to none of them, the Kubernetes input's own scope.
func scopes(inv *inventory.Inventory) []scope {
	hasKube := inv.Kube != nil || inv.Kubernetes
	var kres check.Resource
	if hasKube {
		kres = check.KubeScopeResource(inv)
	}
	var out []scope
	kubeOwned := false
	for _, c := range inv.Clusters {
		if c.Primary != nil {
			continue // its results are renamed to the primary view
		}
		s := scope{res: check.ClusterResource(c), src: check.Location{File: c.Source.File, Line: c.Source.Line}, azure: true}
		if hasKube && kres.Kind == "Cluster" && sameCluster(kres, s.res) {
			s.kube, kubeOwned = true, true
		}
		// A scan judged by folder (the audit controls judge it whole):
		// the clusters with a Kubernetes part own theirs, and only a part
		// of no cluster is a scope of its own.
		for _, kp := range inv.KubeByFolder {
			if kp.Owner.Cluster == c {
				s.kube = true
			}
		}
		out = append(out, s)
	}
	if len(inv.KubeByFolder) > 0 {
		kubeOwned = true
		for _, kp := range inv.KubeByFolder {
			kubeOwned = kubeOwned && kp.Owner.Cluster != nil
		}
	}
	if hasKube && !kubeOwned {
		out = append(out, scope{res: check.Resource{Kind: "Cluster", Name: kres.Name}, kube: true})
	}
	if inv.Audit == nil {
		return out
	}
	for _, in := range inv.Audit.Inputs {
		ids := in.ClusterIDs
		if len(ids) == 0 {
			ids = []string{""}
		}
		for _, id := range ids {
			res := check.AuditScopeResource(inv, id)
			found := false
			for i := range out {
				if sameCluster(out[i].res, res) {
					out[i].log, found = true, true
				}
			}
			if !found {
				out = append(out, scope{res: res, src: check.Location{File: in.Input, Line: in.Line}, log: true})
			}
		}
	}
	return out
}

// sameCluster reports whether two cluster resources name the same cluster.
func sameCluster(a, b check.Resource) bool {
	if a.ID != "" && b.ID != "" {
		return strings.EqualFold(a.ID, b.ID)
	}
	return a.Name != "" && strings.EqualFold(a.Name, b.Name)
}

// isClusterKind reports the resource kinds that name a cluster or one of its
// pools.
func isClusterKind(kind string) bool {
	return kind == "ManagedCluster" || kind == "AgentPool" || kind == "Cluster"
}

// scopeIndex finds the scopes a result names without comparing it with
// every scope: the scopes by case-folded resource ID and name (jsontree.Fold
// agrees with strings.EqualFold), and those holding Azure and Kubernetes
// input. Built once per evaluated inventory; read-only afterwards, so the
// controls running at once share it.
type scopeIndex struct {
	ss           []scope
	byID, byName map[string][]int
	azure, kube  []int
}

func indexScopes(ss []scope) *scopeIndex {
	x := &scopeIndex{ss: ss, byID: map[string][]int{}, byName: map[string][]int{}}
	for i, s := range ss {
		if s.res.ID != "" {
			k := jsontree.Fold(s.res.ID)
			x.byID[k] = append(x.byID[k], i)
		}
		k := jsontree.Fold(s.res.Name)
		x.byName[k] = append(x.byName[k], i)
		if s.azure {
			x.azure = append(x.azure, i)
		}
		if s.kube {
			x.kube = append(x.kube, i)
		}
	}
	return x
}

// covered marks the scopes a control's results say something about: a
// result on a cluster or its pools covers that cluster; a registry result
// covers every cluster (registries are judged for the clusters that pull
// from them); any other result is about a Kubernetes object and covers the
// scope the Kubernetes input belongs to.
func covered(x *scopeIndex, rs []check.Result) []bool {
	cov := make([]bool, len(x.ss))
	registry, object := false, false
	for _, r := range rs {
		key := jsontree.Fold(clusterKey(r))
		hit := false
		for _, i := range x.byID[key] {
			cov[i], hit = true, true
		}
		if isClusterKind(r.Resource.Kind) {
			for _, i := range x.byName[key] {
				cov[i], hit = true, true
			}
		}
		switch {
		case hit:
		case r.Resource.Kind == "ContainerRegistry":
			registry = true
		case !isClusterKind(r.Resource.Kind):
			object = true
		}
	}
	if registry {
		for _, i := range x.azure {
			cov[i] = true
		}
	}
	if object {
		for _, i := range x.kube {
			cov[i] = true
		}
	}
	return cov
}

// The messages of the results the engine gives silent controls.
const (
	msgNoKube  = "no Kubernetes input for this cluster: scan manifests or --kube"
	msgNoAzure = "no Azure input for this cluster: scan az aks show -o json output, an ARM body or template, or Terraform with it, or --azure-cluster"
	msgNoLog   = "no audit-log input for this cluster: scan its kube-audit logs (see docs/audit-logs.md for getting them out of AKS)"
)

// fillSilent returns one result for every scope the control's results do
// not cover.
func fillSilent(c *check.Control, inv *inventory.Inventory, x *scopeIndex, rs []check.Result) []check.Result {
	cov := covered(x, rs)
	var out []check.Result
	for i, s := range x.ss {
		if cov[i] {
			continue
		}
		out = append(out, silentResult(c, inv, s))
	}
	return out
}

// silentResult is the verdict for a scope a control said nothing about.
func silentResult(c *check.Control, inv *inventory.Inventory, s scope) check.Result {
	needsAzure, needsKube, needsLog := false, false, false
	for _, in := range c.Inputs {
		switch in {
		case check.AZ, check.AZX:
			needsAzure = true
		case check.K8S:
			needsKube = true
		case check.LOG:
			needsLog = true
		}
	}
	var missing []string
	if needsAzure && !s.azure {
		missing = append(missing, msgNoAzure)
	}
	if needsKube && !s.kube {
		msg := msgNoKube
		if inv.Kube != nil || inv.Kubernetes {
			msg = "no Kubernetes input for this cluster (the scan's Kubernetes input belongs to " + kubeOwner(inv) + "): scan this cluster's manifests or --kube"
		}
		missing = append(missing, msg)
	}
	if needsLog && !s.log {
		msg := msgNoLog
		if inv.Audit != nil {
			msg = "no audit-log input for this cluster (the scan's audit logs are of " + auditScopes(inv) + "): scan this cluster's kube-audit logs"
		}
		missing = append(missing, msg)
	}
	if len(missing) == 0 && c.Needs != "" && (!needsKube || inv.Kube == nil || inv.Kube.API == nil) {
		missing = append(missing, "needs "+c.Needs)
	}
	r := check.Result{Resource: s.res, Source: s.src, Status: check.NotAssessed, Evidence: scopeEvidence(c, inv, s)}
	switch {
	case len(missing) > 0:
		r.Message, r.MissingInput = strings.Join(missing, "; "), true
	case needsKube && !needsAzure:
		r.Status = check.NotApplicable
		r.Message = "nothing this control judges is in the Kubernetes input"
		if len(c.Reads) > 0 {
			r.Message += " (it reads: " + strings.Join(c.Reads, ", ") + ")"
		}
	default:
		r.Message = "the control produced no verdict for this cluster from the inputs given"
	}
	return r
}

// kubeOwner names the scope the scan's Kubernetes input belongs to.
func kubeOwner(inv *inventory.Inventory) string {
	res := check.KubeScopeResource(inv)
	if res.Name == "" {
		return "no cluster of the scan"
	}
	return res.Name
}

// auditScopes names the scopes the scan's audit logs belong to.
func auditScopes(inv *inventory.Inventory) string {
	var names []string
	seen := map[string]bool{}
	for _, in := range inv.Audit.Inputs {
		ids := in.ClusterIDs
		if len(ids) == 0 {
			ids = []string{""}
		}
		for _, id := range ids {
			n := check.AuditScopeResource(inv, id).Name
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return strings.Join(names, ", ")
}

// scopeEvidence says what the control reads and which of it the scope has.
func scopeEvidence(c *check.Control, inv *inventory.Inventory, s scope) []check.Evidence {
	ins := make([]string, 0, len(c.Inputs))
	for _, in := range c.Inputs {
		ins = append(ins, string(in))
	}
	az := "none"
	if s.azure {
		az = s.src.File
		if az == "" {
			az = "read"
		}
	}
	kube := "none"
	switch {
	case s.kube && inv.Kube != nil && inv.Kube.API != nil:
		kube = "live API " + inv.Kube.API.Server
	case s.kube:
		kube = "manifests"
	case inv.Kube != nil || inv.Kubernetes:
		kube = "none (the scan's belongs to " + kubeOwner(inv) + ")"
	}
	ev := []check.Evidence{{Path: "control inputs", Value: strings.Join(ins, ", ")},
		{Path: "Azure input", Value: az}, {Path: "Kubernetes input", Value: kube}}
	for _, in := range c.Inputs {
		if in == check.LOG {
			log := "none"
			switch {
			case s.log:
				log = "read"
			case inv.Audit != nil:
				log = "none (the scan's belongs to " + auditScopes(inv) + ")"
			}
			ev = append(ev, check.Evidence{Path: "audit-log input", Value: log})
		}
	}
	return ev
}
