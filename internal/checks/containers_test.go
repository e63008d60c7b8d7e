package checks

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
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

	cs := podContainers(w)
	if len(cs) != 4 {
		t.Fatalf("%d containers, want 4 (containers, init, ephemeral)", len(cs))
	}
	silent, override, init, debug := cs[0].Eff, cs[1].Eff, cs[2].Eff, cs[3].Eff

	if !silent.RunAsNonRoot.Val || silent.RunAsNonRoot.From != fromPod || silent.RunAsNonRoot.path(&cs[0]) != "spec.template.spec.securityContext.runAsNonRoot" {
		t.Errorf("silent runAsNonRoot = %+v, want inherited true", silent.RunAsNonRoot)
	}
	if silent.RunAsUser.Val != 1000 || silent.RunAsGroup.Val != 3000 || silent.Seccomp.Val.Type != profRuntimeDefault || silent.Seccomp.From != fromPod {
		t.Errorf("silent inherits runAsUser/runAsGroup/seccomp: %+v %+v %+v", silent.RunAsUser, silent.RunAsGroup, silent.Seccomp)
	}
	if silent.SELinux.Val.Type != "pod_t" || silent.WindowsRunAsUserName.Val != "PodUser" {
		t.Errorf("silent inherits seLinuxOptions and windowsOptions: %+v %+v", silent.SELinux, silent.WindowsRunAsUserName)
	}
	if silent.AllowPrivilegeEscalation.isSet() || !silent.AllowPrivilegeEscalation.Val {
		t.Errorf("silent allowPrivilegeEscalation = %+v, want unset and true", silent.AllowPrivilegeEscalation)
	}
	if override.RunAsNonRoot.Val || override.RunAsNonRoot.From != fromContainer || override.RunAsUser.Val != 0 || override.RunAsUser.From != fromContainer {
		t.Errorf("override runAsNonRoot/runAsUser = %+v %+v", override.RunAsNonRoot, override.RunAsUser)
	}
	if override.Seccomp.Val.Type != profUnconfined || override.Seccomp.path(&cs[1]) != "spec.template.spec.containers[1].securityContext.seccompProfile.type" {
		t.Errorf("override seccomp = %+v", override.Seccomp)
	}
	// seLinuxOptions is replaced as a whole; windowsOptions merge per field.
	if override.SELinux.Val.Level != "" || override.SELinux.Val.Type != "container_t" {
		t.Errorf("override seLinuxOptions = %+v, want the container's whole struct", override.SELinux.Val)
	}
	if override.WindowsRunAsUserName.Val != "PodUser" || !override.WindowsHostProcess.Val || override.WindowsHostProcess.From != fromContainer {
		t.Errorf("override windowsOptions = %+v %+v, want runAsUserName from pod, hostProcess from container", override.WindowsRunAsUserName, override.WindowsHostProcess)
	}
	// Container annotation beats the pod field.
	if init.Seccomp.Val.Type != profLocalhost || init.Seccomp.Val.Localhost != "prof.json" || init.Seccomp.From != fromContainerAnnotation {
		t.Errorf("init seccomp = %+v, want the container annotation", init.Seccomp)
	}
	if !init.AllowPrivilegeEscalation.Val || init.AllowPrivilegeEscalation.From != fromForced || !strings.HasSuffix(init.AllowPrivilegeEscalation.path(&cs[2]), "initContainers[0].securityContext.privileged") {
		t.Errorf("init allowPrivilegeEscalation = %+v, want forced by privileged", init.AllowPrivilegeEscalation)
	}
	if !debug.AllowPrivilegeEscalation.Val || debug.AllowPrivilegeEscalation.From != fromForced || cs[3].path() != "spec.template.spec.ephemeralContainers[0]" {
		t.Errorf("debug allowPrivilegeEscalation = %+v (path %s), want forced by cap_sys_admin", debug.AllowPrivilegeEscalation, cs[3].path())
	}
	if cs[2].label() != "container init (initContainer)" || cs[3].label() != "container debug (ephemeralContainer)" {
		t.Errorf("labels %q %q", cs[2].label(), cs[3].label())
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
		{name: "nothing", want: "", from: fromUnset},
		{name: "pod annotation", ann: map[string]string{seccompPodAnnotation: "docker/default"}, want: profRuntimeDefault, from: fromPodAnnotation},
		{name: "pod field over pod annotation", podF: rd, ann: map[string]string{seccompPodAnnotation: "unconfined"}, want: profRuntimeDefault, from: fromPod},
		{name: "container annotation over pod field", podF: rd, ann: map[string]string{seccompContainerAnnotation + "app": "unconfined"}, want: profUnconfined, from: fromContainerAnnotation},
		{name: "container field over container annotation", containerF: rd, ann: map[string]string{seccompContainerAnnotation + "app": "unconfined"}, want: profRuntimeDefault, from: fromContainer},
		{name: "another container's annotation", ann: map[string]string{seccompContainerAnnotation + "other": "unconfined"}, want: "", from: fromUnset},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := wklWorkload("s", corev1.PodSpec{
				SecurityContext: &corev1.PodSecurityContext{SeccompProfile: c.podF},
				Containers:      []corev1.Container{{Name: "app", SecurityContext: &corev1.SecurityContext{SeccompProfile: c.containerF}}},
			}, c.ann)
			got := podContainers(w)[0].Eff.Seccomp
			if got.Val.Type != c.want || got.From != c.from {
				t.Errorf("seccomp = %+v, want %q from %v", got, c.want, c.from)
			}
		})
	}
}

