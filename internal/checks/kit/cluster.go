package kit

import (
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// AddonField returns an add-on's enabled field, with a path naming the add-on
// when the input does not list it.
func AddonField(c *inventory.Cluster, name string) inventory.Field[bool] {
	f := c.AddonEnabled(name)
	if f.Path == "" {
		switch {
		case c.IsAzAPI():
			f.Path = c.TFAddress + ".body.properties.addonProfiles." + name + ".enabled"
		case c.Format.IsTerraform():
			f.Path = c.TFAddress + " (" + name + ")"
		default:
			f.Path = "addonProfiles." + name + ".enabled"
		}
	}
	return f
}

// PoolsEvidence is one evidence per pool, made by f.
func PoolsEvidence(pools []*inventory.AgentPool, f func(*inventory.AgentPool) Evidence) []Evidence {
	out := make([]Evidence, 0, len(pools))
	for _, p := range pools {
		e := f(p)
		if !strings.Contains(e.Path, p.Name) && p.Name != "" {
			e.Path = p.Name + ": " + e.Path
		}
		out = append(out, e)
	}
	return out
}
