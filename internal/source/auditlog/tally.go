package auditlog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// maxClusterIDs bounds the cluster IDs one input lists.
const maxClusterIDs = 64

// Tally accumulates what one audit input covered, event by event: the
// file reader keeps one per input, and so can the Log Analytics live
// reader, so that both say the same of what they read.
type Tally struct {
	in       inventory.AuditInput
	cats     map[string]bool
	clusters map[string]bool
	moreIDs  bool
}

// NewTally starts the coverage of an input of the given form
// (inventory.AuditForm*).
func NewTally(input, form string) *Tally {
	return &Tally{in: inventory.AuditInput{Input: input, Form: form}, cats: map[string]bool{}, clusters: map[string]bool{}}
}

// Event counts one event read (its Line, Category, ClusterID and times).
func (t *Tally) Event(ev *inventory.AuditEvent) {
	if t.in.Events == 0 {
		t.in.Line = ev.Line
	}
	t.in.Events++
	if ev.Category != "" {
		t.cats[ev.Category] = true
	}
	if ev.ClusterID != "" && !t.clusters[ev.ClusterID] {
		if len(t.clusters) < maxClusterIDs {
			t.clusters[ev.ClusterID] = true
		} else {
			t.moreIDs = true
		}
	}
	first, last := ev.Received, ev.StageTime
	if first.IsZero() {
		first = last
	}
	if last.IsZero() {
		last = first
	}
	if !first.IsZero() && (t.in.First.IsZero() || first.Before(t.in.First)) {
		t.in.First = first
	}
	if !last.IsZero() && last.After(t.in.Last) {
		t.in.Last = last
	}
}

// Skip counts a record that is no audit event of an AKS cluster (another
// diagnostic category).
func (t *Tally) Skip() { t.in.Skipped++ }

// Input is the coverage so far; incomplete lists why the input was not
// read whole (none: it was), joined into AuditInput.Incomplete.
func (t *Tally) Input(incomplete ...string) inventory.AuditInput {
	in := t.in
	in.Categories, in.ClusterIDs = nil, nil
	for c := range t.cats {
		in.Categories = append(in.Categories, c)
	}
	sort.Strings(in.Categories)
	for c := range t.clusters {
		in.ClusterIDs = append(in.ClusterIDs, c)
	}
	sort.Strings(in.ClusterIDs)
	if t.moreIDs {
		incomplete = append(incomplete, fmt.Sprintf("events of more than %d clusters: only the first are listed", maxClusterIDs))
	}
	in.Incomplete = strings.Join(incomplete, "; ")
	return in
}
