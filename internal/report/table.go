package report

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/aksguard/aksguard/internal/check"
)

// The human report, written as it is laid out (table_wrap.go), never held
// whole: the summary and score first (table_summary.go), then the failures
// by severity, each once with its resource in full, evidence and fix, then
// the waived results (and with IncludePassed the passed and not-applicable
// ones) (table_findings.go), the not-assessed results by reason
// (table_notassessed.go), the input errors, warnings, exclusions and
// skipped inputs, and last the one-line totals. Text is wrapped at word
// boundaries to TableOptions.Width; width 0 is the fixed layout for files
// and pipes: every line whole, never wrapped, the same whatever the terminal.

// TableOptions lay out the table report.
type TableOptions struct {
	// Width is the number of columns to wrap at (the terminal's, or
	// COLUMNS); 0 is the fixed layout (no wrapping). Widths below 40 are
	// laid out at 40.
	Width int
	// Color adds ANSI styles (the caller decides: a terminal and NO_COLOR
	// unset); the layout is the same without.
	Color bool
}

// ANSI styles.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[1;35m"
	ansiCyan    = "\x1b[36m"
)

var statusStyles = map[check.Status]string{
	check.Fail:          ansiBoldRed,
	check.Pass:          ansiGreen,
	check.NotApplicable: ansiDim,
	check.NotAssessed:   ansiYellow,
	check.Waived:        ansiBlue,
}

var severityStyles = map[check.Severity]string{
	check.Critical: ansiMagenta,
	check.High:     ansiRed,
	check.Medium:   ansiYellow,
	check.Low:      ansiCyan,
}

// kubeClusterScoped are Kubernetes kinds without a namespace; they are
// grouped with the Kubernetes resources rather than as Azure resources.
var kubeClusterScoped = map[string]bool{
	"APIService": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "IngressClass": true,
	"MutatingWebhookConfiguration": true, "Namespace": true, "Node": true,
	"PersistentVolume": true, "PriorityClass": true, "RuntimeClass": true,
	"StorageClass": true, "ValidatingAdmissionPolicy": true,
	"ValidatingAdmissionPolicyBinding": true, "ValidatingWebhookConfiguration": true,
}

type painter bool

func (p painter) paint(style, s string) string {
	if !p || style == "" || s == "" {
		return s
	}
	return style + s + ansiReset
}

// WriteTable writes the human-readable report in the fixed layout (no
// wrapping); color adds ANSI styles.
func WriteTable(w io.Writer, r *Report, color bool) error {
	return WriteTableWith(w, r, TableOptions{Color: color})
}

// WriteTableWith writes the human-readable report laid out by o.
func WriteTableWith(w io.Writer, r *Report, o TableOptions) error {
	width := o.Width
	if width > 0 && width < minTableWidth {
		width = minTableWidth
	}
	l := &lineWriter{w: bufioWriter(w), width: width, p: painter(o.Color)}

	writeSummary(l, r)
	var extra bytes.Buffer // the baseline's and the framework's parts (not width-aware)
	writeBaseline(&extra, r, l.p)
	writeFrameworkTable(&extra, r.Framework, l.p)
	if extra.Len() > 0 {
		if extra.Bytes()[0] != '\n' {
			l.nl()
		}
		l.str(extra.String())
	}
	writeKubeRead(l, r)
	if len(r.Clusters) > 0 {
		l.nl()
		writeClusters(l, r.Clusters)
	}
	if len(r.Results) == 0 {
		l.nl()
		l.str("No results to show.\n")
	}
	writeFindings(l, r)
	writeNotAssessed(l, r)
	writeProblems(l, r)
	l.nl()
	writeTotals(l, r.Summary)
	return l.w.Flush()
}

// writeKubeRead says what a live Kubernetes read read, and what it could not.
func writeKubeRead(l *lineWriter, r *Report) {
	k := r.Summary.Kubernetes
	if k == nil {
		return
	}
	l.nl()
	l.item(0, "Kubernetes API:", ansiBold, 0, k.readLine())
	if len(k.Unread) > 0 {
		l.item(0, "Incomplete read:", ansiBoldRed, 0, "the controls that need these are not-assessed")
		for _, col := range sortedKeys(k.Unread) {
			l.item(blockIndent, col+":", "", 0, oneLine(k.Unread[col]))
		}
	}
}

