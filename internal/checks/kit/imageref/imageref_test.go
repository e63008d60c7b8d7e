package imageref

import (
	"testing"
)

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
		r := Parse(c.in)
		if r.Registry != c.registry || r.Repository != c.repo || r.Tag != c.tag || r.Digest != c.digest {
			t.Errorf("parseImage(%q) = %+v, want %s %s %s %s", c.in, r, c.registry, c.repo, c.tag, c.digest)
		}
	}
}
