package manifest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/secretscan"
)

// decodeFunc decodes one object's JSON into its inventory form.
type decodeFunc func(js []byte, src inventory.Source, c class) (any, error)

// class is what aksguard does with an object of one apiVersion and kind.
type class struct {
	decode decodeFunc // nil: the object is counted, not decoded
	// lean, when set, decodes the object from a document of the fast YAML
	// subset without JSON text (lean.go); decode is the fallback.
	lean leanFunc
	list bool // a List: its items are the objects
	// skip is set for documents that carry apiVersion and kind but are not
	// cluster objects (kubeconfig, kustomization, tool configuration).
	skip          string
	clusterScoped bool
	secret        bool // its bytes hold Secret data: wipe them after decoding
	// reject is set for a workload kind under a built-in apiVersion that
	// has no such kind (apiVersion: v1 with kind: Deployment): the API
	// server rejects the object, so it is reported and not judged.
	reject string
}

type groupKind struct{ group, kind string }

// kinds maps the objects the controls read to their decoders. Every version
// of a group decodes into the v1 structs; the core group is v1 only.
var kinds = map[groupKind]class{}

func init() {
	workload := class{decode: decodeVia[workloadJSON](), lean: leanVia(leanWorkloadJSON)}
	for _, g := range []string{"apps", "extensions"} {
		for _, k := range []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"} {
			kinds[groupKind{g, k}] = workload
		}
	}
	kinds[groupKind{"", "Pod"}] = workload
	kinds[groupKind{"", "ReplicationController"}] = workload
	kinds[groupKind{"batch", "Job"}] = workload
	kinds[groupKind{"batch", "CronJob"}] = workload
	kinds[groupKind{"", "Namespace"}] = class{decode: decodeVia[namespaceJSON](), lean: leanVia(leanNamespaceJSON), clusterScoped: true}
	kinds[groupKind{"", "Service"}] = class{decode: decodeVia[serviceJSON](), lean: leanVia(leanServiceJSON)}
	kinds[groupKind{"", "ServiceAccount"}] = class{decode: decodeVia[serviceAccountJSON](), lean: leanVia(leanServiceAccountJSON)}
	kinds[groupKind{"", "Secret"}] = class{decode: decodeSecret, secret: true}
	kinds[groupKind{"", "ConfigMap"}] = class{decode: decodeVia[configMapJSON](), lean: leanVia(leanConfigMapJSON)}
	kinds[groupKind{"", "Node"}] = class{decode: decodeNode, clusterScoped: true}
	for _, g := range []string{"networking.k8s.io", "extensions"} {
		kinds[groupKind{g, "Ingress"}] = class{decode: decodeVia[ingressJSON](), lean: leanVia(leanIngressJSON)}
		kinds[groupKind{g, "NetworkPolicy"}] = class{decode: decodeVia[networkPolicyJSON](), lean: leanVia(leanNetworkPolicyJSON)}
	}
	// The policies of the network policy engines AKS ships (Calico's
	// projectcalico.org/v3 API and the crd.projectcalico.org/v1 CRDs behind
	// it hold the same objects).
	kinds[groupKind{"cilium.io", "CiliumNetworkPolicy"}] = class{decode: decodeEnginePolicy}
	kinds[groupKind{"cilium.io", "CiliumClusterwideNetworkPolicy"}] = class{decode: decodeEnginePolicy, clusterScoped: true}
	for _, g := range []string{"projectcalico.org", "crd.projectcalico.org"} {
		kinds[groupKind{g, "NetworkPolicy"}] = class{decode: decodeEnginePolicy}
		kinds[groupKind{g, "GlobalNetworkPolicy"}] = class{decode: decodeEnginePolicy, clusterScoped: true}
	}
	rbac := "rbac.authorization.k8s.io"
	role := class{decode: decodeVia[roleJSON](), lean: leanVia(leanRoleJSON)}
	binding := class{decode: decodeVia[bindingJSON](), lean: leanVia(leanBindingJSON)}
	kinds[groupKind{rbac, "Role"}] = role
	role.clusterScoped = true
	kinds[groupKind{rbac, "ClusterRole"}] = role
	kinds[groupKind{rbac, "RoleBinding"}] = binding
	binding.clusterScoped = true
	kinds[groupKind{rbac, "ClusterRoleBinding"}] = binding
	adm := "admissionregistration.k8s.io"
	kinds[groupKind{adm, "ValidatingAdmissionPolicy"}] = class{decode: decodeAdmissionPolicy, clusterScoped: true}
	kinds[groupKind{adm, "ValidatingAdmissionPolicyBinding"}] = class{decode: decodeAdmissionPolicyBinding, clusterScoped: true}
	kinds[groupKind{"templates.gatekeeper.sh", "ConstraintTemplate"}] = class{decode: decodeConstraintTemplate, clusterScoped: true}
	kinds[groupKind{"aquasecurity.github.io", "VulnerabilityReport"}] = class{decode: decodeVulnerabilityReport}
	kinds[groupKind{"aadpodidentity.k8s.io", "AzureIdentity"}] = class{decode: decodeAzureIdentity}
	kinds[groupKind{"aadpodidentity.k8s.io", "AzureIdentityBinding"}] = class{decode: decodeAzureIdentityBinding}
}

