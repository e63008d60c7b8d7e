package network

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var net006 = &check.Control{
	ID: "AKS-NET-006", Title: "Ingress enforces HTTPS", Severity: check.Medium, Area: kit.AreaNetwork,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColIngresses},
	Rationale:   "An Ingress without TLS serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.",
	FailsWhen:   "An Ingress has no tls section.",
	Remediation: "Add a tls section naming the hosts and a certificate Secret (for example issued by cert-manager or the Key Vault add-on).",
	References:  []string{"https://learn.microsoft.com/azure/aks/ingress-tls", "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"},
	// CIS 5.4.5 only. Not mapped: policy 1a5b4dca also requires the
	// kubernetes.io/ingress.allow-http: "false" annotation (stronger than this
	// control).
	Mappings: check.Mappings{
		CIS17: []string{"5.4.5"}, CIS18: []string{"5.4.5"},
	},
	Run: kit.PerKube(evalNET006),
}

func evalNET006(_ *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	for _, in := range k.Ingresses {
		m := &in.Meta
		var hosts []string
		for _, r := range in.Spec.Rules {
			if r.Host != "" {
				hosts = append(hosts, r.Host)
			}
		}
		he := kit.KubeEv(m, "spec.rules[].host", kit.Render(hosts))
		if len(hosts) == 0 {
			he.Value = "none (every host)"
		}
		if len(in.Spec.TLS) == 0 {
			fix := fmt.Sprintf("add spec.tls to Ingress %s/%s: [{hosts: %s, secretName: <certificate secret>}] (cert-manager can issue it)", m.EffectiveNamespace(), m.Name, kit.Render(hosts))
			o.Emit(m, check.Fail, "Ingress "+m.EffectiveNamespace()+"/"+m.Name+" has no tls section: it serves plain HTTP", fix,
				kit.KubeEv(m, "spec.tls", "not set"), he)
			continue
		}
		covered := map[string]bool{}
		var secrets []string
		for _, t := range in.Spec.TLS {
			for _, h := range t.Hosts {
				covered[h] = true
			}
			if t.SecretName != "" {
				secrets = append(secrets, t.SecretName)
			}
		}
		var bare []string
		for _, h := range hosts {
			if !covered[h] && !coveredByWildcard(h, covered) {
				bare = append(bare, h)
			}
		}
		msg := "Ingress " + m.EffectiveNamespace() + "/" + m.Name + " terminates TLS"
		evs := []kit.Evidence{kit.KubeEv(m, "spec.tls[].secretName", kit.Render(secrets)), he}
		if len(bare) > 0 && len(covered) > 0 {
			msg += "; hosts not listed in spec.tls (served with the controller's default certificate): " + strings.Join(bare, ", ")
		}
		o.Emit(m, check.Pass, msg, "", evs...)
	}
}

func coveredByWildcard(h string, covered map[string]bool) bool {
	if i := strings.IndexByte(h, '.'); i >= 0 {
		return covered["*"+h[i:]]
	}
	return false
}
