package checks_test

import (
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
)

func TestServiceControls(t *testing.T) {
	allow := func(o *engine.Options) { o.Settings.AllowedPublicLoadBalancers = []string{"edge/*"} }
	ccRunCases(t, []ccCase{
		{name: "load balancers", files: []string{"services/loadbalancers.yaml"}, want: []ccWant{
			{control: "AKS-NET-005", ref: "Service/shop/store-front", status: check.Fail, msg: "public IP", src: "loadbalancers.yaml:5"},
			{control: "AKS-NET-005", ref: "Service/shop/orders", status: check.Pass, msg: "internal load balancer"},
			{control: "AKS-NET-005", ref: "Service/edge/public-gw", status: check.Fail, msg: "loadBalancerSourceRanges"},
			{control: "AKS-NET-005", ref: "Service/shop/metrics", status: check.Fail, msg: `is "false"`},
			{control: "AKS-NET-005", ref: "Service/kube-system/konnectivity-lb", status: check.Fail, system: true},
		}, none: []string{"AKS-NET-005 Service/shop/cart"}},
		{name: "allow-listed load balancer", files: []string{"services/loadbalancers.yaml"}, mod: allow, want: []ccWant{
			{control: "AKS-NET-005", ref: "Service/edge/public-gw", status: check.Pass, msg: "allow-listed by configuration (edge/*)"},
			{control: "AKS-NET-005", ref: "Service/shop/store-front", status: check.Fail},
		}},
		{name: "ingresses", files: []string{"services/ingresses.yaml"}, want: []ccWant{
			{control: "AKS-NET-006", ref: "Ingress/shop/plain", status: check.Fail, msg: "no tls section", src: "ingresses.yaml:2"},
			{control: "AKS-NET-006", ref: "Ingress/shop/secure", status: check.Pass, msg: "terminates TLS"},
		}},
	})
}

func TestDashboardIngressBlocked(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "deny-all policy selects the dashboard", files: []string{"dashboard/blocked.yaml"}, want: []ccWant{
			{control: "AKS-DSH-003", ref: "Deployment/kubernetes-dashboard/kubernetes-dashboard", status: check.Pass, msg: "dashboard-deny-all"},
		}, only: []string{"AKS-DSH-003"}},
		{name: "dashboard v7 in kube-system, unprotected or allowed", files: []string{"dashboard/open.yaml"}, want: []ccWant{
			{control: "AKS-DSH-003", ref: "Deployment/kube-system/kubernetes-dashboard-web", status: check.Fail, msg: "no deny-all ingress NetworkPolicy"},
			{control: "AKS-DSH-003", ref: "Deployment/kube-system/kubernetes-dashboard-api", status: check.Fail, msg: "allow-from-ingress allows it"},
		}, only: []string{"AKS-DSH-003"}},
		{name: "no dashboard", files: []string{"dashboard/none.yaml"}, want: []ccWant{
			{control: "AKS-DSH-003", ref: "Cluster//kubernetes", status: check.NotApplicable},
		}, only: []string{"AKS-DSH-003"}},
		{name: "no dashboard, with the cluster", files: []string{"dashboard/none.yaml", ccHardenedJSON}, want: []ccWant{
			{control: "AKS-DSH-003", ref: "Cluster//aks-payments-prod", status: check.NotApplicable},
		}, only: []string{"AKS-DSH-003"}},
	})
}

// TestDashboardNeverExcluded: the dashboard in kube-system is reported even
// when system objects are excluded.
func TestDashboardNeverExcluded(t *testing.T) {
	inv := ccLoad(t, "dashboard/open.yaml")
	o := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: today, Only: map[string]bool{"AKS-DSH-003": true, "AKS-DSH-001": true}})
	fails := 0
	for _, r := range o.Results {
		if r.Status == check.Fail {
			fails++
		}
	}
	if fails != 3 {
		t.Errorf("%d fails, want 3 (two DSH-003, one DSH-001): %+v", fails, o.Results)
	}
}