// TestWorkloadControlsWithoutDecoder runs controls on a Kube built in Go:
// the inheritance trap and the owner rule do not depend on the decoder.
func TestWorkloadControlsWithoutDecoder(t *testing.T) {
	pass := wklWorkload("inherits", corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: wklPtr(true)},
		Containers:      []corev1.Container{{Name: "app", Image: "mcr.microsoft.com/app:1"}},
	}, nil)
	fail := wklWorkload("overrides", corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: wklPtr(true)},
		Containers:      []corev1.Container{{Name: "app", SecurityContext: &corev1.SecurityContext{RunAsNonRoot: wklPtr(false)}}},
	}, nil)
	owned := wklWorkload("overrides-abc", corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}, nil)
	owned.Kind = "Pod"
	owned.SpecPath = "spec"
	owned.OwnerReferences = []metav1.OwnerReference{{Kind: "Deployment", Name: "overrides", Controller: wklPtr(true)}}
	inv := &inventory.Inventory{Kubernetes: true, Kube: &inventory.Kube{Workloads: []*inventory.Workload{pass, fail, owned}}}

	c, _ := check.Lookup("AKS-WKL-003")
	rs := c.Run(&check.Context{Inv: inv, Settings: check.DefaultSettings()})
	got := map[string]check.Status{}
	for _, r := range rs {
		got[r.Resource.Kind+"/"+r.Resource.Name] = r.Status
	}
	want := map[string]check.Status{"Deployment/inherits": check.Pass, "Deployment/overrides": check.Fail}
	if len(got) != len(want) || got["Deployment/inherits"] != check.Pass || got["Deployment/overrides"] != check.Fail {
		t.Errorf("results %v, want %v (the owned Pod judged through its Deployment)", got, want)
	}
}

func TestParseImage(t *testing.T) {
	for _, c := range []struct{ in, registry, repo, tag, digest string }{
		{"nginx", "docker.io", "library/nginx", "", ""},
		{"nginx:1.27", "docker.io", "library/nginx", "1.27", ""},
		{"bitnami/redis:7", "docker.io", "bitnami/redis", "7", ""},
		{"docker.io/nginx", "docker.io", "library/nginx", "", ""},
		{"index.docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", ""},
		{"localhost/app", "localhost", "app", "", ""},
		{"myreg:5000/team/app", "myreg:5000", "team/app", "", ""},
		{"myreg:5000/team/app:2.1@sha256:abc", "myreg:5000", "team/app", "2.1", "sha256:abc"},
		{"MyACR.azurecr.io/app:1", "myacr.azurecr.io", "app", "1", ""},
		{"ghcr.io/acme/api@sha256:00", "ghcr.io", "acme/api", "", "sha256:00"},
		// The HTTPS port names the same registry (issue #8); others do not.
		{"myacr.azurecr.io:443/app:1", "myacr.azurecr.io", "app", "1", ""},
		{"MyACR.azurecr.io:443/team/app@sha256:ab", "myacr.azurecr.io", "team/app", "", "sha256:ab"},
		{"index.docker.io:443/library/nginx", "docker.io", "library/nginx", "", ""},
		{"myacr.azurecr.io:8443/app", "myacr.azurecr.io:8443", "app", "", ""},
	} {
		r := parseImage(c.in)
		if r.Registry != c.registry || r.Repository != c.repo || r.Tag != c.tag || r.Digest != c.digest {
			t.Errorf("parseImage(%q) = %+v, want %s %s %s %s", c.in, r, c.registry, c.repo, c.tag, c.digest)
		}
	}
}

