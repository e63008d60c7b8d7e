package arm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/armexpr"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// ARM templates: portal "Export template", `az group export`, hand-written
// and Bicep-built templates (languageVersion 2.0 with symbolic names too).
//
// A template names no subscription or resource group, so its resources get
// template-local IDs: "template:FILE#managedClusters/NAME" (TemplateID).
// Agent pools, diagnostic settings and maintenance configurations in the
// same template join to their cluster through that ID.

// Resource types read from templates (compared case-insensitively).
const (
	typeCluster         = "Microsoft.ContainerService/managedClusters"
	typeAgentPool       = "Microsoft.ContainerService/managedClusters/agentPools"
	typeMaintenance     = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"
	typeNestedDiag      = "Microsoft.ContainerService/managedClusters/providers/diagnosticSettings"
	typeDiag            = "Microsoft.Insights/diagnosticSettings"
	typeRegistry        = "Microsoft.ContainerRegistry/registries"
	typeRegistryPEC     = "Microsoft.ContainerRegistry/registries/privateEndpointConnections"
	typePrivateEndpoint = "Microsoft.Network/privateEndpoints"
	typeDeployment      = "Microsoft.Resources/deployments"

	maxTemplateNesting = 32 // nested resources / nested deployments
	// maxTemplateResources bounds the resources one template yields in
	// all, copies of nested deployments included: copy loops in nested
	// deployments multiply (a deployment read once past the copy budget
	// still holds its own deployments).
	maxTemplateResources = 8192
	// maxTemplateClusters bounds the clusters one template yields: each
	// is judged by every control; a real template deploys a handful, and
	// ARM caps one copy loop at 800.
	maxTemplateClusters = 1024
	maxNameLen          = armexpr.MaxNameLen
)

// TemplateID is the template-local ID of a resource: kind is the last
// segment of its type ("managedClusters", "registries").
func TemplateID(file, kind, name string) string {
	return "template:" + file + "#" + kind + "/" + name
}

// IsTemplate reports whether a JSON document is an ARM deployment template:
// an object whose $schema names a deploymentTemplate, or whose `resources`
// are objects with type and apiVersion; also the {"template": {...}} wrapper
// of the export API.
func IsTemplate(root *jsontree.Node) bool {
	if root == nil || root.Kind != jsontree.Object {
		return false
	}
	if t := root.Get("template"); t != nil && t.Kind == jsontree.Object && isTemplateBody(t) {
		return true
	}
	return isTemplateBody(root)
}

func isTemplateBody(n *jsontree.Node) bool {
	if s, ok := n.Get("$schema").AsString(); ok {
		l := strings.ToLower(s)
		if strings.Contains(l, "deploymenttemplate") {
			return true
		}
		if strings.Contains(l, "deploymentparameters") {
			return false
		}
	}
	if n.Get("properties") != nil && (n.Get("id") != nil || n.Get("type") != nil) {
		// A resource body (an export of a cluster whose resources[] holds
		// its child resources), not a template.
		return false
	}
	res := n.Get("resources")
	if res == nil {
		return false
	}
	isRes := func(r *jsontree.Node) bool {
		return r != nil && r.Kind == jsontree.Object && r.Get("type") != nil && r.Get("type").Kind == jsontree.String && r.Get("apiVersion") != nil
	}
	switch res.Kind {
	case jsontree.Array:
		if len(res.Items) == 0 {
			return false
		}
		for _, it := range res.Items {
			if !isRes(it) {
				return false
			}
		}
		return true
	case jsontree.Object:
		// languageVersion 2.0: resources keyed by symbolic name.
		if n.Get("languageVersion") == nil || len(res.Members) == 0 {
			return false
		}
		for _, m := range res.Members {
			if !isRes(m.Value) {
				return false
			}
		}
		return true
	}
	return false
}

// IsParametersFile reports whether a JSON document is an ARM deployment
// parameters file (its $schema names deploymentParameters).
func IsParametersFile(root *jsontree.Node) bool {
	if root == nil || root.Kind != jsontree.Object {
		return false
	}
	s, _ := root.Get("$schema").AsString()
	return strings.Contains(strings.ToLower(s), "deploymentparameters")
}

