package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// typeAzAPI is the azapi provider's generic resource: an ARM resource type
// with an API version, and an ARM body.
const typeAzAPI = "azapi_resource"

// The ARM resource types read from an azapi_resource. Their body goes
// through the ARM body mapping (internal/source/arm), so a field means what
// it means in a REST body or a template.
const (
	armCluster = "Microsoft.ContainerService/managedClusters"
	armPool    = "Microsoft.ContainerService/managedClusters/agentPools"
	armDiag    = "Microsoft.Insights/diagnosticSettings"
	armMaint   = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"
	armACR     = "Microsoft.ContainerRegistry/registries"
)

// maxBodyDepth bounds the nesting of a body converted from HCL (the file's
// own nesting is already bounded by checkNesting; a jsonencode'd string is
// parsed by jsontree, which bounds its own).
const maxBodyDepth = 64

// azapiKind is the ARM type an azapi type names ("" when aksguard does not
// read it) and its API version.
func azapiKind(typ string) (kind, api string) {
	t, api, _ := strings.Cut(typ, "@")
	for _, k := range []string{armCluster, armPool, armDiag, armMaint, armACR} {
		if strings.EqualFold(strings.TrimSpace(t), k) {
			return k, strings.TrimSpace(api)
		}
	}
	return "", api
}

// azapiBody is an azapi body read into a JSON tree. Parts that cannot be
// known offline are stand-in nodes whose reason resolve returns, so the
// fields below them are Unknown with that reason, never defaults.
type azapiBody struct {
	unknown map[*jsontree.Node]string
}

func (b *azapiBody) resolve(n *jsontree.Node) (*jsontree.Node, string) {
	if why, ok := b.unknown[n]; ok {
		return n, why
	}
	return n, ""
}

func (b *azapiBody) unknownNode(why string, line int) *jsontree.Node {
	n := &jsontree.Node{Kind: jsontree.String, Str: "(unknown)", Line: line}
	b.unknown[n] = why
	return n
}

// readAzAPIBody reads the body argument of an azapi resource block: an HCL
// object (azapi 2.x), jsonencode({...}) or a JSON string (1.x). An absent
// body is an empty object. A string that is no JSON is an input error and
// the whole body Unknown.
func (e *evaluator) readAzAPIBody(h *hclBlock, c *collector) (*jsontree.Node, *azapiBody) {
	ab := &azapiBody{unknown: map[*jsontree.Node]string{}}
	a := h.body.Attributes["body"]
	if a == nil {
		return &jsontree.Node{Kind: jsontree.Object, Line: h.ln}, ab
	}
	x := unwrapParens(a.Expr)
	if call, ok := x.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 && !call.ExpandFinal {
		x = unwrapParens(call.Args[0])
	}
	n := ab.fromExpr(e, h, x, 0)
	if n.Kind == jsontree.String && ab.unknown[n] == "" {
		// azapi 1.x: the body is JSON text.
		line := x.Range().Start.Line
		if _, heredoc := x.(*hclsyntax.TemplateExpr); heredoc && strings.HasPrefix(strings.TrimSpace(rangeText(h.f, x.Range())), "<<") {
			line++
		}
		parsed, err := jsontree.Parse([]byte(n.Str))
		if err != nil {
			why := fmt.Sprintf("%s.body is not JSON (%v)", h.p, err)
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: h.f.name, Line: a.SrcRange.Start.Line,
				Message: why + ": aksguard cannot read the resource, so the controls that need it are not assessed; write the body as an HCL object or jsonencode({...})"})
			return ab.unknownNode(why, a.SrcRange.Start.Line), ab
		}
		shiftLines(parsed, line-1, 0)
		return parsed, ab
	}
	return n, ab
}

func unwrapParens(x hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch p := x.(type) {
		case *hclsyntax.ParenthesesExpr:
			x = p.Expression
		case *budgetExpr:
			// Its parts are evaluated (and charged) one by one.
			x = p.Expression
		default:
			return x
		}
	}
}