// configGroups hold configuration files of tools, which carry apiVersion
// and kind but are not objects of a cluster.
var configGroups = map[string]string{
	"kustomize.config.k8s.io":      "kustomization (render it with kubectl kustomize)",
	"config.kubernetes.io":         "kustomize function configuration, not a Kubernetes object",
	"kind.x-k8s.io":                "kind cluster configuration, not a Kubernetes object",
	"kubeadm.k8s.io":               "kubeadm configuration, not a Kubernetes object",
	"kubelet.config.k8s.io":        "kubelet configuration, not a Kubernetes object",
	"kubeproxy.config.k8s.io":      "kube-proxy configuration, not a Kubernetes object",
	"apiserver.config.k8s.io":      "API server configuration, not a Kubernetes object",
	"audit.k8s.io":                 "audit policy file, not a Kubernetes object",
	"client.authentication.k8s.io": "client credential plugin output, not a Kubernetes object",
}

// workloadAPIVersions are the apiVersions of the workload kinds; builtin
// groups are the groups that hold them.
var (
	workloadAPIVersions = map[string]string{
		"Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1",
		"Pod": "v1", "ReplicationController": "v1", "Job": "batch/v1", "CronJob": "batch/v1",
	}
	builtinGroups = map[string]bool{"": true, "apps": true, "extensions": true, "batch": true}
)

// rejectWorkload returns the class of a workload kind under a built-in
// apiVersion that does not serve it (ok false for any other object: a
// custom resource may reuse a kind name in its own group).
func rejectWorkload(apiVersion, group, kind string) (class, bool) {
	want, ok := workloadAPIVersions[kind]
	if !ok || !builtinGroups[group] {
		return class{}, false
	}
	return class{reject: fmt.Sprintf("apiVersion %q has no kind %s (it is %s): the API server rejects this object, so aksguard does not judge it; set apiVersion: %s", apiVersion, kind, want, want)}, true
}

// classify decides from apiVersion and kind alone.
func classify(apiVersion, kind string) class {
	group := ""
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		group = apiVersion[:i]
	} else if apiVersion != "v1" {
		if kind == "List" || strings.HasSuffix(kind, "List") {
			return class{list: true}
		}
		if c, ok := rejectWorkload(apiVersion, apiVersion, kind); ok {
			return c // apiVersion: apps, a group without a version
		}
		return class{}
	}
	if group == "" && kind == "Config" {
		// A kubeconfig: its CAs and authentication methods are read for
		// AKS-IDN-006/007; its bytes hold credentials and are wiped.
		return class{decode: decodeKubeconfig, clusterScoped: true, secret: true}
	}
	if why, ok := configGroups[group]; ok {
		return class{skip: why}
	}
	if c, ok := kinds[groupKind{group, kind}]; ok {
		return c
	}
	if group == "constraints.gatekeeper.sh" {
		return class{decode: decodeConstraint, clusterScoped: true}
	}
	if c, ok := rejectWorkload(apiVersion, group, kind); ok {
		return c
	}
	if kind == "List" || strings.HasSuffix(kind, "List") {
		return class{list: true}
	}
	return class{}
}

