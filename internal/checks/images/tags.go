package images

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
)

func tagSuffix(tag string) string {
	if tag == "" {
		return ""
	}
	return ":" + tag
}

// unparsable is the verdict on an image reference the Docker reference
// grammar refuses, where the control would otherwise pass: what the kubelet
// would pull is unknown (it refuses the name), so it is never a pass. A
// failing verdict on such a reference stands as it is.
func unparsable(c *secctx.PodContainer, img string, r imageref.Ref) secctx.Verdict {
	return secctx.Verdict{Status: check.NotAssessed,
		Message: c.Label() + " references " + img + ", which is not a valid image reference (" + r.Err.Error() + "; the kubelet refuses to pull it, an unrendered template?)",
		Ev:      []kit.Evidence{kit.KubeEv(&c.W.Meta, c.Path()+".image", img)}}
}
