package images

import (
	"fmt"
	"path"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

var img001 = &check.Control{
	ID: "AKS-IMG-001", Title: "Images from trusted registries", Severity: check.High, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "Images pulled from public registries can be replaced, typo-squatted or withdrawn; pulling only from your own Azure Container Registry (with imported, scanned images) and Microsoft's registry keeps the supply chain under your control. The scan's container registries (az acr show) count as trusted by default.",
	FailsWhen:   "An image's registry (docker.io when the image names none) is not trusted: the configured trustedRegistries (host or host/path prefixes, globs like *.azurecr.io), else mcr.microsoft.com plus the registries in the scan, else mcr.microsoft.com plus any *.azurecr.io. The result says which default was used.",
	Remediation: "Import the image into your ACR (az acr import) and reference it from there, or add the registry to trustedRegistries in .aksguard.yaml if you trust it.",
	References: []string{"https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management",
		"https://learn.microsoft.com/azure/container-registry/container-registry-import-images",
		"https://kubernetes.io/docs/concepts/containers/images/"},
	Mappings: check.Mappings{
		CIS17: []string{"5.1.4"}, CIS18: []string{"5.1.4"},
		AzurePolicy: []string{
			"febd0533-8e55-448f-b837-bd0e06f16469", // Kubernetes cluster containers should only use allowed images
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{PassMsg: "every image comes from a trusted registry", Judge: judgeTrustedRegistry}),
}

// trust is the set of trusted registries used by one run of AKS-IMG-001.
type trust struct {
	patterns []string
	// desc says where the list came from, for evidence and messages.
	desc string
	// evPath is the evidence path of the list.
	evPath string
	// note marks a default list in pass evidence.
	note string
}

// trustFor picks the trusted registries: the configured list, else
// mcr.microsoft.com plus the registries of the scan, else mcr.microsoft.com
// plus any *.azurecr.io.
func trustFor(ctx *check.Context) trust {
	if len(ctx.Settings.TrustedRegistries) > 0 {
		var ps []string
		for _, t := range ctx.Settings.TrustedRegistries {
			if p := normaliseRegistryPattern(t); p != "" {
				ps = append(ps, p)
			}
		}
		return trust{patterns: ps, desc: strings.Join(ps, ", "), evPath: "trustedRegistries (configuration)"}
	}
	seen := map[string]bool{}
	var acrs []string
	addReg := func(r *inventory.Registry) {
		if r == nil {
			return
		}
		if p := normaliseRegistryPattern(r.LoginServer); p != "" && !seen[p] {
			seen[p] = true
			acrs = append(acrs, p)
		}
	}
	if ctx.Inv != nil {
		for _, r := range ctx.Inv.Registries {
			addReg(r)
		}
		for _, c := range ctx.Inv.Clusters {
			for _, r := range c.Registries {
				addReg(r)
			}
		}
	}
	if len(acrs) > 0 {
		return trust{patterns: append([]string{"mcr.microsoft.com"}, acrs...),
			desc:   "mcr.microsoft.com and the scan's container registries (" + strings.Join(acrs, ", ") + "); default used, no trustedRegistries configured",
			evPath: "trusted registries (default)", note: ", default list"}
	}
	return trust{patterns: []string{"mcr.microsoft.com", "*.azurecr.io"},
		desc:   "mcr.microsoft.com and any *.azurecr.io; default used, no trustedRegistries configured and no container registry in the scan",
		evPath: "trusted registries (default)", note: ", default list"}
}

// normaliseRegistryPattern lower-cases a registry entry and strips a scheme
// and trailing slashes.
func normaliseRegistryPattern(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimRight(s, "/")
	if first, rest, ok := strings.Cut(s, "/"); ok {
		return imageref.RegistryHost(first) + "/" + rest
	}
	return imageref.RegistryHost(s)
}

// matches reports whether a pattern (host or host/path prefix; each
// component may be a glob) matches the image's first components.
func (t trust) matches(r imageref.Ref) (string, bool) {
	segs := strings.Split(strings.ToLower(r.Full()), "/")
	for _, p := range t.patterns {
		ps := strings.Split(p, "/")
		if len(ps) > len(segs) {
			continue
		}
		ok := true
		for i := range ps {
			if m, err := path.Match(ps[i], segs[i]); err != nil || !m {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return "", false
}

// judgeTrustedRegistry is AKS-IMG-001.
func judgeTrustedRegistry(ctx *check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	t := trustFor(ctx)
	return func(c *secctx.PodContainer) secctx.Verdict {
		img := strings.TrimSpace(c.C.Image)
		ip := c.Path() + ".image"
		if img == "" {
			return secctx.Verdict{Status: check.NotAssessed, Message: c.Label() + " names no image (a patch or an unrendered template?)", Ev: []kit.Evidence{kit.KubeEv(&c.W.Meta, ip, "not set")}}
		}
		r := imageref.Parse(img)
		if p, ok := t.matches(r); ok {
			if r.Err != nil {
				return unparsable(c, img, r)
			}
			return secctx.Passed(kit.KubeEv(&c.W.Meta, ip, img+" (registry "+r.Registry+", trusted by "+p+t.note+")"))
		}
		reg := r.Registry
		if r.Implied {
			reg += " (implied: the image names no registry)"
		}
		ev := []kit.Evidence{kit.KubeEv(&c.W.Meta, ip, img), kit.Fact("registry", reg), kit.Fact(t.evPath, t.desc)}
		ref := r.Repository + tagSuffix(r.Tag)
		if r.Digest != "" {
			ref += "@" + r.Digest
		}
		return secctx.Verdict{Status: check.Fail, Message: c.Label() + " pulls " + img + " from the untrusted registry " + reg + " (trusted: " + t.desc + ")",
			Fix: fmt.Sprintf("import the image into your registry (az acr import -n <registry> --source %s) and set image: <registry>.azurecr.io/%s on %s, or add %s to trustedRegistries in .aksguard.yaml if you trust it",
				r.Registry+"/"+ref, ref, c.Where(), r.Registry),
			Ev: ev}
	}
}
