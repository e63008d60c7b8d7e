package rbacidx

import (
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// This file holds the RBAC index the RBAC, dashboard, identity and
// service-account-token controls share: roles by name (with the built-in
// ClusterRoles Kubernetes bootstraps, and aggregated ClusterRoles resolved
// from the ClusterRoles their selectors match), bindings by subject,
// ServiceAccounts by namespace and name, and the namespaces the scan holds.
// See docs/rbac-controls.md for the decisions.

// RoleDef is a Role or ClusterRole: one from the input, or a built-in one
// (Meta nil).
type RoleDef struct {
	Kind        string // Role or ClusterRole
	Namespace   string // effective namespace of a Role; "" for ClusterRoles
	Name        string
	Labels      map[string]string
	Rules       []rbacv1.PolicyRule
	Aggregation *rbacv1.AggregationRule
	Meta        *inventory.Meta // nil for built-in roles
	// Redefines is the built-in ClusterRole an input ClusterRole of the
	// same name redefines.
	Redefines *RoleDef
	// Protected: the redefinition carries
	// rbac.authorization.kubernetes.io/autoupdate: "false", so the API
	// server keeps it as written.
	Protected bool
	// Restores holds what the API server adds back into an unprotected
	// redefinition when it reconciles the bootstrap roles at start: the
	// built-in rules and aggregation selectors the input lacks (nil when
	// it lacks none). Its Meta is nil and its Name the role's.
	Restores *RoleDef
	// into is, on a Restores role, the redefinition it is restored into.
	into *RoleDef
}

// Ref names the role as results do: ClusterRole/name or Role/ns/name.
func (r *RoleDef) Ref() string {
	if r.Kind == "Role" {
		return "Role/" + r.Namespace + "/" + r.Name
	}
	return "ClusterRole/" + r.Name
}

// Builtin reports a built-in role (not one from the input).
func (r *RoleDef) Builtin() bool { return r.Meta == nil }

// RestoredInto is, for the built-in rules the API server restores into a
// redefinition, that redefinition; else nil.
func RestoredInto(r *RoleDef) *RoleDef { return r.into }

// KubernetesOwned: the role is Kubernetes' own (built in, or an input
// ClusterRole standing for a built-in one); its fix is to bind it
// differently, not to change it.
func (r *RoleDef) KubernetesOwned() bool { return r.Meta == nil || r.Redefines != nil }

// AutoUpdateAnnotation is the annotation with which a bootstrap role opts
// out of the API server's reconciliation ("false").
const AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"

// redefine links an input ClusterRole to the built-in role of its name, as
// the API server's reconciliation of bootstrap roles treats it (k8s.io/
// component-helpers/auth/rbac/reconciliation): unless the object says
// autoupdate "false", the server adds back every built-in rule and
// aggregation selector the object lacks, and the built-in labels it lacks
// (the object's own win). Extra rules of the object are kept. The result
// is a superset of what the cluster grants before and after its next
// start, so nothing it may grant is missed.
func redefine(d, b *RoleDef) {
	d.Redefines = b
	if d.Meta != nil && d.Meta.Annotations[AutoUpdateAnnotation] == "false" {
		d.Protected = true
		return
	}
	labels := make(map[string]string, len(b.Labels)+len(d.Labels))
	for k, v := range b.Labels {
		labels[k] = v
	}
	for k, v := range d.Labels {
		labels[k] = v
	}
	d.Labels = labels
	missing := &RoleDef{Kind: "ClusterRole", Name: b.Name, Labels: labels, Rules: MissingRules(d.Rules, b.Rules), into: d}
	if sels := MissingSelectors(d.Aggregation, b.Aggregation); len(sels) > 0 {
		missing.Aggregation = &rbacv1.AggregationRule{ClusterRoleSelectors: sels}
	}
	if len(missing.Rules) > 0 || missing.Aggregation != nil {
		d.Restores = missing
	}
}

// MissingRules are the rules of want that have is missing: a rule is
// covered when every verb, group and resource (or non-resource URL) it
// breaks down to is allowed by a rule of have, as the reconciliation's
// coverage check (validation.Covers) does.
func MissingRules(have, want []rbacv1.PolicyRule) []rbacv1.PolicyRule {
	var out []rbacv1.PolicyRule
	for _, w := range want {
		if !covers(have, &w) {
			out = append(out, w)
		}
	}
	return out
}

func covers(have []rbacv1.PolicyRule, w *rbacv1.PolicyRule) bool {
	for _, v := range w.Verbs {
		for _, u := range w.NonResourceURLs {
			if !slices.ContainsFunc(have, func(h rbacv1.PolicyRule) bool { return allowsVerb(&h, v) && allowsURL(&h, u) }) {
				return false
			}
		}
		for _, g := range w.APIGroups {
			for _, r := range w.Resources {
				ok := slices.ContainsFunc(have, func(h rbacv1.PolicyRule) bool {
					return allowsVerb(&h, v) && HasValue(h.APIGroups, g, rbacv1.APIGroupAll) &&
						(HasValue(h.Resources, r, rbacv1.ResourceAll) || resourceCoveredBySub(h.Resources, r)) &&
						namesCover(h.ResourceNames, w.ResourceNames)
				})
				if !ok {
					return false
				}
			}
		}
	}
	return true
}

// resourceCoveredBySub: "*/sub" covers "x/sub".
func resourceCoveredBySub(have []string, r string) bool {
	_, sub, ok := strings.Cut(r, "/")
	return ok && HasValue(have, "*/"+sub)
}

// namesCover: a rule without resourceNames covers any; one with names
// covers only rules restricted to some of them.
func namesCover(have, want []string) bool {
	if len(have) == 0 {
		return true
	}
	if len(want) == 0 {
		return false
	}
	for _, n := range want {
		if !HasValue(have, n) {
			return false
		}
	}
	return true
}

// allowsURL: a non-resource URL rule lists the URL, "*", or a prefix
// ending in "*".
func allowsURL(r *rbacv1.PolicyRule, url string) bool {
	for _, u := range r.NonResourceURLs {
		if u == url || u == "*" || strings.HasSuffix(u, "*") && strings.HasPrefix(url, strings.TrimSuffix(u, "*")) {
			return true
		}
	}
	return false
}

// MissingSelectors are the selectors of want that have lacks.
func MissingSelectors(have, want *rbacv1.AggregationRule) []metav1.LabelSelector {
	if want == nil {
		return nil
	}
	var out []metav1.LabelSelector
	for _, w := range want.ClusterRoleSelectors {
		if have == nil || !slices.ContainsFunc(have.ClusterRoleSelectors, func(h metav1.LabelSelector) bool { return reflect.DeepEqual(h, w) }) {
			out = append(out, w)
		}
	}
	return out
}

// Grant is one rule a role grants, with the role it is written in (for an
// aggregated ClusterRole, the ClusterRole it was aggregated from).
type Grant struct {
	Rule  *rbacv1.PolicyRule
	Index int // position in From.Rules
	From  *RoleDef
}

// SubjectRef identifies a subject: ServiceAccounts by namespace and name,
// users and groups by name (Namespace "").
type SubjectRef struct{ Kind, Namespace, Name string }

// boundSubject is one subject of one binding.
type boundSubject struct {
	Binding *inventory.RoleBinding
	Index   int // position in Binding.Subjects
}

// Index is built once per evaluation from the Kubernetes inventory (For)
// and shared by the controls, which run concurrently: it is not changed once
// built, except for the cache of resolved ClusterRoles, which a mutex
// guards.
type Index struct {
	k *inventory.Kube
	// clusterRoles by name: the input's, else the built-in ones.
	clusterRoles map[string]*RoleDef
	// clusterRoleList is every cluster role in clusterRoles, input order
	// first, then the built-in ones not overridden, for deterministic
	// aggregation.
	clusterRoleList []*RoleDef
	// roles by effective namespace + "/" + name.
	roles map[string]*RoleDef
	// InputRoles are the Roles and ClusterRoles of the input, in order.
	InputRoles []*RoleDef
	// resolved caches the effective rules of ClusterRoles (resolvedMu).
	resolvedMu sync.Mutex
	resolved   map[*RoleDef][]Grant
	// BySubject lists where each subject is bound.
	BySubject map[SubjectRef][]boundSubject
	// namespaces the scan holds: declared by a Namespace object or holding
	// a namespaced object (unset namespaces count as "default").
	namespaces map[string]bool
	// serviceAccounts by effective namespace + "/" + name.
	serviceAccounts map[string]*inventory.ServiceAccount
	// unsetNSAccounts are ServiceAccounts whose manifest names no
	// namespace, by name: they land in whatever namespace kubectl targets.
	unsetNSAccounts map[string]*inventory.ServiceAccount
	// workloads by effective namespace + "/" + Kind + "/" + name, for
	// owner-reference lookups.
	workloads map[string]bool
	// SaSubjects lists the ServiceAccount subjects of each name, in any
	// namespace.
	SaSubjects map[string][]SubjectRef
	// AccountsIn and workloadsIn list ServiceAccounts and workloads by
	// effective namespace.
	AccountsIn  map[string][]*inventory.ServiceAccount
	WorkloadsIn map[string][]*inventory.Workload
}

const labelBootstrapping = "kubernetes.io/bootstrapping"

// indexKey is the Memo key of a Kubernetes inventory's index.
type indexKey struct{ k *inventory.Kube }

// For returns the index of k, built once per evaluation (Context.Memo) and
// shared by every control that reads it.
func For(ctx *check.Context, k *inventory.Kube) *Index {
	return ctx.Memo(indexKey{k}, func() any { return build(k, kit.Namespaces(ctx, k)) }).(*Index)
}

// NewIndex indexes a Kubernetes inventory (For shares one per evaluation).
func NewIndex(k *inventory.Kube) *Index { return build(k, kit.KubeNamespaces(k)) }

func build(k *inventory.Kube, namespaces []*kit.NsEntry) *Index {
	x := &Index{
		k:               k,
		clusterRoles:    map[string]*RoleDef{},
		roles:           map[string]*RoleDef{},
		resolved:        map[*RoleDef][]Grant{},
		BySubject:       map[SubjectRef][]boundSubject{},
		namespaces:      map[string]bool{},
		serviceAccounts: map[string]*inventory.ServiceAccount{},
		unsetNSAccounts: map[string]*inventory.ServiceAccount{},
		workloads:       map[string]bool{},
		SaSubjects:      map[string][]SubjectRef{},
		AccountsIn:      map[string][]*inventory.ServiceAccount{},
		WorkloadsIn:     map[string][]*inventory.Workload{},
	}
	for _, r := range k.ClusterRoles {
		d := inputRole(r)
		x.InputRoles = append(x.InputRoles, d)
		if prev, dup := x.clusterRoles[d.Name]; dup {
			// kubectl apply in input order: the later object wins.
			x.replace(prev, d)
			continue
		}
		x.clusterRoles[d.Name] = d
		x.clusterRoleList = append(x.clusterRoleList, d)
	}
	for _, b := range builtinClusterRoles {
		if _, ok := x.clusterRoles[b.Name]; !ok {
			x.clusterRoles[b.Name] = b
			x.clusterRoleList = append(x.clusterRoleList, b)
		}
	}
	for _, d := range x.InputRoles {
		if b := builtinClusterRole[d.Name]; b != nil && d.Kind == "ClusterRole" {
			redefine(d, b)
		}
	}
	for _, r := range k.Roles {
		d := inputRole(r)
		x.InputRoles = append(x.InputRoles, d)
		x.roles[d.Namespace+"/"+d.Name] = d
	}
	for _, list := range [][]*inventory.RoleBinding{k.RoleBindings, k.ClusterRoleBindings} {
		for _, b := range list {
			for i, s := range b.Subjects {
				key := SubjectKey(b, s)
				if len(x.BySubject[key]) == 0 && key.Kind == rbacv1.ServiceAccountKind {
					x.SaSubjects[key.Name] = append(x.SaSubjects[key.Name], key)
				}
				x.BySubject[key] = append(x.BySubject[key], boundSubject{Binding: b, Index: i})
			}
		}
	}
	for _, sa := range k.ServiceAccounts {
		x.serviceAccounts[sa.EffectiveNamespace()+"/"+sa.Name] = sa
		x.AccountsIn[sa.EffectiveNamespace()] = append(x.AccountsIn[sa.EffectiveNamespace()], sa)
		if !sa.NamespaceSet() {
			x.unsetNSAccounts[sa.Name] = sa
		}
	}
	for _, w := range k.Workloads {
		x.workloads[w.EffectiveNamespace()+"/"+w.Kind+"/"+w.Name] = true
		x.WorkloadsIn[w.EffectiveNamespace()] = append(x.WorkloadsIn[w.EffectiveNamespace()], w)
	}
	for _, n := range namespaces {
		x.namespaces[n.Name] = true
	}
	return x
}

func (x *Index) replace(prev, d *RoleDef) {
	for i, c := range x.clusterRoleList {
		if c == prev {
			x.clusterRoleList[i] = d
		}
	}
	x.clusterRoles[d.Name] = d
}

func inputRole(r *inventory.Role) *RoleDef {
	d := &RoleDef{Kind: r.Kind, Name: r.Name, Labels: r.Labels, Rules: r.Rules, Aggregation: r.AggregationRule, Meta: &r.Meta}
	if d.Kind != "Role" {
		d.Kind = "ClusterRole"
	} else {
		d.Namespace = r.EffectiveNamespace()
	}
	return d
}

// SubjectKey resolves a subject: a ServiceAccount without namespace in a
// RoleBinding is the binding's namespace's (as the authorizer reads it).
func SubjectKey(b *inventory.RoleBinding, s rbacv1.Subject) SubjectRef {
	switch {
	case strings.EqualFold(s.Kind, rbacv1.ServiceAccountKind):
		ns := s.Namespace
		if ns == "" && isRoleBinding(b) {
			ns = b.EffectiveNamespace()
		}
		return SubjectRef{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: s.Name}
	case strings.EqualFold(s.Kind, rbacv1.UserKind):
		return SubjectRef{Kind: rbacv1.UserKind, Name: s.Name}
	case strings.EqualFold(s.Kind, rbacv1.GroupKind):
		return SubjectRef{Kind: rbacv1.GroupKind, Name: s.Name}
	}
	return SubjectRef{Kind: s.Kind, Namespace: s.Namespace, Name: s.Name}
}

func isRoleBinding(b *inventory.RoleBinding) bool { return b.Kind == "RoleBinding" }

// Describe renders a resolved subject: "ServiceAccount ns/name", "User x".
func (s SubjectRef) Describe() string {
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := s.Namespace
		if ns == "" {
			ns = "<no namespace>"
		}
		return "ServiceAccount " + ns + "/" + s.Name
	}
	return s.Kind + " " + s.Name
}

