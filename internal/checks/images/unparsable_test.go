package images

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestUnparsableImageNeverPasses: a reference the Docker grammar refuses
// (the kubelet will not pull it) is never a pass for AKS-IMG-001 or
// AKS-IMG-002; where they fail on it, the failure stands as before.
func TestUnparsableImageNeverPasses(t *testing.T) {
	settings := check.DefaultSettings()
	settings.TrustedRegistries = []string{"myacr.azurecr.io", "docker.io"}
	ctx := &check.Context{Settings: settings}
	for _, c := range []struct {
		image        string
		img001, img2 check.Status
	}{
		{"myacr.azurecr.io/Team/App:1.2", check.NotAssessed, check.NotAssessed},
		{"myacr.azurecr.io/app:1.2@sha256:abc", check.NotAssessed, check.NotAssessed},
		{"Nginx:1.27", check.NotAssessed, check.NotAssessed},
		{"<YOUR-CONTAINER>", check.NotAssessed, check.Fail},            // no tag: fails as before
		{"myacr.azurecr.io/App:latest", check.NotAssessed, check.Fail}, // latest: fails as before
		{"ghcr.io/Acme/api:1", check.Fail, check.NotAssessed},          // untrusted: fails as before
		// Valid references judge as usual.
		{"myacr.azurecr.io/app:1.2", check.Pass, check.Pass},
		{"nginx", check.Pass, check.Fail},
	} {
		w := &inventory.Workload{Meta: inventory.Meta{Kind: "Deployment", Name: "web", Namespace: "shop"}, SpecPath: "spec.template.spec",
			Spec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: c.image}}}}
		pc := secctx.PodContainers(w)[0]
		for _, j := range []struct {
			id    string
			judge func(*check.Context) func(*secctx.PodContainer) secctx.Verdict
			want  check.Status
		}{{"AKS-IMG-001", judgeTrustedRegistry, c.img001}, {"AKS-IMG-002", judgePinnedImage, c.img2}} {
			v := j.judge(ctx)(&pc)
			if v.Status != j.want {
				t.Errorf("%s on %q: %s (%s), want %s", j.id, c.image, v.Status, v.Message, j.want)
			}
			if v.Status == check.NotAssessed && !strings.Contains(v.Message, "not a valid image reference") {
				t.Errorf("%s on %q: message %q does not say the reference is invalid", j.id, c.image, v.Message)
			}
		}
	}
}