// unmarshal decodes case-sensitively, as the API server does.
func unmarshal(js []byte, v any) error { return utiljson.Unmarshal(js, v) }

type objectJSON struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   metaJSON `json:"metadata"`
}

type metaJSON struct {
	Name            string                  `json:"name"`
	GenerateName    string                  `json:"generateName"`
	Namespace       string                  `json:"namespace"`
	Labels          map[string]string       `json:"labels"`
	Annotations     map[string]string       `json:"annotations"`
	OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
}

// lastApplied is a copy of the whole object (a Secret's data included).
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

func (o *objectJSON) meta(src inventory.Source, c class) inventory.Meta {
	m := o.Metadata
	delete(m.Annotations, lastApplied)
	if len(m.Annotations) == 0 {
		m.Annotations = nil
	}
	ns := m.Namespace
	if c.clusterScoped {
		ns = ""
	}
	return inventory.Meta{
		APIVersion: o.APIVersion, Kind: o.Kind, Namespace: ns, Name: m.Name, GenerateName: m.GenerateName,
		Labels: m.Labels, Annotations: m.Annotations, OwnerReferences: m.OwnerReferences,
		ClusterScoped: c.clusterScoped, Source: src,
		Facts: inventory.MetaFacts{Read: true, ManagedBy: m.Labels[inventory.LabelManagedBy], Waive: m.Annotations[inventory.AnnotationWaive]},
	}
}

type templateJSON struct {
	Metadata metaJSON       `json:"metadata"`
	Spec     corev1.PodSpec `json:"spec"`
}

type workloadJSON struct {
	objectJSON
	Spec workloadSpecJSON `json:"spec"`
}

type workloadSpecJSON struct {
	corev1.PodSpec
	Template    *templateJSON    `json:"template"`
	JobTemplate *jobTemplateJSON `json:"jobTemplate"`
}

type jobTemplateJSON struct {
	Spec jobTemplateSpecJSON `json:"spec"`
}

type jobTemplateSpecJSON struct {
	Template *templateJSON `json:"template"`
}

func (o *workloadJSON) build(src inventory.Source, c class) (any, error) {
	w := &inventory.Workload{Meta: o.meta(src, c)}
	var t *templateJSON
	switch o.Kind {
	case "Pod":
		w.PodLabels, w.PodAnnotations = w.Labels, w.Annotations
		w.Facts.PodWaive = w.Facts.Waive
		spec := o.Spec.PodSpec
		w.Spec, w.SpecPath = &spec, "spec"
		return w, nil
	case "CronJob":
		w.SpecPath = "spec.jobTemplate.spec.template.spec"
		if o.Spec.JobTemplate != nil {
			t = o.Spec.JobTemplate.Spec.Template
		}
	default:
		w.SpecPath = "spec.template.spec"
		t = o.Spec.Template
	}
	if t == nil {
		w.Spec = &corev1.PodSpec{}
		return w, nil
	}
	delete(t.Metadata.Annotations, lastApplied)
	w.PodLabels, w.PodAnnotations = t.Metadata.Labels, t.Metadata.Annotations
	w.Facts.PodWaive = w.PodAnnotations[inventory.AnnotationWaive]
	w.Spec = &t.Spec
	return w, nil
}

type namespaceJSON struct{ objectJSON }

func (o *namespaceJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.Namespace{Meta: o.meta(src, c)}, nil
}

type serviceJSON struct {
	objectJSON
	Spec   corev1.ServiceSpec   `json:"spec"`
	Status corev1.ServiceStatus `json:"status"`
}

func (o *serviceJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.Service{Meta: o.meta(src, c), Spec: o.Spec, Status: o.Status}, nil
}

type ingressJSON struct {
	objectJSON
	Spec networkingv1.IngressSpec `json:"spec"`
}

func (o *ingressJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.Ingress{Meta: o.meta(src, c), Spec: o.Spec}, nil
}

type networkPolicyJSON struct {
	objectJSON
	Spec networkingv1.NetworkPolicySpec `json:"spec"`
}

func (o *networkPolicyJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.NetworkPolicy{Meta: o.meta(src, c), Spec: o.Spec}, nil
}

