package images

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

var img002 = &check.Control{
	ID: "AKS-IMG-002", Title: "Immutable image references", Severity: check.Medium, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "An image without a tag, or tagged latest, changes under the same reference: rollouts are not reproducible and a pushed image reaches production unreviewed. A digest pins the exact bytes.",
	FailsWhen:   "An image has no tag or the tag latest (and no digest); with requireDigest configured, an image without an @sha256 digest.",
	Remediation: "Reference images by a version tag, and by digest (image: repo:1.2.3@sha256:...) where requireDigest is set.",
	References: []string{"https://kubernetes.io/docs/concepts/containers/images/#image-names",
		"https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"021f8078-41a0-40e6-81b6-c6597da9f3ee", // Kubernetes cluster container images should not include latest image tag
		},
	},
	Run: secctx.PerContainer(secctx.ContainerControl{PassMsg: "every image reference is pinned", Judge: judgePinnedImage}),
}

// judgePinnedImage is AKS-IMG-002.
func judgePinnedImage(ctx *check.Context) func(c *secctx.PodContainer) secctx.Verdict {
	requireDigest := ctx.Settings.RequireDigest
	return func(c *secctx.PodContainer) secctx.Verdict {
		img := strings.TrimSpace(c.C.Image)
		ip := c.Path() + ".image"
		if img == "" {
			return secctx.Verdict{Status: check.NotAssessed, Message: c.Label() + " names no image (a patch or an unrendered template?)", Ev: []kit.Evidence{kit.KubeEv(&c.W.Meta, ip, "not set")}}
		}
		r := imageref.Parse(img)
		ev := []kit.Evidence{kit.KubeEv(&c.W.Meta, ip, img)}
		hasDigest := strings.HasPrefix(strings.ToLower(r.Digest), "sha256:")
		switch {
		case requireDigest && !hasDigest:
			ev = append(ev, kit.Fact("requireDigest (configuration)", "true"))
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " references " + img + " without an @sha256 digest (requireDigest is set)",
				Fix: "pin the image of " + c.Where() + " by digest: image: " + r.Full() + tagSuffix(r.Tag) + "@sha256:<digest> (az acr repository show -n <registry> --image <repo>:<tag> prints it)", Ev: ev}
		case r.Err != nil && (hasDigest || r.Digest != "" || (r.Tag != "" && !strings.EqualFold(r.Tag, "latest"))):
			return unparsable(c, img, r)
		case hasDigest || r.Digest != "":
			return secctx.Passed(ev...)
		case r.Tag == "":
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " references " + img + " without a tag (resolves to latest)",
				Fix: "pin the image of " + c.Where() + " to a version tag (and digest): image: " + img + ":<version>", Ev: ev}
		case strings.EqualFold(r.Tag, "latest"):
			return secctx.Verdict{Status: check.Fail, Message: c.Label() + " references " + img + " with the mutable tag latest",
				Fix: "pin the image of " + c.Where() + " to a version tag (and digest) instead of latest", Ev: ev}
		}
		return secctx.Passed(ev...)
	}
}
