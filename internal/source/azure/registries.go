package azure

import (
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/azure/armbody"
)

// registries reads the container registries the cluster pulls from: with
// RegistryHosts, the registries of the subscription whose login server is
// one of the hosts (registries elsewhere are not visible from here); without,
// the registries in the cluster's resource group, the usual place of a
// cluster's own ACR.
func (rd *companionReader) registries(sub, rg string) {
	hosts := map[string]bool{}
	for _, h := range rd.opts.RegistryHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if strings.HasSuffix(h, ".azurecr.io") || strings.Contains(h, ".azurecr.") {
			hosts[h] = true
		}
	}
	path := "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.ContainerRegistry/registries"
	what := "the container registries in resource group " + rg
	if len(rd.opts.RegistryHosts) > 0 {
		if len(hosts) == 0 {
			rd.cl.SetUnread(inventory.CompanionRegistries, "the cluster's images come from no Azure Container Registry ("+strings.Join(rd.opts.RegistryHosts, ", ")+")")
			return
		}
		path = "/subscriptions/" + sub + "/providers/Microsoft.ContainerRegistry/registries"
		what = "the container registries of subscription " + sub
	}
	pages, err := rd.c.list(rd.ctx, path, APIRegistries)
	if err != nil {
		rd.fail(inventory.CompanionRegistries, what, PermRegistries, err)
		return
	}
	found := 0
	for i, data := range pages {
		if armbody.EmptyList([][]byte{data}) {
			continue
		}
		name := pageName(path, i)
		b := rd.opts.decode(data, name)
		if len(hosts) > 0 {
			kept := b.Registries[:0]
			for _, reg := range b.Registries {
				if hosts[strings.ToLower(reg.LoginServer)] {
					kept = append(kept, reg)
				}
			}
			b.Registries = kept
		}
		found += len(b.Registries)
		b.Skipped = ""
		rd.r.Batches = append(rd.r.Batches, b)
	}
	if found == 0 {
		if len(hosts) > 0 {
			hs := make([]string, 0, len(hosts))
			for h := range hosts {
				hs = append(hs, h)
			}
			sort.Strings(hs)
			rd.cl.SetUnread(inventory.CompanionRegistries, "no container registry of subscription "+sub+" has the login server "+strings.Join(hs, ", ")+" (registries in other subscriptions are not read)")
			return
		}
		rd.cl.SetUnread(inventory.CompanionRegistries, "resource group "+rg+" holds no container registry (give the image hosts to read the registries the cluster pulls from)")
	}
}
