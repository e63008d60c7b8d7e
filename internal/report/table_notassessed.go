package report

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// The not-assessed results are listed by reason, not one block each: the
// reason once, then each resource with the controls that could not judge
// it for that reason. A control the engine could not run for lack of
// several inputs (MissingInput, the inputs joined with "; ") is listed
// under each. Every not-assessed result is named: none is left out.

type notAssessedReason struct {
	reason string
	// controls by resource label, in the order met.
	resources []string
	controls  map[string][]string
}

func foldNotAssessed(r *Report) []*notAssessedReason {
	byReason := map[string]*notAssessedReason{}
	add := func(reason, resource, control string) {
		g := byReason[reason]
		if g == nil {
			g = &notAssessedReason{reason: reason, controls: map[string][]string{}}
			byReason[reason] = g
		}
		if _, ok := g.controls[resource]; !ok {
			g.resources = append(g.resources, resource)
		}
		if !slices.Contains(g.controls[resource], control) {
			g.controls[resource] = append(g.controls[resource], control)
		}
	}
	for i := range r.Results {
		res := &r.Results[i]
		if res.Status != check.NotAssessed {
			continue
		}
		resource := oneLine(blockResource(res.Resource))
		msg := oneLine(messageOf(*res))
		if res.MissingInput {
			for _, missing := range strings.Split(msg, "; ") {
				add(missing, resource, oneLine(res.Control))
			}
			continue
		}
		add(msg, resource, oneLine(res.Control))
	}
	out := make([]*notAssessedReason, 0, len(byReason))
	for _, k := range sortedKeys(byReason) {
		out = append(out, byReason[k])
	}
	// The reasons that hold the most results first.
	sort.SliceStable(out, func(i, j int) bool { return out[i].count() > out[j].count() })
	return out
}

func (g *notAssessedReason) count() int {
	n := 0
	for _, c := range g.controls {
		n += len(c)
	}
	return n
}

func writeNotAssessed(l *lineWriter, r *Report) {
	reasons := foldNotAssessed(r)
	if len(reasons) == 0 {
		return
	}
	l.nl()
	l.item(0, "Not assessed", ansiBold, 0, "("+plural(r.Summary.NotAssessed, "result")+", by reason: never counted as passed)")
	for _, g := range reasons {
		l.nl()
		l.item(0, strconv.Itoa(g.count())+"×", statusStyles[check.NotAssessed], 0, g.reason)
		for _, res := range g.resources {
			ids := g.controls[res]
			sort.Strings(ids)
			l.item(blockIndent, res+":", "", 0, strings.Join(ids, ", "))
		}
	}
}
