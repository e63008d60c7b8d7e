package secctx

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
)

// This file turns a workload's pod template into the containers the
// workload controls judge, each with its EFFECTIVE security settings: what
// the kubelet applies, not what the container's securityContext says on its
// own. Peers that judge the container alone report a container whose pod
// sets runAsNonRoot as root, and miss a container that overrides a safe pod
// setting; docs/workload-controls.md explains every rule below.
//
// Precedence, field by field (mirrors the kubelet: DetermineEffectiveSecurityContext
// in k8s.io/kubernetes pkg/securitycontext, and the seccomp / AppArmor profile
// lookups of the kuberuntime manager):
//
//   - runAsNonRoot, runAsUser, runAsGroup, seLinuxOptions: the container's
//     field when set, else the pod's (spec.securityContext), else unset.
//     seLinuxOptions is replaced as a whole, not merged field by field.
//   - windowsOptions: merged per field; runAsUserName and hostProcess each
//     come from the container when set there, else from the pod.
//   - seccompProfile: container field, else the legacy container annotation
//     container.seccomp.security.alpha.kubernetes.io/NAME, else the pod field,
//     else the legacy pod annotation seccomp.security.alpha.kubernetes.io/pod,
//     else unset (Unconfined, unless the node's kubelet runs with
//     --seccomp-default).
//   - appArmorProfile: container field, else the legacy annotation
//     container.apparmor.security.beta.kubernetes.io/NAME, else the pod field,
//     else unset (the runtime's default profile). There is no pod-wide
//     AppArmor annotation.
//   - privileged, allowPrivilegeEscalation, capabilities,
//     readOnlyRootFilesystem, procMount exist only on containers.
//   - allowPrivilegeEscalation is effectively true when unset (the kubelet
//     sets no_new_privs only for an explicit false), and is forced true by
//     privileged: true or an added CAP_SYS_ADMIN whatever it says (the API
//     server rejects false together with either; a manifest need not have
//     been validated, so aksguard applies the same rule).

// containerList is one of the pod spec's three container lists.
type containerList int

const (
	listContainers containerList = iota
	listInitContainers
	listEphemeralContainers
)

// field is the list's name in the pod spec.
func (l containerList) field() string {
	switch l {
	case listInitContainers:
		return "initContainers"
	case listEphemeralContainers:
		return "ephemeralContainers"
	}
	return "containers"
}

// kindLabel is how results name a container of the list ("" for regular
// containers).
func (l containerList) kindLabel() string {
	switch l {
	case listInitContainers:
		return "initContainer"
	case listEphemeralContainers:
		return "ephemeralContainer"
	}
	return ""
}

// origin says where an effective setting was read.
type origin int

const (
	FromUnset               origin = iota // nobody sets it: the kubelet's default applies
	FromContainer                         // the container's securityContext
	FromContainerAnnotation               // a legacy per-container annotation
	FromPod                               // the pod's securityContext
	FromPodAnnotation                     // the legacy pod-wide seccomp annotation
	FromForced                            // derived by the kubelet from another field
)

func (o origin) String() string {
	switch o {
	case FromContainer:
		return "container"
	case FromContainerAnnotation:
		return "container annotation"
	case FromPod:
		return "pod"
	case FromPodAnnotation:
		return "pod annotation"
	case FromForced:
		return "forced"
	}
	return "not set"
}

// Setting is one effective security setting. For an unset setting Val is
// the kubelet's default where it is known (allowPrivilegeEscalation true,
// privileged and readOnlyRootFilesystem false) and Field is where the
// container would set it.
type Setting[T any] struct {
	Val  T
	From origin
	// Field is where the value was read: a field relative to the container
	// (From container, unset, forced) or to the pod spec (From pod), such as
	// "securityContext.runAsNonRoot"; the annotation key for annotations.
	// path() turns it into the object's evidence path only when a result
	// needs it: every control computes every container's settings.
	Field string
}

// IsSet reports whether the pod or the container sets the field.
func (s Setting[T]) IsSet() bool { return s.From != FromUnset }

