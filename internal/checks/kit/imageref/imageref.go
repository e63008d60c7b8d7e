package imageref

import (
	"strings"
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
}

// Full is registry/repository.
func (r Ref) Full() string { return r.Registry + "/" + r.Repository }

// Parse reads NAME[:TAG][@DIGEST] with the Docker reference rules: the
// first path component is a registry host when it contains "." or ":", is
// "localhost", or has upper-case letters; else the image is on Docker Hub.
func Parse(s string) Ref {
	var r Ref
	rest := strings.TrimSpace(s)
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
