package upgrades

import (
	"strings"
)

// imageRepoNoTag strips the tag and digest from an image reference.
func imageRepoNoTag(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i >= 0 && !strings.Contains(image[i:], "/") {
		image = image[:i]
	}
	return image
}
