package imageref

import (
	"strings"

	"github.com/distribution/reference"
)

// Ref is a parsed image reference.
type Ref struct {
	// Registry is the host (lower-cased; docker.io for Docker Hub aliases
	// and for images that name no registry, Implied then set).
	Registry string
	Implied  bool
	// Repository is the path under the registry (library/nginx for
	// official Docker Hub images).
	Repository string
	Tag        string
	Digest     string
	// Err is set when the reference is not valid by the Docker reference
	// grammar (an upper-case repository, a malformed tag or digest, an
	// empty name): a kubelet refuses to pull it (InvalidImageName). The
	// other fields then hold the best reading of the text (see Parse).
	Err error
}

// Full is registry/repository.
func (r Ref) Full() string { return r.Registry + "/" + r.Repository }

// Parse reads NAME[:TAG][@DIGEST] with the Docker reference rules of
// github.com/distribution/reference (what the kubelet and containerd use):
// the first path component is a registry host when it contains "." or ":",
// is "localhost", or has upper-case letters; else the image is on Docker
// Hub (docker.io/library/ for a one-component name). The registry is then
// lower-cased and canonicalised by RegistryHost.
//
// A reference the grammar refuses still yields registry, repository, tag
// and digest, split by the same rules without validation, with Err set, so
// results can name what the image says.
func Parse(s string) Ref {
	s = strings.TrimSpace(s)
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		r := split(s)
		r.Err = err
		return r
	}
	r := Ref{Registry: strings.ToLower(reference.Domain(named)), Repository: reference.Path(named)}
	if t, ok := named.(reference.Tagged); ok {
		r.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		r.Digest = d.Digest().String()
	}
	// distribution/reference fills in docker.io without saying so: the
	// registry is implied when the text does not start with it.
	if r.Registry == "docker.io" {
		first, _, ok := strings.Cut(s, "/")
		first = strings.ToLower(first)
		r.Implied = !ok || (first != "docker.io" && first != "index.docker.io")
	}
	return canonical(r)
}

// split is Parse's reading of a reference the grammar refuses: the same
// domain rule, no validation.
func split(s string) Ref {
	var r Ref
	rest := s
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		r.Digest, rest = rest[i+1:], rest[:i]
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		r.Tag, rest = rest[i+1:], rest[:i]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			r.Registry, r.Repository = strings.ToLower(first), rest[i+1:]
		}
	}
	if r.Registry == "" {
		r.Registry, r.Implied, r.Repository = "docker.io", true, rest
	}
	return canonical(r)
}

// canonical applies RegistryHost to the registry and the Docker Hub
// library/ prefix to a one-component repository on docker.io (which
// distribution/reference adds only for the literal host docker.io).
func canonical(r Ref) Ref {
	r.Registry = RegistryHost(r.Registry)
	if r.Registry == "docker.io" && !strings.Contains(r.Repository, "/") {
		r.Repository = "library/" + r.Repository
	}
	return r
}

// RegistryHost is the canonical form of a lower-cased registry host: the
// Docker Hub aliases are docker.io, and the HTTPS port 443 is dropped
// (myacr.azurecr.io:443 is myacr.azurecr.io; other ports stay, they are
// other endpoints).
func RegistryHost(h string) string {
	h = strings.TrimSuffix(h, ":443")
	switch h {
	case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com":
		return "docker.io"
	}
	return h
}

// ImageRegistry is the registry host of an image reference, with the
// Docker reference rules of the image controls (docker.io for Docker Hub).
func ImageRegistry(image string) string { return Parse(image).Registry }
