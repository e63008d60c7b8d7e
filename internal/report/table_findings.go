package report

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/check"
)

// Each listed result is one block, written as soon as it is laid out:
//
//	HIGH  AKS-ACC-005  cluster aks-dev
//	  local accounts are enabled
//	  at    stdin:5
//	  seen  disableLocalAccounts = false
//	  fix   az aks update -g rg-dev -n aks-dev --disable-local-accounts
//
// The header holds the severity, the control and the resource in full (on a
// line of its own when it does not fit beside them); the message, the
// evidence (field = value) and the fix are wrapped at word boundaries.
// Failures are listed by severity, most severe first, in the report's order
// within a severity, by one pass over the results per severity.

const (
	blockIndent = 2
	blockLabel  = 6 // "seen" and "fix" and their padding
)

var severityOrder = []check.Severity{check.Critical, check.High, check.Medium, check.Low}

func severityLabel(s check.Severity) string {
	switch s {
	case check.Critical:
		return "CRITICAL"
	case check.High:
		return "HIGH"
	case check.Medium:
		return "MEDIUM"
	case check.Low:
		return "LOW"
	}
	return "NONE"
}

// writeFindings writes the failures by severity, then the waived results,
// then (with IncludePassed) the passed and not-applicable results.
func writeFindings(l *lineWriter, r *Report) {
	switch failed := countStatus(r, check.Fail); {
	case failed == 0 && len(r.Results) > 0:
		l.nl()
		l.item(0, "Findings", ansiBold, 0, "(none: no result failed)")
	case failed > 0:
		l.nl()
		l.item(0, "Findings", ansiBold, 0, "("+plural(failed, "failed result")+", most severe first)")
		for _, sev := range severityOrder {
			for i := range r.Results {
				if res := &r.Results[i]; res.Status == check.Fail && res.Severity == sev {
					writeBlock(l, res, severityLabel(res.Severity), severityStyles[res.Severity], true)
				}
			}
		}
		// A severity outside the four (none) is still listed.
		for i := range r.Results {
			if res := &r.Results[i]; res.Status == check.Fail && !knownSeverity(res.Severity) {
				writeBlock(l, res, severityLabel(res.Severity), "", true)
			}
		}
	}
	writeStatusBlocks(l, r, check.Waived, "Waived", "WAIVED")
	if r.IncludePassed {
		writeStatusBlocks(l, r, check.Pass, "Passed", "PASS")
		writeStatusBlocks(l, r, check.NotApplicable, "Not applicable", "N/A")
	}
}

func knownSeverity(s check.Severity) bool {
	return s >= check.Low && s <= check.Critical
}

func countStatus(r *Report, st check.Status) int {
	n := 0
	for i := range r.Results {
		if r.Results[i].Status == st {
			n++
		}
	}
	return n
}

// writeStatusBlocks lists the results of one status under a heading, in the
// report's order; their label is the status with the severity.
func writeStatusBlocks(l *lineWriter, r *Report, st check.Status, heading, label string) {
	n := countStatus(r, st)
	if n == 0 {
		return
	}
	l.nl()
	l.item(0, heading, ansiBold, 0, "("+strconv.Itoa(n)+")")
	for i := range r.Results {
		if res := &r.Results[i]; res.Status == st {
			writeBlock(l, res, label+" "+res.Severity.String(), statusStyles[st], false)
		}
	}
}

// writeBlock writes one result: the header, the message, where (file:line),
// the evidence and, for a failure, the fix.
func writeBlock(l *lineWriter, res *check.Result, label, style string, withFix bool) {
	l.nl()
	header := label + "  " + oneLine(res.Control)
	resource := oneLine(blockResource(res.Resource))
	if l.fits(runeLen(header) + 2 + runeLen(resource)) {
		l.str(l.p.paint(style, label) + "  " + oneLine(res.Control) + "  " + resource)
		l.nl()
	} else {
		l.str(l.p.paint(style, label) + "  " + oneLine(res.Control))
		l.nl()
		l.item(blockIndent, "", "", 0, resource)
	}
	l.item(blockIndent, "", "", 0, oneLine(messageOf(*res)))
	if at := sourceLabel(res.Source); at != "" {
		l.item(blockIndent, "at", ansiDim, blockLabel, oneLine(at))
	}
	for i, ev := range res.Evidence {
		label := "seen"
		if i > 0 {
			label = ""
		}
		l.item(blockIndent, label, ansiDim, blockLabel, oneLine(ev.Path)+" = "+oneLine(ev.Value))
	}
	if withFix && res.Remediation != "" {
		l.item(blockIndent, "fix", ansiGreen, blockLabel, oneLine(res.Remediation))
	}
}

// blockResource names a result's resource: a cluster or pool as such, any
// other by kind/namespace/name.
func blockResource(r check.Resource) string {
	switch r.Kind {
	case "ManagedCluster":
		return "cluster " + resourceLabel(r)
	case "AgentPool":
		return "pool " + resourceLabel(r)
	}
	return resourceLabel(r)
}
