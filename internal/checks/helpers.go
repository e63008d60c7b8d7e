// Package checks holds the catalog's controls, one file per catalog area.
// Each control is a pure function of the inventory; helpers here turn
// inventory fields into results with evidence, source locations and a fix
// for the resource at hand.
package checks

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// fix is a control's remediation in each vocabulary. Placeholders: {rg},
// {name}, {id}, {pool}, {tf} (Terraform address), {tfpool}.
type fix struct {
	AZ  string // az CLI command
	TF  string // Terraform argument to set ("local_account_disabled = true")
	ARM string // ARM property to set in a template ("properties.disableLocalAccounts: true")
	// TFPool names an argument on the node pool instead of the cluster.
	TFPool bool
}

// render fills the fix for a cluster (and pool) in the vocabulary of the
// cluster's input format.
func (f fix) render(c *inventory.Cluster, p *inventory.AgentPool) string {
	r := strings.NewReplacer(
		"{rg}", orPlaceholder(c.ResourceGroup, "<resource-group>"),
		"{name}", orPlaceholder(c.Name, "<cluster>"),
		"{id}", orPlaceholder(c.ID, "<cluster-resource-id>"),
		"{pool}", poolName(p),
	)
	switch {
	case c.Format.IsTerraform() && f.TF != "":
		where := c.TFAddress
		if f.TFPool && p != nil && p.TFAddress != "" {
			where = p.TFAddress
		}
		if where == "" {
			where = "azurerm_kubernetes_cluster"
		}
		return fmt.Sprintf("In %s set %s, then terraform apply.", where, r.Replace(f.TF))
	case c.Format == inventory.FormatARMTemplate && f.ARM != "":
		s := "In the template set " + r.Replace(f.ARM) + "."
		if f.AZ != "" {
			s += " On the deployed cluster: " + r.Replace(f.AZ)
		}
		return s
	case f.AZ != "":
		return r.Replace(f.AZ)
	case f.TF != "":
		return "Terraform: set " + r.Replace(f.TF)
	}
	return r.Replace(f.ARM)
}

func orPlaceholder(v, ph string) string {
	if v == "" {
		return ph
	}
	return v
}

func poolName(p *inventory.AgentPool) string {
	if p == nil || p.Name == "" {
		return "<pool>"
	}
	return p.Name
}

// out collects the results of one control on one cluster.
type out struct {
	c       *inventory.Cluster
	fix     fix
	results []check.Result
}

func clusterResource(c *inventory.Cluster) check.Resource { return check.ClusterResource(c) }

func poolResource(c *inventory.Cluster, p *inventory.AgentPool) check.Resource {
	r := clusterResource(c)
	r.Kind = "AgentPool"
	r.Name = r.Name + "/" + p.Name
	if c.ID != "" {
		r.ID = c.ID + "/agentPools/" + p.Name
	}
	return r
}

func (o *out) add(res check.Resource, src inventory.Source, st check.Status, msg string, p *inventory.AgentPool, ev []check.Evidence, at inventory.Source) {
	r := check.Result{Status: st, Resource: res, Message: msg, Evidence: ev}
	r.Source = check.Location{File: src.File, Line: src.Line}
	if at.Line > 0 {
		r.Source.Line = at.Line
		if at.File != "" {
			r.Source.File = at.File
		}
	}
	if st == check.Fail {
		r.Remediation = o.fix.render(o.c, p)
	}
	o.results = append(o.results, r)
}

// emit adds a cluster-level result; the source line is the first evidence
// line found, else the cluster's.
func (o *out) emit(st check.Status, msg string, ev ...evidence) {
	evs, at := flattenAt(ev)
	o.add(clusterResource(o.c), o.c.Source, st, msg, nil, evs, at)
}

// emitPool adds a result about one agent pool.
func (o *out) emitPool(p *inventory.AgentPool, st check.Status, msg string, ev ...evidence) {
	evs, at := flattenAt(ev)
	src := p.Source
	if src.File == "" {
		src = o.c.Source
	}
	o.add(poolResource(o.c, p), src, st, msg, p, evs, at)
}

func (o *out) pass(msg string, ev ...evidence)    { o.emit(check.Pass, msg, ev...) }
func (o *out) fail(msg string, ev ...evidence)    { o.emit(check.Fail, msg, ev...) }
func (o *out) na(msg string, ev ...evidence)      { o.emit(check.NotApplicable, msg, ev...) }
func (o *out) unknown(msg string, ev ...evidence) { o.emit(check.NotAssessed, msg, ev...) }

