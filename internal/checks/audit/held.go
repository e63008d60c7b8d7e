package audit

import "github.com/aksguard/aksguard/internal/inventory"

// held is what the logs of one scope held over their range, which decides
// whether a control without findings passes or cannot tell.
type held struct {
	// events: the logs hold events of a request's final stage; reads:
	// get, list or watch events among them.
	events, reads bool
	// shared names the pre-filtered inputs whose source counted the events
	// of several clusters together, so that none of them is known to be
	// this scope's.
	shared []string
}

// held decides from the events the observer judged and, for a
// pre-filtered input (the live workspace read, which streams only the
// candidate events its pushed-down filter lets through), from the counts
// its source gave for the whole range (AuditInput.SourceEvents and
// SourceReads, final-stage events as the observers count them): a
// pre-filtered input is judged as the unfiltered log of the same events
// would be. The candidates alone never stand for the log: no candidate
// read does not mean no read.
//
// A pre-filtered input is in the scope's inputs because it names the
// scope's cluster or names none (one scope). Its counts are the scope's
// own where the source gave them per cluster (AuditInput.SourceByCluster,
// the workspace read): each cluster of a shared workspace is judged by its
// own events and reads, as if it had been read alone. Without them the
// input's counts are the scope's only when the input names at most one
// cluster; an input naming several leaves the scope to what the observer
// saw of it, and shared names it.
func (v *scopeView) held() held {
	h := held{events: v.stats.events > 0, reads: v.stats.reads > 0}
	for _, in := range v.inputs {
		if !in.Prefiltered {
			continue
		}
		events, reads := in.SourceEvents, in.SourceReads
		if c, ok := v.counts(in); ok {
			events, reads = c.Events, c.Reads
		} else if in.SourceByCluster != nil {
			continue // the source held none of this cluster's events
		}
		if events == 0 {
			continue
		}
		if in.SourceByCluster == nil && len(in.ClusterIDs) > 1 {
			h.shared = append(h.shared, in.Input)
			continue
		}
		h.events = true
		if reads > 0 {
			h.reads = true
		}
	}
	return h
}

// counts are what the input's source held of the scope's cluster (its
// counts under every spelling the scope was named by); false when the
// input has no per-cluster counts or none of this scope.
func (v *scopeView) counts(in inventory.AuditInput) (inventory.AuditCounts, bool) {
	var c inventory.AuditCounts
	found := false
	for id := range v.ids {
		if n, ok := in.SourceByCluster[id]; ok {
			c.Add(n)
			found = true
		}
	}
	return c, found
}

// sharedNote is the reason a scope's pre-filtered inputs could not
// decide: what of the logs (events, reads) is not known to be its own.
func (h held) sharedNote(what string) string {
	s := "the workspace counted " + what + " of several clusters together ("
	for i, in := range h.shared {
		if i > 0 {
			s += ", "
		}
		s += in
	}
	return s + "), so whether this cluster's logs hold any is not known: scan the cluster alone live (--azure-cluster ID --since …), which reads its workspace for that cluster only"
}