// RoleFor finds the role a binding refers to. ok is false when the role is
// neither in the input nor built in; why then says so.
func (x *Index) RoleFor(b *inventory.RoleBinding) (r *RoleDef, why string) {
	name := b.RoleRef.Name
	switch {
	case b.RoleRef.Kind == "ClusterRole":
		if r := x.clusterRoles[name]; r != nil {
			return r, ""
		}
		if kit.IsSystemRBACName(name) {
			return nil, "ClusterRole " + name + " is a Kubernetes or AKS system role that is not in this scan and whose rules aksguard does not embed"
		}
		return nil, "ClusterRole " + name + " is not in this scan (add its manifest, or scan the live cluster)"
	case b.RoleRef.Kind == "Role" && isRoleBinding(b):
		ns := b.EffectiveNamespace()
		if r := x.roles[ns+"/"+name]; r != nil {
			return r, ""
		}
		return nil, "Role " + ns + "/" + name + " is not in this scan (add its manifest, or scan the live cluster)"
	}
	return nil, "roleRef kind " + strconv.Quote(b.RoleRef.Kind) + " is not valid in a " + b.Kind + ": the API server rejects it"
}

// Grants returns the rules a role grants: its own, and for an aggregated
// ClusterRole the rules of every ClusterRole its selectors reach,
// transitively (the built-in admin aggregates edit, which aggregates view).
// The aggregation controller replaces an aggregated role's rules with the
// union of the selected roles' rules; a live object already holds that
// union, a manifest usually holds none, so adding its own rules is exact for
// the first and harmless for the second.
func (x *Index) Grants(r *RoleDef) []Grant {
	x.resolvedMu.Lock()
	g, ok := x.resolved[r]
	x.resolvedMu.Unlock()
	if ok {
		return g
	}
	var out []Grant
	seen := map[*RoleDef]bool{r: true}
	queue := []*RoleDef{r}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for i := range c.Rules {
			out = append(out, Grant{Rule: &c.Rules[i], Index: i, From: c})
		}
		if c.Restores != nil && !seen[c.Restores] {
			seen[c.Restores] = true
			queue = append(queue, c.Restores)
		}
		if c.Aggregation == nil || c.Kind != "ClusterRole" {
			continue
		}
		for _, sel := range c.Aggregation.ClusterRoleSelectors {
			s, err := metav1.LabelSelectorAsSelector(&sel)
			if err != nil {
				continue // the API server rejects such a selector
			}
			for _, o := range x.clusterRoleList {
				if !seen[o] && s.Matches(labels.Set(o.Labels)) {
					seen[o] = true
					queue = append(queue, o)
				}
			}
		}
	}
	// Two controls may resolve the same role at once: both compute the
	// same grants, the first stored is kept.
	x.resolvedMu.Lock()
	defer x.resolvedMu.Unlock()
	if g, ok := x.resolved[r]; ok {
		return g
	}
	x.resolved[r] = out
	return out
}

