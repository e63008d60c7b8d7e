package scan

import (
	"sync"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// auditFanout streams each audit event to the observers of the audit
// controls the scan runs (check.Control.Audit). Sources may read several
// logs at once; the observers see one event at a time.
type auditFanout struct {
	mu     sync.Mutex
	ids    []string
	states []inventory.AuditObserver
}

// newAuditFanout creates the observers of the registered audit controls
// that run (only, when non-empty, selects them; disabled drops them), with
// the settings the controls judge with. nil when none runs.
func newAuditFanout(settings check.Settings, only, disabled map[string]bool) *auditFanout {
	f := &auditFanout{}
	for _, c := range check.All() {
		if c.Audit == nil || (len(only) > 0 && !only[c.ID]) || disabled[c.ID] {
			continue
		}
		f.ids = append(f.ids, c.ID)
		f.states = append(f.states, c.Audit(settings))
	}
	if len(f.ids) == 0 {
		return nil
	}
	return f
}

// Observe implements inventory.AuditObserver.
func (f *auditFanout) Observe(ev *inventory.AuditEvent) {
	f.mu.Lock()
	for _, s := range f.states {
		s.Observe(ev)
	}
	f.mu.Unlock()
}

// attach hands the accumulated states to the inventory (when the scan read
// an audit log at all).
func (f *auditFanout) attach(inv *inventory.Inventory) {
	if f == nil || inv.Audit == nil {
		return
	}
	inv.Audit.States = make(map[string]inventory.AuditObserver, len(f.ids))
	for i, id := range f.ids {
		inv.Audit.States[id] = f.states[i]
	}
}
