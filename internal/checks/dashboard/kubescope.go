package dashboard

import (
	"github.com/aksguard/aksguard/internal/inventory"
)

// podOwnedByController reports a Pod created by a controller of the input's kind
// (judged through its owner, so not reported twice).
func podOwnedByController(w *inventory.Workload) bool {
	return w.Kind == "Pod" && w.Controller() != nil
}
