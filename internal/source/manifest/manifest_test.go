package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/inventory"
)

func decodeFile(t *testing.T, name string) *inventory.Batch {
	t.Helper()
	path := filepath.Join("testdata", "manifests", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Decode(data, name)
}

func errorsOf(b *inventory.Batch) string {
	var out []string
	for _, e := range b.Errors {
		out = append(out, e.Error())
	}
	return strings.Join(out, "\n")
}

func refs[T any](objs []*T, f func(*T) *inventory.Meta) string {
	var out []string
	for _, o := range objs {
		m := f(o)
		out = append(out, fmt.Sprintf("%s@%d", m.Ref(), m.Source.Line))
	}
	return strings.Join(out, ",")
}

func TestDecodeFiles(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, b *inventory.Batch)
	}{
		{"multidoc.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if len(b.Errors) > 0 || k == nil {
				t.Fatalf("errors %s", errorsOf(b))
			}
			if got := refs(k.Namespaces, func(o *inventory.Namespace) *inventory.Meta { return &o.Meta }); got != "Namespace/shop@4" {
				t.Errorf("namespaces %s", got)
			}
			if len(k.Workloads) != 1 {
				t.Fatalf("%d workloads", len(k.Workloads))
			}
			w := k.Workloads[0]
			if w.Ref() != "Deployment/shop/web" || w.Source.Line != 12 || w.SpecPath != "spec.template.spec" {
				t.Errorf("workload %s line %d path %s", w.Ref(), w.Source.Line, w.SpecPath)
			}
			if w.PodAnnotations["container.apparmor.security.beta.kubernetes.io/web"] != "unconfined" || w.PodLabels["app"] != "web" {
				t.Errorf("pod metadata %v %v", w.PodLabels, w.PodAnnotations)
			}
			c := w.Spec.Containers[0]
			// kubectl reads YAML 1.1: "yes" is true.
			if c.SecurityContext == nil || c.SecurityContext.Privileged == nil || !*c.SecurityContext.Privileged {
				t.Errorf("privileged %+v", c.SecurityContext)
			}
			if c.Ports[0].HostPort != 80 || c.Env[0].Value != "hunter2" || c.Resources.Limits.Cpu().String() != "500m" {
				t.Errorf("container %+v", c)
			}
			if len(w.Spec.InitContainers) != 1 || w.Spec.Volumes[0].HostPath.Path != "/var/run/docker.sock" ||
				w.Spec.SecurityContext == nil || !*w.Spec.SecurityContext.RunAsNonRoot {
				t.Errorf("pod spec %+v", w.Spec)
			}
			if len(k.Services) != 1 || k.Services[0].Spec.Type != corev1.ServiceTypeLoadBalancer || k.Services[0].Spec.Ports[0].TargetPort.String() != "http" {
				t.Errorf("services %+v", k.Services)
			}
			if len(k.Ingresses) != 1 || k.Ingresses[0].Spec.TLS != nil || len(k.NetworkPolicies) != 1 || k.NetworkPolicies[0].Spec.PolicyTypes[0] != "Ingress" {
				t.Errorf("ingresses %+v policies %+v", k.Ingresses, k.NetworkPolicies)
			}
			if len(k.ServiceAccounts) != 1 || *k.ServiceAccounts[0].AutomountServiceAccountToken {
				t.Errorf("service accounts %+v", k.ServiceAccounts)
			}
			if len(k.Roles) != 1 || len(k.RoleBindings) != 1 || k.RoleBindings[0].Subjects[0].Name != "default" {
				t.Errorf("roles %+v bindings %+v", k.Roles, k.RoleBindings)
			}
			if len(k.ClusterRoles) != 1 || k.ClusterRoles[0].Ref() != "ClusterRole/everything" || k.ClusterRoles[0].Namespace != "" || k.ClusterRoles[0].Rules[0].Verbs[0] != "*" {
				t.Errorf("cluster roles %+v", k.ClusterRoles)
			}
			if len(k.ClusterRoleBindings) != 1 || k.ClusterRoleBindings[0].RoleRef.Name != "cluster-admin" || k.ClusterRoleBindings[0].Subjects[0].Kind != "User" {
				t.Errorf("cluster role bindings %+v", k.ClusterRoleBindings)
			}
			if len(k.Nodes) != 1 || k.Nodes[0].Taints[0].Key != "CriticalAddonsOnly" || !strings.HasPrefix(k.Nodes[0].ProviderID, "azure://") ||
				k.Nodes[0].Annotations["weave.works/kured-reboot-in-progress"] == "" {
				t.Errorf("nodes %+v", k.Nodes)
			}
			if k.Ignored["PodDisruptionBudget"] != 1 || k.Objects["PodDisruptionBudget"] != 1 || k.Total() != 12 || k.Inputs != 1 {
				t.Errorf("objects %v ignored %v", k.Objects, k.Ignored)
			}
		}},
		{"list.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if len(b.Errors) > 0 || k == nil {
				t.Fatalf("errors %s", errorsOf(b))
			}
			if got := refs(k.Workloads, func(o *inventory.Workload) *inventory.Meta { return &o.Meta }); got != "Pod/team-a/one@3,Pod/default/two@52" {
				t.Errorf("workloads %s", got)
			}
			if c := k.Workloads[0].Controller(); c == nil || c.Kind != "ReplicaSet" {
				t.Errorf("controller %+v", c)
			}
			if k.Workloads[1].NamespaceSet() || k.Workloads[1].Namespace != "" {
				t.Errorf("namespace of two: %q", k.Workloads[1].Namespace)
			}
			if len(k.ConfigMaps) != 1 || k.ConfigMaps[0].Source.Line != 38 {
				t.Errorf("config maps %+v", k.ConfigMaps)
			}
			if k.Ignored["CustomResourceDefinition"] != 1 || k.Total() != 4 || k.Objects["List"] != 0 {
				t.Errorf("objects %v", k.Objects)
			}
		}},
		{"list.json", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if k == nil {
				t.Fatalf("no kube; errors %s", errorsOf(b))
			}
			// The Service's port is a string: an error at its line; the
			// other items are read.
			if len(b.Errors) != 1 || b.Errors[0].Line != 46 || !strings.Contains(b.Errors[0].Message, "spec.ports[0].port") {
				t.Errorf("errors %s", errorsOf(b))
			}
			if len(k.Workloads) != 1 || k.Workloads[0].Ref() != "DaemonSet/kube-system/kured" || k.Workloads[0].Source.Line != 4 || !k.Workloads[0].Spec.HostPID {
				t.Fatalf("workloads %+v", k.Workloads)
			}
			if _, ok := k.Workloads[0].Annotations["kubectl.kubernetes.io/last-applied-configuration"]; ok {
				t.Errorf("last-applied-configuration kept")
			}
			if k.Workloads[0].Annotations["weave.works/kured-node-lock"] == "" {
				t.Errorf("kured lock lost")
			}
			if len(k.Secrets) != 1 || fmt.Sprint(k.Secrets[0].RegistryHosts) != "[myacr.azurecr.io]" {
				t.Errorf("secrets %+v", k.Secrets)
			}
			if k.Objects["Service"] != 1 || k.Ignored["CustomResourceDefinition"] != 1 {
				t.Errorf("objects %v", k.Objects)
			}
		}},
		{"object.json", func(t *testing.T, b *inventory.Batch) {
			if len(b.Errors) > 0 || b.Kube == nil || len(b.Kube.Workloads) != 1 || b.Kube.Workloads[0].Spec.NodeName != "virtual-node-aci-linux" || b.Kube.Workloads[0].Source.Line != 1 {
				t.Errorf("batch %+v %s", b.Kube, errorsOf(b))
			}
		}},
		{"cronjob.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if len(b.Errors) > 0 || k == nil {
				t.Fatalf("errors %s", errorsOf(b))
			}
			var got []string
			for _, w := range k.Workloads {
				got = append(got, fmt.Sprintf("%s@%d %s %s", w.Ref(), w.Source.Line, w.SpecPath, w.Spec.Containers[0].Image))
			}
			want := []string{
				"CronJob/ops/backup@1 spec.jobTemplate.spec.template.spec registry.example.com/backup",
				"CronJob/default/legacy@22 spec.jobTemplate.spec.template.spec busybox",
				"Job/ops/migrate-*@36 spec.template.spec migrate:v1",
				"ReplicationController/default/old@49 spec.template.spec old:1",
				"ReplicaSet/default/rs@62 spec.template.spec rs:1",
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("workloads\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			w := k.Workloads[0]
			if w.PodAnnotations["container.seccomp.security.alpha.kubernetes.io/backup"] != "unconfined" || *w.Spec.Containers[0].SecurityContext.RunAsUser != 0 {
				t.Errorf("cronjob template %+v", w)
			}
			if !k.Workloads[4].Spec.HostNetwork {
				t.Errorf("extensions/v1beta1 ReplicaSet not decoded")
			}
		}},
		{"values.yaml", func(t *testing.T, b *inventory.Batch) {
			if b.Kube != nil || len(b.Errors) > 0 || b.Skipped != NotObject {
				t.Errorf("batch %+v", b)
			}
		}},
		{"compose.yml", func(t *testing.T, b *inventory.Batch) {
			if b.Kube != nil || len(b.Errors) > 0 || b.Skipped != NotObject {
				t.Errorf("batch %+v", b)
			}
		}},
		{"kustomization.yaml", func(t *testing.T, b *inventory.Batch) {
			if b.Kube != nil || len(b.Errors) > 0 || !strings.HasPrefix(b.Skipped, "kustomization") {
				t.Errorf("batch %+v", b)
			}
		}},
		{"broken.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if k == nil {
				t.Fatalf("no kube")
			}
			want := "broken.yaml:11: invalid YAML: did not find expected key; fix the document (indentation, quoting, a ':' in a plain value)\n" +
				"broken.yaml:22: Service: spec.ports[1].port value is a string, want an integer; fix the value (the API server rejects the object as written)"
			if got := errorsOf(b); got != want {
				t.Errorf("errors\n%s\nwant\n%s", got, want)
			}
			if got := refs(k.ConfigMaps, func(o *inventory.ConfigMap) *inventory.Meta { return &o.Meta }); got != "ConfigMap/default/before@1,ConfigMap/default/after@24" {
				t.Errorf("config maps %s", got)
			}
			if k.Objects["Deployment"] != 1 || k.Objects["Service"] != 1 || len(k.Workloads) != 0 || len(k.Services) != 0 {
				t.Errorf("objects %v", k.Objects)
			}
		}},
		{"secrets.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if len(b.Errors) > 0 || k == nil {
				t.Fatalf("errors %s", errorsOf(b))
			}
			var got []string
			for _, s := range k.Secrets {
				got = append(got, fmt.Sprintf("%s %s %v %v", s.Name, s.Type, s.Keys, s.RegistryHosts))
			}
			want := []string{
				"acr-pull kubernetes.io/dockerconfigjson [.dockerconfigjson] [myacr.azurecr.io]",
				"docker-hub kubernetes.io/dockerconfigjson [.dockerconfigjson] [index.docker.io]",
				"db Opaque [password username] []",
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("secrets\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(k.ConfigMaps) != 1 || fmt.Sprint(k.ConfigMaps[0].Keys) != "[{DB_PASSWORD true false } {blob true true } {config.json true false } {empty false false } {id_ed25519 true true a PEM private key} {notes true false a GitHub token}]" {
				t.Errorf("config map keys %+v", k.ConfigMaps)
			}
		}},
		{"policies.yaml", func(t *testing.T, b *inventory.Batch) {
			k := b.Kube
			if len(b.Errors) > 0 || k == nil {
				t.Fatalf("errors %s", errorsOf(b))
			}
			if len(k.ConstraintTemplates) != 1 || k.ConstraintTemplates[0].ConstraintKind != "K8sAzureV2NoPrivilege" || fmt.Sprint(k.ConstraintTemplates[0].Targets) != "[admission.k8s.gatekeeper.sh]" {
				t.Errorf("templates %+v", k.ConstraintTemplates)
			}
			if len(k.Constraints) != 1 {
				t.Fatalf("constraints %+v", k.Constraints)
			}
			c := k.Constraints[0]
			if c.Kind != "K8sAzureV2NoPrivilege" || c.EnforcementAction != "deny" || fmt.Sprint(c.Match["excludedNamespaces"]) != "[kube-system gatekeeper-system]" ||
				fmt.Sprint(c.Parameters["limit"]) != "3" || !c.ClusterScoped || c.Source.Line != 16 {
				t.Errorf("constraint %+v", c)
			}
			if len(k.AdmissionPolicies) != 1 || len(k.AdmissionPolicies[0].Spec.Validations) != 1 || len(k.AdmissionPolicyBindings) != 1 || k.AdmissionPolicyBindings[0].Spec.PolicyName != "no-privileged" {
				t.Errorf("admission policies %+v %+v", k.AdmissionPolicies, k.AdmissionPolicyBindings)
			}
			if len(k.VulnerabilityReports) != 1 {
				t.Fatalf("reports %+v", k.VulnerabilityReports)
			}
			r := k.VulnerabilityReports[0]
			if r.OwnerKind != "ReplicaSet" || r.OwnerName != "web-5d9c" || r.Container != "web" || r.Registry != "myacr.azurecr.io" || r.Tag != "1.2.3" ||
				fmt.Sprint(r.Vulnerabilities) != "[{CVE-2024-0001 CRITICAL 1.2.4} {CVE-2024-0002 LOW }]" {
				t.Errorf("report %+v", r)
			}
			if len(k.AzureIdentities) != 1 || len(k.AzureIdentityBindings) != 1 || k.AzureIdentityBindings[0].Selector != "web" {
				t.Errorf("pod identity %+v %+v", k.AzureIdentities, k.AzureIdentityBindings)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { tt.check(t, decodeFile(t, tt.file)) })
	}
}

