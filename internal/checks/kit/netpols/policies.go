package netpols

import (
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// Ingress isolation across the policy engines AKS ships: Kubernetes
// NetworkPolicy, Cilium (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy)
// and Calico (NetworkPolicy, GlobalNetworkPolicy). Policies add up: a pod
// is isolated when a policy restricting ingress selects it, and then it
// accepts the union of what every policy selecting it allows. That union is
// "open" when one rule admits any source:
//   - Kubernetes: an ingress rule without from (whatever its ports), a peer
//     namespaceSelector {} without a podSelector (or with podSelector {}),
//     an ipBlock of prefix length 0 (0.0.0.0/0, ::/0);
//   - Cilium: fromEntities all, world or cluster, fromCIDR/fromCIDRSet of
//     prefix length 0, fromEndpoints {} in a clusterwide policy, a rule with
//     ports but no from (it admits every source on those ports);
//   - Calico: an Allow or Pass rule whose source is not narrowed by a
//     selector, a namespaceSelector other than all(), nets other than /0,
//     serviceAccounts or services.
// Pods of the same namespace (podSelector {} as a peer) are not "anywhere":
// the namespace stays isolated from the others. Deny rules are not
// subtracted (a pod they close may still be reported open, never the
// reverse). A field not understood makes the answer unknown.

// IngressPolicy is one policy (one rule of a Cilium policy with specs),
// reduced to what isolation needs.
type IngressPolicy struct {
	M *inventory.Meta
	// Selects tells whether the policy applies to a workload's pods.
	Selects func(w *inventory.Workload, n *kit.NsEntry) kit.Cover
	// Isolates: covYes when selected pods then accept only what some
	// policy allows; covUnknown when that cannot be told.
	Isolates kit.Cover
	// Open: covYes when a rule admits any source; covUnknown when a rule
	// cannot be read.
	Open kit.Cover
	// Allows: covYes when some rule admits some traffic (AKS-DSH-003 wants
	// none).
	Allows kit.Cover
	// Desc describes the policy; why says what makes it open, unknown or
	// not isolating.
	Desc, why string
	// anyNamespace: Selects may select pods outside the policy's own
	// namespace (a Cilium clusterwide or Calico global policy). Every
	// other policy's Selects says CovNo for a workload of another
	// namespace (Index relies on it).
	anyNamespace bool
}

// Ref names the policy's object.
func (p *IngressPolicy) Ref() string { return p.M.Ref() }

// policiesKey is the Memo key of a Kubernetes inventory's policies.
type policiesKey struct{ k *inventory.Kube }

// For is IngressPolicies(k) computed once per evaluation (Context.Memo) and
// shared by the controls that read it (their Selects functions only read):
// neither the list nor the policies may be modified.
func For(ctx *check.Context, k *inventory.Kube) []*IngressPolicy {
	return ctx.Memo(policiesKey{k}, func() any { return IngressPolicies(k) }).([]*IngressPolicy)
}

// IngressPolicies normalises every policy of every engine in the input.
func IngressPolicies(k *inventory.Kube) []*IngressPolicy {
	var out []*IngressPolicy
	for _, p := range k.NetworkPolicies {
		out = append(out, k8sIngressPolicy(p))
	}
	for _, p := range k.CiliumPolicies {
		if len(p.Rules) == 0 {
			out = append(out, &IngressPolicy{M: &p.Meta, Selects: selectsNone, Desc: "no spec", why: "no spec or specs: selects nothing"})
		}
		for i, r := range p.Rules {
			out = append(out, ciliumIngressPolicy(p, i, r))
		}
	}
	for _, p := range k.CalicoPolicies {
		rules := p.Rules
		if len(rules) == 0 {
			rules = []map[string]any{{}} // no spec: selector all(), types [Ingress]
		}
		for _, r := range rules {
			out = append(out, calicoIngressPolicy(p, r))
		}
	}
	return out
}

func selectsNone(*inventory.Workload, *kit.NsEntry) kit.Cover { return kit.CovNo }

// selectsUnknown is Selects for an engine policy whose selector cannot be
// read: whether it selects a pod cannot be told, except that a namespaced
// policy selects no pod of another namespace.
func selectsUnknown(p *inventory.EnginePolicy) func(*inventory.Workload, *kit.NsEntry) kit.Cover {
	ns, cw := p.EffectiveNamespace(), p.ClusterWide
	return func(w *inventory.Workload, _ *kit.NsEntry) kit.Cover {
		if !cw && w.EffectiveNamespace() != ns {
			return kit.CovNo
		}
		return kit.CovUnknown
	}
}

func k8sIngressPolicy(p *inventory.NetworkPolicy) *IngressPolicy {
	ing, _ := netpolTypes(p)
	ip := &IngressPolicy{M: &p.Meta, Desc: "podSelector " + kit.SelectorString(&p.Spec.PodSelector) + ", policyTypes " + policyTypesString(p)}
	ns := p.EffectiveNamespace()
	ps := podSelectorOf(p)
	ip.Selects = func(w *inventory.Workload, _ *kit.NsEntry) kit.Cover {
		if ps == nil || w.EffectiveNamespace() != ns {
			return kit.CovNo
		}
		return boolCover(ps.Matches(labels.Set(w.PodLabels)), true)
	}
	if ps == nil {
		ip.why = "its podSelector does not parse: the API server rejects it"
		return ip
	}
	if !ing {
		ip.why = "policyTypes " + policyTypesString(p) + ": does not restrict ingress"
		return ip
	}
	ip.Isolates = kit.CovYes
	for i, r := range p.Spec.Ingress {
		ip.Allows = kit.CovYes
		if why := k8sPeersOpen(r.From); why != "" {
			ip.Open, ip.why = kit.CovYes, fmt.Sprintf("ingress[%d] %s", i, why)
			break
		}
	}
	return ip
}

// k8sPeersOpen says why an ingress rule's from admits any source ("" when
// it does not).
func k8sPeersOpen(from []networkingv1.NetworkPolicyPeer) string {
	if len(from) == 0 {
		return "has no from: it admits every source"
	}
	for j, f := range from {
		switch {
		case f.IPBlock != nil && cidrAll(f.IPBlock.CIDR):
			return fmt.Sprintf("from[%d].ipBlock %s admits every address", j, f.IPBlock.CIDR)
		case f.NamespaceSelector != nil && selectorEmpty(f.NamespaceSelector) && (f.PodSelector == nil || selectorEmpty(f.PodSelector)):
			return fmt.Sprintf("from[%d].namespaceSelector {} admits every pod of every namespace", j)
		}
	}
	return ""
}

func selectorEmpty(s *metav1.LabelSelector) bool {
	return len(s.MatchLabels)+len(s.MatchExpressions) == 0
}

// cidrAll reports a CIDR of prefix length 0.
func cidrAll(c string) bool {
	_, n, err := net.ParseCIDR(strings.TrimSpace(c))
	if err != nil {
		return false
	}
	ones, _ := n.Mask.Size()
	return ones == 0
}

// asSelector converts an unstructured label selector.
func asSelector(v any) (*metav1.LabelSelector, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var s metav1.LabelSelector
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Cilium's label sources and special keys.
const (
	ciliumNamespaceKey = "io.kubernetes.pod.namespace"
	ciliumSAKey        = "io.cilium.k8s.policy.serviceaccount"
	ciliumNSLabels     = "io.cilium.k8s.namespace.labels."
)

// ciliumKey strips the k8s: / any: source of a Cilium selector key; ok is
// false for the other sources (reserved:, cidr:, ...), which name no pod.
func ciliumKey(k string) (string, bool) {
	src, rest, found := strings.Cut(k, ":")
	if !found {
		return k, true
	}
	if src == "k8s" || src == "any" {
		return rest, true
	}
	return "", false
}

// ciliumNormalise returns the selector with plain keys; ok is false when
// it uses a label source that names no pod.
func ciliumNormalise(s *metav1.LabelSelector) (*metav1.LabelSelector, bool) {
	out := &metav1.LabelSelector{MatchLabels: map[string]string{}}
	for k, v := range s.MatchLabels {
		nk, ok := ciliumKey(k)
		if !ok {
			return nil, false
		}
		out.MatchLabels[nk] = v
	}
	for _, e := range s.MatchExpressions {
		nk, ok := ciliumKey(e.Key)
		if !ok {
			return nil, false
		}
		e.Key = nk
		out.MatchExpressions = append(out.MatchExpressions, e)
	}
	return out, true
}

// ciliumSelects matches a normalised endpoint selector against a workload's
// pods, with the labels Cilium adds (namespace, service account, namespace
// labels).
func ciliumSelects(s *metav1.LabelSelector, w *inventory.Workload, n *kit.NsEntry) kit.Cover {
	l := map[string]string{}
	for k, v := range w.PodLabels {
		l[k] = v
	}
	l[ciliumNamespaceKey] = w.EffectiveNamespace()
	sa := "default"
	if w.Spec != nil && w.Spec.ServiceAccountName != "" {
		sa = w.Spec.ServiceAccountName
	}
	l[ciliumSAKey] = sa
	var partial map[string]bool
	if n != nil {
		for k, v := range n.Labels() {
			l[ciliumNSLabels+k] = v
		}
		if !n.Declared() {
			partial = map[string]bool{}
			for k := range s.MatchLabels {
				partial[k] = !strings.HasPrefix(k, ciliumNSLabels) || k == ciliumNSLabels+"kubernetes.io/metadata.name"
			}
			for _, e := range s.MatchExpressions {
				partial[e.Key] = !strings.HasPrefix(e.Key, ciliumNSLabels) || e.Key == ciliumNSLabels+"kubernetes.io/metadata.name"
			}
		}
	}
	return kit.LabelSelectorMatch(s, l, partial)
}

// ciliumRuleKeys are the ingress rule fields read; fromRequires and
// fromGroups narrow or name sources outside the input, so a rule with them
// is not judged.
var ciliumRuleKeys = map[string]bool{"fromEndpoints": true, "fromEntities": true, "fromCIDR": true, "fromCIDRSet": true, "fromNodes": true, "toPorts": true, "icmps": true, "authentication": true}

// ciliumOpenEntities admit every address or every pod of the cluster.
var ciliumOpenEntities = map[string]bool{"all": true, "world": true, "world-ipv4": true, "world-ipv6": true, "cluster": true}

func ciliumIngressPolicy(p *inventory.EnginePolicy, i int, r map[string]any) *IngressPolicy {
	ip := &IngressPolicy{M: &p.Meta, Selects: selectsNone}
	at := "spec"
	if len(p.Rules) > 1 {
		at = fmt.Sprintf("rule %d", i+1)
	}
	es, ok := r["endpointSelector"]
	if !ok {
		ip.Desc, ip.why = at+" has no endpointSelector", "it selects nodes or nothing, no pod"
		return ip
	}
	sel, err := asSelector(es)
	if err != nil {
		ip.Desc, ip.why, ip.Isolates, ip.Open = at+".endpointSelector", "cannot be read: "+err.Error(), kit.CovUnknown, kit.CovUnknown
		ip.Selects = selectsUnknown(p)
		ip.anyNamespace = p.ClusterWide
		return ip
	}
	ip.Desc = at + ".endpointSelector " + kit.SelectorString(sel)
	norm, ok := ciliumNormalise(sel)
	if !ok {
		ip.why = "its endpointSelector uses a reserved label source: it selects no pod"
		return ip
	}
	ns := p.EffectiveNamespace()
	cw := p.ClusterWide
	ip.anyNamespace = cw
	ip.Selects = func(w *inventory.Workload, n *kit.NsEntry) kit.Cover {
		if !cw && w.EffectiveNamespace() != ns {
			return kit.CovNo
		}
		return ciliumSelects(norm, w, n)
	}
	ingress, _ := r["ingress"].([]any)
	deny, _ := r["ingressDeny"].([]any)
	if _, ok := r["ingress"]; ok && ingress == nil && r["ingress"] != nil {
		ip.Isolates, ip.Open, ip.why = kit.CovUnknown, kit.CovUnknown, at+".ingress is not a list"
		return ip
	}
	switch dd := r["enableDefaultDeny"].(type) {
	case nil:
		if len(ingress)+len(deny) > 0 {
			ip.Isolates = kit.CovYes
		}
	case map[string]any:
		if v, ok := dd["ingress"].(bool); ok && !v {
			ip.why = at + ".enableDefaultDeny.ingress false: it does not restrict ingress"
		} else if len(ingress)+len(deny) > 0 {
			ip.Isolates = kit.CovYes
		}
	default:
		ip.Isolates, ip.Open, ip.why = kit.CovUnknown, kit.CovUnknown, at+".enableDefaultDeny cannot be read"
		return ip
	}
	if ip.Isolates == kit.CovNo && ip.why == "" {
		ip.why = at + " has no ingress rules: it does not restrict ingress"
	}
	for j, x := range ingress {
		rule, ok := x.(map[string]any)
		if !ok {
			ip.Open, ip.why = kit.CovUnknown, fmt.Sprintf("%s.ingress[%d] cannot be read", at, j)
			return ip
		}
		open, why := ciliumRuleOpen(rule, cw)
		if len(rule) > 0 {
			ip.Allows = kit.CovYes
		}
		if open != kit.CovNo {
			ip.Open, ip.why = open, fmt.Sprintf("%s.ingress[%d] %s", at, j, why)
			if open == kit.CovYes {
				return ip
			}
		}
	}
	return ip
}

// ciliumRuleOpen says whether one Cilium ingress rule admits any source.
func ciliumRuleOpen(rule map[string]any, clusterwide bool) (kit.Cover, string) {
	keys := make([]string, 0, len(rule))
	for k := range rule {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	from := false
	for _, k := range keys {
		if !ciliumRuleKeys[k] {
			return kit.CovUnknown, k + " is not read by aksguard"
		}
		from = from || strings.HasPrefix(k, "from")
	}
	if len(rule) == 0 {
		return kit.CovNo, ""
	}
	if !from {
		return kit.CovYes, "has ports but no from: it admits every source on them"
	}
	ents, _ := rule["fromEntities"].([]any)
	for _, e := range ents {
		if s, _ := e.(string); ciliumOpenEntities[s] {
			return kit.CovYes, "fromEntities " + s + " admits any source"
		}
	}
	cidrs, _ := rule["fromCIDR"].([]any)
	for _, c := range cidrs {
		if s, _ := c.(string); cidrAll(s) {
			return kit.CovYes, "fromCIDR " + s + " admits every address"
		}
	}
	sets, _ := rule["fromCIDRSet"].([]any)
	for _, c := range sets {
		m, _ := c.(map[string]any)
		if s, _ := m["cidr"].(string); cidrAll(s) {
			return kit.CovYes, "fromCIDRSet " + s + " admits every address"
		}
		if _, ok := m["cidr"]; !ok {
			return kit.CovUnknown, "fromCIDRSet names a CIDR group, which is not read"
		}
	}
	eps, _ := rule["fromEndpoints"].([]any)
	for _, e := range eps {
		s, err := asSelector(e)
		if err != nil {
			return kit.CovUnknown, "fromEndpoints cannot be read: " + err.Error()
		}
		ns := false
		for _, x := range s.MatchExpressions {
			if k, _ := ciliumKey(x.Key); k == ciliumNamespaceKey {
				ns = true
			}
		}
		switch {
		case ns:
			return kit.CovUnknown, "fromEndpoints " + kit.SelectorString(s) + " selects namespaces by expression, which is not judged"
		case clusterwide && selectorEmpty(s):
			return kit.CovYes, "fromEndpoints {} admits every pod of the cluster"
		}
	}
	return kit.CovNo, ""
}

var (
	calicoSpecKeys   = map[string]bool{"selector": true, "types": true, "ingress": true, "egress": true, "order": true, "tier": true, "namespaceSelector": true, "serviceAccountSelector": true, "doNotTrack": true, "preDNAT": true, "applyOnForward": true, "performanceHints": true}
	calicoRuleKeys   = map[string]bool{"action": true, "protocol": true, "notProtocol": true, "icmp": true, "notICMP": true, "ipVersion": true, "source": true, "destination": true, "http": true, "metadata": true}
	calicoSourceKeys = map[string]bool{"selector": true, "namespaceSelector": true, "nets": true, "notNets": true, "notSelector": true, "ports": true, "notPorts": true, "serviceAccounts": true, "services": true}
)

func calicoIngressPolicy(p *inventory.EnginePolicy, r map[string]any) *IngressPolicy {
	ip := &IngressPolicy{M: &p.Meta, Selects: selectsNone}
	unknown := func(why string) *IngressPolicy {
		ip.Isolates, ip.Open, ip.why = kit.CovUnknown, kit.CovUnknown, why
		ip.Selects = selectsUnknown(p)
		ip.anyNamespace = p.ClusterWide
		return ip
	}
	for k := range r {
		if !calicoSpecKeys[k] {
			return unknown("spec." + k + " is not read by aksguard")
		}
	}
	selStr, _ := r["selector"].(string)
	sel, err := parseCalicoSel(selStr)
	if err != nil {
		return unknown(fmt.Sprintf("spec.selector %q cannot be read: %v", selStr, err))
	}
	nsStr, _ := r["namespaceSelector"].(string)
	nsSel, err := parseCalicoSel(nsStr)
	if err != nil {
		return unknown(fmt.Sprintf("spec.namespaceSelector %q cannot be read: %v", nsStr, err))
	}
	if s, _ := r["serviceAccountSelector"].(string); strings.TrimSpace(s) != "" {
		return unknown("spec.serviceAccountSelector is not judged")
	}
	ip.Desc = "selector " + kit.OrPlaceholder(selStr, "all()")
	ns := p.EffectiveNamespace()
	global := p.ClusterWide
	ip.anyNamespace = global
	ip.Selects = func(w *inventory.Workload, n *kit.NsEntry) kit.Cover {
		if !global && w.EffectiveNamespace() != ns {
			return kit.CovNo
		}
		l := calicoEndpointLabels(w, n)
		a := sel(l)
		if global && a != kit.CovNo {
			b := nsSel(calicoNamespaceLabels(n))
			switch {
			case b == kit.CovNo:
				return kit.CovNo
			case a == kit.CovUnknown || b == kit.CovUnknown:
				return kit.CovUnknown
			}
		}
		return a
	}
	ingress := true
	if ts, ok := r["types"].([]any); ok {
		ingress = false
		for _, t := range ts {
			ingress = ingress || t == "Ingress"
		}
		ip.Desc += fmt.Sprintf(", types %v", ts)
	}
	if !ingress {
		ip.why = "types without Ingress: it does not restrict ingress"
		return ip
	}
	ip.Isolates = kit.CovYes
	if t, _ := r["tier"].(string); t != "" && t != "default" {
		ip.Isolates = kit.CovUnknown
		ip.why = "tier " + t + ": the tier's defaultAction is not read"
	}
	rules, ok := r["ingress"].([]any)
	if !ok && r["ingress"] != nil {
		ip.Open, ip.why = kit.CovUnknown, "spec.ingress is not a list"
		return ip
	}
	for j, x := range rules {
		rule, _ := x.(map[string]any)
		open, allows, why := calicoRuleOpen(rule, global)
		if allows {
			ip.Allows = kit.CovYes
		}
		if open != kit.CovNo {
			ip.Open, ip.why = open, fmt.Sprintf("ingress[%d] %s", j, why)
			if open == kit.CovYes {
				return ip
			}
		}
	}
	return ip
}

// calicoEndpointLabels are a pod's labels as Calico sees them: its own,
// its namespace's name, service account and (prefixed pcns.) its
// namespace's labels, unknown for an undeclared namespace.
func calicoEndpointLabels(w *inventory.Workload, n *kit.NsEntry) calicoLabels {
	sa := "default"
	if w.Spec != nil && w.Spec.ServiceAccountName != "" {
		sa = w.Spec.ServiceAccountName
	}
	return func(k string) (string, bool, bool) {
		switch k {
		case "projectcalico.org/namespace":
			return w.EffectiveNamespace(), true, true
		case "projectcalico.org/serviceaccount":
			return sa, true, true
		case "projectcalico.org/orchestrator":
			return "k8s", true, true
		}
		if nk, ok := strings.CutPrefix(k, "pcns."); ok {
			if n == nil {
				return "", false, false
			}
			v, set, known := calicoNamespaceLabels(n)(nk)
			return v, set, known
		}
		v, set := w.PodLabels[k]
		return v, set, true
	}
}

// calicoNamespaceLabels are a namespace's labels with projectcalico.org/name;
// an undeclared namespace's other labels are unknown.
func calicoNamespaceLabels(n *kit.NsEntry) calicoLabels {
	return func(k string) (string, bool, bool) {
		if n == nil {
			return "", false, false
		}
		if k == "projectcalico.org/name" {
			return n.Name, true, true
		}
		v, set := n.Labels()[k]
		return v, set, set || n.Declared()
	}
}

// calicoRuleOpen says whether a Calico ingress rule admits any source and
// whether it admits anything at all.
func calicoRuleOpen(rule map[string]any, global bool) (open kit.Cover, allows bool, why string) {
	if rule == nil {
		return kit.CovUnknown, false, "cannot be read"
	}
	for k := range rule {
		if !calicoRuleKeys[k] {
			return kit.CovUnknown, false, k + " is not read by aksguard"
		}
	}
	action, _ := rule["action"].(string)
	switch action {
	case "Allow", "Pass":
	case "Deny", "Log":
		return kit.CovNo, false, ""
	default:
		return kit.CovUnknown, false, fmt.Sprintf("action %q is not read", action)
	}
	src, _ := rule["source"].(map[string]any)
	for k := range src {
		if !calicoSourceKeys[k] {
			return kit.CovUnknown, true, "source." + k + " is not read by aksguard"
		}
	}
	if _, ok := src["serviceAccounts"]; ok {
		return kit.CovNo, true, ""
	}
	if _, ok := src["services"]; ok {
		return kit.CovNo, true, ""
	}
	if nets, ok := src["nets"].([]any); ok {
		all := false
		for _, x := range nets {
			s, _ := x.(string)
			all = all || cidrAll(s)
		}
		if !all {
			return kit.CovNo, true, ""
		}
	}
	sel, _ := src["selector"].(string)
	nsSel, _ := src["namespaceSelector"].(string)
	for _, s := range []string{sel, nsSel} {
		if _, err := parseCalicoSel(s); err != nil {
			return kit.CovUnknown, true, fmt.Sprintf("source selector %q cannot be read: %v", s, err)
		}
	}
	selAll := strings.TrimSpace(sel) == "" || strings.TrimSpace(sel) == "all()"
	nsAll := calicoAllNamespaces(nsSel)
	if strings.TrimSpace(nsSel) == "" {
		// A namespaced policy's selector picks pods of its own namespace;
		// without any selector the rule admits every source.
		nsAll = global || strings.TrimSpace(sel) == ""
	}
	if selAll && nsAll {
		return kit.CovYes, true, "action " + action + " from a source narrowed by no selector, namespace selector or net: it admits any source"
	}
	return kit.CovNo, true, ""
}

// calicoAllNamespaces reports a namespace selector every namespace matches.
func calicoAllNamespaces(s string) bool {
	s = strings.TrimSpace(s)
	return s == "all()" || s == "has(projectcalico.org/name)"
}
