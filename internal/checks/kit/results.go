package kit

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Fix is a control's remediation in each vocabulary. Placeholders: {rg},
// {name}, {id}, {pool}, {tf} (the cluster's Terraform address).
//
// TF and ARM are either a setting ("local_account_disabled = true",
// "properties.disableLocalAccounts: true"), rendered as "In <resource> set
// …", or an instruction that starts with its own verb ("remove the … block")
// or with an article for a separate resource to add ("an
// azurerm_monitor_diagnostic_setting …", "a Microsoft.Insights/… resource"),
// rendered without the "set".
type Fix struct {
	AZ  string // az CLI command
	TF  string // Terraform argument to set ("local_account_disabled = true")
	ARM string // ARM property to set in a template ("properties.disableLocalAccounts: true")
	// TFPool names an argument on the node pool instead of the cluster.
	TFPool bool
}

// instructionVerbs start a TF or ARM fix text that is an instruction, not a
// setting.
var instructionVerbs = []string{"remove ", "add ", "delete ", "use ", "create ", "deploy ", "replace ", "run "}

// action turns a TF or ARM fix text into what to do: "set <setting>",
// "add <resource>" for a text naming a resource to add ("a …", "an …"), or
// the instruction itself when it starts with its own verb ("remove …").
func action(s string) string {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "a ") || strings.HasPrefix(l, "an ") {
		return "add " + s
	}
	for _, v := range instructionVerbs {
		if strings.HasPrefix(l, v) {
			return s
		}
	}
	return "set " + s
}

// Render fills the fix for a cluster (and pool) in the vocabulary of the
// cluster's input format.
func (f Fix) Render(c *inventory.Cluster, p *inventory.AgentPool) string {
	tfPool := "<node-pool>"
	if p != nil && p.TFAddress != "" {
		tfPool = p.TFAddress
	}
	tf := c.TFAddress
	if tf == "" {
		tf = "azurerm_kubernetes_cluster." + OrPlaceholder(c.Name, "<cluster>")
	}
	r := strings.NewReplacer(
		"{rg}", OrPlaceholder(c.ResourceGroup, "<resource-group>"),
		"{name}", OrPlaceholder(c.Name, "<cluster>"),
		"{id}", armID(c.ID),
		"{pool}", poolName(p),
		"{tf}", tf,
		"{tfpool}", tfPool,
	)
	switch {
	case c.IsAzAPI():
		// An azapi_resource body is an ARM body: the template property,
		// inside body, never an azurerm argument.
		if f.ARM != "" {
			text := action(r.Replace(f.ARM))
			if strings.HasPrefix(text, "add ") {
				return fmt.Sprintf("Add %s (an azapi_resource of that type), then terraform apply.", strings.TrimPrefix(text, "add "))
			}
			return fmt.Sprintf("In %s %s, then terraform apply.", c.TFAddress, inAzAPIBody(text))
		}
		if f.AZ != "" {
			return "On the deployed cluster: " + r.Replace(f.AZ)
		}
		return "In " + c.TFAddress + " " + action(r.Replace(f.TF)) + " (the azurerm argument; set the matching ARM property in body)."
	case c.Format.IsTerraform() && f.TF != "":
		text := action(r.Replace(f.TF))
		if strings.HasPrefix(text, "add ") {
			// A separate resource: not an argument of the cluster.
			return fmt.Sprintf("Add %s, then terraform apply.", strings.TrimPrefix(text, "add "))
		}
		where := c.TFAddress
		if f.TFPool && p != nil && p.TFAddress != "" {
			where = p.TFAddress
		}
		if where == "" {
			where = "azurerm_kubernetes_cluster"
		}
		s := fmt.Sprintf("In %s %s, then terraform apply.", where, text)
		if c.TFLegacy != "" && !strings.Contains(f.TF, "azurerm 2.x") {
			s += " Arguments are named as in azurerm 3.x and later; this configuration uses 2.x syntax (" + c.TFLegacy + ")."
		}
		return s
	case c.Format == inventory.FormatBicep && f.ARM != "":
		return renderBicep(r.Replace(f.ARM), c, p)
	case c.Format == inventory.FormatARMTemplate && f.ARM != "":
		s := "In the template " + action(r.Replace(f.ARM)) + "."
		if f.AZ != "" {
			s += " On the deployed cluster: " + r.Replace(f.AZ)
		}
		return s
	case f.AZ != "":
		return r.Replace(f.AZ)
	case f.TF != "":
		return "Terraform: " + action(r.Replace(f.TF))
	}
	return r.Replace(f.ARM)
}

