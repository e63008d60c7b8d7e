package audit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Category of the Azure diagnostic setting that leaves out get and list
// events.
const categoryAdmin = "kube-audit-admin"

// scopeView is everything one control knows about one scope (a cluster):
// the audit inputs that covered it, what the observer counted and its
// findings.
type scopeView struct {
	res      check.Resource
	inputs   []inventory.AuditInput
	stats    scopeStats
	findings []*finding
	// cluster is the scan's cluster of the scope, nil when the scope has
	// no Azure input.
	cluster *inventory.Cluster
	// data is what spec.scope prepared for spec.keep (AKS-AUD-007's ranges).
	data any
	// ids are the cluster IDs (inventory.AuditClusterKey) the inputs and
	// events of the scope named: the keys of its counts in
	// AuditInput.SourceByCluster.
	ids map[string]bool
	// inputIdx are the indexes of v.inputs in the scan's inputs.
	inputIdx map[int]bool
}

// run is the Run of every audit control: one result per finding, and for
// a scope without findings a pass over the range the logs cover, or
// not-assessed saying why the logs cannot show it.
func (sp *spec) run(ctx *check.Context) []check.Result {
	inv := ctx.Inv
	if inv.Audit == nil {
		return nil // the engine says there is no audit-log input
	}
	obs, _ := ctx.AuditState(sp.id).(*observer)
	views, order := sp.scopes(inv, obs)
	var out []check.Result
	for _, k := range order {
		out = append(out, sp.judgeScope(ctx, views[k], obs)...)
	}
	if obs != nil && obs.scopeOverflow > 0 {
		in := inv.Audit.Inputs[0]
		out = append(out, check.Result{Status: check.NotAssessed, Resource: check.AuditScopeResource(inv, ""),
			Source:  check.Location{File: in.Input, Line: in.Line},
			Message: fmt.Sprintf("the audit logs name more than %d clusters: %d events of the others were not judged; scan each cluster's logs apart", maxScopes, obs.scopeOverflow)})
	}
	return out
}

// resKey identifies a scope resource.
func resKey(r check.Resource) string {
	return strings.ToLower(r.Kind + "\x00" + r.ID + "\x00" + r.Name)
}

// scopes gathers the scopes of the inputs, of the observer's statistics
// and of its findings, in a deterministic order.
func (sp *spec) scopes(inv *inventory.Inventory, obs *observer) (map[string]*scopeView, []string) {
	views := map[string]*scopeView{}
	var order []string
	get := func(clusterID string) *scopeView {
		res := check.AuditScopeResource(inv, clusterID)
		k := resKey(res)
		v := views[k]
		if v == nil {
			v = &scopeView{res: res, ids: map[string]bool{}, inputIdx: map[int]bool{}}
			for _, c := range inv.Clusters {
				if c.Primary == nil && resKey(check.ClusterResource(c)) == k {
					v.cluster = c
				}
			}
			views[k] = v
			order = append(order, k)
		}
		v.ids[inventory.AuditClusterKey(clusterID)] = true
		return v
	}
	for i, in := range inv.Audit.Inputs {
		ids := in.ClusterIDs
		if len(ids) == 0 {
			ids = []string{""}
		}
		for _, id := range ids {
			v := get(id)
			if !v.inputIdx[i] { // two spellings of one cluster: one input
				v.inputIdx[i] = true
				v.inputs = append(v.inputs, in)
			}
		}
	}
	if obs != nil {
		keys := make([]string, 0, len(obs.scopes))
		for k := range obs.scopes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			st := obs.scopes[k]
			v := get(st.clusterID)
			v.stats.events += st.events
			v.stats.stageOnly += st.stageOnly
			v.stats.reads += st.reads
			v.stats.allowListed += st.allowListed
			v.stats.benign += st.benign
			v.stats.overflow += st.overflow
			v.stats.burstDropped += st.burstDropped
			for ip := range st.egress {
				if v.stats.egress == nil {
					v.stats.egress = map[string]bool{}
				}
				v.stats.egress[ip] = true
			}
		}
		for _, f := range obs.groups {
			v := get(f.clusterID)
			v.findings = append(v.findings, f)
		}
	}
	for _, v := range views {
		sort.Slice(v.findings, func(i, j int) bool {
			a, b := v.findings[i].key, v.findings[j].key
			if (a.unjudged == "") != (b.unjudged == "") {
				return a.unjudged == ""
			}
			if a.user != b.user {
				return a.user < b.user
			}
			if a.what != b.what {
				return a.what < b.what
			}
			if a.unjudged != b.unjudged {
				return a.unjudged < b.unjudged
			}
			return a.scope < b.scope
		})
	}
	return views, order
}