// shiftLines moves the lines of a JSON tree parsed from a string to the
// lines of the file the string is written in.
func shiftLines(n *jsontree.Node, by, depth int) {
	if n == nil || depth > maxBodyDepth*4 {
		return
	}
	n.Line += by
	for _, m := range n.Members {
		shiftLines(m.Value, by, depth+1)
	}
	for _, it := range n.Items {
		shiftLines(it, by, depth+1)
	}
}

// fromExpr converts a body expression: object and tuple constructors member
// by member (so one unknown member leaves the others readable, each with
// its own line), anything else by evaluating it.
func (ab *azapiBody) fromExpr(e *evaluator, h *hclBlock, x hclsyntax.Expression, depth int) *jsontree.Node {
	line := x.Range().Start.Line
	if depth > maxBodyDepth {
		return ab.unknownNode(fmt.Sprintf("%s.body nests deeper than %d levels", h.p, maxBodyDepth), line)
	}
	switch t := unwrapParens(x).(type) {
	case *hclsyntax.ObjectConsExpr:
		n := &jsontree.Node{Kind: jsontree.Object, Line: line}
		for _, it := range t.Items {
			k, why := e.eval(it.KeyExpr, h.ctx, h.f, h.iterWhy)
			if why != "" {
				// A key known only after apply could be any setting.
				return ab.unknownNode("a key of this object is not known offline: "+why, line)
			}
			ks, ok := toGo(k).(string)
			if !ok {
				return ab.unknownNode("a key of this object is not a string: `"+exprText(h.f, it.KeyExpr)+"`", line)
			}
			n.Members = append(n.Members, jsontree.Member{Key: ks, Value: ab.fromExpr(e, h, it.ValueExpr, depth+1)})
		}
		n.Reindex()
		return n
	case *hclsyntax.TupleConsExpr:
		n := &jsontree.Node{Kind: jsontree.Array, Line: line}
		for _, it := range t.Exprs {
			n.Items = append(n.Items, ab.fromExpr(e, h, it, depth+1))
		}
		return n
	}
	v, why := e.eval(x, h.ctx, h.f, h.iterWhy)
	if why != "" {
		return ab.unknownNode(why, line)
	}
	return fromGo(toGo(v), line, 0)
}

// fromGo converts a plain value (toGo's shapes) to a JSON tree at one line.
func fromGo(v any, line, depth int) *jsontree.Node {
	switch t := v.(type) {
	case nil:
		return &jsontree.Node{Kind: jsontree.Null, Line: line}
	case bool:
		return &jsontree.Node{Kind: jsontree.Bool, Bool: t, Line: line}
	case string:
		return &jsontree.Node{Kind: jsontree.String, Str: t, Line: line}
	case fmt.Stringer: // json.Number
		return &jsontree.Node{Kind: jsontree.Number, Str: t.String(), Line: line}
	case []any:
		n := &jsontree.Node{Kind: jsontree.Array, Line: line}
		if depth > maxBodyDepth {
			return n
		}
		for _, it := range t {
			n.Items = append(n.Items, fromGo(it, line, depth+1))
		}
		return n
	case map[string]any:
		n := &jsontree.Node{Kind: jsontree.Object, Line: line}
		if depth > maxBodyDepth {
			return n
		}
		for _, k := range sortedKeys(t) {
			n.Members = append(n.Members, jsontree.Member{Key: k, Value: fromGo(t[k], line, depth+1)})
		}
		n.Reindex()
		return n
	}
	return &jsontree.Node{Kind: jsontree.Null, Line: line}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// azapiResource maps an azapi_resource block whose type aksguard reads. A
// type that does not evaluate offline but names managed clusters is an
// input error: the resource could be a cluster and is not assessed.
func (e *evaluator) azapiResource(c *collector, f *hclFile, blk *hclsyntax.Block) {
	addr := typeAzAPI + "." + blk.Labels[1]
	line := blk.DefRange().Start.Line
	ta := blk.Body.Attributes["type"]
	if ta == nil {
		return
	}
	tv, why := e.eval(ta.Expr, e.ctx(), f, "")
	if why != "" {
		if strings.Contains(strings.ToLower(exprText(f, ta.Expr)), "managedclusters") {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: f.name, Line: ta.SrcRange.Start.Line,
				Message: fmt.Sprintf("%s: its type %s, so aksguard cannot tell which resource it is and does not assess it; give the type as a literal (Microsoft.ContainerService/managedClusters@<api-version>)", addr, why)})
		}
		return
	}
	typ, _ := toGo(tv).(string)
	kind, api := azapiKind(typ)
	if kind == "" {
		return
	}
	src := inventory.Source{File: f.name, Line: line}
	insts, iwhy := e.instances(blk.Body, e.ctx(), f)
	newBlock := func(in instance, p string) *hclBlock {
		return &hclBlock{e: e, f: f, body: blk.Body, ctx: in.ctx, iterWhy: in.iterWhy, p: p, ln: line}
	}
	unknown := ""
	if iwhy != "" {
		unknown = fmt.Sprintf("%s (%s:%d): %s", addr, f.name, line, iwhy)
	}
	for _, in := range insts {
		// One resource per instance, clusters too (hcl.go).
		h := newBlock(in, addr+in.key)
		body, ab := e.readAzAPIBody(h, c)
		body = ab.mergeSensitive(body, e.hclSensitiveBody(h, ab), 0)
		c.addAzAPI(azapiRes{kind: kind, typ: typ, api: api, b: h, body: body, ab: ab, format: inventory.FormatTFHCL,
			src: src, to: func() link { return e.link(h, "parent_id") }, key: in.key, poolsUnknown: unknown})
	}
}

