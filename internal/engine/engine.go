// Package engine runs the registered controls over an inventory, applies the
// configuration (disabled controls, severity overrides) and orders the
// results deterministically.
package engine

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/config"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/report"
)

// Options are the engine's inputs beyond the inventory.
type Options struct {
	Settings   check.Settings
	Now        time.Time
	Disabled   map[string]bool
	Severities map[string]check.Severity
	// Only limits the run to these control IDs (empty = all).
	Only map[string]bool

	// Waivers from the configuration file (ConfigFile names it in messages).
	Waivers    []config.Waiver
	ConfigFile string
	// Strict ignores aksguard.io/waive annotations.
	Strict bool
	// IncludeSystem keeps results on AKS-managed and system objects.
	IncludeSystem bool
	// ExcludedNamespaces drops results on objects in these namespaces.
	ExcludedNamespaces []string
	// Workers is how many controls run at once: 0 means GOMAXPROCS, 1 runs
	// them one after another (the reference the parallel run is compared
	// with byte for byte).
	Workers int
	// CountPassed counts pass and not-applicable results (Outcome.Passed,
	// Outcome.NotApplicable) instead of keeping them in Outcome.Results,
	// once waivers and exclusions have seen them. Set it when no writer will
	// list them (no --include-passed): every writer then shows the same, and
	// Build's summary counts them all the same.
	CountPassed bool
}

// Outcome is what one evaluation produced.
type Outcome struct {
	Results []check.Result
	// Passed and NotApplicable count the pass and not-applicable results
	// left out of Results (Options.CountPassed).
	Passed, NotApplicable int
	// Counted splits those counts by control and cluster, for the views
	// that judge per control (report.FrameworkFor); CountedBy splits them
	// by report.SummaryRow, for the table's per-cluster score.
	Counted   map[report.ControlScope]report.Counted
	CountedBy map[string]report.Counted
	counted   bool // Options.CountPassed was set
	// Excluded counts results left out (system objects, excluded
	// namespaces), by reason.
	Excluded   int
	ExcludedBy map[string]int
	// Warnings are problems with the configuration found while applying
	// it (expired waivers).
	Warnings []string
}

// Run evaluates every control and returns the ordered results.
func Run(inv *inventory.Inventory, opts Options) []check.Result {
	return Evaluate(inv, opts).Results
}

// Evaluate runs every control, applies waivers and exclusions, and orders
// the results.
func Evaluate(inv *inventory.Inventory, opts Options) Outcome {
	opts.Now = opts.now()
	p := newPolicy(opts)
	var done []applied
	parts := partitions(inv)
	if len(parts) == 1 {
		// Each control's results are waived, excluded and counted as soon
		// as it has run: the passes are never all held at once.
		done = evaluateControls(inv, opts, allControls, func(rs []check.Result) applied {
			return p.apply(rs, opts.CountPassed)
		})
	} else {
		var results []check.Result
		for _, part := range parts {
			results = append(results, joinKept(evaluateControls(part, opts, nonAudit, keepAll))...)
		}
		results = dedupeRegistries(results)
		// The audit controls judge the whole scan once: their results
		// are scoped by the clusters the events name, not by folders.
		results = append(results, joinKept(evaluateControls(inv, opts, auditOnly, keepAll))...)
		done = []applied{p.apply(results, opts.CountPassed)}
	}
	o := Outcome{ExcludedBy: map[string]int{}, Warnings: p.warnings(done), counted: opts.CountPassed}
	o.Counted, o.CountedBy = map[report.ControlScope]report.Counted{}, map[string]report.Counted{}
	for _, a := range done {
		o.Passed += a.passed
		o.NotApplicable += a.notApplicable
		for k, c := range a.counted {
			addCount(o.Counted, k, c)
		}
		for k, c := range a.countedBy {
			addCount(o.CountedBy, k, c)
		}
		o.Excluded += a.excluded
		for k, v := range a.by {
			o.ExcludedBy[k] += v
		}
	}
	o.Results = joinKept(done)
	Sort(o.Results)
	return o
}

// keepAll applies no policy: the results as they are.
func keepAll(rs []check.Result) applied { return applied{kept: rs} }

// joinKept concatenates the kept results in order, releasing each part's
// results once copied.
func joinKept(parts []applied) []check.Result {
	n := 0
	for _, a := range parts {
		n += len(a.kept)
	}
	out := make([]check.Result, 0, n)
	for i := range parts {
		out = append(out, parts[i].kept...)
		parts[i].kept = nil
	}
	return out
}

