package inventory

import (
	"sort"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Kube is the Kubernetes half of the inventory: the objects the K8S controls
// of the catalog read, reduced to what those controls need, in input order
// (file by file, document by document). It is filled from manifests today
// and from a live API server later; either way nothing in it holds Secret
// data or ConfigMap values.
//
// Objects of older API versions of the same group (extensions/v1beta1
// Deployment, rbac.authorization.k8s.io/v1beta1, batch/v1beta1 CronJob, ...)
// are decoded into the v1 structs: the fields the controls read did not
// change shape.
type Kube struct {
	Namespaces []*Namespace
	// Workloads holds every object with a pod template: Pod, Deployment,
	// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and
	// CronJob (whose template is spec.jobTemplate.spec.template).
	Workloads       []*Workload
	Services        []*Service
	Ingresses       []*Ingress
	NetworkPolicies []*NetworkPolicy
	// The policies of the network policy engines AKS ships: Cilium
	// (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy) and Calico
	// (NetworkPolicy, GlobalNetworkPolicy of projectcalico.org).
	CiliumPolicies  []*EnginePolicy
	CalicoPolicies  []*EnginePolicy
	ServiceAccounts []*ServiceAccount
	// Roles and ClusterRoles share a type, as do RoleBindings and
	// ClusterRoleBindings; Meta.Kind tells them apart.
	Roles               []*Role
	ClusterRoles        []*Role
	RoleBindings        []*RoleBinding
	ClusterRoleBindings []*RoleBinding
	Secrets             []*Secret
	ConfigMaps          []*ConfigMap
	Nodes               []*Node
	// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
	// (admissionregistration.k8s.io).
	AdmissionPolicies       []*AdmissionPolicy
	AdmissionPolicyBindings []*AdmissionPolicyBinding
	// Gatekeeper (and Azure Policy for AKS, which installs Gatekeeper)
	// constraints (group constraints.gatekeeper.sh, any kind) and their
	// templates (templates.gatekeeper.sh).
	Constraints         []*Constraint
	ConstraintTemplates []*ConstraintTemplate
	// Trivy Operator VulnerabilityReports (aquasecurity.github.io).
	VulnerabilityReports []*VulnerabilityReport
	// aad-pod-identity objects (aadpodidentity.k8s.io), deprecated.
	AzureIdentities       []*AzureIdentity
	AzureIdentityBindings []*AzureIdentityBinding

	// Objects counts every object read, by kind, whether it was decoded
	// into the fields above or not (List wrappers are not objects).
	Objects map[string]int
	// Ignored counts the objects of kinds no control reads (by kind): they
	// were recognised from their apiVersion and kind and not decoded.
	// CustomResourceDefinitions are the bulk of them.
	Ignored map[string]int
	// Skipped counts documents inside Kubernetes inputs that are not
	// Kubernetes objects (a document without apiVersion and kind), by reason.
	Skipped map[string]int
	// Inputs is the number of inputs (files, standard input, API servers)
	// that held Kubernetes objects or Lists, even empty ones.
	Inputs int

	// Unread holds the collections (see AllCollections) a live source could
	// not read completely, with the reason: the missing permission, a
	// timeout. Controls that read one of them are not-assessed.
	Unread map[string]string
	// API describes the live API server the objects came from; nil for
	// manifests.
	API *APIServer
}

// NamespaceUnset is what to say about an object whose manifest sets no
// namespace: kubectl (and helm) create it in the namespace of the current
// context, which is "default" unless the context says otherwise.
const NamespaceUnset = "namespace not set; would be the kubectl context's namespace (default)"

// Meta is what every object keeps of its type and metadata.
type Meta struct {
	APIVersion string
	Kind       string
	// Namespace is as written: "" when the manifest sets none (see
	// EffectiveNamespace and NamespaceUnset). Always "" for cluster-scoped
	// kinds.
	Namespace string
	Name      string
	// GenerateName is set on objects named by the API server
	// (metadata.generateName, common on Jobs and helm hooks).
	GenerateName string
	Labels       map[string]string
	// Annotations, without kubectl.kubernetes.io/last-applied-configuration
	// (a copy of the whole object, Secret data included).
	Annotations     map[string]string
	OwnerReferences []metav1.OwnerReference
	// ClusterScoped is set for kinds that live outside namespaces.
	ClusterScoped bool
	// Source is the file and the line of the object's first line.
	Source Source
	// Facts are the label and annotation values every result about the
	// object reads, read once when the object is decoded (Facts.Read): at
	// 50,000 objects, looking them up in the object's maps once per result
	// cost more than building the rest of the result.
	Facts MetaFacts
}

// MetaFacts are what Meta.Facts caches. Read is false for a Meta built
// elsewhere than the decoder (tests): readers then look in the maps.
type MetaFacts struct {
	Read bool
	// ManagedBy is the LabelManagedBy label ("aks" on AKS-managed
	// objects); Waive the AnnotationWaive annotation; PodWaive the pod
	// template's AnnotationWaive annotation (workloads).
	ManagedBy, Waive, PodWaive string
}

// LabelManagedBy marks AKS-managed objects (value "aks").
const LabelManagedBy = "kubernetes.azure.com/managedby"

// AnnotationWaive is the object annotation that waives findings on it.
const AnnotationWaive = "aksguard.io/waive"

// ManagedBy is the object's LabelManagedBy label.
func (m *Meta) ManagedBy() string {
	if m.Facts.Read {
		return m.Facts.ManagedBy
	}
	return m.Labels[LabelManagedBy]
}

// Waive is the object's AnnotationWaive annotation.
func (m *Meta) Waive() string {
	if m.Facts.Read {
		return m.Facts.Waive
	}
	return m.Annotations[AnnotationWaive]
}

// PodWaive is the pod template's AnnotationWaive annotation.
func (w *Workload) PodWaive() string {
	if w.Facts.Read {
		return w.Facts.PodWaive
	}
	return w.PodAnnotations[AnnotationWaive]
}

// NamespaceSet reports whether the object names its namespace (always true
// for cluster-scoped kinds, which have none).
func (m *Meta) NamespaceSet() bool { return m.ClusterScoped || m.Namespace != "" }

// EffectiveNamespace is the namespace the object lives in: as written, or
// "default" when a namespaced object's manifest sets none; "" for
// cluster-scoped kinds.
func (m *Meta) EffectiveNamespace() string {
	if m.ClusterScoped {
		return ""
	}
	if m.Namespace == "" {
		return "default"
	}
	return m.Namespace
}

// DisplayName is metadata.name, or generateName followed by "*" for
// objects the API server names.
func (m *Meta) DisplayName() string {
	if m.Name == "" && m.GenerateName != "" {
		return m.GenerateName + "*"
	}
	return m.Name
}

// Ref names the object as results do: Kind/namespace/name, or Kind/name
// for cluster-scoped kinds.
func (m *Meta) Ref() string {
	if m.ClusterScoped {
		return m.Kind + "/" + m.DisplayName()
	}
	return m.Kind + "/" + m.EffectiveNamespace() + "/" + m.DisplayName()
}

// Controller returns the owner reference with controller: true, or nil.
// Pods (and ReplicaSets, Jobs) owned by a controller are judged through it.
func (m *Meta) Controller() *metav1.OwnerReference {
	for i := range m.OwnerReferences {
		if c := m.OwnerReferences[i].Controller; c != nil && *c {
			return &m.OwnerReferences[i]
		}
	}
	return nil
}

// Namespace is a v1 Namespace (labels carry the Pod Security Admission
// levels).
type Namespace struct {
	Meta
}

// Workload is one object with a pod template.
type Workload struct {
	Meta
	// PodLabels and PodAnnotations are the pod template's metadata (the
	// Pod's own for a Pod). Annotations carry the legacy seccomp
	// (seccomp.security.alpha.kubernetes.io/pod, container.seccomp...) and
	// AppArmor (container.apparmor.security.beta.kubernetes.io/NAME)
	// settings.
	PodLabels      map[string]string
	PodAnnotations map[string]string
	// Spec is the pod spec; never nil. Containers, InitContainers and
	// EphemeralContainers are as written: a container's securityContext
	// has not been merged with the pod's.
	Spec *corev1.PodSpec
	// SpecPath is where the pod spec sits in the object, for evidence:
	// "spec" (Pod), "spec.template.spec", or
	// "spec.jobTemplate.spec.template.spec" (CronJob).
	SpecPath string
}

// Service is a v1 Service.
type Service struct {
	Meta
	Spec   corev1.ServiceSpec
	Status corev1.ServiceStatus
}

// Ingress is a networking.k8s.io Ingress.
type Ingress struct {
	Meta
	Spec networkingv1.IngressSpec
}

// NetworkPolicy is a networking.k8s.io NetworkPolicy.
type NetworkPolicy struct {
	Meta
	Spec networkingv1.NetworkPolicySpec
}

// EnginePolicy is a Cilium or Calico network policy, kept unstructured:
// the controls read the fields they understand and say not-assessed on the
// others.
type EnginePolicy struct {
	Meta
	// ClusterWide is set for CiliumClusterwideNetworkPolicy and Calico's
	// GlobalNetworkPolicy: they select pods of every namespace.
	ClusterWide bool
	// Rules are the policy's rules: a Cilium policy's spec and each of its
	// specs; a Calico policy's spec.
	Rules []map[string]any
}

// ServiceAccount is a v1 ServiceAccount.
type ServiceAccount struct {
	Meta
	AutomountServiceAccountToken *bool
	ImagePullSecrets             []corev1.LocalObjectReference
	Secrets                      []corev1.ObjectReference
}

// Role is a Role or a ClusterRole (Meta.Kind says which).
type Role struct {
	Meta
	Rules []rbacv1.PolicyRule
	// AggregationRule is set on aggregated ClusterRoles, whose rules the
	// controller fills from the ClusterRoles it selects.
	AggregationRule *rbacv1.AggregationRule
}

// RoleBinding is a RoleBinding or a ClusterRoleBinding (Meta.Kind says
// which).
type RoleBinding struct {
	Meta
	RoleRef  rbacv1.RoleRef
	Subjects []rbacv1.Subject
}

// Secret is a v1 Secret without its data: its type, its key names and,
// for image pull secrets, the registries it holds credentials for.
type Secret struct {
	Meta
	// Type as written ("" means Opaque).
	Type corev1.SecretType
	// Keys are the names of the data and stringData keys, sorted.
	Keys []string
	// RegistryHosts are the registries of a kubernetes.io/dockerconfigjson
	// or kubernetes.io/dockercfg Secret (the keys of its auths), lower-cased,
	// without scheme or path, sorted. Nothing else of the data is kept.
	RegistryHosts []string
	// MetadataOnly is set for Secrets read from a live API server, which
	// aksguard lists as metadata only: Keys and RegistryHosts are unknown,
	// and Type is known only for image pull secrets ("" otherwise).
	MetadataOnly bool
}

// ConfigMap is a v1 ConfigMap without its values.
type ConfigMap struct {
	Meta
	Keys []ConfigMapKey
}

// ConfigMapKey is one key of a ConfigMap's data or binaryData.
type ConfigMapKey struct {
	Name string
	// Literal is true when the value is a non-empty literal.
	Literal bool
	// Binary is true for binaryData keys.
	Binary bool
	// SecretKind names the kind of secret the value holds, recognised by
	// its format when decoded ("a PEM private key", "a GitHub token"; see
	// internal/secretscan), or "". The value itself is never kept.
	SecretKind string
}

// Node is a v1 Node.
type Node struct {
	Meta
	ProviderID    string
	Taints        []corev1.Taint
	Unschedulable bool
	// NodeInfo is status.nodeInfo (kubelet version, OS image), when the
	// input has a status (live objects, kubectl get -o yaml).
	NodeInfo corev1.NodeSystemInfo
}

// AdmissionPolicy is a ValidatingAdmissionPolicy.
type AdmissionPolicy struct {
	Meta
	Spec admissionv1.ValidatingAdmissionPolicySpec
}

// AdmissionPolicyBinding is a ValidatingAdmissionPolicyBinding.
type AdmissionPolicyBinding struct {
	Meta
	Spec admissionv1.ValidatingAdmissionPolicyBindingSpec
}

// Constraint is a Gatekeeper constraint (constraints.gatekeeper.sh, any
// kind: K8sPSPPrivilegedContainer, K8sAzureV2ContainerAllowedImages, ...),
// kept unstructured because its kind and parameters come from its template.
type Constraint struct {
	Meta
	// Match is spec.match (kinds, namespaces, excludedNamespaces,
	// labelSelector, namespaceSelector, scope, ...).
	Match map[string]any
	// Parameters is spec.parameters.
	Parameters map[string]any
	// EnforcementAction is spec.enforcementAction as written ("" means
	// deny).
	EnforcementAction string
}

// ConstraintTemplate is a Gatekeeper ConstraintTemplate without its Rego.
type ConstraintTemplate struct {
	Meta
	// ConstraintKind is spec.crd.spec.names.kind: the kind of the
	// constraints it defines.
	ConstraintKind string
	// Targets are the names of spec.targets (admission.k8s.gatekeeper.sh).
	Targets []string
}

// VulnerabilityReport is a Trivy Operator VulnerabilityReport, reduced.
type VulnerabilityReport struct {
	Meta
	// The workload the report is about, from the report's
	// trivy-operator.resource.{kind,name,namespace} and
	// trivy-operator.container.name labels.
	OwnerKind      string
	OwnerName      string
	OwnerNamespace string
	Container      string
	// Artifact is the scanned image.
	Registry   string
	Repository string
	Tag        string
	Digest     string
	// Vulnerabilities found (report.vulnerabilities).
	Vulnerabilities []Vulnerability
}

// Vulnerability is one finding of a VulnerabilityReport.
type Vulnerability struct {
	ID           string // vulnerabilityID, e.g. CVE-2024-1234
	Severity     string // CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN
	FixedVersion string // "" when no fix is published
}

// AzureIdentity is an aad-pod-identity AzureIdentity (metadata only).
type AzureIdentity struct {
	Meta
}

// AzureIdentityBinding is an aad-pod-identity AzureIdentityBinding.
type AzureIdentityBinding struct {
	Meta
	AzureIdentity string // spec.azureIdentity
	Selector      string // spec.selector (the aadpodidbinding pod label value)
}

// Merge appends another Kube's objects and adds its counts.
func (k *Kube) Merge(o *Kube) {
	if o == nil {
		return
	}
	k.Namespaces = append(k.Namespaces, o.Namespaces...)
	k.Workloads = append(k.Workloads, o.Workloads...)
	k.Services = append(k.Services, o.Services...)
	k.Ingresses = append(k.Ingresses, o.Ingresses...)
	k.NetworkPolicies = append(k.NetworkPolicies, o.NetworkPolicies...)
	k.CiliumPolicies = append(k.CiliumPolicies, o.CiliumPolicies...)
	k.CalicoPolicies = append(k.CalicoPolicies, o.CalicoPolicies...)
	k.ServiceAccounts = append(k.ServiceAccounts, o.ServiceAccounts...)
	k.Roles = append(k.Roles, o.Roles...)
	k.ClusterRoles = append(k.ClusterRoles, o.ClusterRoles...)
	k.RoleBindings = append(k.RoleBindings, o.RoleBindings...)
	k.ClusterRoleBindings = append(k.ClusterRoleBindings, o.ClusterRoleBindings...)
	k.Secrets = append(k.Secrets, o.Secrets...)
	k.ConfigMaps = append(k.ConfigMaps, o.ConfigMaps...)
	k.Nodes = append(k.Nodes, o.Nodes...)
	k.AdmissionPolicies = append(k.AdmissionPolicies, o.AdmissionPolicies...)
	k.AdmissionPolicyBindings = append(k.AdmissionPolicyBindings, o.AdmissionPolicyBindings...)
	k.Constraints = append(k.Constraints, o.Constraints...)
	k.ConstraintTemplates = append(k.ConstraintTemplates, o.ConstraintTemplates...)
	k.VulnerabilityReports = append(k.VulnerabilityReports, o.VulnerabilityReports...)
	k.AzureIdentities = append(k.AzureIdentities, o.AzureIdentities...)
	k.AzureIdentityBindings = append(k.AzureIdentityBindings, o.AzureIdentityBindings...)
	k.Objects = addCounts(k.Objects, o.Objects)
	k.Ignored = addCounts(k.Ignored, o.Ignored)
	k.Skipped = addCounts(k.Skipped, o.Skipped)
	k.Inputs += o.Inputs
	for col, why := range o.Unread {
		k.MarkUnread(col, why)
	}
	if o.API != nil && k.API == nil {
		k.API = o.API
	}
}

func addCounts(into, from map[string]int) map[string]int {
	for key, n := range from {
		if into == nil {
			into = map[string]int{}
		}
		into[key] += n
	}
	return into
}

// Count adds one to a count map, creating it when needed.
func Count(m *map[string]int, key string) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[key]++
}

// Total is the number of objects read.
func (k *Kube) Total() int {
	n := 0
	for _, c := range k.Objects {
		n += c
	}
	return n
}

// Kinds returns the kinds read, sorted.
func (k *Kube) Kinds() []string {
	out := make([]string, 0, len(k.Objects))
	for kind := range k.Objects {
		out = append(out, kind)
	}
	sort.Strings(out)
	return out
}
