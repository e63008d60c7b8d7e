package identity

import (
	"slices"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/imageref"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn005 = &check.Control{
	ID: "AKS-IDN-005", Title: "Registry access through the kubelet identity", Severity: check.Medium, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.Reads(kit.ReadsRBAC, []string{inventory.ColSecrets, inventory.ColServiceAccounts, inventory.ColWorkloads}),
	Rationale:   "An image pull secret for Azure Container Registry holds a long-lived registry password (admin user or service principal) readable by anyone who can read Secrets; attaching the registry lets the kubelet's managed identity pull without any secret.",
	FailsWhen:   "An image pull Secret (kubernetes.io/dockerconfigjson or dockercfg) holds credentials for a *.azurecr.io registry.",
	Remediation: "Attach the registry to the cluster (az aks update --attach-acr), remove the imagePullSecrets that reference the Secret, and delete it.",
	References: []string{"https://learn.microsoft.com/azure/aks/cluster-container-registry-integration",
		"https://learn.microsoft.com/azure/container-registry/container-registry-authentication-managed-identity"},
	Run: kit.PerKube(runIDN005),
}

// acrSuffixes are the Azure Container Registry login-server domains
// (public cloud, Azure China, Azure US Government).
var acrSuffixes = []string{".azurecr.io", ".azurecr.cn", ".azurecr.us"}

func isACRHost(h string) bool {
	for _, s := range acrSuffixes {
		if strings.HasSuffix(h, s) && len(h) > len(s) {
			return true
		}
	}
	return false
}

func runIDN005(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	x := rbacidx.For(ctx, k)
	rg, cluster := "<resource-group>", "<cluster>"
	if c := ctx.Inv.KubeOwner.Cluster; c != nil {
		rg, cluster = kit.OrPlaceholder(c.ResourceGroup, rg), kit.OrPlaceholder(c.Name, cluster)
	}
	for _, s := range k.Secrets {
		if s.Type != "kubernetes.io/dockerconfigjson" && s.Type != "kubernetes.io/dockercfg" {
			continue
		}
		typeEv := kit.KubeEv(&s.Meta, "type", string(s.Type))
		if s.MetadataOnly {
			judgeUnreadPullSecret(x, s, o, typeEv, rg, cluster)
			continue
		}
		if len(s.RegistryHosts) == 0 {
			// The decoder rejects pull secrets whose docker config cannot
			// be read; an empty list is an empty auths map.
			rbacidx.EmitRBAC(o, &s.Meta, check.Pass, "image pull Secret "+s.Name+" holds credentials for no registry", "", typeEv)
			continue
		}
		var acr []string
		for _, h := range s.RegistryHosts {
			if isACRHost(h) {
				acr = append(acr, h)
			}
		}
		hostsEv := kit.KubeEv(&s.Meta, "registries", kit.Render(s.RegistryHosts))
		if len(acr) == 0 {
			rbacidx.EmitRBAC(o, &s.Meta, check.Pass, "image pull Secret "+s.Name+" holds no Azure Container Registry credentials", "", typeEv, hostsEv)
			continue
		}
		users, holders, usersEv := pullSecretUsers(x, s)
		ev := append([]kit.Evidence{typeEv, kit.KubeEv(&s.Meta, "registries", kit.Render(acr))}, usersEv...)
		if len(users) == 0 {
			ev = append(ev, kit.KubeEv(&s.Meta, "used by", "no workload or ServiceAccount in this scan"))
		}
		regs := make([]string, len(acr))
		for i, h := range acr {
			regs[i] = strings.SplitN(h, ".", 2)[0]
		}
		cmds := make([]string, len(regs))
		for i, r := range regs {
			cmds[i] = "az aks update -g " + rg + " -n " + cluster + " --attach-acr " + r
		}
		fix := "Attach the registry to the cluster so the kubelet identity pulls from it: " + strings.Join(cmds, "; ")
		if len(holders) > 0 {
			fix += "; remove " + s.Name + " from the imagePullSecrets of " + rbacidx.ListNames(holders, 8)
		}
		fix += "; then kubectl delete secret " + s.Name + " -n " + s.EffectiveNamespace() + "."
		msg := "image pull Secret " + s.Name + " holds a password for Azure Container Registry " + strings.Join(acr, ", ")
		if len(users) > 0 {
			msg += ", used by " + rbacidx.ListNames(users, 3)
		}
		rbacidx.EmitRBAC(o, &s.Meta, check.Fail, msg, fix, ev...)
	}
}