// workers is the number of controls run at once.
func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// selection is which controls evaluateControls runs.
type selection int

const (
	allControls selection = iota
	nonAudit              // every control but the audit-log ones
	auditOnly             // the audit-log controls (Control.Audit set)
)

// evaluateControls runs the selected controls over one inventory on
// opts.Workers goroutines, hands each control's results to then (on the
// worker that ran it) and returns what then gave in catalog order, so the
// outcome is the same whatever the number of workers. What the controls
// share is read-only while they run (the inventory, the scope and view
// indexes, each audit control's own observer state) or built once under
// Context.Memo; then must be safe to call concurrently.
func evaluateControls(inv *inventory.Inventory, opts Options, sel selection, then func([]check.Result) applied) []applied {
	ctx := &check.Context{Inv: inv, Settings: opts.Settings, Now: opts.Now, PassesCounted: opts.CountPassed}
	var run []*check.Control
	for _, c := range check.All() {
		if opts.Disabled[c.ID] || (len(opts.Only) > 0 && !opts.Only[c.ID]) {
			continue
		}
		if (c.Audit != nil && sel == nonAudit) || (c.Audit == nil && sel == auditOnly) {
			continue
		}
		run = append(run, c)
	}
	scopes := indexScopes(scopes(inv))
	views := viewIndex(inv)
	each := func(c *check.Control) applied {
		rs := mergeViews(runControl(c, ctx), inv, views)
		rs = append(rs, fillSilent(c, inv, scopes, rs)...)
		for i := range rs {
			r := &rs[i]
			r.Control, r.Title, r.Area = c.ID, c.Title, c.Area
			if r.Severity == check.SevNone {
				r.Severity = c.Severity
			}
			if s, ok := opts.Severities[c.ID]; ok {
				r.Severity = s
			}
			if len(r.References) == 0 {
				r.References = c.References
			}
		}
		a := then(rs)
		if cap(rs) >= check.MinRecycled {
			// Keep a copy of the kept results (then keeps a prefix of rs)
			// and recycle the array for the next control: the array also
			// held the counted passes and room to grow, which would stay
			// live until the parts are joined, and a control that
			// allocates its own array grows it by doubling.
			a.kept = slices.Clone(a.kept)
			check.Recycle(rs)
		}
		return a
	}
	return parallel(run, opts.workers(), each)
}

// partitions splits the scan when the join attributed its Kubernetes input
// to its clusters by folder (Inventory.KubeByFolder): each cluster (with its
// views) is judged with its own Kubernetes objects, and Kubernetes input
// attributed to no cluster is judged alone. Every part sees the registries
// of the scan (dedupeRegistries then keeps each registry result once).
// Otherwise the scan is one part.
func partitions(inv *inventory.Inventory) []*inventory.Inventory {
	if len(inv.KubeByFolder) == 0 {
		return []*inventory.Inventory{inv}
	}
	var out []*inventory.Inventory
	for _, c := range inv.Clusters {
		if c.Primary != nil {
			continue
		}
		part := &inventory.Inventory{Clusters: []*inventory.Cluster{c}, Registries: inv.Registries}
		for _, v := range inv.Clusters {
			if v.Primary == c {
				part.Clusters = append(part.Clusters, v)
			}
		}
		for _, kp := range inv.KubeByFolder {
			if kp.Owner.Cluster == c {
				part.Kube, part.Kubernetes, part.KubeOwner = kp.Kube, true, kp.Owner
			}
		}
		out = append(out, part)
	}
	for _, kp := range inv.KubeByFolder {
		if kp.Owner.Cluster == nil {
			out = append(out, &inventory.Inventory{Kube: kp.Kube, Kubernetes: true, Registries: inv.Registries, KubeOwner: kp.Owner})
		}
	}
	return out
}

// dedupeRegistries drops repeated results on a registry: each part of a
// partitioned scan judges the scan's registries the same way.
func dedupeRegistries(rs []check.Result) []check.Result {
	seen := map[string]bool{}
	out := rs[:0]
	for _, r := range rs {
		if r.Resource.Kind == "ContainerRegistry" {
			k := r.Control + "\x00" + r.Resource.ID + "\x00" + r.Resource.Name + "\x00" + string(r.Status) + "\x00" + r.Message
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, r)
	}
	return out
}

