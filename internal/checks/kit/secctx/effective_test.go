package secctx

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
)

func wklPtr[T any](v T) *T { return &v }

// wklWorkload builds a Deployment around a pod spec, without the manifest
// decoder.
func wklWorkload(name string, spec corev1.PodSpec, podAnnotations map[string]string) *inventory.Workload {
	return &inventory.Workload{
		Meta:           inventory.Meta{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: name, Source: inventory.Source{File: "m.yaml", Line: 1}},
		PodAnnotations: podAnnotations,
		Spec:           &spec,
		SpecPath:       "spec.template.spec",
	}
}

// TestEffectivePrecedence pins the kubelet's precedence, field by field.
func TestEffectivePrecedence(t *testing.T) {
	podSC := &corev1.PodSecurityContext{
		RunAsNonRoot:   wklPtr(true),
		RunAsUser:      wklPtr(int64(1000)),
		RunAsGroup:     wklPtr(int64(3000)),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		SELinuxOptions: &corev1.SELinuxOptions{Level: "s0:c1", Type: "pod_t"},
		WindowsOptions: &corev1.WindowsSecurityContextOptions{RunAsUserName: wklPtr("PodUser"), HostProcess: wklPtr(false)},
	}
	w := wklWorkload("p", corev1.PodSpec{
		SecurityContext: podSC,
		Containers: []corev1.Container{
			{Name: "silent"},
			{Name: "override", SecurityContext: &corev1.SecurityContext{
				RunAsNonRoot:   wklPtr(false),
				RunAsUser:      wklPtr(int64(0)),
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeUnconfined},
				SELinuxOptions: &corev1.SELinuxOptions{Type: "container_t"},
				WindowsOptions: &corev1.WindowsSecurityContextOptions{HostProcess: wklPtr(true)},
			}},
		},
		InitContainers: []corev1.Container{{Name: "init", SecurityContext: &corev1.SecurityContext{Privileged: wklPtr(true), AllowPrivilegeEscalation: wklPtr(false)}}},
		EphemeralContainers: []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug",
			SecurityContext: &corev1.SecurityContext{Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"cap_sys_admin"}}}}}},
	}, map[string]string{seccompContainerAnnotation + "init": "localhost/prof.json"})

	cs := PodContainers(w)
	if len(cs) != 4 {
		t.Fatalf("%d containers, want 4 (containers, init, ephemeral)", len(cs))
	}
	silent, override, init, debug := cs[0].Eff, cs[1].Eff, cs[2].Eff, cs[3].Eff

	if !silent.RunAsNonRoot.Val || silent.RunAsNonRoot.From != FromPod || silent.RunAsNonRoot.Path(&cs[0]) != "spec.template.spec.securityContext.runAsNonRoot" {
		t.Errorf("silent runAsNonRoot = %+v, want inherited true", silent.RunAsNonRoot)
	}
	if silent.RunAsUser.Val != 1000 || silent.RunAsGroup.Val != 3000 || silent.Seccomp.Val.Type != ProfRuntimeDefault || silent.Seccomp.From != FromPod {
		t.Errorf("silent inherits runAsUser/runAsGroup/seccomp: %+v %+v %+v", silent.RunAsUser, silent.RunAsGroup, silent.Seccomp)
	}
	if silent.SELinux.Val.Type != "pod_t" || silent.WindowsRunAsUserName.Val != "PodUser" {
		t.Errorf("silent inherits seLinuxOptions and windowsOptions: %+v %+v", silent.SELinux, silent.WindowsRunAsUserName)
	}
	if silent.AllowPrivilegeEscalation.IsSet() || !silent.AllowPrivilegeEscalation.Val {
		t.Errorf("silent allowPrivilegeEscalation = %+v, want unset and true", silent.AllowPrivilegeEscalation)
	}
	if override.RunAsNonRoot.Val || override.RunAsNonRoot.From != FromContainer || override.RunAsUser.Val != 0 || override.RunAsUser.From != FromContainer {
		t.Errorf("override runAsNonRoot/runAsUser = %+v %+v", override.RunAsNonRoot, override.RunAsUser)
	}
	if override.Seccomp.Val.Type != ProfUnconfined || override.Seccomp.Path(&cs[1]) != "spec.template.spec.containers[1].securityContext.seccompProfile.type" {
		t.Errorf("override seccomp = %+v", override.Seccomp)
	}
	// seLinuxOptions is replaced as a whole; windowsOptions merge per field.
	if override.SELinux.Val.Level != "" || override.SELinux.Val.Type != "container_t" {
		t.Errorf("override seLinuxOptions = %+v, want the container's whole struct", override.SELinux.Val)
	}
	if override.WindowsRunAsUserName.Val != "PodUser" || !override.WindowsHostProcess.Val || override.WindowsHostProcess.From != FromContainer {
		t.Errorf("override windowsOptions = %+v %+v, want runAsUserName from pod, hostProcess from container", override.WindowsRunAsUserName, override.WindowsHostProcess)
	}
	// Container annotation beats the pod field.
	if init.Seccomp.Val.Type != ProfLocalhost || init.Seccomp.Val.Localhost != "prof.json" || init.Seccomp.From != FromContainerAnnotation {
		t.Errorf("init seccomp = %+v, want the container annotation", init.Seccomp)
	}
	if !init.AllowPrivilegeEscalation.Val || init.AllowPrivilegeEscalation.From != FromForced || !strings.HasSuffix(init.AllowPrivilegeEscalation.Path(&cs[2]), "initContainers[0].securityContext.privileged") {
		t.Errorf("init allowPrivilegeEscalation = %+v, want forced by privileged", init.AllowPrivilegeEscalation)
	}
	if !debug.AllowPrivilegeEscalation.Val || debug.AllowPrivilegeEscalation.From != FromForced || cs[3].Path() != "spec.template.spec.ephemeralContainers[0]" {
		t.Errorf("debug allowPrivilegeEscalation = %+v (path %s), want forced by cap_sys_admin", debug.AllowPrivilegeEscalation, cs[3].Path())
	}
	if cs[2].Label() != "container init (initContainer)" || cs[3].Label() != "container debug (ephemeralContainer)" {
		t.Errorf("labels %q %q", cs[2].Label(), cs[3].Label())
	}
}