// poolProfilesPrefix starts the ARM fix text of a pool-level setting.
const poolProfilesPrefix = "properties.agentPoolProfiles[]."

// renderBicep renders a fix for a cluster read from Bicep, from the
// control's ARM property text (placeholders filled): the property to set
// in the declaration the cluster (or pool) came from. A pool-level setting
// is set on the pool's own agentPools resource when it has one, else in
// the pool's entry of the cluster's properties.agentPoolProfiles.
func renderBicep(arm string, c *inventory.Cluster, p *inventory.AgentPool) string {
	file := OrPlaceholder(c.BicepFile, OrPlaceholder(c.Source.File, "the Bicep file"))
	where := OrPlaceholder(c.BicepAddress, "the Microsoft.ContainerService/managedClusters resource")
	text := action(arm)
	switch {
	case strings.HasPrefix(text, "run "):
		// Not a property: something to do on the deployed cluster.
		return "R" + text[1:] + "."
	case strings.HasPrefix(text, "add "):
		return fmt.Sprintf("In %s, %s, then redeploy.", file, text)
	case p != nil && strings.HasPrefix(arm, poolProfilesPrefix):
		setting := strings.TrimPrefix(arm, poolProfilesPrefix)
		if p.BicepAddress != "" && p.BicepAddress != c.BicepAddress {
			return fmt.Sprintf("In %s, %s: set properties.%s, then redeploy.", file, p.BicepAddress, setting)
		}
		return fmt.Sprintf("In %s, %s: set %s in the properties.agentPoolProfiles entry named %q, then redeploy.", file, where, setting, poolName(p))
	}
	return fmt.Sprintf("In %s, %s: %s, then redeploy.", file, where, text)
}

