package source

import "github.com/aksguard/aksguard/internal/inventory"

// auditProgressEvery is how many events of one audit log pass between two
// progress reports: a log of millions of events is long work, and one
// report per event would cost more than the line shows.
const auditProgressEvery = 4096

// auditProgress passes every event on to the scan's observer and reports
// the events of its log read so far to Options.Progress. One reads one log
// (one goroutine).
type auditProgress struct {
	inner  inventory.AuditObserver
	report func(what string, done, total int)
	n      int
}

// withAuditProgress wraps the scan's observer for one audit log when
// progress is reported; otherwise it returns the observer as it is.
func withAuditProgress(o *Options) inventory.AuditObserver {
	if o.Audit == nil || o.Progress == nil {
		return o.Audit
	}
	return &auditProgress{inner: o.Audit, report: o.Progress}
}

func (a *auditProgress) Observe(ev *inventory.AuditEvent) {
	a.inner.Observe(ev)
	a.n++
	if a.n%auditProgressEvery == 0 {
		a.report("reading audit log events", a.n, 0)
	}
}