// writeProblems lists the input errors, the warnings, the excluded results
// and the skipped inputs.
func writeProblems(l *lineWriter, r *Report) {
	if len(r.Errors) > 0 {
		l.nl()
		l.item(0, "Errors", ansiBoldRed, 0, "("+plural(len(r.Errors), "input")+")")
		for _, e := range r.Errors {
			l.item(blockIndent, "-", "", 2, oneLine(inputLabel(e.Input, e.Line)+": "+e.Message))
		}
	}
	if len(r.Warnings) > 0 {
		l.nl()
		l.item(0, "Warnings", ansiBold, 0, "("+strconv.Itoa(len(r.Warnings))+")")
		for _, w := range r.Warnings {
			l.item(blockIndent, "-", "", 2, oneLine(w))
		}
	}
	if r.Summary.Excluded > 0 || len(r.Summary.Skipped) > 0 {
		l.nl()
	}
	if r.Summary.Excluded > 0 {
		var parts []string
		for _, reason := range sortedKeys(r.Summary.ExcludedBy) {
			parts = append(parts, oneLine(reason)+" ("+strconv.Itoa(r.Summary.ExcludedBy[reason])+")")
		}
		l.item(0, "Excluded", ansiBold, 0, plural(r.Summary.Excluded, "result")+": "+strings.Join(parts, ", ")+" (--include-system or includeSystem shows system objects)")
	}
	if len(r.Summary.Skipped) > 0 {
		total := 0
		var parts []string
		for _, reason := range sortedKeys(r.Summary.Skipped) {
			n := r.Summary.Skipped[reason]
			total += n
			parts = append(parts, oneLine(reason)+" ("+strconv.Itoa(n)+")")
		}
		l.item(0, "Skipped", ansiBold, 0, plural(total, "input")+": "+strings.Join(parts, ", "))
	}
}

// tableGroupOf places a resource: a cluster with its pools; a Kubernetes
// resource by namespace ("" for cluster-scoped, sorted first); any other
// Azure resource on its own.
func tableGroupOf(res check.Resource) (rank int, key, title string) {
	// A Kubernetes result on a cluster of the scan (kind Cluster, with its
	// ID) goes with the cluster's other results.
	if name, id, ok := resultClusterOf(res); ok {
		return 0, clusterGroupKey(name, id), "cluster " + name + clusterOrigin(id)
	}
	switch {
	case res.Namespace != "":
		return 2, res.Namespace, "Kubernetes namespace " + res.Namespace
	case kubeClusterScoped[res.Kind]:
		return 2, "", "Kubernetes cluster-scoped resources"
	}
	return 1, res.Kind + "\x00" + res.Name, strings.TrimSpace(res.Kind + " " + res.Name)
}

// clusterGroupKey is the group key of a cluster's results: clusters of
// the same name from different inputs are different groups.
func clusterGroupKey(name, id string) string { return name + "\x00" + strings.ToLower(id) }

// clusterOrigin tells clusters of the same name apart in group titles: the
// same cluster is often scanned as az JSON and as Terraform together.
func clusterOrigin(id string) string {
	switch {
	case strings.HasPrefix(id, "tf:"):
		return " (Terraform " + strings.TrimPrefix(id, "tf:") + ")"
	case strings.HasPrefix(id, "template:"):
		file := strings.TrimPrefix(id, "template:")
		if i := strings.IndexByte(file, '#'); i >= 0 {
			file = file[:i]
		}
		return " (ARM template " + file + ")"
	}
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "resourceGroups") {
			return " (resource group " + parts[i+1] + ")"
		}
	}
	return ""
}

// writeTotals writes the one-line totals that end the report (the line
// standard error gets when the report goes to a file).
func writeTotals(l *lineWriter, s Summary) {
	style := ansiGreen
	if s.Fail > 0 {
		style = ansiBoldRed
	}
	failed, rest, _ := strings.Cut(totalsText(s), " (")
	l.item(0, failed, style, 0, "("+rest)
}

func messageOf(res check.Result) string {
	msg := res.Message
	if msg == "" {
		msg = res.Title
	}
	if res.BaselineState != "" {
		msg = "[" + res.BaselineState + "] " + msg // scan --baseline
	}
	return msg
}

// resourceLabel names a resource in one line: a cluster by name, a pool as
// cluster/pool, anything else as kind/namespace/name.
func resourceLabel(r check.Resource) string {
	name := r.Name
	if name == "" {
		name = r.ID
	}
	switch r.Kind {
	case "ManagedCluster", "AgentPool", "":
		return name
	}
	if r.Namespace != "" {
		return r.Kind + "/" + r.Namespace + "/" + name
	}
	return r.Kind + "/" + name
}

// displayFile shows an input path; standard input ("-") is "stdin".
func displayFile(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// sourceLabel is file:line, file alone when the line is unknown, or "".
func sourceLabel(l check.Location) string {
	if l.File == "" {
		return ""
	}
	return inputLabel(l.File, l.Line)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// oneLine keeps text on its line and the terminal safe: runs of spaces,
// tabs and line breaks become one space, and other control characters
// (which could carry escape sequences from an input file) become U+FFFD.
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