// azapiRes is one azapi resource instance of a kind aksguard reads, its
// body read into a JSON tree, from HCL or a plan.
type azapiRes struct {
	kind, typ, api string
	b              block
	body           *jsontree.Node
	ab             *azapiBody
	format         inventory.Format
	src            inventory.Source
	to             func() link // the parent_id link (pools, settings)
	key            string
	poolsUnknown   string
}

// addAzAPI maps one azapi resource through the ARM body mapping.
func (c *collector) addAzAPI(r azapiRes) {
	file := r.src.File
	switch r.kind {
	case armCluster:
		cl, errs := arm.ParseClusterAt(r.body, r.b.path()+".body", file, r.format, r.ab.resolve)
		c.batch.Errors = append(c.batch.Errors, errs...)
		azapiIdentity(cl, r.b, r.b.path(), r.typ, r.api, r.src)
		c.addCluster(cl, nil)
	case armPool:
		props, ppath := azapiProps(r.body, r.b.path()+".body")
		pool, errs := arm.ParsePool(props, ppath, file, r.ab.resolve)
		c.batch.Errors = append(c.batch.Errors, errs...)
		pool.Name = stringOf(r.b.attr("name")).Or(pool.Name)
		pool.TFAddress = r.b.path()
		pool.Source = r.src
		c.pools = append(c.pools, pendingPool{pool: pool, to: r.to(), key: r.key, poolsUnknown: r.poolsUnknown})
	case armDiag:
		ds, errs := arm.ParseDiagSettingAt(r.body, r.b.path()+".body", file, r.ab.resolve)
		c.batch.Errors = append(c.batch.Errors, errs...)
		ds.Name = stringOf(r.b.attr("name")).Or(r.b.path())
		ds.Source = r.src
		c.diags = append(c.diags, pendingDiag{setting: ds, to: r.to(), key: r.key})
	case armACR:
		reg, errs := arm.ParseRegistryAt(r.body, r.b.path()+".body", file, r.ab.resolve)
		c.batch.Errors = append(c.batch.Errors, errs...)
		reg.Name = stringOf(r.b.attr("name")).Or(r.b.path())
		reg.ID = stringOf(r.b.attr("id")).Or("tf:" + r.b.path())
		reg.Source = r.src
		if !reg.PrivateEndpoints.IsKnown() {
			// Terraform declares private endpoints as resources of their
			// own: the azurerm_private_endpoint resources of this input
			// that name the registry are counted (registry.go).
			c.registries = append(c.registries, pendingRegistry{reg: reg, addr: r.b.path()})
			return
		}
		c.batch.Registries = append(c.batch.Registries, reg)
	case armMaint:
		// Only the name matters (aksManagedAutoUpgradeSchedule, …); the
		// configurations written are not a complete listing.
		name := stringOf(r.b.attr("name")).Or("")
		c.maints = append(c.maints, pendingMaint{name: name, src: r.src, to: r.to(), key: r.key, addr: r.b.path()})
	}
}