// judgeScope is the verdict on one scope.
func (sp *spec) judgeScope(ctx *check.Context, v *scopeView, obs *observer) []check.Result {
	src := check.Location{}
	if len(v.inputs) > 0 {
		src = check.Location{File: v.inputs[0].Input, Line: v.inputs[0].Line}
	}
	cov := coverage(v, obs)
	if v.stats.benign > 0 && sp.benign != "" {
		cov = append(cov, check.Evidence{Path: sp.benign, Value: strconv.FormatInt(v.stats.benign, 10)})
	}
	if sp.scope != nil {
		if r := sp.scope(ctx, v); r != nil {
			r.Resource = v.res
			if r.Source.File == "" {
				r.Source = src
			}
			r.Evidence = append(r.Evidence, cov...)
			return []check.Result{*r}
		}
	}
	var out []check.Result
	// fails and unjudged count the results on non-system identities: the
	// engine excludes the others by default, so they never stand in for
	// a verdict on the cluster.
	fails, unjudged, system, dropped := 0, 0, 0, 0
	for _, f := range v.findings {
		var extra []check.Evidence
		if f.key.unjudged == "" && sp.keep != nil {
			ok, ev := sp.keep(ctx, v, f)
			if !ok {
				dropped++
				continue
			}
			extra = ev
		}
		r := check.Result{Status: check.Fail, Resource: v.res, System: f.system,
			Source:   check.Location{File: f.input, Line: f.line},
			Message:  f.message(),
			Evidence: append(f.evidence(), extra...)}
		switch {
		case f.system:
			system++
		case f.key.unjudged != "":
			unjudged++
		default:
			fails++
		}
		if f.key.unjudged != "" {
			r.Status = check.NotAssessed
			r.Message = "could not judge " + f.message() + ": " + f.key.unjudged
		} else {
			r.Remediation = sp.fix
		}
		out = append(out, r)
	}
	if v.stats.overflow > 0 {
		r := check.Result{Status: check.NotAssessed, Resource: v.res, Source: src, Evidence: cov,
			Message: fmt.Sprintf("%d more events were not grouped: the logs hold more than %d distinct groups for this control; narrow the time range or allow-list known identities", v.stats.overflow, maxGroups)}
		if sp.overflowFails {
			r.Status, r.Remediation = check.Fail, sp.fix
			r.Message = fmt.Sprintf("%d more events of this kind in groups past the first %d (not listed one by one)", v.stats.overflow, maxGroups)
			fails++
		}
		out = append(out, r)
	}
	if fails > 0 {
		return out
	}
	var why []string
	if len(v.inputs) == 0 {
		why = append(why, "no audit input names this cluster, although some events do")
	}
	for _, in := range v.inputs {
		if in.Incomplete != "" {
			why = append(why, in.Input+" was not read completely: "+in.Incomplete)
		}
	}
	h := v.held()
	switch {
	case obs == nil:
		why = append(why, "the control did not observe the audit events of this scan")
	case !h.events && v.stats.stageOnly > 0:
		why = append(why, "the logs hold only RequestReceived/ResponseStarted stage events, not the final stage of a request")
	case !h.events && len(h.shared) > 0:
		why = append(why, h.sharedNote("the audit events"))
	case !h.events:
		why = append(why, "the audit logs of this cluster hold no events")
	}
	if sp.reads != readsNone && h.events && !h.reads {
		switch {
		case len(h.shared) > 0:
			why = append(why, h.sharedNote("get, list and watch events")+readsPartNote(sp))
		case v.adminOnly():
			why = append(why, "the logs are of the kube-audit-admin category only, which leaves out get and list events"+readsPartNote(sp))
		default:
			why = append(why, "the logs hold no get, list or watch event at all (the audit policy or export leaves reads out)"+readsPartNote(sp))
		}
	}
	if v.stats.burstDropped > 0 {
		why = append(why, fmt.Sprintf("%d forbidden responses past the %d kept were not judged", v.stats.burstDropped, maxBurstTimes))
	}
	ev := cov
	if dropped > 0 && sp.dropped != "" {
		ev = append(ev, check.Evidence{Path: sp.dropped, Value: strconv.Itoa(dropped)})
	}
	if len(why) > 0 {
		return append(out, check.Result{Status: check.NotAssessed, Resource: v.res, Source: src, Evidence: ev,
			Message: "the audit logs cannot show this: " + strings.Join(why, "; ")})
	}
	if unjudged > 0 {
		return out // not-judged groups: never a pass
	}
	msg := "the audit logs from " + v.rangeText() + " hold no " + sp.none
	if system > 0 {
		msg += fmt.Sprintf(" by a non-system identity (%d group(s) of events by system identities are reported apart: excluded unless system objects are included)", system)
	}
	return append(out, check.Result{Status: check.Pass, Resource: v.res, Source: src, Evidence: ev, Message: msg})
}