// inAzAPIBody moves the ARM property paths of a fix text
// ("properties.disableLocalAccounts: true") into an azapi_resource's body
// ("body.properties.disableLocalAccounts: true").
func inAzAPIBody(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if strings.HasPrefix(text[i:], "properties.") && (i == 0 || text[i-1] == ' ' || text[i-1] == '(' || text[i-1] == '"') {
			b.WriteString("body.")
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// armID is the cluster's resource ID for an az command, or a placeholder
// when the input has none (a template or Terraform cluster carries a
// synthetic ID that az would not accept).
func armID(id string) string { return ArmIDOr(id, "<cluster-resource-id>") }

// ArmIDOr is id when it is an ARM resource ID, else the placeholder ph.
func ArmIDOr(id, ph string) string {
	if strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return id
	}
	return ph
}

// OrPlaceholder is v, or ph when v is empty.
func OrPlaceholder(v, ph string) string {
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

// Out collects the results of one control on one cluster.
type Out struct {
	Cluster *inventory.Cluster
	Fix     Fix
	Results []check.Result
}

// ClusterResource names an AKS cluster in results.
func ClusterResource(c *inventory.Cluster) check.Resource { return check.ClusterResource(c) }

func poolResource(c *inventory.Cluster, p *inventory.AgentPool) check.Resource {
	r := ClusterResource(c)
	r.Kind = "AgentPool"
	r.Name = r.Name + "/" + p.Name
	if c.ID != "" {
		r.ID = c.ID + "/agentPools/" + p.Name
	}
	return r
}

func (o *Out) add(res check.Resource, src inventory.Source, st check.Status, msg string, p *inventory.AgentPool, ev []check.Evidence, at inventory.Source) {
	calls := o.Cluster.ModuleCalls
	if p != nil {
		calls = p.ModuleCalls
	}
	// A resource declared in a Terraform module: the evidence also points
	// at the module calls that lead to it.
	for _, c := range calls {
		ev = append(ev, check.Evidence{Path: c.Address, Value: fmt.Sprintf("module call at %s:%d", c.Source.File, c.Source.Line)})
	}
	r := check.Result{Status: st, Resource: res, Message: msg, Evidence: ev}
	r.Source = check.Location{File: src.File, Line: src.Line}
	if at.Line > 0 {
		r.Source.Line = at.Line
		if at.File != "" {
			r.Source.File = at.File
		}
	}
	if st == check.Fail {
		r.Remediation = o.Fix.Render(o.Cluster, p)
	}
	o.Results = append(o.Results, r)
}

// emit adds a cluster-level result; the source line is the first evidence
// line found, else the cluster's.
func (o *Out) emit(st check.Status, msg string, ev ...Evidence) {
	st, msg, ev = o.onDefault(st, msg, ev, nil)
	evs, at := flattenAt(ev)
	o.add(ClusterResource(o.Cluster), o.Cluster.Source, st, msg, nil, evs, at)
}

// EmitPool adds a result about one agent pool.
func (o *Out) EmitPool(p *inventory.AgentPool, st check.Status, msg string, ev ...Evidence) {
	st, msg, ev = o.onDefault(st, msg, ev, p)
	evs, at := flattenAt(ev)
	src := p.Source
	if src.File == "" {
		src = o.Cluster.Source
	}
	o.add(poolResource(o.Cluster, p), src, st, msg, p, evs, at)
}

// onDefault turns a pass or a not-applicable that rests on a default (an
// absent field among its evidence) into not-assessed when the resource
// sets arguments the source could not read (Cluster.Unrecognised): one of
// them may be what decides the setting. A cluster result weighs the
// cluster's and every pool's arguments, a pool result the cluster's and
// that pool's. Fails stand: a fail on a default is never a false pass.
func (o *Out) onDefault(st check.Status, msg string, ev []Evidence, p *inventory.AgentPool) (check.Status, string, []Evidence) {
	if st != check.Pass && st != check.NotApplicable {
		return st, msg, ev
	}
	byDefault := false
	for _, e := range ev {
		byDefault = byDefault || e.absent
	}
	if !byDefault {
		return st, msg, ev
	}
	unread := append([]string(nil), o.Cluster.Unrecognised...)
	if p != nil {
		unread = append(unread, p.Unrecognised...)
	} else {
		for _, q := range o.Cluster.AgentPools {
			unread = append(unread, q.Unrecognised...)
		}
	}
	if len(unread) == 0 {
		return st, msg, ev
	}
	verdict := "pass"
	if st == check.NotApplicable {
		verdict = "not applicable"
	}
	msg = "not judged on a default: the input sets what aksguard does not read (" + strings.Join(unread, ", ") +
		"), which may change it; on the default the result would be " + verdict + ": " + msg
	ev = append(ev, Fact("unrecognised", strings.Join(unread, ", ")))
	return check.NotAssessed, msg, ev
}

// Pass adds a pass result on the cluster.
func (o *Out) Pass(msg string, ev ...Evidence) { o.emit(check.Pass, msg, ev...) }

// Fail adds a fail result on the cluster, with the remediation.
func (o *Out) Fail(msg string, ev ...Evidence) { o.emit(check.Fail, msg, ev...) }

// NA adds a not-applicable result on the cluster.
func (o *Out) NA(msg string, ev ...Evidence) { o.emit(check.NotApplicable, msg, ev...) }

// Unknown adds a not-assessed result on the cluster.
func (o *Out) Unknown(msg string, ev ...Evidence) { o.emit(check.NotAssessed, msg, ev...) }

// Evidence is one observation with the line it was read at.
type Evidence struct {
	check.Evidence
	Line int
	// File is set when the evidence comes from another input than the
	// cluster's (a diagnostic-settings or maintenance listing).
	File string
	// absent is set for a field the input does not set: a result that
	// cites it rests on the default.
	absent bool
}

// Flatten returns the evidence and the first line among it.
func Flatten(ev []Evidence) ([]check.Evidence, int) {
	out, loc := flattenAt(ev)
	return out, loc.Line
}

// flattenAt returns the evidence and the place of the first evidence with a
// line (its file is "" when it is the cluster's own input).
func flattenAt(ev []Evidence) ([]check.Evidence, inventory.Source) {
	out := make([]check.Evidence, 0, len(ev))
	var loc inventory.Source
	for _, e := range ev {
		out = append(out, e.Evidence)
		if loc.Line == 0 && e.Line > 0 {
			loc = inventory.Source{File: e.File, Line: e.Line}
		}
	}
	return out, loc
}

// Ev renders a field as evidence; absent fields say so and name the default.
func Ev[T any](f inventory.Field[T], absentMeans string) Evidence {
	var v string
	switch f.State {
	case inventory.Known:
		v = Render(f.Val)
	case inventory.Unknown:
		v = "unknown (" + f.Why + ")"
	default:
		v = "not set"
		if absentMeans != "" {
			v += " (" + absentMeans + ")"
		}
	}
	return Evidence{Evidence: check.Evidence{Path: f.Path, Value: v}, Line: f.Line, absent: f.State == inventory.Absent}
}

// Fact is evidence that is not a single field (a derived observation).
func Fact(path, value string) Evidence {
	return Evidence{Evidence: check.Evidence{Path: path, Value: value}}
}

// FactAt is a fact read at a place in another input.
func FactAt(path, value string, src inventory.Source) Evidence {
	return Evidence{Evidence: check.Evidence{Path: path, Value: value}, Line: src.Line, File: src.File}
}

// Render writes a value for evidence.
func Render(v any) string {
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

// Unresolved reports a field whose value the input does not let us know.
func (o *Out) Unresolved(what string, ev ...Evidence) {
	o.Unknown(what+" cannot be determined from this input", ev...)
}

// PerCluster builds a control's Run from a per-cluster evaluation. Controls
// with no cluster in the inventory yield nothing: there is nothing to judge.
func PerCluster(f Fix, eval func(ctx *check.Context, c *inventory.Cluster, o *Out)) func(*check.Context) []check.Result {
	return func(ctx *check.Context) []check.Result {
		var all []check.Result
		for _, c := range ctx.Inv.Clusters {
			o := &Out{Cluster: c, Fix: f}
			eval(ctx, c, o)
			all = append(all, o.Results...)
		}
		return all
	}
}

// EqFold compares enum values case-insensitively (sources differ in case).
func EqFold(a string, bs ...string) bool {
	for _, b := range bs {
		if strings.EqualFold(a, b) {
			return true
		}
	}
	return false
}

// Pools returns the agent pools a per-pool cluster control judges. Every
// control that iterates pools goes through it: when the input could not
// enumerate the pools, or lists none (agentPoolProfiles: [], a live read
// that could not list them), it reports not-assessed naming what is missing
// and returns false, so that "every pool …" never passes vacuously.
func (o *Out) Pools() ([]*inventory.AgentPool, bool) {
	c := o.Cluster
	if !c.PoolsKnown {
		o.Unknown("the node pools cannot be enumerated from this input: "+c.PoolsUnknown, Fact(PoolsPath(c), "unknown"))
		return nil, false
	}
	if len(c.AgentPools) == 0 {
		o.Unknown(noPoolsReason(c), Fact(PoolsPath(c), "no pools"))
		return nil, false
	}
	return c.AgentPools, true
}

// noPoolsReason says why a cluster without pools cannot be judged pool by
// pool, and what to scan.
func noPoolsReason(c *inventory.Cluster) string {
	if why := c.UnreadReason(inventory.CompanionAgentPools); why != "" {
		return "the input lists no node pools and the agent pools were not read: " + why
	}
	if c.IsAzAPI() {
		return "the input lists no node pools (" + PoolsPath(c) + " is empty or missing, and no azapi_resource of type managedClusters/agentPools names this cluster as its parent_id)"
	}
	if c.Format.IsTerraform() {
		return "the input lists no node pools (no default_node_pool and no azurerm_kubernetes_cluster_node_pool of this cluster)"
	}
	return fmt.Sprintf("the input lists no node pools (%s is empty or missing; every AKS cluster has at least one): scan `az aks show` output that includes them, or add `az aks nodepool list -g %s --cluster-name %s -o json`",
		PoolsPath(c), OrPlaceholder(c.ResourceGroup, "<rg>"), OrPlaceholder(c.Name, "<cluster>"))
}

// PoolsPath names where the input lists its pools, in its vocabulary.
func PoolsPath(c *inventory.Cluster) string {
	switch {
	case c.IsAzAPI():
		return c.TFAddress + ".body.properties.agentPoolProfiles"
	case c.Format.IsTerraform():
		return OrPlaceholder(c.TFAddress, "azurerm_kubernetes_cluster") + ".default_node_pool"
	case c.Format == inventory.FormatAzCLI:
		return "agentPoolProfiles"
	}
	return "properties.agentPoolProfiles"
}

// BoolRule judges a boolean setting that must equal want. def is the value
// Azure (or the Terraform provider) uses when the input leaves it unset.
type BoolRule struct {
	Field   inventory.Field[bool]
	Want    bool
	Def     bool
	DefNote string // how the default is described in evidence
	PassMsg string
	FailMsg string
	What    string // for not-assessed messages
}

// JudgeBool judges a boolean setting by its rule.
func (o *Out) JudgeBool(r BoolRule, extra ...Evidence) {
	e := append([]Evidence{Ev(r.Field, r.DefNote)}, extra...)
	switch r.Field.State {
	case inventory.Unknown:
		o.Unresolved(r.What, e...)
	case inventory.Known:
		if r.Field.Val == r.Want {
			o.Pass(r.PassMsg, e...)
		} else {
			o.Fail(r.FailMsg, e...)
		}
	default:
		if r.Def == r.Want {
			o.Pass(r.PassMsg+" (by default)", e...)
		} else {
			o.Fail(r.FailMsg, e...)
		}
	}
}

// k8sMissing is the reason a control with a Kubernetes half gives when the
// scan holds no Kubernetes input.
const k8sMissing = "no Kubernetes input in this scan (add manifests, or scan the live cluster)"