// The password, its base64 forms and the docker auth must not be reachable
// from the decoded batch, nor appear in any message.
func TestSecretsNeverKept(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "manifests", "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"SecretPassw0rd", "U2VjcmV0UGFzc3cwcmQtWFla", "bXlhY3I6U2VjcmV0UGFzc3cwcmQtWFla", "eyJhdXRocyI6", "hunter2",
		"Pl4nt3dT0k3nV4lu3", "Pl4nt3dBinaryK3y", "LS0tLS1CRUdJTi"}
	check := func(t *testing.T, b *inventory.Batch) {
		t.Helper()
		walkStrings(reflect.ValueOf(b), map[uintptr]bool{}, func(s string) {
			for _, secret := range secrets {
				if strings.Contains(s, secret) {
					t.Errorf("decoded batch holds %q in %q", secret, s)
				}
			}
		})
		if s := fmt.Sprintf("%#v %+v", b.Errors, b.Errors); strings.Contains(s, "SecretPassw0rd") {
			t.Errorf("errors hold the secret: %s", s)
		}
	}
	t.Run("memory", func(t *testing.T) { check(t, Decode(bytes.Clone(data), "secrets.yaml")) })
	t.Run("stream", func(t *testing.T) { check(t, DecodeReader(bytes.NewReader(data), "secrets.yaml", 4)) })
	t.Run("json list", func(t *testing.T) { check(t, decodeFile(t, "list.json")) })
	// Secrets that do not decode report without their values.
	bad := []string{
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: U2VjcmV0UGFzc3cwcmQtWFla\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: SecretPassw0rd-XYZ!!\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: [SecretPassw0rd]\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: \"SecretPassw0rd\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: `SecretPassw0rd`\n  x: *SecretPassw0rd\n",
		`{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"password": 12345}, "stringData": {"SecretPassw0rd": 1}}`,
	}
	for i, doc := range bad {
		t.Run(fmt.Sprint("bad", i), func(t *testing.T) {
			b := Decode([]byte(doc), "bad.yaml")
			if len(b.Errors) == 0 {
				t.Errorf("no error for %q", doc)
			}
			check(t, b)
			if s := errorsOf(b); strings.Contains(s, "12345") {
				t.Errorf("errors quote a value: %s", s)
			}
		})
	}
}