// LoadParameters reads an ARM deployment parameters file
// ({"$schema": ".../deploymentParameters.json#", "parameters": {"x":
// {"value": ...}}}, or the bare {"x": {"value": ...}} object az also
// accepts). A Key Vault reference ({"reference": {...}}) is recorded as a
// nil value: the parameter is given, but its value is never read.
// Errors are inventory.InputError values naming file:line.
func LoadParameters(data []byte, file string) (map[string]*jsontree.Node, error) {
	fail := func(line int, msg string) error {
		return inventory.InputError{Input: file, Line: line, Message: msg}
	}
	if !jsontree.LooksLikeJSON(data) {
		return nil, fail(1, `not JSON: give an ARM deployment parameters file ({"parameters": {"NAME": {"value": ...}}}); build a .bicepparam file first with az bicep build-params`)
	}
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			return nil, fail(se.Line, "invalid JSON: "+se.Msg)
		}
		return nil, fail(0, "invalid JSON: "+err.Error())
	}
	if root.Kind != jsontree.Object {
		return nil, fail(root.Line, "not an ARM parameters file: the top level must be an object with \"parameters\"")
	}
	if errs := DuplicateKeyErrors(root, file); len(errs) > 0 {
		return nil, errs[0]
	}
	if IsTemplate(root) {
		return nil, fail(root.Line, "this is an ARM template, not a parameters file: scan the template as an input and give its parameters file with --parameters")
	}
	entries := root
	if p := root.Get("parameters"); p != nil {
		if p.Kind != jsontree.Object {
			return nil, fail(p.Line, "\"parameters\" must be an object of {\"NAME\": {\"value\": ...}}")
		}
		entries = p
	}
	out := map[string]*jsontree.Node{}
	for _, m := range entries.Members {
		if entries == root && (m.Key == "$schema" || strings.EqualFold(m.Key, "contentVersion")) {
			continue
		}
		v := m.Value
		if v.Kind != jsontree.Object {
			return nil, fail(v.Line, fmt.Sprintf("parameter %q: write {\"value\": ...} (or a Key Vault {\"reference\": ...}), not a bare value", m.Key))
		}
		switch {
		case v.Get("value") != nil:
			out[m.Key] = v.Get("value")
		case v.Get("reference") != nil:
			out[m.Key] = nil
		default:
			return nil, fail(v.Line, fmt.Sprintf("parameter %q has neither \"value\" nor \"reference\"", m.Key))
		}
	}
	return out, nil
}

// tres is one resource of a template, with its full type and name.
type tres struct {
	n      *jsontree.Node
	sc     *armexpr.Scope
	typ    string // full type ("Microsoft.ContainerService/managedClusters/agentPools")
	name   string // full name, placeholders for deployment-time parts; raw text when !nameOK
	nameOK bool
	own    string // the name as written on the resource, evaluated; raw text when !ownOK
	ownOK  bool
	parent *tres
	symbol string // languageVersion 2.0 symbolic name
	// file and addr are where the resource was written: the template's
	// file, or the Origin a compiled template gives it.
	file, addr string
	// condWhy is non-empty when the resource (or its parent) is deployed
	// only if a condition holds that cannot be evaluated offline, or as many
	// times as a copy loop of unknown count says; condAt is the key that
	// says so ("condition", "copy").
	condWhy, condAt string
}

func (r *tres) is(t string) bool { return strings.EqualFold(r.typ, t) }

// segments splits the full name ("aks/pool1").
func (r *tres) segments() []string {
	if !r.nameOK {
		return nil
	}
	return splitName(r.name)
}

// lastName is the resource's own name: the last segment of its name.
func (r *tres) lastName() string {
	if r.ownOK {
		segs := splitName(r.own)
		return segs[len(segs)-1]
	}
	return r.own
}

