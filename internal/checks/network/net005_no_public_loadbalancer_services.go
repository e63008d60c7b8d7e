package network

import (
	"fmt"
	"path"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
	corev1 "k8s.io/api/core/v1"
)

var net005 = &check.Control{
	ID: "AKS-NET-005", Title: "No public LoadBalancer services", Severity: check.Medium, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColServices},
	Rationale:   "A Service of type LoadBalancer gets a public IP on the Azure load balancer unless it asks for an internal one: the workload is reachable from the internet, past any firewall in front of the virtual network.",
	FailsWhen:   "A Service of type LoadBalancer lacks the annotation service.beta.kubernetes.io/azure-load-balancer-internal: \"true\", unless its namespace/name is on the allow-list (allow.publicLoadBalancers, globs).",
	Remediation: "Annotate the Service service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" and publish it through an ingress or Azure Front Door / Application Gateway; allow-list the services that must be public.",
	References:  []string{"https://learn.microsoft.com/azure/aks/internal-lb", "https://learn.microsoft.com/azure/aks/load-balancer-standard"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"3fc4dc25-5baf-40d8-9b05-7fe74c1bc64e", // Kubernetes clusters should use internal load balancers
		},
	},
	Run: kit.PerKube(evalNET005),
}

const azureInternalLB = "service.beta.kubernetes.io/azure-load-balancer-internal"

// lbAllowed returns the allow-list pattern matching namespace/name.
func lbAllowed(patterns []string, ns, name string) (string, bool) {
	ref := ns + "/" + name
	for _, p := range patterns {
		if ok, _ := path.Match(p, ref); ok || p == ref {
			return p, true
		}
	}
	return "", false
}

func evalNET005(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, s := range k.Services {
		if s.Spec.Type != corev1.ServiceTypeLoadBalancer {
			continue
		}
		m := &s.Meta
		ns := m.EffectiveNamespace()
		typ := kit.KubeEv(m, "spec.type", "LoadBalancer")
		v, set := m.Annotations[azureInternalLB]
		ann := kit.KubeEv(m, "metadata.annotations."+azureInternalLB, v)
		if !set {
			ann.Value = "not set (public load balancer)"
		}
		evs := []kit.Evidence{typ, ann}
		if len(s.Spec.LoadBalancerSourceRanges) > 0 {
			evs = append(evs, kit.KubeEv(m, "spec.loadBalancerSourceRanges", kit.Render(s.Spec.LoadBalancerSourceRanges)))
		}
		if ports := servicePorts(s); ports != "" {
			evs = append(evs, kit.KubeEv(m, "spec.ports", ports))
		}
		switch p, allowed := lbAllowed(ctx.Settings.AllowedPublicLoadBalancers, ns, m.Name); {
		case v == "true":
			o.Emit(m, check.Pass, "Service "+ns+"/"+m.Name+" uses an internal load balancer", "", evs...)
		case allowed:
			o.Emit(m, check.Pass, fmt.Sprintf("Service %s/%s has a public load balancer, allow-listed by configuration (%s)", ns, m.Name, p), "",
				append(evs, kit.Fact("allow.publicLoadBalancers", p))...)
		default:
			msg := "Service " + ns + "/" + m.Name + " gets a public IP on the Azure load balancer"
			if set {
				msg += fmt.Sprintf(" (%s is %q, not \"true\")", azureInternalLB, v)
			}
			if len(s.Spec.LoadBalancerSourceRanges) > 0 {
				msg += "; loadBalancerSourceRanges limit the sources, but the IP is public"
			}
			fix := fmt.Sprintf("kubectl annotate service -n %s %s %s=true --overwrite (or add %q to allow.publicLoadBalancers in .aksguard.yaml)", ns, m.Name, azureInternalLB, ns+"/"+m.Name)
			o.Emit(m, check.Fail, msg, fix, evs...)
		}
	}
}

func servicePorts(s *inventory.Service) string {
	var ps []string
	for _, p := range s.Spec.Ports {
		proto := string(p.Protocol)
		if proto == "" {
			proto = "TCP"
		}
		ps = append(ps, fmt.Sprintf("%d/%s", p.Port, proto))
	}
	return strings.Join(ps, ", ")
}