// runControl runs one control, unless a live source could not read a
// Kubernetes collection the control reads: then its verdicts would rest on
// part of the cluster, so the control is not-assessed, naming what could not
// be read and why.
func runControl(c *check.Control, ctx *check.Context) []check.Result {
	k := ctx.Inv.Kube
	missing := k.UnreadOf(c.Reads)
	if len(missing) == 0 {
		return c.Run(ctx)
	}
	res := check.KubeScopeResource(ctx.Inv)
	var ev []check.Evidence
	if k.API != nil {
		ev = append(ev, check.Evidence{Path: "kubernetes API", Value: k.API.Server})
	}
	for _, col := range c.Reads {
		if why, ok := k.Unread[col]; ok {
			ev = append(ev, check.Evidence{Path: col, Value: why})
		}
	}
	return []check.Result{{Status: check.NotAssessed, Resource: res,
		Message:  "could not read everything this control needs: " + strings.Join(missing, "; "),
		Evidence: ev}}
}

// Sort orders results by resource, then control, then the rest, so every
// report is deterministic. Each result's cluster key is computed once.
func Sort(rs []check.Result) {
	keys := make([]string, len(rs))
	for i := range rs {
		keys[i] = clusterKey(rs[i])
	}
	order := make([]int32, len(rs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int {
		if c := strings.Compare(keys[i], keys[j]); c != 0 {
			return c
		}
		a, b := &rs[i], &rs[j]
		if c := strings.Compare(a.Control, b.Control); c != 0 {
			return c
		}
		if c := strings.Compare(a.Resource.Kind, b.Resource.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(a.Resource.Namespace, b.Resource.Namespace); c != 0 {
			return c
		}
		if c := strings.Compare(a.Resource.Name, b.Resource.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.Source.File, b.Source.File); c != 0 {
			return c
		}
		return cmp.Compare(a.Source.Line, b.Source.Line)
	})
	// Move the results into place along the permutation's cycles: no
	// second copy of every result is held.
	for i := range order {
		if int(order[i]) == i {
			continue
		}
		held, j := rs[i], i
		for {
			k := int(order[j])
			order[j] = int32(j)
			if k == i {
				rs[j] = held
				break
			}
			rs[j], j = rs[k], k
		}
	}
}

// clusterKey groups a cluster's and its pools' results together.
func clusterKey(r check.Result) string {
	id := r.Resource.ID
	if i := strings.Index(strings.ToLower(id), "/agentpools/"); i >= 0 {
		id = id[:i]
	}
	if id != "" {
		return id
	}
	name := r.Resource.Name
	if r.Resource.Kind == "AgentPool" {
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[:i]
		}
	}
	return name
}

// Build wraps an outcome into a report. includePassed (the writers list
// pass and not-applicable results) needs an outcome that kept them.
func Build(inv *inventory.Inventory, o Outcome, version string, now time.Time, includePassed bool) *report.Report {
	if includePassed && o.counted {
		panic("engine: a report listing passed results built from an outcome that only counted them (Options.CountPassed)")
	}
	s := report.Summarise(o.Results)
	s.Pass += o.Passed
	s.NotApplicable += o.NotApplicable
	s.Clusters = 0
	for _, c := range inv.Clusters {
		if c.Primary == nil {
			s.Clusters++ // the same cluster from several inputs counts once
		}
	}
	s.Skipped = inv.Skipped
	s.Excluded = o.Excluded
	if len(o.ExcludedBy) > 0 {
		s.ExcludedBy = o.ExcludedBy
	}
	if k := inv.Kube; k != nil && k.API != nil {
		s.Kubernetes = &report.KubeSummary{Server: k.API.Server, Context: k.API.Context, Version: k.API.Version,
			Objects: k.Objects, Unread: k.Unread}
		if s.Kubernetes.Objects == nil {
			s.Kubernetes.Objects = map[string]int{}
		}
	}
	warnings := make([]string, 0, len(inv.Warnings)+len(o.Warnings))
	for _, w := range inv.Warnings {
		warnings = append(warnings, w.Error())
	}
	warnings = append(warnings, o.Warnings...)
	return &report.Report{
		Tool:          report.Tool{Name: "aksguard", Version: version},
		GeneratedAt:   now.UTC(),
		Summary:       s,
		Results:       o.Results,
		Errors:        inv.Errors,
		Warnings:      warnings,
		IncludePassed: includePassed,
		Counted:       o.Counted,
		CountedBy:     o.CountedBy,
	}
}