// Path is the setting's evidence path in the object:
// spec.template.spec.containers[0].securityContext.runAsNonRoot,
// spec.template.spec.securityContext.runAsNonRoot,
// spec.template.metadata.annotations[KEY].
func (s Setting[T]) Path(c *PodContainer) string {
	switch s.From {
	case FromPod:
		return c.W.SpecPath + "." + s.Field
	case FromContainerAnnotation, FromPodAnnotation:
		return annotationPath(c.W, s.Field)
	}
	return c.Path() + "." + s.Field
}

// Profile is a seccomp or AppArmor profile, from a field or a legacy
// annotation.
type Profile struct {
	// Type is RuntimeDefault, Localhost or Unconfined; "" for an
	// annotation value that names none of them.
	Type string
	// Localhost is the profile name of a Localhost profile.
	Localhost string
	// Raw is the value as written (the field's type or the annotation).
	Raw string
}

// Profile types (the API's spelling).
const (
	ProfRuntimeDefault = "RuntimeDefault"
	ProfLocalhost      = "Localhost"
	ProfUnconfined     = "Unconfined"
)

// effectiveSecurity is a container's security settings as the kubelet
// applies them.
type effectiveSecurity struct {
	RunAsNonRoot Setting[bool]
	RunAsUser    Setting[int64]
	RunAsGroup   Setting[int64]
	SELinux      Setting[*corev1.SELinuxOptions]
	Seccomp      Setting[Profile]
	AppArmor     Setting[Profile]
	// Windows options (merged per field).
	WindowsRunAsUserName Setting[string]
	WindowsHostProcess   Setting[bool]
	// Container-only fields.
	Privileged Setting[bool]
	// AllowPrivilegeEscalation is the effective value: From is fromForced
	// (Field the privileged field or capabilities.add) when privileged or
	// CAP_SYS_ADMIN force it; unset means true.
	AllowPrivilegeEscalation Setting[bool]
	Capabilities             Setting[*corev1.Capabilities]
	ReadOnlyRootFilesystem   Setting[bool]
	ProcMount                Setting[string]
}

// PodContainer is one container of a workload's pod template.
type PodContainer struct {
	W *inventory.Workload
	// C is the container as written; ephemeral containers are viewed as
	// containers (their fields are the same).
	C     *corev1.Container
	List  containerList
	Index int
	Eff   effectiveSecurity
	// path, label and where are Path, Label and Where, made once by
	// PodContainers: every control's evidence and fixes name the
	// container.
	path, label, where string
}

// Path is the container's place in the object:
// spec.template.spec.initContainers[0].
func (c *PodContainer) Path() string {
	if c.path != "" {
		return c.path
	}
	return c.W.SpecPath + "." + c.List.field() + "[" + strconv.Itoa(c.Index) + "]"
}

// name is the container's name, or its position when it has none.
func (c *PodContainer) name() string {
	if c.C.Name != "" {
		return c.C.Name
	}
	return c.List.field() + "[" + strconv.Itoa(c.Index) + "]"
}

// Label names the container in messages: "container app", "container
// setup (initContainer)".
func (c *PodContainer) Label() string {
	if c.label != "" {
		return c.label
	}
	s := "container " + c.name()
	if k := c.List.kindLabel(); k != "" {
		s += " (" + k + ")"
	}
	return s
}

// Where names the container for a remediation: "container app in
// Deployment shop/web (spec.template.spec.containers[0])".
func (c *PodContainer) Where() string {
	if c.where != "" {
		return c.where
	}
	return c.Label() + " in " + WorkloadName(&c.W.Meta) + " (" + c.Path() + ")"
}

// WorkloadName names an object in prose: "Deployment shop/web".
func WorkloadName(m *inventory.Meta) string {
	if m.ClusterScoped {
		return m.Kind + " " + m.DisplayName()
	}
	return m.Kind + " " + m.EffectiveNamespace() + "/" + m.DisplayName()
}