// decodeEnginePolicy keeps a Cilium or Calico policy's rules unstructured:
// a Cilium policy's spec and specs, a Calico policy's spec.
func decodeEnginePolicy(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec  map[string]any   `json:"spec"`
		Specs []map[string]any `json:"specs"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	p := &inventory.EnginePolicy{Meta: o.meta(src, c), ClusterWide: c.clusterScoped}
	if o.Spec != nil {
		p.Rules = append(p.Rules, o.Spec)
	}
	p.Rules = append(p.Rules, o.Specs...)
	return p, nil
}

type serviceAccountJSON struct {
	objectJSON
	AutomountServiceAccountToken *bool                         `json:"automountServiceAccountToken"`
	ImagePullSecrets             []corev1.LocalObjectReference `json:"imagePullSecrets"`
	Secrets                      []corev1.ObjectReference      `json:"secrets"`
}

func (o *serviceAccountJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.ServiceAccount{Meta: o.meta(src, c), AutomountServiceAccountToken: o.AutomountServiceAccountToken,
		ImagePullSecrets: o.ImagePullSecrets, Secrets: o.Secrets}, nil
}

type roleJSON struct {
	objectJSON
	Rules           []rbacv1.PolicyRule     `json:"rules"`
	AggregationRule *rbacv1.AggregationRule `json:"aggregationRule"`
}

func (o *roleJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.Role{Meta: o.meta(src, c), Rules: o.Rules, AggregationRule: o.AggregationRule}, nil
}

type bindingJSON struct {
	objectJSON
	RoleRef  rbacv1.RoleRef   `json:"roleRef"`
	Subjects []rbacv1.Subject `json:"subjects"`
}

func (o *bindingJSON) build(src inventory.Source, c class) (any, error) {
	return &inventory.RoleBinding{Meta: o.meta(src, c), RoleRef: o.RoleRef, Subjects: o.Subjects}, nil
}

// presence decodes a ConfigMap value into whether it is a non-empty
// literal and which kind of secret it holds (internal/secretscan), without
// keeping it. binaryData values are base64: they are decoded for the scan.
type presence struct {
	literal bool
	kind    string
}

func (p *presence) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*p = presence{}
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return &valueError{what: "a string"}
		}
		*p = presence{literal: v != "", kind: secretscan.Detect(v)}
	default:
		return &valueError{what: "a string"}
	}
	return nil
}

// binaryPresence is presence for binaryData, whose values are base64.
type binaryPresence presence

func (p *binaryPresence) UnmarshalJSON(b []byte) error {
	var q presence
	if err := q.UnmarshalJSON(b); err != nil {
		return err
	}
	if q.literal {
		var v string
		_ = json.Unmarshal(b, &v)
		if raw, err := base64.StdEncoding.DecodeString(v); err == nil {
			q.kind = secretscan.Detect(string(raw))
		}
	}
	*p = binaryPresence(q)
	return nil
}

// leanScalar is UnmarshalJSON for the lean decoder (the value as a node).
func (p *presence) leanScalar(kind byte, s string) error {
	switch kind {
	case lNull:
		*p = presence{}
	case lString:
		*p = presence{literal: s != "", kind: secretscan.Detect(s)}
	default:
		return &valueError{what: "a string"}
	}
	return nil
}

func (p *binaryPresence) leanScalar(kind byte, s string) error {
	var q presence
	if err := q.leanScalar(kind, s); err != nil {
		return err
	}
	if q.literal {
		if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
			q.kind = secretscan.Detect(string(raw))
		}
	}
	*p = binaryPresence(q)
	return nil
}

// valueError is a value of the wrong type inside a map that is decoded
// without keeping its values; it never quotes the value.
type valueError struct{ what string }

func (e *valueError) Error() string { return "the value must be " + e.what }

type configMapJSON struct {
	objectJSON
	Data       map[string]presence       `json:"data"`
	BinaryData map[string]binaryPresence `json:"binaryData"`
}

func (o *configMapJSON) build(src inventory.Source, c class) (any, error) {
	cm := &inventory.ConfigMap{Meta: o.meta(src, c)}
	for k, v := range o.Data {
		cm.Keys = append(cm.Keys, inventory.ConfigMapKey{Name: k, Literal: v.literal, SecretKind: v.kind})
	}
	for k, v := range o.BinaryData {
		cm.Keys = append(cm.Keys, inventory.ConfigMapKey{Name: k, Literal: v.literal, Binary: true, SecretKind: v.kind})
	}
	sort.Slice(cm.Keys, func(i, j int) bool {
		if cm.Keys[i].Name != cm.Keys[j].Name {
			return cm.Keys[i].Name < cm.Keys[j].Name
		}
		return !cm.Keys[i].Binary
	})
	return cm, nil
}

// secretData reads a Secret's data (base64) or stringData (plain) and
// keeps only key names and, for the docker config keys, registry hosts.
// Values are read into scratch buffers that are wiped.
type secretData struct {
	base64 bool
	keys   []string
	// hosts by docker config key (.dockerconfigjson, .dockercfg); a key
	// present with a value that does not parse maps to nil.
	hosts map[string][]string
	bad   string // a key whose value is not base64
}

type secretBase64 struct{ secretData }
type secretPlain struct{ secretData }

func (s *secretBase64) UnmarshalJSON(b []byte) error {
	s.base64 = true
	return s.read(b)
}

func (s *secretPlain) UnmarshalJSON(b []byte) error { return s.read(b) }

func (s *secretData) read(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return &valueError{what: "a map of key names to strings"}
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return &valueError{what: "a map of key names to strings"}
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil || len(raw) == 0 || raw[0] != '"' {
			wipe(raw)
			return &valueError{what: "a string (in key " + safeKey(key) + ")"}
		}
		s.keys = append(s.keys, key)
		s.value(key, raw)
		wipe(raw)
	}
	return nil
}

// value decodes one value in place: only its emptiness, validity and, for
// docker config keys, the registry hosts survive.
func (s *secretData) value(key string, raw json.RawMessage) {
	docker := key == corev1.DockerConfigJsonKey || key == corev1.DockerConfigKey
	if !s.base64 && !docker {
		return
	}
	var val []byte
	if body := raw[1 : len(raw)-1]; bytes.IndexByte(body, '\\') < 0 {
		val = append([]byte(nil), body...)
	} else {
		var str string // escaped: rare in base64 and docker configs
		if err := json.Unmarshal(raw, &str); err != nil {
			return
		}
		val = []byte(str)
	}
	defer wipe(val)
	if s.base64 {
		n, err := base64.StdEncoding.Decode(val, val)
		if err != nil {
			if s.bad == "" {
				s.bad = key
			}
			if docker {
				s.setHosts(key, nil)
			}
			return
		}
		val = val[:n]
	}
	if docker {
		s.setHosts(key, registryHosts(val, key == corev1.DockerConfigJsonKey))
	}
}

func (s *secretData) setHosts(key string, hosts []string) {
	if s.hosts == nil {
		s.hosts = map[string][]string{}
	}
	s.hosts[key] = hosts
}

// registryHosts lists the registries of a docker config ({"auths": {...}}
// for .dockerconfigjson, the bare map for .dockercfg); nil when it does not
// parse. The credentials are decoded into values that are skipped.
func registryHosts(cfg []byte, wrapped bool) []string {
	dec := json.NewDecoder(bytes.NewReader(cfg))
	var auths map[string]skipValue
	if wrapped {
		var c struct {
			Auths map[string]skipValue `json:"auths"`
		}
		if dec.Decode(&c) != nil {
			return nil
		}
		auths = c.Auths
	} else if dec.Decode(&auths) != nil {
		return nil
	}
	hosts := []string{}
	for h := range auths {
		hosts = append(hosts, normaliseHost(h))
	}
	sort.Strings(hosts)
	return hosts
}

// skipValue consumes a JSON value without keeping it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

func normaliseHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexByte(h, '/'); i >= 0 {
		h = h[:i]
	}
	return h
}

// wipe overwrites secret bytes with zeros, keeping line breaks so that
// the lines of what follows still count.
func wipe(b []byte) {
	for i := range b {
		if b[i] != '\n' {
			b[i] = 0
		}
	}
}

// safeKey quotes a Secret key name for a message (names are not secret,
// but keep them short and printable).
func safeKey(k string) string {
	if len(k) > 64 {
		k = k[:64] + "..."
	}
	return fmt.Sprintf("%q", k)
}

// secretError is a problem with a Secret's data, stated without its values.
type secretError struct{ msg string }

func (e *secretError) Error() string { return e.msg }

func decodeSecret(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Type       corev1.SecretType `json:"type"`
		Data       secretBase64      `json:"data"`
		StringData secretPlain       `json:"stringData"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	s := &inventory.Secret{Meta: o.meta(src, c), Type: o.Type}
	seen := map[string]bool{}
	for _, k := range append(o.Data.keys, o.StringData.keys...) {
		if !seen[k] {
			seen[k] = true
			s.Keys = append(s.Keys, k)
		}
	}
	sort.Strings(s.Keys)
	if o.Data.bad != "" {
		return nil, &secretError{msg: "data[" + safeKey(o.Data.bad) + "] is not base64: Secret data values are base64-encoded (put plain text under stringData)"}
	}
	var key string
	switch o.Type {
	case corev1.SecretTypeDockerConfigJson:
		key = corev1.DockerConfigJsonKey
	case corev1.SecretTypeDockercfg:
		key = corev1.DockerConfigKey
	default:
		return s, nil
	}
	hosts, ok := o.StringData.hosts[key]
	if !ok {
		hosts, ok = o.Data.hosts[key]
	}
	if !ok || hosts == nil {
		return nil, &secretError{msg: fmt.Sprintf("a Secret of type %s needs data[%q] holding a docker config JSON (the API server rejects it otherwise); create it with kubectl create secret docker-registry", o.Type, key)}
	}
	s.RegistryHosts = hosts
	return s, nil
}

