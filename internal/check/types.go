// Package check defines controls, their results and the registry that lists
// them. Controls are pure: a function of the inventory, the configuration and
// "today"; no I/O, no printing.
package check

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Severity orders findings.
type Severity int

// Severities, lowest first.
const (
	SevNone Severity = iota
	Low
	Medium
	High
	Critical
)

var sevNames = [...]string{"none", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(sevNames) {
		return "unknown"
	}
	return sevNames[s]
}

// MarshalText writes the severity name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity reads critical|high|medium|low|none (any case).
func ParseSeverity(v string) (Severity, error) {
	for i, n := range sevNames {
		if strings.EqualFold(v, n) {
			return Severity(i), nil
		}
	}
	return SevNone, fmt.Errorf("unknown severity %q (want critical, high, medium, low or none)", v)
}

// Status is a result's verdict.
type Status string

// The statuses of CATALOG.md "Semantics".
const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	NotApplicable Status = "not-applicable"
	NotAssessed   Status = "not-assessed"
	Waived        Status = "waived"
)

// Input is a kind of data a control reads.
type Input string

// The catalog's input kinds.
const (
	AZ  Input = "AZ"
	AZX Input = "AZX"
	K8S Input = "K8S"
	LOG Input = "LOG"
)

// Resource names what a result is about.
type Resource struct {
	Kind      string `json:"kind"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// Evidence is one observed fact: a field path and its value.
type Evidence struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Location is a place in an input file.
type Location struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Result is one verdict of one control on one resource.
type Result struct {
	Control     string     `json:"control"`
	Title       string     `json:"title"`
	Severity    Severity   `json:"severity"`
	Status      Status     `json:"status"`
	Resource    Resource   `json:"resource"`
	Message     string     `json:"message"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	Source      Location   `json:"source"`
	Remediation string     `json:"remediation,omitempty"`
	References  []string   `json:"references,omitempty"`
	// BaselineState is set only when results are compared with a baseline
	// (scan --baseline, aksguard diff): new or existing, and for a baseline
	// finding no longer failing fixed, not-assessed or not-seen.
	BaselineState string `json:"baselineState,omitempty"`
	// Area is the catalog area (for grouping in the table report).
	Area string `json:"-"`
	// System marks a result on an AKS-managed or system object (system
	// namespaces, kubernetes.azure.com/managedby: aks, system: and aks- RBAC
	// names); the engine excludes it unless system objects are included.
	System bool `json:"-"`
	// WaiveAnnotation is the object's aksguard.io/waive annotation, if any
	// ("AKS-WKL-008=reason", several separated by ';').
	WaiveAnnotation string `json:"-"`
	// MissingInput is set on the result the engine gives a control that
	// said nothing about a cluster for lack of an input (the message names
	// it); the table folds such results into one line per missing input.
	MissingInput bool `json:"-"`
}

// Control is one catalog entry with the function that evaluates it.
type Control struct {
	ID        string
	Title     string
	Severity  Severity
	Area      string
	Inputs    []Input
	Rationale string
	FailsWhen string
	// Remediation is the general fix; results carry a fix for their resource.
	Remediation string
	References  []string
	// Mappings names the compliance items that check the same thing as
	// the control (internal/frameworks holds their ids and titles).
	Mappings Mappings
	// Reads lists the Kubernetes collections (inventory.Col*) the control
	// reads. When a live scan could not read one of them, the engine
	// replaces the control's results with one not-assessed result naming
	// the reason, instead of judging from part of the cluster.
	Reads []string
	// Needs names an input the control needs beyond its Inputs (e.g. a
	// live connection); when the control produces no result for a cluster,
	// the engine says not-assessed with this instead of "nothing to judge".
	Needs string
	// Audit is set on the audit-log controls: it returns a fresh observer
	// that the scan streams every audit event through while the inputs are
	// read (pure: no I/O); Run then reads what it accumulated with
	// Context.AuditState. Audit logs are never held whole.
	Audit func(Settings) inventory.AuditObserver
	Run   func(*Context) []Result
}