// judgeUnreadPullSecret judges a pull Secret read live, whose registries
// aksguard does not know since it never reads Secret data: the images its
// users pull tell. A user pulling from Azure Container Registry with it is
// a fail; otherwise the registries stay unknown.
func judgeUnreadPullSecret(x *rbacidx.Index, s *inventory.Secret, o *kit.KubeOut, typeEv kit.Evidence, rg, cluster string) {
	users, _, usersEv := pullSecretUsers(x, s)
	ns := s.EffectiveNamespace()
	var acr, other []string
	var imgEv []kit.Evidence
	seen := map[string]bool{}
	for _, w := range x.WorkloadsIn[ns] {
		if !slices.Contains(users, w.Ref()) {
			continue
		}
		for _, c := range secctx.PodContainers(w) {
			host := imageref.Parse(c.C.Image).Registry
			if seen[host] {
				continue
			}
			seen[host] = true
			if isACRHost(host) {
				acr = append(acr, host)
				imgEv = append(imgEv, kit.KubeEv(&w.Meta, w.Ref()+" image", c.C.Image))
			} else {
				other = append(other, host)
			}
		}
	}
	ev := append([]kit.Evidence{typeEv, kit.KubeEv(&s.Meta, "data", "not read (aksguard lists Secrets as metadata only)")}, usersEv...)
	if len(acr) == 0 {
		msg := "image pull Secret " + s.Name + " was read as metadata only, so its registries are unknown, and "
		if len(users) == 0 {
			msg += "no workload uses it"
		} else {
			msg += "its users pull from " + strings.Join(other, ", ") + ", none of them Azure Container Registry"
		}
		rbacidx.EmitRBAC(o, &s.Meta, check.NotAssessed, msg, "", ev...)
		return
	}
	regs := make([]string, len(acr))
	for i, h := range acr {
		regs[i] = "az aks update -g " + rg + " -n " + cluster + " --attach-acr " + strings.SplitN(h, ".", 2)[0]
	}
	fix := "Attach the registry to the cluster so the kubelet identity pulls from it: " + strings.Join(regs, "; ") +
		"; remove " + s.Name + " from the imagePullSecrets of " + rbacidx.ListNames(users, 8) + "; then kubectl delete secret " + s.Name + " -n " + ns + "."
	rbacidx.EmitRBAC(o, &s.Meta, check.Fail, "image pull Secret "+s.Name+" is used to pull from Azure Container Registry "+strings.Join(acr, ", ")+
		" by "+rbacidx.ListNames(users, 3)+": it holds a registry password", fix, append(ev, imgEv...)...)
}

// pullSecretUsers lists the workloads that use an image pull Secret:
// through the pod's imagePullSecrets, or through the imagePullSecrets of the
// pod's ServiceAccount. holders are the objects that name the Secret (the
// workloads and ServiceAccounts to edit).
func pullSecretUsers(x *rbacidx.Index, s *inventory.Secret) (users, holders []string, ev []kit.Evidence) {
	ns := s.EffectiveNamespace()
	viaSA := map[string]bool{}
	for _, sa := range x.AccountsIn[ns] {
		for _, p := range sa.ImagePullSecrets {
			if p.Name == s.Name && !viaSA[sa.Name] {
				viaSA[sa.Name] = true
				holders = append(holders, sa.Ref())
				ev = append(ev, kit.KubeEv(&sa.Meta, sa.Ref()+" imagePullSecrets", s.Name))
			}
		}
	}
	for _, w := range x.WorkloadsIn[ns] {
		if x.OwnedByInputWorkload(w) {
			continue
		}
		direct := false
		for _, p := range w.Spec.ImagePullSecrets {
			if p.Name == s.Name {
				direct = true
			}
		}
		switch sa := rbacidx.PodServiceAccount(w); {
		case direct:
			users = append(users, w.Ref())
			holders = append(holders, w.Ref())
			ev = append(ev, kit.KubeEv(&w.Meta, w.Ref()+" "+w.SpecPath+".imagePullSecrets", s.Name))
		case viaSA[sa]:
			users = append(users, w.Ref())
			ev = append(ev, kit.KubeEv(&w.Meta, w.Ref()+" "+w.SpecPath+".serviceAccountName", sa+" (whose imagePullSecrets name "+s.Name+")"))
		}
	}
	return users, holders, ev
}