func TestTrustMatching(t *testing.T) {
	tr := trust{patterns: []string{"*.azurecr.io", "ghcr.io/acme", "docker.io/library", "quay.io/*/tools", normaliseRegistryPattern("https://Reg.example.com:443/team/")}}
	for img, want := range map[string]bool{
		"myacr.azurecr.io/app:1":     true,
		"azurecr.io/app:1":           false, // the glob needs a sub-domain
		"evil.azurecr.io.example/x":  false,
		"ghcr.io/acme/api:1":         true,
		"ghcr.io/acme-evil/api:1":    false, // prefixes end at a path boundary
		"ghcr.io/acme":               true,  // a prefix matches itself
		"nginx:1.27":                 true,
		"bitnami/redis:7":            false,
		"quay.io/org/tools/x:1":      true,
		"quay.io/org/other/x:1":      false,
		"myacr.azurecr.io:443/app":   true, // the HTTPS port is the same registry
		"myacr.azurecr.io:5000/app":  false,
		"reg.example.com/team/x":     true, // a configured :443 is the same registry
		"reg.example.com:443/team/x": true,
	} {
		r := parseImage(img)
		if _, got := tr.matches(r); got != want {
			t.Errorf("%s: trusted = %v, want %v", img, got, want)
		}
	}
}

func TestCredentialWord(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "db-passwd": true, "MYSQL_PWD": true, "client.secret": true, "AZURE_CLIENT_SECRET": true,
		"apiKey": true, "API-KEY": true, "storageAccessKey": true, "PRIVATE_KEY": true, "ConnectionString": true,
		"connection-string": true, "GITHUB_TOKEN": true, "aws_credentials": true, "Secret": true,
		"PWD": true, "OLDPWD": true, "LOG_LEVEL": false, "USERNAME": false, "KEY": false,
		"POSTGRES_PASSWORD_FILE": false, "passwordFile": false, "TOKEN_SERVICE_URL": false, "MY_SECRET_NAME": false,
		"SECRET_KEY_PATH": false, "AIRFLOW__API__SECRET_KEY_CMD": false, "CASSANDRA_NUM_TOKENS": false,
		"ALLOW_EMPTY_PASSWORD": false, "ENABLE_M2M_TOKENS": false, "REGISTRY_CREDENTIAL_USERNAME": false,
		"VAULT_DEV_ROOT_TOKEN_ID": true, "MINIO_SECRET_KEY": true,
	} {
		if got := credentialWord(name) != ""; got != want {
			t.Errorf("credentialWord(%q) = %q, want credential=%v", name, credentialWord(name), want)
		}
	}
	for v, want := range map[string]bool{"yes": true, "False": true, "$(DB_PASSWORD)": true, "hunter2": false, "$(A)$(B)": false, "0": false} {
		if got := notACredentialValue(v); got != want {
			t.Errorf("notACredentialValue(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestHostPathAllowed(t *testing.T) {
	allow := []string{"/var/log", "/etc/ssl/certs/", "/run/*/sock"}
	for p, want := range map[string]bool{
		"/var/log": true, "/var/log/": true, "/var/log/pods": true, "/var/logs": false, "/var": false,
		"/etc/ssl/certs": true, "/etc/ssl": false, "/run/containerd/sock": true, "/run/a/b/sock": false,
		"/var/log/../../etc": false,
	} {
		if got, _ := hostPathAllowed(allow, p); got != want {
			t.Errorf("hostPathAllowed(%q) = %v, want %v", p, got, want)
		}
	}
	if got, _ := hostPathAllowed(nil, "/var/log"); got {
		t.Error("an empty allow-list allows nothing")
	}
}