// AggregatedFrom lists the ClusterRoles (other than r) whose rules r
// aggregates, sorted, for evidence.
func AggregatedFrom(r *RoleDef, gs []Grant) []string {
	set := map[string]bool{}
	for _, g := range gs {
		if g.From != r && g.From.Name != r.Name {
			set[g.From.Name] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// AccountExists says whether a ServiceAccount exists in the scan. state is
// "yes", "implicit" (every namespace's default), "unset" (an account of
// that name whose manifest names no namespace), "no" (the namespace is in
// the scan, the account is not) or "unknown" (the namespace is not in the
// scan).
func (x *Index) AccountExists(ns, name string) (string, *inventory.ServiceAccount) {
	if sa := x.serviceAccounts[ns+"/"+name]; sa != nil {
		return "yes", sa
	}
	if name == "default" {
		return "implicit", nil
	}
	if sa := x.unsetNSAccounts[name]; sa != nil {
		return "unset", sa
	}
	if !x.namespaces[ns] {
		return "unknown", nil
	}
	return "no", nil
}

// OwnedByInputWorkload says whether a workload is controlled by another
// workload of the input (a Pod of a ReplicaSet, a ReplicaSet of a
// Deployment, a Job of a CronJob): it is judged through its owner.
func (x *Index) OwnedByInputWorkload(w *inventory.Workload) bool {
	c := w.Controller()
	return c != nil && x.workloads[w.EffectiveNamespace()+"/"+c.Kind+"/"+c.Name]
}

// --- rule matching (as the Kubernetes RBAC authorizer matches) ---

// HasValue reports whether list holds one of vals.
func HasValue(list []string, vals ...string) bool {
	for _, l := range list {
		for _, v := range vals {
			if l == v {
				return true
			}
		}
	}
	return false
}

// allowsVerb: the rule lists the verb or "*".
func allowsVerb(r *rbacv1.PolicyRule, verb string) bool {
	return HasValue(r.Verbs, verb, rbacv1.VerbAll)
}

// allowsResource: the rule covers group and resource ("pods/exec" for a
// subresource): apiGroups lists the group or "*", resources lists the
// resource, "*", or "*/subresource".
func allowsResource(r *rbacv1.PolicyRule, group, resource string) bool {
	if !HasValue(r.APIGroups, group, rbacv1.APIGroupAll) {
		return false
	}
	sub := ""
	if i := strings.IndexByte(resource, '/'); i >= 0 {
		sub = resource[i+1:]
	}
	for _, res := range r.Resources {
		if res == rbacv1.ResourceAll || res == resource || (sub != "" && res == "*/"+sub) {
			return true
		}
	}
	return false
}

// Allows reports whether a rule grants verb on group/resource.
func Allows(r *rbacv1.PolicyRule, verb, group, resource string) bool {
	return allowsVerb(r, verb) && allowsResource(r, group, resource)
}

// IsFullAdmin: "*" verbs on "*" resources of every group ("*") or of the
// core group ("").
func IsFullAdmin(r *rbacv1.PolicyRule) bool {
	return HasValue(r.Verbs, rbacv1.VerbAll) && HasValue(r.Resources, rbacv1.ResourceAll) && HasValue(r.APIGroups, rbacv1.APIGroupAll, "")
}

// RuleString renders a rule compactly for evidence.
func RuleString(r *rbacv1.PolicyRule) string {
	var parts []string
	if len(r.APIGroups) > 0 || len(r.Resources) > 0 {
		groups := make([]string, len(r.APIGroups))
		for i, g := range r.APIGroups {
			if g == "" {
				g = `""`
			}
			groups[i] = g
		}
		parts = append(parts, "apiGroups "+kit.Render(groups), "resources "+kit.Render(r.Resources))
	}
	if len(r.ResourceNames) > 0 {
		parts = append(parts, "resourceNames "+kit.Render(r.ResourceNames))
	}
	if len(r.NonResourceURLs) > 0 {
		parts = append(parts, "nonResourceURLs "+kit.Render(r.NonResourceURLs))
	}
	parts = append(parts, "verbs "+kit.Render(r.Verbs))
	return strings.Join(parts, " ")
}

// --- the built-in ClusterRoles (Kubernetes bootstrap policy) ---

// builtinClusterRole indexes builtinClusterRoles by name.
var builtinClusterRole = func() map[string]*RoleDef {
	m := make(map[string]*RoleDef, len(builtinClusterRoles))
	for _, b := range builtinClusterRoles {
		m[b.Name] = b
	}
	return m
}()

// The verbs that read (VerbsRead), write, or both.
var (
	VerbsRead      = []string{"get", "list", "watch"}
	verbsWrite     = []string{"create", "update", "patch", "delete", "deletecollection"}
	verbsReadWrite = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
)

func newRule(verbs []string, group string, resources ...string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{Verbs: verbs, APIGroups: []string{group}, Resources: resources}
}

const (
	aggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin"
	aggregateToEdit  = "rbac.authorization.k8s.io/aggregate-to-edit"
	aggregateToView  = "rbac.authorization.k8s.io/aggregate-to-view"
)

func aggregateBy(label string) *rbacv1.AggregationRule {
	return &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{label: "true"}}}}
}