func decodeNode(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec struct {
			ProviderID    string         `json:"providerID"`
			Taints        []corev1.Taint `json:"taints"`
			Unschedulable bool           `json:"unschedulable"`
		} `json:"spec"`
		Status struct {
			NodeInfo corev1.NodeSystemInfo `json:"nodeInfo"`
		} `json:"status"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.Node{Meta: o.meta(src, c), ProviderID: o.Spec.ProviderID, Taints: o.Spec.Taints,
		Unschedulable: o.Spec.Unschedulable, NodeInfo: o.Status.NodeInfo}, nil
}

func decodeAdmissionPolicy(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec admissionv1.ValidatingAdmissionPolicySpec `json:"spec"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.AdmissionPolicy{Meta: o.meta(src, c), Spec: o.Spec}, nil
}

func decodeAdmissionPolicyBinding(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec admissionv1.ValidatingAdmissionPolicyBindingSpec `json:"spec"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.AdmissionPolicyBinding{Meta: o.meta(src, c), Spec: o.Spec}, nil
}

func decodeConstraint(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec struct {
			Match             map[string]any `json:"match"`
			Parameters        map[string]any `json:"parameters"`
			EnforcementAction string         `json:"enforcementAction"`
		} `json:"spec"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.Constraint{Meta: o.meta(src, c), Match: o.Spec.Match, Parameters: o.Spec.Parameters,
		EnforcementAction: o.Spec.EnforcementAction}, nil
}