// pendingMaint is a maintenance configuration waiting for its cluster.
type pendingMaint struct {
	name, key, addr string
	src             inventory.Source
	to              link
}

// finishMaintenance joins the maintenance configurations to their cluster
// (of this input, or named by ID or address for the cross-input join),
// one MaintenanceFor per cluster. One whose parent names no cluster is
// reported, never dropped.
func (c *collector) finishMaintenance() {
	byCluster := map[string]*inventory.MaintenanceFor{}
	var order []string
	for _, m := range c.maints {
		id := ""
		if cl := c.find(m.to, m.key); cl != nil {
			id = cl.ID
		} else if c.ambiguous(m.to, "maintenance configuration "+m.addr, m.src) {
			continue
		} else if id = m.to.elsewhere(); id == "" {
			c.batch.Errors = append(c.batch.Errors, inventory.InputError{Input: m.src.File, Line: m.src.Line,
				Message: fmt.Sprintf("maintenance configuration %s: parent_id %s names no managed cluster of this input, so it is not joined; scan it together with the configuration that declares its cluster", m.addr, m.to.describe())})
			continue
		}
		mf := byCluster[id]
		if mf == nil {
			mf = &inventory.MaintenanceFor{ClusterID: id, Data: inventory.MaintenanceData{Source: m.src}}
			byCluster[id] = mf
			order = append(order, id)
		}
		if m.name != "" {
			mf.Data.Names = append(mf.Data.Names, m.name)
		}
	}
	for _, id := range order {
		c.batch.Maintenance = append(c.batch.Maintenance, *byCluster[id])
	}
}

// azapiProps is the properties object of a body (itself when it has none:
// the reads below are then Absent, as for an empty properties object).
func azapiProps(body *jsontree.Node, root string) (*jsontree.Node, string) {
	if m, ok := body.Lookup("properties"); ok && m.Value != nil && m.Value.Kind != jsontree.Null {
		return m.Value, root + "." + m.Key
	}
	return &jsontree.Node{Kind: jsontree.Object, Line: body.Line}, root + ".properties"
}

// azapiIdentity sets what an azapi cluster holds outside its body: its
// address, name, location, resource group (from parent_id), API version,
// and the identity block.
func azapiIdentity(cl *inventory.Cluster, h block, addr, typ, api string, src inventory.Source) {
	cl.TFAddress = addr
	cl.AzAPIType = typ
	cl.APIVersion = api
	cl.Source = src
	cl.ID = stringOf(h.attr("id")).Or("")
	if cl.ID == "" {
		cl.ID = "tf:" + addr
	} else {
		cl.Subscription, cl.ResourceGroup = arm.SplitID(cl.ID)
	}
	cl.Name = stringOf(h.attr("name")).Or(addr)
	if loc := stringOf(h.attr("location")).Or(""); loc != "" {
		cl.Location = loc
	}
	if parent := stringOf(h.attr("parent_id")).Or(""); parent != "" && cl.ResourceGroup == "" {
		cl.Subscription, cl.ResourceGroup = arm.SplitID(parent)
	}
	if cl.IdentityType.State == inventory.Absent {
		// azapi declares the identity in a block beside the body.
		if id := sub(h, "identity"); id.b != nil || id.why != "" {
			cl.IdentityType = stringOf(id.attr("type"))
		}
	}
}