func TestEffectiveSeccompOrder(t *testing.T) {
	rd := &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
	for _, c := range []struct {
		name       string
		containerF *corev1.SeccompProfile
		podF       *corev1.SeccompProfile
		ann        map[string]string
		want       string
		from       origin
	}{
		{name: "nothing", want: "", from: FromUnset},
		{name: "pod annotation", ann: map[string]string{seccompPodAnnotation: "docker/default"}, want: ProfRuntimeDefault, from: FromPodAnnotation},
		{name: "pod field over pod annotation", podF: rd, ann: map[string]string{seccompPodAnnotation: "unconfined"}, want: ProfRuntimeDefault, from: FromPod},
		{name: "container annotation over pod field", podF: rd, ann: map[string]string{seccompContainerAnnotation + "app": "unconfined"}, want: ProfUnconfined, from: FromContainerAnnotation},
		{name: "container field over container annotation", containerF: rd, ann: map[string]string{seccompContainerAnnotation + "app": "unconfined"}, want: ProfRuntimeDefault, from: FromContainer},
		{name: "another container's annotation", ann: map[string]string{seccompContainerAnnotation + "other": "unconfined"}, want: "", from: FromUnset},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := wklWorkload("s", corev1.PodSpec{
				SecurityContext: &corev1.PodSecurityContext{SeccompProfile: c.podF},
				Containers:      []corev1.Container{{Name: "app", SecurityContext: &corev1.SecurityContext{SeccompProfile: c.containerF}}},
			}, c.ann)
			got := PodContainers(w)[0].Eff.Seccomp
			if got.Val.Type != c.want || got.From != c.from {
				t.Errorf("seccomp = %+v, want %q from %v", got, c.want, c.from)
			}
		})
	}
}