// podMetaPath is where the pod template's metadata sits: "metadata" for a
// Pod, "spec.template.metadata", "spec.jobTemplate.spec.template.metadata".
func podMetaPath(w *inventory.Workload) string {
	return strings.TrimSuffix(w.SpecPath, "spec") + "metadata"
}

// PodSCPath is the path of a field of the pod's securityContext.
func PodSCPath(w *inventory.Workload, field string) string {
	return w.SpecPath + ".securityContext." + field
}

// annotationPath is the evidence path of a pod template annotation.
func annotationPath(w *inventory.Workload, key string) string {
	return podMetaPath(w) + ".annotations[" + key + "]"
}

// IsWindowsPod reports a pod that declares spec.os.name: windows; the API
// forbids the Linux-only security fields on it.
func IsWindowsPod(w *inventory.Workload) bool {
	return w.Spec.OS != nil && strings.EqualFold(string(w.Spec.OS.Name), string(corev1.Windows))
}

// PodContainers returns every container of the workload's pod template:
// spec.containers, then spec.initContainers, then spec.ephemeralContainers,
// each with its effective security settings.
func PodContainers(w *inventory.Workload) []PodContainer {
	if w == nil || w.Spec == nil {
		return nil
	}
	s := w.Spec
	out := make([]PodContainer, 0, len(s.Containers)+len(s.InitContainers)+len(s.EphemeralContainers))
	add := func(c *corev1.Container, l containerList, i int) {
		pc := PodContainer{W: w, C: c, List: l, Index: i}
		pc.Eff = effective(&pc)
		pc.path, pc.label = pc.Path(), pc.Label()
		pc.where = pc.Where()
		out = append(out, pc)
	}
	for i := range s.Containers {
		add(&s.Containers[i], listContainers, i)
	}
	for i := range s.InitContainers {
		add(&s.InitContainers[i], listInitContainers, i)
	}
	for i := range s.EphemeralContainers {
		add((*corev1.Container)(&s.EphemeralContainers[i].EphemeralContainerCommon), listEphemeralContainers, i)
	}
	return out
}

// effective computes a container's settings as the kubelet applies them
// (see the precedence at the top of this file).
func effective(pc *PodContainer) effectiveSecurity {
	w, c := pc.W, pc.C
	psc := w.Spec.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	csc := c.SecurityContext
	if csc == nil {
		csc = &corev1.SecurityContext{}
	}
	var e effectiveSecurity

	e.RunAsNonRoot = inherit(csc.RunAsNonRoot, psc.RunAsNonRoot, "securityContext.runAsNonRoot")
	e.RunAsUser = inherit(csc.RunAsUser, psc.RunAsUser, "securityContext.runAsUser")
	e.RunAsGroup = inherit(csc.RunAsGroup, psc.RunAsGroup, "securityContext.runAsGroup")
	// seLinuxOptions is replaced as a whole, not merged field by field.
	e.SELinux = Setting[*corev1.SELinuxOptions]{Field: "securityContext.seLinuxOptions"}
	switch {
	case csc.SELinuxOptions != nil:
		e.SELinux.Val, e.SELinux.From = csc.SELinuxOptions, FromContainer
	case psc.SELinuxOptions != nil:
		e.SELinux.Val, e.SELinux.From = psc.SELinuxOptions, FromPod
	}

	var cw, pw corev1.WindowsSecurityContextOptions
	if csc.WindowsOptions != nil {
		cw = *csc.WindowsOptions
	}
	if psc.WindowsOptions != nil {
		pw = *psc.WindowsOptions
	}
	e.WindowsRunAsUserName = inherit(cw.RunAsUserName, pw.RunAsUserName, "securityContext.windowsOptions.runAsUserName")
	e.WindowsHostProcess = inherit(cw.HostProcess, pw.HostProcess, "securityContext.windowsOptions.hostProcess")

	e.Seccomp = effectiveSeccomp(pc, csc, psc)
	e.AppArmor = effectiveAppArmor(pc, csc, psc)

	e.Privileged = own(csc.Privileged, false, "securityContext.privileged")
	e.ReadOnlyRootFilesystem = own(csc.ReadOnlyRootFilesystem, false, "securityContext.readOnlyRootFilesystem")
	e.Capabilities = Setting[*corev1.Capabilities]{Field: "securityContext.capabilities"}
	if csc.Capabilities != nil {
		e.Capabilities.Val, e.Capabilities.From = csc.Capabilities, FromContainer
	}
	e.ProcMount = Setting[string]{Field: "securityContext.procMount"}
	if csc.ProcMount != nil {
		e.ProcMount.Val, e.ProcMount.From = string(*csc.ProcMount), FromContainer
	}

	e.AllowPrivilegeEscalation = own(csc.AllowPrivilegeEscalation, true, "securityContext.allowPrivilegeEscalation")
	switch {
	case e.Privileged.Val:
		e.AllowPrivilegeEscalation = Setting[bool]{Val: true, From: FromForced, Field: "securityContext.privileged"}
	case addsCapability(e.Capabilities.Val, "SYS_ADMIN"):
		e.AllowPrivilegeEscalation = Setting[bool]{Val: true, From: FromForced, Field: "securityContext.capabilities.add"}
	}
	return e
}

