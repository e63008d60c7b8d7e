package images

import (
	"testing"

	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
)

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
		r := imageref.Parse(img)
		if _, got := tr.matches(r); got != want {
			t.Errorf("%s: trusted = %v, want %v", img, got, want)
		}
	}
}
