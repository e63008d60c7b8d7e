package dashboard

import (
	"strings"

	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// dashboardWorkload recognises the Kubernetes Dashboard: a workload named
// kubernetes-dashboard or one running a kubernetesui/dashboard image (the
// dashboard-web, -api and -auth images of the v7 chart included).
func dashboardWorkload(w *inventory.Workload) (string, bool) {
	if w.Name == "kubernetes-dashboard" {
		return "named kubernetes-dashboard", true
	}
	for _, img := range kit.WlImages(w) {
		if strings.Contains(strings.ToLower(img), "kubernetesui/dashboard") {
			return "image " + img, true
		}
	}
	return "", false
}
