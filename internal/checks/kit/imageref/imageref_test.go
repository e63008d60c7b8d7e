package imageref

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseImage(t *testing.T) {
	for _, c := range []struct {
		in, registry, repo, tag, digest string
		implied, invalid                bool
	}{
		{in: "nginx", registry: "docker.io", repo: "library/nginx", implied: true},
		{in: "nginx:1.27", registry: "docker.io", repo: "library/nginx", tag: "1.27", implied: true},
		{in: "bitnami/redis:7", registry: "docker.io", repo: "bitnami/redis", tag: "7", implied: true},
		{in: "docker.io/nginx", registry: "docker.io", repo: "library/nginx"},
		{in: "index.docker.io/library/nginx:latest", registry: "docker.io", repo: "library/nginx", tag: "latest"},
		{in: "registry-1.docker.io/nginx", registry: "docker.io", repo: "library/nginx"},
		{in: "registry.hub.docker.com/bitnami/redis", registry: "docker.io", repo: "bitnami/redis"},
		{in: "localhost/app", registry: "localhost", repo: "app"},
		{in: "localhost:5000/team/app:v1", registry: "localhost:5000", repo: "team/app", tag: "v1"},
		{in: "myreg:5000/team/app", registry: "myreg:5000", repo: "team/app"},
		{in: "MyACR.azurecr.io/app:1", registry: "myacr.azurecr.io", repo: "app", tag: "1"},
		{in: "  mcr.microsoft.com/dotnet/aspnet:8.0  ", registry: "mcr.microsoft.com", repo: "dotnet/aspnet", tag: "8.0"},
		// The HTTPS port names the same registry (issue #8); others do not.
		{in: "myacr.azurecr.io:443/app:1", registry: "myacr.azurecr.io", repo: "app", tag: "1"},
		{in: "index.docker.io:443/library/nginx", registry: "docker.io", repo: "library/nginx"},
		{in: "index.docker.io:443/nginx", registry: "docker.io", repo: "library/nginx"},
		{in: "myacr.azurecr.io:8443/app", registry: "myacr.azurecr.io:8443", repo: "app"},
		// Real references from the corpus (/work/shared/corpus/real).
		{in: "busybox:1.38.0@sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d", registry: "docker.io", repo: "library/busybox", tag: "1.38.0",
			digest: "sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d", implied: true},
		{in: "docker.io/bitnami/etcd:3.6.4-debian-12-r3", registry: "docker.io", repo: "bitnami/etcd", tag: "3.6.4-debian-12-r3"},
		{in: "gcr.io/google_samples/gb-redisslave:v1", registry: "gcr.io", repo: "google_samples/gb-redisslave", tag: "v1"},
		{in: "ghcr.io/kubeflow/katib/katib-controller:v0.19.0", registry: "ghcr.io", repo: "kubeflow/katib/katib-controller", tag: "v0.19.0"},
		{in: "capttofu/percona_xtradb_cluster_5_6:beta", registry: "docker.io", repo: "capttofu/percona_xtradb_cluster_5_6", tag: "beta", implied: true},
		{in: "ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", registry: "ghcr.io", repo: "acme/api",
			digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		// References the grammar refuses: split by the same rules, Err set.
		{in: "myreg:5000/team/app:2.1@sha256:abc", registry: "myreg:5000", repo: "team/app", tag: "2.1", digest: "sha256:abc", invalid: true},
		{in: "ghcr.io/acme/api@sha256:00", registry: "ghcr.io", repo: "acme/api", digest: "sha256:00", invalid: true},
		{in: "MyACR.azurecr.io:443/team/app@sha256:ab", registry: "myacr.azurecr.io", repo: "team/app", digest: "sha256:ab", invalid: true},
		{in: "<YOUR-CONTAINER>", registry: "docker.io", repo: "library/<YOUR-CONTAINER>", implied: true, invalid: true},
		{in: "Nginx:1.27", registry: "docker.io", repo: "library/Nginx", tag: "1.27", implied: true, invalid: true},
		{in: "myacr.azurecr.io/Team/App:1", registry: "myacr.azurecr.io", repo: "Team/App", tag: "1", invalid: true},
		{in: "nginx:bad tag", registry: "docker.io", repo: "library/nginx", tag: "bad tag", implied: true, invalid: true},
		{in: "fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d", registry: "docker.io",
			repo: "library/fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d", implied: true, invalid: true},
		{in: "", registry: "docker.io", repo: "library/", implied: true, invalid: true},
	} {
		r := Parse(c.in)
		if r.Registry != c.registry || r.Repository != c.repo || r.Tag != c.tag || r.Digest != c.digest || r.Implied != c.implied || (r.Err != nil) != c.invalid {
			t.Errorf("Parse(%q) = %+v, want %s %s %s %s implied=%v invalid=%v", c.in, r, c.registry, c.repo, c.tag, c.digest, c.implied, c.invalid)
		}
		if got := ImageRegistry(c.in); got != c.registry {
			t.Errorf("ImageRegistry(%q) = %q, want %q", c.in, got, c.registry)
		}
	}
}

// TestParseAgreesWithSplitOnCorpus reads every image of the real corpus
// the checks test on: the library's reading of a valid reference is the
// rule-based split the controls used before it (so no verdict moves), and
// the corpus's references are valid but for its two placeholders.
func TestParseAgreesWithSplitOnCorpus(t *testing.T) {
	files, err := filepath.Glob("../../testdata/corpus/*/*.yaml")
	if err != nil || len(files) < 100 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	seen := map[string]bool{}
	var invalid []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			// Container images only: block-YAML "image: x" lines, not
			// the text of ConfigMaps that mention images.
			img, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimSpace(line), "- "), "image: ")
			img = strings.Trim(strings.TrimSpace(img), `"'`)
			if !ok || img == "" || seen[img] {
				continue
			}
			seen[img] = true
			r := Parse(img)
			if r.Err != nil {
				invalid = append(invalid, img)
				continue
			}
			if s := split(img); s != r {
				t.Errorf("%q: library %+v, split %+v", img, r, s)
			}
		}
	}
	if len(seen) < 200 {
		t.Errorf("only %d images in the corpus", len(seen))
	}
	slices.Sort(invalid)
	if want := []string{"<YOUR-CONTAINER>", "<image_url>"}; !slices.Equal(invalid, want) {
		t.Errorf("invalid references %q, want %q", invalid, want)
	}
}