func bootstrapLabels(extra ...string) map[string]string {
	m := map[string]string{labelBootstrapping: "rbac-defaults"}
	for _, l := range extra {
		m[l] = "true"
	}
	return m
}

// builtinClusterRoles are the ClusterRoles every cluster has, as the
// Kubernetes bootstrap policy (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/policy.go) defines them: cluster-admin, the aggregated
// admin/edit/view and the system:aggregate-to-* roles that fill them, and
// the system: roles charts commonly bind. Rules are those of Kubernetes
// 1.30+; ClusterRoles of the input with the same name replace them.
var builtinClusterRoles = []*RoleDef{
	{Kind: "ClusterRole", Name: "cluster-admin", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}},
		{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}},
	}},
	{Kind: "ClusterRole", Name: "admin", Labels: bootstrapLabels(), Aggregation: aggregateBy(aggregateToAdmin)},
	{Kind: "ClusterRole", Name: "edit", Labels: bootstrapLabels(aggregateToAdmin), Aggregation: aggregateBy(aggregateToEdit)},
	{Kind: "ClusterRole", Name: "view", Labels: bootstrapLabels(aggregateToEdit), Aggregation: aggregateBy(aggregateToView)},
	{Kind: "ClusterRole", Name: "system:aggregate-to-admin", Labels: bootstrapLabels(aggregateToAdmin), Rules: []rbacv1.PolicyRule{
		newRule([]string{"create"}, "authorization.k8s.io", "localsubjectaccessreviews"),
		newRule(verbsReadWrite, "rbac.authorization.k8s.io", "roles", "rolebindings"),
	}},
	{Kind: "ClusterRole", Name: "system:aggregate-to-edit", Labels: bootstrapLabels(aggregateToEdit), Rules: []rbacv1.PolicyRule{
		newRule(VerbsRead, "", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"),
		newRule([]string{"impersonate"}, "", "serviceaccounts"),
		newRule(verbsWrite, "", "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
		newRule([]string{"create"}, "", "pods/eviction"),
		newRule(verbsWrite, "", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
			"services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"),
		newRule([]string{"create"}, "", "serviceaccounts/token"),
		newRule(verbsWrite, "apps", "statefulsets", "statefulsets/scale", "daemonsets",
			"deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"),
		newRule(verbsWrite, "autoscaling", "horizontalpodautoscalers"),
		newRule(verbsWrite, "batch", "jobs", "cronjobs"),
		newRule(verbsWrite, "extensions", "daemonsets", "deployments", "deployments/scale", "deployments/rollback",
			"ingresses", "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"),
		newRule(verbsWrite, "policy", "poddisruptionbudgets"),
		newRule(verbsWrite, "networking.k8s.io", "networkpolicies", "ingresses"),
		newRule(verbsReadWrite, "coordination.k8s.io", "leases"),
	}},
	{Kind: "ClusterRole", Name: "system:aggregate-to-view", Labels: bootstrapLabels(aggregateToView), Rules: []rbacv1.PolicyRule{
		newRule(VerbsRead, "", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
			"services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"),
		newRule(VerbsRead, "", "limitranges", "resourcequotas", "bindings", "events", "pods/status",
			"resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"),
		newRule(VerbsRead, "", "namespaces"),
		newRule(VerbsRead, "discovery.k8s.io", "endpointslices"),
		newRule(VerbsRead, "apps", "controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale",
			"daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale",
			"replicasets", "replicasets/status", "replicasets/scale"),
		newRule(VerbsRead, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
		newRule(VerbsRead, "batch", "jobs", "cronjobs", "cronjobs/status", "jobs/status"),
		newRule(VerbsRead, "extensions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
			"deployments/status", "ingresses", "ingresses/status", "replicasets", "replicasets/scale",
			"replicasets/status", "replicationcontrollers/scale", "networkpolicies"),
		newRule(VerbsRead, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
		newRule(VerbsRead, "networking.k8s.io", "networkpolicies", "ingresses", "ingresses/status"),
	}},
	{Kind: "ClusterRole", Name: "system:auth-delegator", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule([]string{"create"}, "authentication.k8s.io", "tokenreviews"),
		newRule([]string{"create"}, "authorization.k8s.io", "subjectaccessreviews"),
	}},
	{Kind: "ClusterRole", Name: "system:basic-user", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule([]string{"create"}, "authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
		newRule([]string{"create"}, "authentication.k8s.io", "selfsubjectreviews"),
	}},
	{Kind: "ClusterRole", Name: "system:discovery", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"}},
	}},
	{Kind: "ClusterRole", Name: "system:public-info-viewer", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/livez", "/readyz", "/healthz", "/version", "/version/"}},
	}},
	{Kind: "ClusterRole", Name: "system:monitoring", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*"}},
	}},
	{Kind: "ClusterRole", Name: "system:heapster", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule(VerbsRead, "", "events", "pods", "nodes", "namespaces"),
		newRule(VerbsRead, "extensions", "deployments"),
	}},
	{Kind: "ClusterRole", Name: "system:kube-aggregator", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule(VerbsRead, "", "services", "endpoints"),
	}},
	{Kind: "ClusterRole", Name: "system:kubelet-api-admin", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule([]string{"get", "list", "watch"}, "", "nodes"),
		newRule([]string{"proxy"}, "", "nodes"),
		newRule([]string{"*"}, "", "nodes/proxy", "nodes/metrics", "nodes/stats", "nodes/log"),
	}},
	{Kind: "ClusterRole", Name: "system:node-bootstrapper", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule([]string{"create", "get", "list", "watch"}, "certificates.k8s.io", "certificatesigningrequests"),
	}},
	{Kind: "ClusterRole", Name: "system:node-problem-detector", Labels: bootstrapLabels(), Rules: []rbacv1.PolicyRule{
		newRule([]string{"get"}, "", "nodes"),
		newRule([]string{"patch"}, "", "nodes/status"),
		newRule([]string{"create", "update", "patch"}, "", "events"),
		newRule([]string{"create", "update", "patch"}, "events.k8s.io", "events"),
	}},
}