// readsPartNote says what a control that also judges writes still judged.
func readsPartNote(sp *spec) string {
	if sp.reads == readsPart {
		return " (the write events were judged and hold no finding)"
	}
	return ""
}

// adminOnly reports a scope whose inputs are all of the kube-audit-admin
// category: for an input with per-cluster counts, the categories of the
// scope's cluster.
func (v *scopeView) adminOnly() bool {
	if len(v.inputs) == 0 {
		return false
	}
	for _, in := range v.inputs {
		cats := in.Categories
		if c, ok := v.counts(in); ok && len(c.Categories) > 0 {
			cats = c.Categories
		}
		if len(cats) == 0 {
			return false
		}
		for _, c := range cats {
			if !strings.EqualFold(c, categoryAdmin) {
				return false
			}
		}
	}
	return true
}

// rangeText renders the time range the scope's logs cover:
// "2026-11-30T10:00:00Z to 2026-12-01T09:59:58Z". An input with
// per-cluster counts (AuditInput.SourceByCluster) covers the scope from its
// cluster's first event to its last, not over the whole read; the others
// over their range.
func (v *scopeView) rangeText() string {
	var first, last time.Time
	for _, in := range v.inputs {
		f, l := in.First, in.Last
		if c, ok := v.counts(in); ok && !c.First.IsZero() {
			f, l = c.First, c.Last
		}
		if !f.IsZero() && (first.IsZero() || f.Before(first)) {
			first = f
		}
		if l.After(last) {
			last = l
		}
	}
	if first.IsZero() {
		return "an unknown time range (the events carry no time)"
	}
	return stamp(first) + " to " + stamp(last)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// coverage is the evidence of what the logs of a scope covered.
func coverage(v *scopeView, obs *observer) []check.Evidence {
	var ev []check.Evidence
	for _, in := range v.inputs {
		val := in.Form
		if len(in.Categories) > 0 {
			val += ", categories " + strings.Join(in.Categories, ", ")
		}
		val += fmt.Sprintf(", %d events", in.Events)
		if !in.First.IsZero() {
			val += ", " + stamp(in.First) + " to " + stamp(in.Last)
		}
		if in.Incomplete != "" {
			val += ", incomplete: " + in.Incomplete
		}
		ev = append(ev, check.Evidence{Path: "audit input " + in.Input, Value: val})
		if c, ok := v.counts(in); ok {
			val := fmt.Sprintf("%d events (final stage), %d get/list/watch", c.Events, c.Reads)
			if len(c.Categories) > 0 {
				val += ", categories " + strings.Join(c.Categories, ", ")
			}
			if !c.First.IsZero() {
				val += ", " + stamp(c.First) + " to " + stamp(c.Last)
			}
			ev = append(ev, check.Evidence{Path: "held by " + in.Input + " for this cluster", Value: val})
		}
	}
	if v.stats.allowListed > 0 {
		path := "allow-listed events (not reported)"
		if obs != nil {
			var at []string
			for _, a := range obs.allow {
				if a.Where != "" {
					at = append(at, a.Where)
				}
			}
			if len(at) > 0 {
				path = "allow-listed events (not reported; allow.audit at " + strings.Join(at, ", ") + ")"
			}
		}
		ev = append(ev, check.Evidence{Path: path, Value: strconv.FormatInt(v.stats.allowListed, 10)})
	}
	return ev
}

// identity renders a finding's identity for messages.
func (f *finding) identity() string {
	s := "user " + orDash(f.user)
	if f.impersonator != "" {
		s += " (impersonated by " + f.impersonator + ")"
	}
	return s
}

// message is a finding's message.
func (f *finding) message() string {
	s := f.identity() + ": " + f.key.what + ", " + times(f.count)
	switch {
	case f.first.IsZero():
	case f.first.Equal(f.last):
		s += " at " + stamp(f.first)
	default:
		s += " from " + stamp(f.first) + " to " + stamp(f.last)
	}
	if f.note != "" {
		s += " (" + f.note + ")"
	}
	switch {
	case f.failed == 0:
	case f.failed == f.count:
		s += " (authorized, then failed with code " + f.failedCodes.String() + ")"
	default:
		s += " (" + strconv.FormatInt(f.failed, 10) + " of them authorized, then failed with code " + f.failedCodes.String() + ")"
	}
	return s
}

func times(n int64) string {
	if n == 1 {
		return "once"
	}
	return strconv.FormatInt(n, 10) + " times"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// evidence is a finding's evidence: identity, origin, request and examples.
func (f *finding) evidence() []check.Evidence {
	ev := []check.Evidence{{Path: "user.username", Value: orDash(f.user)}}
	if f.impersonator != "" {
		ev = append(ev, check.Evidence{Path: "impersonated by", Value: f.impersonator})
	}
	if len(f.groups) > 0 {
		ev = append(ev, check.Evidence{Path: "user.groups", Value: strings.Join(f.groups, ", ")})
	}
	if f.oid != "" {
		ev = append(ev, check.Evidence{Path: "user.extra.oid", Value: f.oid})
	}
	for _, e := range []struct {
		path string
		k    kept
	}{{"sourceIPs", f.ips}, {"userAgent", f.agents}, {"verb", f.verbs}, {"objectRef", f.objects}, {"responseStatus.code", f.codes}} {
		if len(e.k.vals) > 0 {
			ev = append(ev, check.Evidence{Path: e.path, Value: e.k.String()})
		}
	}
	ev = append(ev, check.Evidence{Path: "count", Value: strconv.FormatInt(f.count, 10)})
	if f.failed > 0 {
		ev = append(ev, check.Evidence{Path: "failed after authorization (responseStatus.code)",
			Value: strconv.FormatInt(f.failed, 10) + " of " + strconv.FormatInt(f.count, 10) + " events: " + f.failedCodes.String()})
	}
	if !f.first.IsZero() {
		ev = append(ev, check.Evidence{Path: "first", Value: stamp(f.first)}, check.Evidence{Path: "last", Value: stamp(f.last)})
	}
	if len(f.examples) > 0 {
		ev = append(ev, check.Evidence{Path: "auditID (examples)", Value: strings.Join(f.examples, ", ")})
	}
	return ev
}
