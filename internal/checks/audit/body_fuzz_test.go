package audit

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// FuzzRequestBody feeds any request body to the two controls that decode
// one (AKS-AUD-004's pod templates, AKS-AUD-005's roleRef): every body is
// a finding, not a finding, or a not-judged group saying why; never a
// panic, never a finding and a reason at once.
func FuzzRequestBody(f *testing.F) {
	for _, s := range []string{
		`{"spec":{"containers":[{"name":"c","securityContext":{"privileged":true}}]}}`,
		`{"spec":{"template":{"spec":{"hostPID":true,"containers":[]}}}}`,
		`{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"volumes":[{"hostPath":{"path":"/"}}]}}}}}}`,
		`{"roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}`,
		`[{"op":"add","path":"/spec/hostNetwork","value":true}]`,
		`{"spec":{"containers":[{"securityContext":{"privileged":"yes"}}]}}`,
		`{"spec":` + string(make([]byte, 64)) + `}`,
		``, `null`, `{`,
	} {
		f.Add([]byte(s))
	}
	kinds := []inventory.AuditObjectRef{
		{Resource: "pods"}, {Resource: "pods", Subresource: "ephemeralcontainers"}, {Resource: "deployments", APIGroup: "apps"},
		{Resource: "cronjobs", APIGroup: "batch"}, {Resource: "podtemplates"},
		{Resource: "clusterrolebindings", APIGroup: "rbac.authorization.k8s.io", Name: "x"},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, k := range kinds {
			e := inventory.AuditEvent{Stage: "ResponseComplete", Verb: "create", Code: 201, Object: k, RequestObject: b,
				User: inventory.AuditUser{Username: "alice"}}
			for _, d := range []func(*inventory.AuditEvent) (hit, bool){detectHostAccessPod, detectClusterAdminBinding} {
				h, ok := d(&e)
				if ok && h.what == "" {
					t.Fatalf("%s: a hit without a subject", k.Resource)
				}
				if ok && h.unjudged != "" && h.note != "" {
					t.Fatalf("%s: a not-judged group with a note %q", k.Resource, h.note)
				}
			}
		}
	})
}
