package kit

import (
	"github.com/aksguard/aksguard/internal/inventory"
)

// Absent is the not-assessed message for companion data the scan does not
// hold: why a live read could not read it (naming the permission it needs),
// else what to scan next to the cluster.
func Absent(c *inventory.Cluster, companion, what, scanHint string) string {
	if why := c.UnreadReason(companion); why != "" {
		return "no " + what + ": " + why
	}
	return "no " + what + ": " + scanHint
}
