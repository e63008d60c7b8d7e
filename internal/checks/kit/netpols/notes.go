package netpols

import (
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// netpolTypes applies the API's defaulting of policyTypes: every policy
// affects ingress unless policyTypes says otherwise; egress when it has
// egress rules.
func netpolTypes(p *inventory.NetworkPolicy) (ingress, egress bool) {
	if len(p.Spec.PolicyTypes) == 0 {
		return true, len(p.Spec.Egress) > 0
	}
	for _, t := range p.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			ingress = true
		case networkingv1.PolicyTypeEgress:
			egress = true
		}
	}
	return ingress, egress
}

// podSelectorOf compiles a policy's podSelector once; nil when it does not
// parse (the API server rejects it: it selects nothing).
func podSelectorOf(p *inventory.NetworkPolicy) labels.Selector {
	s, err := metav1.LabelSelectorAsSelector(&p.Spec.PodSelector)
	if err != nil {
		return nil
	}
	return s
}

// NetpolNote is a policy's evidence: what it is and why it counts or not.
func NetpolNote(p *IngressPolicy, dflt string) string {
	why := p.why
	if why == "" {
		why = dflt
	}
	if p.Desc == "" {
		return why
	}
	if why == "" {
		return p.Desc
	}
	return p.Desc + ": " + why
}

func policyTypesString(p *inventory.NetworkPolicy) string {
	if len(p.Spec.PolicyTypes) == 0 {
		ing, eg := netpolTypes(p)
		var t []string
		if ing {
			t = append(t, "Ingress")
		}
		if eg {
			t = append(t, "Egress")
		}
		return "[" + strings.Join(t, ", ") + "] (by default)"
	}
	t := make([]string, len(p.Spec.PolicyTypes))
	for i, x := range p.Spec.PolicyTypes {
		t[i] = string(x)
	}
	return "[" + strings.Join(t, ", ") + "]"
}