// splitName splits a resource name at '/', except inside placeholders.
func splitName(s string) []string {
	var out []string
	depth, start := 0, 0
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case depth > 0 && c == '\'':
			quoted = !quoted
		case quoted:
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '/' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

type templateDecoder struct {
	file string
	opts TemplateOptions
	// at is the file of the resource being read (Origins), named by the
	// errors of its copy loops; empty: file.
	at   string
	sh   *armexpr.Shared
	res  []*tres
	errs []inventory.InputError
	// copied counts the resources copy loops have yielded.
	copied int
	// clusters counts the clusters read; full is set once
	// maxTemplateResources or maxTemplateClusters is reached.
	clusters int
	full     bool
}

// collect gathers the resources of one resources array (or symbolic-name
// object), with their nested children and the resources of nested
// deployments with inline templates.
func (d *templateDecoder) collect(sc *armexpr.Scope, resources *jsontree.Node, parent *tres, depth int) {
	if resources == nil {
		return
	}
	if depth > maxTemplateNesting {
		// Reading on would recurse without bound; skipping silently could
		// hide a cluster. Said once per file, at the first such place.
		if len(d.errs) == 0 && len(resources.Items)+len(resources.Members) > 0 {
			d.errs = append(d.errs, inventory.InputError{Input: d.errFile(), Line: resources.Line, Message: fmt.Sprintf(
				"resources nested more than %d levels deep (child resources and nested deployments): aksguard does not read them, so nothing below this level is judged; declare child resources at the top level with their full type and name, or split the template", maxTemplateNesting)})
		}
		return
	}
	type item struct {
		symbol string
		n      *jsontree.Node
	}
	var items []item
	switch resources.Kind {
	case jsontree.Array:
		for _, it := range resources.Items {
			items = append(items, item{n: it})
		}
	case jsontree.Object:
		for _, m := range resources.Members {
			items = append(items, item{symbol: m.Key, n: m.Value})
		}
	}
	for _, it := range items {
		n := it.n
		if n == nil || n.Kind != jsontree.Object {
			continue
		}
		if d.capped(n.Line) {
			return
		}
		if ex, ok := n.Get("existing").AsBool(); ok && ex {
			continue // a reference to a resource deployed elsewhere
		}
		d.at = ""
		if parent != nil {
			d.at = parent.file
		}
		if o, ok := d.opts.Origins[n]; ok {
			d.at = o.File
		}
		scopes, unknownCopies := d.copies(sc, n)
		for _, csc := range scopes {
			if d.capped(n.Line) {
				return
			}
			d.add(csc, n, it.symbol, parent, depth, unknownCopies)
		}
	}
}

// capped reports whether the template has yielded as many resources or
// clusters as aksguard reads, saying so once (at line).
func (d *templateDecoder) capped(line int) bool {
	if len(d.res) < maxTemplateResources && d.clusters < maxTemplateClusters {
		return false
	}
	if !d.full {
		d.full = true
		d.errs = append(d.errs, inventory.InputError{Input: d.errFile(), Line: line, Message: fmt.Sprintf(
			"the template yields more than %d resources or %d clusters (copy loops of nested deployments multiply): aksguard reads no more of it, so what follows is not judged; split the template or lower the copy counts", maxTemplateResources, maxTemplateClusters)})
	}
	return true
}

// errFile is the file the errors of the resource being read name.
func (d *templateDecoder) errFile() string {
	if d.at != "" {
		return d.at
	}
	return d.file
}

// add reads one resource (one copy of a resource copy loop) in scope sc.
// unknownCopies is non-empty when the resource stands for the copies of a
// loop whose count is unknown (there may be none).
func (d *templateDecoder) add(sc *armexpr.Scope, n *jsontree.Node, symbol string, parent *tres, depth int, unknownCopies string) {
	condWhy, condAt := "", ""
	if parent != nil {
		condWhy, condAt = parent.condWhy, parent.condAt
	}
	if unknownCopies != "" {
		condWhy, condAt = "deployed as many times as its copy loop says, which may be none: "+unknownCopies, "copy"
	}
	if cond := n.Get("condition"); cond != nil {
		// A resource whose condition is false is not deployed; one whose
		// condition is unresolved is read as if it were, and companion data
		// it gives never passes a control (condWhy).
		v, why := sc.Resolver()(cond)
		b, ok := v.AsBool()
		switch {
		case why == "" && ok && !b:
			return
		case why != "":
			condWhy, condAt = "deployed only if its condition holds, which is unknown: "+why, "condition"
		case !ok:
			condWhy, condAt = "deployed only if its condition holds, which is not a boolean", "condition"
		}
	}
	orig := n
	n = d.propertyCopies(sc, n)
	typ, _ := n.Get("type").AsString()
	name, ok := sc.NameOf(n.Get("name"))
	own, ownOK := name, ok
	if parent != nil && !strings.Contains(strings.SplitN(typ, "/", 2)[0], ".") {
		// A nested resource's type and name are relative to its parent.
		typ = parent.typ + "/" + typ
		if ok && parent.nameOK && len(parent.name)+len(name) < maxNameLen {
			name = parent.name + "/" + name
		} else {
			name, _ = n.Get("name").AsString()
			ok = false
		}
	}
	if len(typ) > maxNameLen {
		return
	}
	r := &tres{n: n, sc: sc, typ: typ, name: name, nameOK: ok, own: own, ownOK: ownOK, parent: parent, symbol: symbol, condWhy: condWhy, condAt: condAt, file: d.file}
	if parent != nil {
		r.file, r.addr = parent.file, parent.addr
	}
	if o, ok := d.opts.Origins[orig]; ok {
		r.file, r.addr = o.File, o.Address
	}
	if msg, ok := d.opts.Unread[orig]; ok {
		d.copyError(orig.Line, msg)
	}
	d.res = append(d.res, r)
	if r.is(typeCluster) {
		d.clusters++
	}
	if r.is(typeDeployment) {
		d.nested(sc, r, depth)
	}
	d.collect(sc, n.Get("resources"), r, depth+1)
}

// nested reads the inline template of a Microsoft.Resources/deployments
// resource. With the default "outer" evaluation scope its expressions use
// the parent template's parameters and variables; with "inner" scope it has
// its own, given by the deployment's properties.parameters (expressions of
// the parent).
func (d *templateDecoder) nested(sc *armexpr.Scope, r *tres, depth int) {
	props := r.n.Get("properties")
	t := props.Get("template")
	if t == nil || t.Kind != jsontree.Object {
		return // templateLink: linked templates are not fetched
	}
	child := sc
	if s, _ := props.Get("expressionEvaluationOptions", "scope").AsString(); strings.EqualFold(s, "inner") {
		child = armexpr.NewScope(d.sh, t)
		if ps := props.Get("parameters"); ps != nil {
			for _, m := range ps.Members {
				switch {
				case m.Value.Get("value") != nil:
					child.GiveFrom(m.Key, m.Value.Get("value"), sc)
				case m.Value.Get("reference") != nil:
					child.GiveUnread(m.Key)
				}
			}
		}
	}
	d.collect(child, t.Get("resources"), nil, depth+1)
}

// DecodeTemplate reads the AKS resources of an ARM template: managed
// clusters, agent pools, diagnostic settings (extension resources with a
// scope, and the older nested providers/diagnosticSettings form),
// maintenance configurations and container registries. params are
// parameter values (from --parameters FILE); they override the template's
// defaults. A value that cannot be resolved offline makes the fields that
// depend on it Unknown with the reason.
func DecodeTemplate(root *jsontree.Node, file string, params map[string]*jsontree.Node) *inventory.Batch {
	b, _ := decodeTemplate(root, file, params, TemplateOptions{})
	return b
}

// Origin is where a resource of a template compiled from another language
// (Bicep) was written: the source file and the resource's address in it
// ("resource aks", "module aks > resource managedCluster").
type Origin struct {
	File, Address string
}

// TemplateOptions tune DecodeTemplateWith for templates that a compiler
// built in memory.
type TemplateOptions struct {
	// Format is the format of the clusters read (FormatARMTemplate when
	// empty).
	Format inventory.Format
	// Origins gives, by resource object node, the file and address the
	// resource was written at. A resource without one has its parent's
	// (nested resources), else the template's file.
	Origins map[*jsontree.Node]Origin
	// Unread gives, by resource object node, the input error of a
	// resource whose content the compiler could not give (a Bicep
	// registry module): reported only when the resource is deployed (its
	// condition is not false), once.
	Unread map[*jsontree.Node]string
	// Address, when set, is told the address of each cluster and pool read
	// (from Origins), to record on it in the format's own field.
	Address func(c *inventory.Cluster, p *inventory.AgentPool, addr string)
}

// DecodeTemplateWith is DecodeTemplate for a template built from another
// language: evidence names the file each resource was written in (the
// template's own name, file, stays in the template-local IDs, so companion
// resources of every module join their cluster).
func DecodeTemplateWith(root *jsontree.Node, file string, params map[string]*jsontree.Node, opts TemplateOptions) *inventory.Batch {
	b, _ := decodeTemplate(root, file, params, opts)
	return b
}

// evalWork is the evaluation a template was charged (armexpr.Shared.Work).
type evalWork struct{ steps, bytes int }

// decodeTemplate is DecodeTemplate that also returns the evaluation work it
// was charged (nil when the input is not a template), so tests can bound
// the work of hostile templates by the budget rather than by a clock.
func decodeTemplate(root *jsontree.Node, file string, params map[string]*jsontree.Node, opts TemplateOptions) (*inventory.Batch, *evalWork) {
	b := &inventory.Batch{}
	if root == nil || root.Kind != jsontree.Object {
		b.Skipped = "JSON that is not an ARM template"
		return b, nil
	}
	if errs := DuplicateKeyErrors(root, file); len(errs) > 0 {
		b.Errors = errs
		return b, nil
	}
	tmpl := root
	var wrapped *jsontree.Node
	if t := root.Get("template"); t != nil && t.Kind == jsontree.Object && isTemplateBody(t) {
		tmpl = t
		if p := root.Get("parameters"); p != nil && p.Kind == jsontree.Object {
			wrapped = p
		}
	}
	if opts.Format == "" {
		opts.Format = inventory.FormatARMTemplate
	}
	d := &templateDecoder{file: file, opts: opts, sh: armexpr.NewShared()}
	sc := armexpr.NewScope(d.sh, tmpl)
	if wrapped != nil {
		for _, m := range wrapped.Members {
			if m.Value.Kind != jsontree.Object {
				continue
			}
			switch {
			case m.Value.Get("value") != nil:
				sc.Give(m.Key, m.Value.Get("value"), false)
			case m.Value.Get("reference") != nil:
				sc.GiveUnread(m.Key)
			}
		}
	}
	for k, v := range params {
		if v == nil {
			sc.GiveUnread(k)
			continue
		}
		sc.Give(k, v, true)
	}
	d.collect(sc, tmpl.Get("resources"), nil, 0)
	b.Errors = append(b.Errors, d.errs...)
	d.decode(b)
	if b.Empty() && len(b.Errors) == 0 {
		b.Skipped = "ARM template without AKS clusters or the resources around them (agent pools, diagnostic settings, maintenance configurations, container registries)"
	}
	steps, bytes := d.sh.Work()
	return b, &evalWork{steps: steps, bytes: bytes}
}

func (d *templateDecoder) decode(b *inventory.Batch) {
	byName := map[string]*inventory.Cluster{}
	bySymbol := map[string]*inventory.Cluster{}
	byRes := map[*tres]*inventory.Cluster{}
	again := map[*inventory.Cluster]int{}
	var clusters []*inventory.Cluster

	for _, r := range d.res {
		if !r.is(typeCluster) {
			continue
		}
		c, errs := ParseCluster(r.n, r.file, d.opts.Format, r.sc.Resolver())
		b.Errors = append(b.Errors, errs...)
		if d.opts.Address != nil {
			d.opts.Address(c, nil, r.addr)
		}
		c.Name = r.name
		c.ID = TemplateID(d.file, "managedClusters", r.name)
		if first := byName[jsontree.Fold(r.name)]; first != nil && r.nameOK {
			// The same cluster deployed again (nested deployments deploying
			// one name twice, as the AVM tests' module loops do to prove
			// idempotency): Azure has one cluster, read here as a second
			// view of it; where the two deployments differ, the engine
			// reports the drift.
			again[first]++
			c.ID = fmt.Sprintf("%s (deployed again, %d)", first.ID, again[first])
			c.Primary = first
			byRes[r] = c
			b.Clusters = append(b.Clusters, c)
			continue
		}
		clusters = append(clusters, c)
		byRes[r] = c
		byName[jsontree.Fold(r.name)] = c
		if r.symbol != "" {
			if _, dup := bySymbol[r.symbol]; dup {
				// Copies share their loop's symbolic name: it names none.
				bySymbol[r.symbol] = nil
			} else {
				bySymbol[r.symbol] = c
			}
		}
		b.Clusters = append(b.Clusters, c)
	}

	// clusterID finds the cluster a child resource belongs to: its parent
	// in the template, else the first segment of its name; a child whose
	// name cannot be evaluated joins the template's only cluster.
	clusterID := func(r *tres, name string, known bool) string {
		for p := r.parent; p != nil; p = p.parent {
			if c := byRes[p]; c != nil {
				return c.ID
			}
		}
		if known {
			if c := byName[jsontree.Fold(name)]; c != nil {
				return c.ID
			}
			return TemplateID(d.file, "managedClusters", name)
		}
		if len(clusters) == 1 {
			return clusters[0].ID
		}
		return TemplateID(d.file, "managedClusters", name)
	}
	childCluster := func(r *tres) string {
		segs := r.segments()
		if len(segs) == 0 {
			return clusterID(r, r.name, false)
		}
		return clusterID(r, segs[0], true)
	}

	maint := map[string]*inventory.MaintenanceFor{}
	var maintOrder []string
	var registries []*tres
	for _, r := range d.res {
		switch {
		case r.is(typeAgentPool):
			props := r.n.Get("properties")
			path := keyAsSpelled(r.n, "properties")
			if props == nil {
				props = &jsontree.Node{Kind: jsontree.Object, Line: r.n.Line}
			}
			pool, errs := ParsePool(props, path, r.file, r.sc.Resolver())
			b.Errors = append(b.Errors, errs...)
			pool.Name = r.lastName()
			pool.Source = inventory.Source{File: r.file, Line: r.n.Line}
			if d.opts.Address != nil {
				d.opts.Address(nil, pool, r.addr)
			}
			b.Pools = append(b.Pools, inventory.PoolFor{ClusterID: childCluster(r), Pool: pool})
		case r.is(typeDiag):
			id, ok := d.diagTarget(r, byRes, bySymbol, byName, clusters)
			if !ok {
				continue
			}
			b.Diagnostics = append(b.Diagnostics, inventory.DiagnosticFor{TargetID: id, Setting: d.diagSetting(r, b)})
		case r.is(typeNestedDiag):
			b.Diagnostics = append(b.Diagnostics, inventory.DiagnosticFor{TargetID: childCluster(r), Setting: d.diagSetting(r, b)})
		case r.is(typeMaintenance):
			cid := childCluster(r)
			m := maint[cid]
			if m == nil {
				m = &inventory.MaintenanceFor{ClusterID: cid, Data: inventory.MaintenanceData{Source: inventory.Source{File: r.file, Line: r.n.Line}}}
				maint[cid] = m
				maintOrder = append(maintOrder, cid)
			}
			if r.ownOK && r.condWhy == "" {
				// A configuration that may not be deployed is no window.
				m.Data.Names = append(m.Data.Names, r.lastName())
			}
		case r.is(typeRegistry):
			registries = append(registries, r)
		}
	}
	for _, cid := range maintOrder {
		b.Maintenance = append(b.Maintenance, *maint[cid])
	}
	if len(registries) > 0 {
		pe := d.privateEndpoints()
		for _, r := range registries {
			b.Registries = append(b.Registries, d.registry(r, pe, b))
		}
	}
}

// diagTarget returns the cluster ID a Microsoft.Insights/diagnosticSettings
// resource applies to; ok is false when it targets something other than a
// managed cluster.
func (d *templateDecoder) diagTarget(r *tres, byRes map[*tres]*inventory.Cluster, bySymbol, byName map[string]*inventory.Cluster, clusters []*inventory.Cluster) (string, bool) {
	sn := r.n.Get("scope")
	if sn == nil {
		// Nested inside its cluster.
		for p := r.parent; p != nil; p = p.parent {
			if c := byRes[p]; c != nil {
				return c.ID, true
			}
		}
		return "", false
	}
	text, ok := r.sc.NameOf(sn)
	if ok {
		if c := bySymbol[text]; c != nil {
			return c.ID, true
		}
		name, isCluster := resourceInID(text, typeCluster)
		if !isCluster {
			return "", false
		}
		if c := byName[jsontree.Fold(name)]; c != nil {
			return c.ID, true
		}
		return TemplateID(d.file, "managedClusters", name), true
	}
	raw, _ := sn.AsString()
	if indexFold(raw, typeCluster) < 0 {
		return "", false
	}
	if len(clusters) == 1 {
		return clusters[0].ID, true
	}
	return TemplateID(d.file, "managedClusters", raw), true
}

// resourceInID returns the name of the resource of type typ that an ID (or
// the "Namespace/type/name" text of resourceId()) names; ok is false when
// the ID names another resource or a child of it.
func resourceInID(id, typ string) (string, bool) {
	i := indexFold(id, typ+"/")
	if i < 0 {
		return "", false
	}
	if i > 0 && id[i-1] != '/' {
		return "", false
	}
	segs := splitName(strings.TrimSuffix(id[i+len(typ)+1:], "/"))
	if len(segs) != 1 || segs[0] == "" {
		return "", false
	}
	return segs[0], true
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

type peCount struct {
	n    int
	path string
	line int
}

// privateEndpoints counts, per lower-cased registry name, the private
// endpoints the template connects to a registry: privateEndpoints resources
// whose privateLinkServiceId names it, and registries/privateEndpointConnections
// child resources.
func (d *templateDecoder) privateEndpoints() map[string]peCount {
	out := map[string]peCount{}
	add := func(reg, path string, line int) {
		k := jsontree.Fold(reg)
		c := out[k]
		if c.n == 0 {
			c.path, c.line = path, line
		}
		c.n++
		out[k] = c
	}
	for _, r := range d.res {
		switch {
		case r.is(typeRegistryPEC):
			if segs := r.segments(); len(segs) >= 2 {
				add(segs[0], r.typ+"/"+r.name, r.n.Line)
			}
		case r.is(typePrivateEndpoint):
			props := r.n.Get("properties")
			for _, key := range []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"} {
				list := props.Get(key)
				if list == nil {
					continue
				}
				for i, c := range list.Items {
					idn := c.Get("properties", "privateLinkServiceId")
					text, ok := r.sc.NameOf(idn)
					if !ok {
						continue
					}
					if reg, ok := resourceInID(text, typeRegistry); ok {
						add(reg, fmt.Sprintf("%s/%s.%s.%s[%d].properties.privateLinkServiceId", r.typ, r.name, keyAsSpelled(r.n, "properties"), key, i), idn.Line)
					}
				}
			}
		}
	}
	return out
}

// registry reads a container registry resource. A template does not list
// a registry's private endpoint connections, so PrivateEndpoints is Known
// only when the template itself connects private endpoints to it.
func (d *templateDecoder) registry(r *tres, pe map[string]peCount, b *inventory.Batch) *inventory.Registry {
	rd := reader{resolve: r.sc.Resolver(), probs: newProblems(r.file)}
	defer func() { b.Errors = append(b.Errors, rd.probs.errors()...) }()
	reg := &inventory.Registry{ID: TemplateID(d.file, "registries", r.name), Name: r.name, Source: inventory.Source{File: r.file, Line: r.n.Line}}
	reg.PublicNetworkAccess = rd.stringField(r.n, "", "properties", "publicNetworkAccess")
	reg.AdminUserEnabled = rd.boolField(r.n, "", "properties", "adminUserEnabled")
	reg.PrivateEndpoints = inventory.Field[int]{Path: join(keyAsSpelled(r.n, "properties"), "privateEndpointConnections")}
	if c := pe[jsontree.Fold(r.name)]; c.n > 0 {
		reg.PrivateEndpoints = inventory.Set(c.n, c.path, c.line)
	}
	return reg
}

// diagSetting reads a diagnostic-setting resource, resolving a properties
// value that is itself an expression.
func (d *templateDecoder) diagSetting(r *tres, b *inventory.Batch) inventory.DiagnosticSetting {
	resolve := r.sc.Resolver()
	n := r.n
	if props := n.Get("properties"); props != nil && props.Kind == jsontree.String {
		v, why := resolve(props)
		path := keyAsSpelled(n, "properties")
		if why != "" || v == nil || v.Kind != jsontree.Object {
			if why == "" {
				why = "properties is not an object"
			}
			ds := inventory.DiagnosticSetting{Name: r.lastName(), Source: inventory.Source{File: r.file, Line: n.Line}}
			ds.HasDestination = inventory.Unresolved[bool](why, path, props.Line)
			ds.Logs = []inventory.LogSetting{{Category: "*", Enabled: inventory.Unresolved[bool](why, path, props.Line), Line: props.Line}}
			return ds
		}
		n = &jsontree.Node{Kind: jsontree.Object, Line: n.Line, Members: []jsontree.Member{{Key: path, Value: v}}}
	}
	ds, errs := ParseDiagSetting(n, r.file, resolve)
	b.Errors = append(b.Errors, errs...)
	ds.Name = r.lastName()
	if r.condWhy != "" {
		// A setting that may not be deployed sends nothing for certain.
		line := r.n.Line
		if c := r.n.Get(r.condAt); c != nil {
			line = c.Line
		}
		ds.HasDestination = inventory.Unresolved[bool](r.condWhy, r.condAt, line)
		ds.Logs = []inventory.LogSetting{{Category: "*", Enabled: inventory.Unresolved[bool](r.condWhy, r.condAt, line), Line: line}}
	}
	return ds
}