// walkStrings visits every string and byte slice reachable from v.
func walkStrings(v reflect.Value, seen map[uintptr]bool, visit func(string)) {
	switch v.Kind() {
	case reflect.String:
		visit(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		walkStrings(v.Elem(), seen, visit)
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), seen, visit)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			visit(string(v.Bytes()))
			return
		}
		for i := range v.Len() {
			walkStrings(v.Index(i), seen, visit)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			walkStrings(it.Key(), seen, visit)
			walkStrings(it.Value(), seen, visit)
		}
	}
}

// Streaming with several workers gives what the in-memory decoder gives.
func TestDecodeReaderMatchesDecode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "manifests", "*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := Decode(bytes.Clone(data), f)
		for _, w := range []int{1, 3} {
			b := DecodeReader(bytes.NewReader(data), f, w)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: DecodeReader(workers=%d) differs from Decode", f, w)
			}
		}
	}
}

func TestDecodeSmallCases(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // objects as Ref@line, skipped reason, or errors
	}{
		{"empty", "", "skipped: " + Empty},
		{"only comments", "# nothing\n---\n# here\n", "skipped: " + Empty},
		{"plain text", "using 'main.bicep'\nparam a = 1\n", "skipped: " + PlainText},
		{"top-level sequence", "- a\n- b\n", "skipped: " + NotObject},
		{"kubeconfig", "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: abc}\n", "kubeconfig x.yaml@1 users [u:token]"},
		{"crlf", "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: a\r\n", "Namespace/a@1"},
		{"bom", "\xef\xbb\xbfapiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n", "Namespace/a@1"},
		{"quoted kind", "\"apiVersion\": 'v1'\nkind: \"Namespace\" # c\nmetadata: {name: a}\n", "Namespace/a@1"},
		{"flow document", "{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n", "Namespace/a@1"},
		{"indented document", "  apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n", "Namespace/a@1"},
		{"marker with content", "--- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n", "Namespace/a@1"},
		{"document end markers", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n...\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n", "Namespace/a@1 Namespace/b@6"},
		{"anchors", "apiVersion: v1\nkind: Namespace\nmetadata: &m\n  name: a\n  labels: {x: z}\n", "Namespace/a@1"},
		{"kind after spec", "metadata:\n  name: a\nspec: {}\nkind: Namespace\napiVersion: v1\n", "Namespace/a@1"},
		{"unknown kind", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n", "ignored Widget"},
		{"apiVersion only", "apiVersion: v1\nmetadata: {name: a}\n", "skipped: " + NotObject},
		{"nested list", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: []\n", "kube"},
		{"empty list", "apiVersion: v1\nkind: List\nitems: []\n", "kube"},
		{"wrong type in labels", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    version: 1.0\n",
			"x.yaml:6: Namespace: metadata.labels.version value is a number, want a string (quote it); fix the value (the API server rejects the object as written)"},
		{"configmap value type", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  port: 80\n",
			"x.yaml:1: ConfigMap: the value must be a string; fix the value (the API server rejects the object as written)"},
		{"syntax error in flow", "{apiVersion: v1, kind: Namespace\n", "x.yaml:1: invalid YAML: did not find expected ',' or '}'; fix the document (indentation, quoting, a ':' in a plain value)"},
		{"syntax error not an object", "{a: [}\n", "skipped: " + NotObject},
		{"list item error", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    containers:\n    - name: c\n      ports:\n      - containerPort: http\n",
			"x.yaml:11: Pod: spec.containers[0].ports[0].containerPort value is a string, want an integer; fix the value (the API server rejects the object as written)"},
		{"items in non-list", "apiVersion: example.com/v1\nkind: Bag\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n", "ignored Bag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Decode([]byte(tt.in), "x.yaml")
			var got []string
			if len(b.Errors) > 0 {
				got = append(got, errorsOf(b))
			} else if b.Skipped != "" {
				got = append(got, "skipped: "+b.Skipped)
			} else if len(b.Kubeconfigs) > 0 {
				for _, kc := range b.Kubeconfigs {
					var users []string
					for _, u := range kc.Users {
						users = append(users, u.Name+":"+u.Auth.Method)
					}
					got = append(got, fmt.Sprintf("kubeconfig %s@%d users %v", kc.Source.File, kc.Source.Line, users))
				}
			} else if k := b.Kube; k != nil {
				for _, n := range k.Namespaces {
					got = append(got, fmt.Sprintf("%s@%d", n.Ref(), n.Source.Line))
				}
				for _, kind := range sortedKeys(k.Ignored) {
					got = append(got, "ignored "+kind)
				}
				if len(got) == 0 {
					got = append(got, "kube")
				}
				for _, r := range sortedKeys(k.Skipped) {
					got = append(got, "skipped "+r)
				}
			}
			if s := strings.Join(got, " "); s != tt.want {
				if strings.HasPrefix(s, "kube ") && strings.HasPrefix(tt.want, "kube,") {
					s = strings.Replace(s, "kube ", "kube, ", 1)
				}
				if s != tt.want {
					t.Errorf("got  %s\nwant %s", s, tt.want)
				}
			}
		})
	}
}

func sortedKeys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The real objects of the corpus subset decode without errors, and every
// kind is counted as the summary (read from the files' kind: lines) says.
func TestCorpus(t *testing.T) {
	var summary struct {
		Total int
		Kinds map[string]int
	}
	data, err := os.ReadFile(filepath.Join("testdata", "corpus-summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &summary); err != nil {
		t.Fatal(err)
	}
	k := &inventory.Kube{}
	files := 0
	err = filepath.WalkDir(filepath.Join("testdata", "corpus"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		b := DecodeReader(f, p, 1)
		for _, e := range b.Errors {
			t.Errorf("%s", e.Error())
		}
		if b.Kube == nil {
			t.Errorf("%s: no object (skipped %q)", p, b.Skipped)
			return nil
		}
		k.Merge(b.Kube)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != summary.Total || k.Total() != summary.Total || k.Inputs != files {
		t.Errorf("%d files, %d objects, %d inputs; summary says %d", files, k.Total(), k.Inputs, summary.Total)
	}
	if !reflect.DeepEqual(k.Objects, summary.Kinds) {
		t.Errorf("kinds\n%v\nwant\n%v", k.Objects, summary.Kinds)
	}
	// Decoded objects land in their slices.
	workloads := 0
	for _, kind := range []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"} {
		workloads += summary.Kinds[kind]
	}
	if len(k.Workloads) != workloads || len(k.Services) != summary.Kinds["Service"] || len(k.ClusterRoles) != summary.Kinds["ClusterRole"] ||
		len(k.Secrets) != summary.Kinds["Secret"] || len(k.ConfigMaps) != summary.Kinds["ConfigMap"] || len(k.NetworkPolicies) != summary.Kinds["NetworkPolicy"] {
		t.Errorf("decoded: %d workloads (want %d), %d services, %d cluster roles, %d secrets, %d config maps, %d network policies",
			len(k.Workloads), workloads, len(k.Services), len(k.ClusterRoles), len(k.Secrets), len(k.ConfigMaps), len(k.NetworkPolicies))
	}
	for _, w := range k.Workloads {
		if w.Spec == nil || len(w.Spec.Containers) == 0 {
			t.Errorf("%s (%s:%d): no containers", w.Ref(), w.Source.File, w.Source.Line)
		}
	}
}

// TestKubeconfigKeepsNoCredential: a kubeconfig decodes into its CAs and
// authentication methods; its token, client key and exec secret are
// reachable nowhere in the batch (issue #8).
func TestKubeconfigKeepsNoCredential(t *testing.T) {
	dir := filepath.Join("..", "..", "checks", "testdata", "kubeconfig")
	planted := []string{"planted-kubeconfig-token", "PLANTEDKUBECONFIGKEY", "UExBTlRFREtVQkVDT05GSUdLRVk", "LS0tLS1CRUdJTiBFQyBQUklWQVRF", "planted-exec-secret"}
	for _, c := range []struct {
		file                 string
		clusters, users, cas int
		method               string
	}{
		{"admin.kubeconfig.yaml", 1, 1, 1, inventory.AuthClientCert},
		{"fresh.kubeconfig.yaml", 2, 1, 1, inventory.AuthExec},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b := Decode(data, path)
			if len(b.Errors) > 0 || b.Kube != nil || len(b.Kubeconfigs) != 1 {
				t.Fatalf("errors %v, kube %v, kubeconfigs %d: a kubeconfig is no Kubernetes object", b.Errors, b.Kube, len(b.Kubeconfigs))
			}
			kc := b.Kubeconfigs[0]
			if len(kc.Clusters) != c.clusters || len(kc.Users) != c.users || len(kc.Clusters[0].Certificates) != c.cas || kc.Users[0].Auth.Method != c.method {
				t.Errorf("kubeconfig %+v", kc)
			}
			walkStrings(reflect.ValueOf(b), map[uintptr]bool{}, func(s string) {
				for _, p := range planted {
					if strings.Contains(s, p) {
						t.Errorf("decoded batch holds %q", p)
					}
				}
			})
			// The document's bytes held credentials: they are wiped.
			if bytes.Contains(data, []byte("planted-kubeconfig-token")) || bytes.Contains(data, []byte("planted-exec-secret")) {
				t.Error("the kubeconfig's bytes were not wiped after decoding")
			}
		})
	}
}

// A workload kind under a built-in apiVersion that does not serve it is
// rejected by the API server: it is an input error at its line, counted and
// not judged, and the other objects of the file are still read. A custom
// resource reusing a workload kind name in its own group is not.
func TestWorkloadUnderWrongAPIVersion(t *testing.T) {
	const deploy = "kind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec: {containers: [{name: web, image: nginx}]}\n"
	tests := []struct {
		name      string
		doc       string
		errs      []string // file:line: message fragments
		workloads int
	}{
		{"apiVersion v1 Deployment", "apiVersion: v1\n" + deploy,
			[]string{`m.yaml:1: apiVersion "v1" has no kind Deployment (it is apps/v1)`}, 0},
		{"after a good object", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n# comment\napiVersion: v1\n" + deploy,
			[]string{`m.yaml:6: apiVersion "v1" has no kind Deployment`}, 0},
		{"StatefulSet in batch", "apiVersion: batch/v1\nkind: StatefulSet\nmetadata: {name: db}\n",
			[]string{`m.yaml:1: apiVersion "batch/v1" has no kind StatefulSet (it is apps/v1)`}, 0},
		{"Pod in apps", "apiVersion: apps/v1\nkind: Pod\nmetadata: {name: p}\n",
			[]string{`apiVersion "apps/v1" has no kind Pod (it is v1)`}, 0},
		{"group without version", "apiVersion: apps\n" + deploy,
			[]string{`apiVersion "apps" has no kind Deployment`}, 0},
		{"inside a List", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: CronJob\n  metadata: {name: c}\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: d}\n",
			[]string{`m.yaml:4: apiVersion "v1" has no kind CronJob (it is batch/v1)`}, 1},
		{"JSON", `{"apiVersion": "v1", "kind": "Deployment", "metadata": {"name": "web"}}`,
			[]string{`m.yaml:1: apiVersion "v1" has no kind Deployment`}, 0},
		{"the right apiVersions", "apiVersion: apps/v1\n" + deploy + "---\napiVersion: extensions/v1beta1\n" + deploy + "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n", nil, 3},
		{"a custom resource of the same kind name", "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: j}\n", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Decode([]byte(tt.doc), "m.yaml")
			if len(b.Errors) != len(tt.errs) {
				t.Fatalf("errors:\n%s\nwant %d", errorsOf(b), len(tt.errs))
			}
			for i, want := range tt.errs {
				if got := b.Errors[i].Error(); !strings.Contains(got, want) || !strings.Contains(got, "does not judge it") {
					t.Errorf("error %q, want it to contain %q and say the object is not judged", got, want)
				}
			}
			if b.Kube == nil {
				t.Fatal("no Kubernetes input")
			}
			if got := len(b.Kube.Workloads); got != tt.workloads {
				t.Errorf("%d workloads, want %d", got, tt.workloads)
			}
		})
	}
}

