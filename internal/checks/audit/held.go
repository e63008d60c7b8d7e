package audit

// held is what the logs of one scope held over their range, which decides
// whether a control without findings passes or cannot tell.
type held struct {
	// events: the logs hold events of a request's final stage; reads:
	// get, list or watch events among them.
	events, reads bool
	// shared names the pre-filtered inputs whose source counted reads of
	// several clusters together (so none is known to be this scope's).
	shared []string
}

// held decides from the events the observer judged and, for a
// pre-filtered input (the live workspace read, which streams only the
// candidate events its pushed-down filter lets through), from the counts
// its source gave for the whole range (AuditInput.SourceEvents and
// SourceReads): a pre-filtered input is judged as the unfiltered log of
// the same events would be. The candidates alone never stand for the
// log: no candidate read does not mean no read.
//
// A pre-filtered input is in the scope's inputs because it names the
// scope's cluster (a workspace names the clusters it counted events of) or
// names none (one scope): its events are the scope's. Its reads are the
// scope's only when it names at most one cluster; the source counts are
// per input, not per cluster.
func (v *scopeView) held() held {
	h := held{events: v.stats.events > 0, reads: v.stats.reads > 0}
	for _, in := range v.inputs {
		if !in.Prefiltered {
			continue
		}
		if in.SourceEvents > 0 {
			h.events = true
		}
		if in.SourceReads > 0 {
			if len(in.ClusterIDs) <= 1 {
				h.reads = true
			} else {
				h.shared = append(h.shared, in.Input)
			}
		}
	}
	if h.reads {
		h.shared = nil
	}
	return h
}