// evidence is one observation with the line it was read at.
type evidence struct {
	check.Evidence
	line int
	// file is set when the evidence comes from another input than the
	// cluster's (a diagnostic-settings or maintenance listing).
	file string
}

func flatten(ev []evidence) ([]check.Evidence, int) {
	out, loc := flattenAt(ev)
	return out, loc.Line
}

// flattenAt returns the evidence and the place of the first evidence with a
// line (its file is "" when it is the cluster's own input).
func flattenAt(ev []evidence) ([]check.Evidence, inventory.Source) {
	out := make([]check.Evidence, 0, len(ev))
	var loc inventory.Source
	for _, e := range ev {
		out = append(out, e.Evidence)
		if loc.Line == 0 && e.line > 0 {
			loc = inventory.Source{File: e.file, Line: e.line}
		}
	}
	return out, loc
}

// ev renders a field as evidence; absent fields say so and name the default.
func ev[T any](f inventory.Field[T], absentMeans string) evidence {
	var v string
	switch f.State {
	case inventory.Known:
		v = render(f.Val)
	case inventory.Unknown:
		v = "unknown (" + f.Why + ")"
	default:
		v = "not set"
		if absentMeans != "" {
			v += " (" + absentMeans + ")"
		}
	}
	return evidence{Evidence: check.Evidence{Path: f.Path, Value: v}, line: f.Line}
}

// fact is evidence that is not a single field (a derived observation).
func fact(path, value string) evidence {
	return evidence{Evidence: check.Evidence{Path: path, Value: value}}
}

// factAt is a fact read at a place in another input.
func factAt(path, value string, src inventory.Source) evidence {
	return evidence{Evidence: check.Evidence{Path: path, Value: value}, line: src.Line, file: src.File}
}

func render(v any) string {
	switch x := v.(type) {
	case []string:
		if len(x) == 0 {
			return "[]"
		}
		return "[" + strings.Join(x, ", ") + "]"
	case string:
		if x == "" {
			return `""`
		}
		return x
	default:
		return fmt.Sprint(x)
	}
}

// unresolved reports a field whose value the input does not let us know.
func (o *out) unresolved(what string, ev ...evidence) {
	o.unknown(what+" cannot be determined from this input", ev...)
}

// perCluster builds a control's Run from a per-cluster evaluation. Controls
// with no cluster in the inventory yield nothing: there is nothing to judge.
func perCluster(f fix, eval func(ctx *check.Context, c *inventory.Cluster, o *out)) func(*check.Context) []check.Result {
	return func(ctx *check.Context) []check.Result {
		var all []check.Result
		for _, c := range ctx.Inv.Clusters {
			o := &out{c: c, fix: f}
			eval(ctx, c, o)
			all = append(all, o.results...)
		}
		return all
	}
}

// eqFold compares enum values case-insensitively (sources differ in case).
func eqFold(a string, bs ...string) bool {
	for _, b := range bs {
		if strings.EqualFold(a, b) {
			return true
		}
	}
	return false
}

// poolsUnknown reports pools the input could not enumerate.
func (o *out) poolsUnknown() bool {
	if !o.c.PoolsKnown {
		o.unknown("the node pools cannot be enumerated from this input: "+o.c.PoolsUnknown, fact("agentPoolProfiles", "unknown"))
		return true
	}
	return false
}

// boolRule judges a boolean setting that must equal want. def is the value
// Azure (or the Terraform provider) uses when the input leaves it unset.
type boolRule struct {
	field   inventory.Field[bool]
	want    bool
	def     bool
	defNote string // how the default is described in evidence
	passMsg string
	failMsg string
	what    string // for not-assessed messages
}

func (o *out) judgeBool(r boolRule, extra ...evidence) {
	e := append([]evidence{ev(r.field, r.defNote)}, extra...)
	switch r.field.State {
	case inventory.Unknown:
		o.unresolved(r.what, e...)
	case inventory.Known:
		if r.field.Val == r.want {
			o.pass(r.passMsg, e...)
		} else {
			o.fail(r.failMsg, e...)
		}
	default:
		if r.def == r.want {
			o.pass(r.passMsg+" (by default)", e...)
		} else {
			o.fail(r.failMsg, e...)
		}
	}
}

// k8sMissing is the reason a control with a Kubernetes half gives when the
// scan holds no Kubernetes input.
const k8sMissing = "no Kubernetes input in this scan (add manifests, or scan the live cluster)"