func decodeConstraintTemplate(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec struct {
			CRD struct {
				Spec struct {
					Names struct {
						Kind string `json:"kind"`
					} `json:"names"`
				} `json:"spec"`
			} `json:"crd"`
			Targets []struct {
				Target string `json:"target"`
			} `json:"targets"`
		} `json:"spec"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	t := &inventory.ConstraintTemplate{Meta: o.meta(src, c), ConstraintKind: o.Spec.CRD.Spec.Names.Kind}
	for _, tg := range o.Spec.Targets {
		t.Targets = append(t.Targets, tg.Target)
	}
	return t, nil
}

func decodeVulnerabilityReport(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Report struct {
			Registry struct {
				Server string `json:"server"`
			} `json:"registry"`
			Artifact struct {
				Repository string `json:"repository"`
				Tag        string `json:"tag"`
				Digest     string `json:"digest"`
			} `json:"artifact"`
			Vulnerabilities []struct {
				ID           string `json:"vulnerabilityID"`
				Severity     string `json:"severity"`
				FixedVersion string `json:"fixedVersion"`
			} `json:"vulnerabilities"`
		} `json:"report"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	r := &inventory.VulnerabilityReport{Meta: o.meta(src, c)}
	l := r.Labels
	r.OwnerKind, r.OwnerName = l["trivy-operator.resource.kind"], l["trivy-operator.resource.name"]
	r.OwnerNamespace, r.Container = l["trivy-operator.resource.namespace"], l["trivy-operator.container.name"]
	r.Registry, r.Repository = o.Report.Registry.Server, o.Report.Artifact.Repository
	r.Tag, r.Digest = o.Report.Artifact.Tag, o.Report.Artifact.Digest
	for _, v := range o.Report.Vulnerabilities {
		r.Vulnerabilities = append(r.Vulnerabilities, inventory.Vulnerability{ID: v.ID, Severity: v.Severity, FixedVersion: v.FixedVersion})
	}
	return r, nil
}

