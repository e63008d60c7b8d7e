package report

import (
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// The one-word status labels and indents the diff table, the framework
// table and the HTML page share.

const (
	tableIndent  = "    " // table rows
	detailIndent = "      "
)

var statusLabels = map[check.Status]string{
	check.Fail:          "FAIL",
	check.Pass:          "PASS",
	check.NotApplicable: "N/A",
	check.NotAssessed:   "NOT-ASSESSED",
	check.Waived:        "WAIVED",
}

func statusLabel(s check.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return strings.ToUpper(string(s))
}