// inherit is a field the container overrides and the pod provides, at the
// same place in both securityContexts.
func inherit[T any](container, pod *T, field string) Setting[T] {
	switch {
	case container != nil:
		return Setting[T]{Val: *container, From: FromContainer, Field: field}
	case pod != nil:
		return Setting[T]{Val: *pod, From: FromPod, Field: field}
	}
	return Setting[T]{Field: field}
}

// own is a field only the container has; def is the kubelet's default.
func own[T any](v *T, def T, field string) Setting[T] {
	if v != nil {
		return Setting[T]{Val: *v, From: FromContainer, Field: field}
	}
	return Setting[T]{Val: def, Field: field}
}

// Legacy annotation keys (seccomp until 1.19, AppArmor until 1.30).
const (
	seccompPodAnnotation       = "seccomp.security.alpha.kubernetes.io/pod"
	seccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/"
	appArmorAnnotation         = "container.apparmor.security.beta.kubernetes.io/"
)

func effectiveSeccomp(pc *PodContainer, csc *corev1.SecurityContext, psc *corev1.PodSecurityContext) Setting[Profile] {
	const field = "securityContext.seccompProfile.type"
	w := pc.W
	if p := csc.SeccompProfile; p != nil {
		return Setting[Profile]{Val: fieldProfile(string(p.Type), p.LocalhostProfile), From: FromContainer, Field: field}
	}
	if len(w.PodAnnotations) > 0 && pc.C.Name != "" {
		if v, ok := w.PodAnnotations[seccompContainerAnnotation+pc.C.Name]; ok {
			return Setting[Profile]{Val: annotationProfile(v, "docker/default"), From: FromContainerAnnotation, Field: seccompContainerAnnotation + pc.C.Name}
		}
	}
	if p := psc.SeccompProfile; p != nil {
		return Setting[Profile]{Val: fieldProfile(string(p.Type), p.LocalhostProfile), From: FromPod, Field: field}
	}
	if v, ok := w.PodAnnotations[seccompPodAnnotation]; ok {
		return Setting[Profile]{Val: annotationProfile(v, "docker/default"), From: FromPodAnnotation, Field: seccompPodAnnotation}
	}
	return Setting[Profile]{Field: field}
}