func decodeAzureIdentity(js []byte, src inventory.Source, c class) (any, error) {
	var o objectJSON
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.AzureIdentity{Meta: o.meta(src, c)}, nil
}

func decodeAzureIdentityBinding(js []byte, src inventory.Source, c class) (any, error) {
	var o struct {
		objectJSON
		Spec struct {
			AzureIdentity string `json:"azureIdentity"`
			Selector      string `json:"selector"`
		} `json:"spec"`
	}
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	return &inventory.AzureIdentityBinding{Meta: o.meta(src, c), AzureIdentity: o.Spec.AzureIdentity, Selector: o.Spec.Selector}, nil
}

// add files a decoded object in the inventory.
func add(k *inventory.Kube, obj any) {
	switch o := obj.(type) {
	case *inventory.Workload:
		k.Workloads = append(k.Workloads, o)
	case *inventory.Namespace:
		k.Namespaces = append(k.Namespaces, o)
	case *inventory.Service:
		k.Services = append(k.Services, o)
	case *inventory.Ingress:
		k.Ingresses = append(k.Ingresses, o)
	case *inventory.NetworkPolicy:
		k.NetworkPolicies = append(k.NetworkPolicies, o)
	case *inventory.EnginePolicy:
		if strings.HasPrefix(o.APIVersion, "cilium.io/") {
			k.CiliumPolicies = append(k.CiliumPolicies, o)
		} else {
			k.CalicoPolicies = append(k.CalicoPolicies, o)
		}
	case *inventory.ServiceAccount:
		k.ServiceAccounts = append(k.ServiceAccounts, o)
	case *inventory.Role:
		if o.Kind == "ClusterRole" {
			k.ClusterRoles = append(k.ClusterRoles, o)
		} else {
			k.Roles = append(k.Roles, o)
		}
	case *inventory.RoleBinding:
		if o.Kind == "ClusterRoleBinding" {
			k.ClusterRoleBindings = append(k.ClusterRoleBindings, o)
		} else {
			k.RoleBindings = append(k.RoleBindings, o)
		}
	case *inventory.Secret:
		k.Secrets = append(k.Secrets, o)
	case *inventory.ConfigMap:
		k.ConfigMaps = append(k.ConfigMaps, o)
	case *inventory.Node:
		k.Nodes = append(k.Nodes, o)
	case *inventory.AdmissionPolicy:
		k.AdmissionPolicies = append(k.AdmissionPolicies, o)
	case *inventory.AdmissionPolicyBinding:
		k.AdmissionPolicyBindings = append(k.AdmissionPolicyBindings, o)
	case *inventory.Constraint:
		k.Constraints = append(k.Constraints, o)
	case *inventory.ConstraintTemplate:
		k.ConstraintTemplates = append(k.ConstraintTemplates, o)
	case *inventory.VulnerabilityReport:
		k.VulnerabilityReports = append(k.VulnerabilityReports, o)
	case *inventory.AzureIdentity:
		k.AzureIdentities = append(k.AzureIdentities, o)
	case *inventory.AzureIdentityBinding:
		k.AzureIdentityBindings = append(k.AzureIdentityBindings, o)
	}
}