// The policies of the engines AKS ships are decoded into their collections,
// clusterwide kinds without a namespace, a Cilium policy's spec and specs
// as its rules.
func TestEnginePolicies(t *testing.T) {
	tests := []struct {
		doc            string
		cilium, calico int
		ref            string
		clusterWide    bool
		rules          int
	}{
		{"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: a, namespace: team}\nspec: {endpointSelector: {}}\nspecs: [{endpointSelector: {}}]\n", 1, 0, "CiliumNetworkPolicy/team/a", false, 2},
		{"apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: a, namespace: ignored}\nspec: {endpointSelector: {}}\n", 1, 0, "CiliumClusterwideNetworkPolicy/a", true, 1},
		{"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: a, namespace: team}\nspec: {selector: all()}\n", 0, 1, "NetworkPolicy/team/a", false, 1},
		{"apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: team}\nspec: {selector: all()}\n", 0, 1, "NetworkPolicy/team/a", false, 1},
		{"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: a}\nspec: {selector: all()}\n", 0, 1, "GlobalNetworkPolicy/a", true, 1},
		{"apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: a}\nspec: {selector: all()}\n", 0, 1, "GlobalNetworkPolicy/a", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.ref+" "+strings.SplitN(tt.doc, "\n", 2)[0], func(t *testing.T) {
			b := Decode([]byte(tt.doc), "p.yaml")
			if len(b.Errors) > 0 || b.Kube == nil {
				t.Fatalf("errors: %s", errorsOf(b))
			}
			k := b.Kube
			if len(k.CiliumPolicies) != tt.cilium || len(k.CalicoPolicies) != tt.calico || len(k.NetworkPolicies) != 0 {
				t.Fatalf("cilium %d calico %d networking %d", len(k.CiliumPolicies), len(k.CalicoPolicies), len(k.NetworkPolicies))
			}
			p := append(k.CiliumPolicies, k.CalicoPolicies...)[0]
			if p.Ref() != tt.ref || p.ClusterWide != tt.clusterWide || len(p.Rules) != tt.rules {
				t.Errorf("%s clusterWide=%v rules=%d", p.Ref(), p.ClusterWide, len(p.Rules))
			}
		})
	}
}