func effectiveAppArmor(pc *PodContainer, csc *corev1.SecurityContext, psc *corev1.PodSecurityContext) Setting[Profile] {
	const field = "securityContext.appArmorProfile.type"
	w := pc.W
	if p := csc.AppArmorProfile; p != nil {
		return Setting[Profile]{Val: fieldProfile(string(p.Type), p.LocalhostProfile), From: FromContainer, Field: field}
	}
	if len(w.PodAnnotations) > 0 && pc.C.Name != "" {
		if v, ok := w.PodAnnotations[appArmorAnnotation+pc.C.Name]; ok {
			return Setting[Profile]{Val: annotationProfile(v, ""), From: FromContainerAnnotation, Field: appArmorAnnotation + pc.C.Name}
		}
	}
	if p := psc.AppArmorProfile; p != nil {
		return Setting[Profile]{Val: fieldProfile(string(p.Type), p.LocalhostProfile), From: FromPod, Field: field}
	}
	return Setting[Profile]{Field: field}
}

// fieldProfile reads a seccompProfile / appArmorProfile field.
func fieldProfile(typ string, localhost *string) Profile {
	p := Profile{Raw: typ}
	switch {
	case strings.EqualFold(typ, ProfRuntimeDefault):
		p.Type = ProfRuntimeDefault
	case strings.EqualFold(typ, ProfLocalhost):
		p.Type = ProfLocalhost
		if localhost != nil {
			p.Localhost = *localhost
		}
	case strings.EqualFold(typ, ProfUnconfined):
		p.Type = ProfUnconfined
	}
	return p
}

// annotationProfile reads a legacy annotation value: runtime/default,
// localhost/NAME, unconfined (and docker/default, the old seccomp alias of
// runtime/default, when alias is set).
func annotationProfile(v, alias string) Profile {
	p := Profile{Raw: v}
	t := strings.TrimSpace(v)
	switch {
	case t == "runtime/default" || (alias != "" && t == alias):
		p.Type = ProfRuntimeDefault
	case strings.HasPrefix(t, "localhost/"):
		p.Type, p.Localhost = ProfLocalhost, strings.TrimPrefix(t, "localhost/")
	case t == "unconfined":
		p.Type = ProfUnconfined
	}
	return p
}

// CapName normalises a capability: upper case, without the CAP_ prefix.
func CapName(c corev1.Capability) string {
	return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(string(c))), "CAP_")
}

// addsCapability reports whether capabilities.add holds the capability
// (any case, with or without CAP_).
func addsCapability(c *corev1.Capabilities, name string) bool {
	if c == nil {
		return false
	}
	for _, a := range c.Add {
		if CapName(a) == name {
			return true
		}
	}
	return false
}

// workloadsToJudge returns the workloads judged directly, in input order:
// every workload except one whose controlling owner (a Pod's ReplicaSet or
// Deployment, a Job's CronJob, ...) is also in the inventory — that owner's
// template is judged instead, so results name the owner, not the pods it
// generated. An owner absent from the input leaves its object judged.
func workloadsToJudge(k *inventory.Kube) []*inventory.Workload {
	present := make(map[string]bool, len(k.Workloads))
	key := func(kind, ns, name string) string { return kind + "\x00" + ns + "\x00" + name }
	for _, w := range k.Workloads {
		if w.Name != "" {
			present[key(w.Kind, w.EffectiveNamespace(), w.Name)] = true
		}
	}
	out := make([]*inventory.Workload, 0, len(k.Workloads))
	for _, w := range k.Workloads {
		if w.Spec == nil {
			continue
		}
		if c := w.Controller(); c != nil && present[key(c.Kind, w.EffectiveNamespace(), c.Name)] {
			continue
		}
		out = append(out, w)
	}
	return out
}

type containersKey struct{ w *inventory.Workload }

type judgedKey struct{ k *inventory.Kube }

// ContainersOf returns podContainers(w), computed once per evaluation.
func ContainersOf(ctx *check.Context, w *inventory.Workload) []PodContainer {
	return ctx.Memo(containersKey{w}, func() any { return PodContainers(w) }).([]PodContainer)
}

// WorkloadsOf returns workloadsToJudge(k), computed once per evaluation.
func WorkloadsOf(ctx *check.Context, k *inventory.Kube) []*inventory.Workload {
	return ctx.Memo(judgedKey{k}, func() any { return workloadsToJudge(k) }).([]*inventory.Workload)
}
