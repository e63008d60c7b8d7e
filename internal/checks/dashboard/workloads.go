package dashboard

import (
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// podOwnedByController reports a Pod created by a controller of the input's kind
// (judged through its owner, so not reported twice).
func podOwnedByController(w *inventory.Workload) bool {
	return w.Kind == "Pod" && w.Controller() != nil
}

// dashboardWorkload recognises the Kubernetes Dashboard: a workload named
// kubernetes-dashboard or one running a kubernetesui/dashboard image (the
// dashboard-web, -api and -auth images of the v7 chart included).
func dashboardWorkload(w *inventory.Workload) (string, bool) {
	if w.Name == "kubernetes-dashboard" {
		return "named kubernetes-dashboard", true
	}
	for _, img := range kit.WorkloadImages(w) {
		if strings.Contains(strings.ToLower(img), "kubernetesui/dashboard") {
			return "image " + img, true
		}
	}
	return "", false
}
