package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/aksguard/aksguard/internal/check"
)

// SARIF 2.1.0 output, shaped for GitHub code scanning and validated against
// the OASIS schema (testdata/sarif-schema-2.1.0.json) by the tests.
//
// Which results appear, and how:
//
//   - fail: kind "fail", level from the result's severity (critical/high →
//     error, medium → warning, low → note). Always written.
//   - waived, pass, not-applicable, not-assessed: written only when
//     r.IncludePassed is set. Waived is kind "fail" with its level and a
//     suppression {kind: external, status: accepted, justification};
//     pass is kind "pass", not-applicable "notApplicable", not-assessed
//     "review", all three with level "none" (§3.27.9 requires level none for
//     any kind other than fail). Without the flag, each not-assessed result
//     is a note among the invocation's toolExecutionNotifications (control,
//     resource, reason, associatedRule), so no control is silent.
//
// Why not by default: GitHub code scanning ignores both result.kind and
// result.suppressions, so a pass or a waived finding uploaded there becomes
// an open alert (at error level for a waived critical). The default SARIF is
// therefore "what is wrong and not waived", which is what an upload to GitHub
// should contain; --include-passed gives the full picture to consumers that
// honour kind and suppressions.
//
// Locations: a result read from a file gets one location with a
// physicalLocation (uri relative to %SRCROOT%, forward slashes; stdin is
// "stdin"; region only when the line is known) and a logicalLocation naming
// the resource. A result without a file gets no locations at all: GitHub
// rejects the whole upload when a location has a logicalLocation but no
// physicalLocation, so the resource is carried in result.properties instead.

const (
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifInfoURI   = "https://github.com/aksguard/aksguard"
	// sarifFingerprintKey names the partial fingerprint; bump the version
	// if the inputs to the hash ever change.
	sarifFingerprintKey = "aksguard/v1"
	sarifSrcRoot        = "%SRCROOT%"
)

// workDir lets absolute input paths under the working directory be written
// as relative URIs. A variable so tests can pin it.
var workDir = os.Getwd

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Precision        string   `json:"precision"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string          `json:"level"`
	Message        sarifText       `json:"message"`
	Locations      []sarifLocation `json:"locations,omitempty"`
	AssociatedRule *sarifRuleRef   `json:"associatedRule,omitempty"`
}

// sarifRuleRef is a reportingDescriptorReference to a rule of the run.
type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Kind                string             `json:"kind"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints sarifFingerprints  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
	// BaselineState: a scan with --baseline, aksguard diff (baseline.go).
	BaselineState string `json:"baselineState,omitempty"`
}

type sarifFingerprints struct {
	V1 string `json:"aksguard/v1"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type sarifResultProps struct {
	Status   check.Status     `json:"status"`
	Severity string           `json:"severity"`
	Resource check.Resource   `json:"resource"`
	Evidence []check.Evidence `json:"evidence,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	Kind               string `json:"kind"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
}

// WriteSARIF writes the report as one SARIF 2.1.0 run. controls are the rule
// descriptors (normally check.All()); a result whose control is not among
// them gets a rule built from the result, so every ruleIndex resolves.
//
// The results are streamed one by one after the rest of the log, so a
// report of tens of thousands of findings is never held in memory as one
// document; the bytes are those encoding/json writes for the whole log
// (TestSARIFStreamMatchesEncoder).
func WriteSARIF(w io.Writer, r *Report, controls []*check.Control) error {
	log, index := sarifEnvelope(r, controls)
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return err
	}
	// The log ends with the run's empty results: write what precedes them,
	// then the results, then the closing brackets.
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte(sarifResultsTail))
	if !ok {
		return fmt.Errorf("sarif: the encoded log does not end with its results")
	}
	bw.Write(head)
	bw.WriteString(`"results": [`)
	const prefix = "        " // a result's depth: log, runs, run, results
	n := 0
	for _, res := range r.Results {
		kind, ok := sarifKind(res.Status, r.IncludePassed)
		if !ok {
			continue
		}
		if n > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + prefix)
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		if err := enc.Encode(sarifResultFor(res, kind, index[res.Control])); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		n++
	}
	if n > 0 {
		bw.WriteString("\n      ")
	}
	bw.WriteString("]\n    }\n  ]\n}\n")
	return bw.Flush()
}

// sarifResultsTail is how encoding/json ends the log when the run's results
// (its last field) are empty.
const sarifResultsTail = "\"results\": []\n    }\n  ]\n}\n"

// sarifEnvelope is the whole SARIF log but its results, with each rule's
// index.
func sarifEnvelope(r *Report, controls []*check.Control) (sarifLog, map[string]int) {
	rules, index := sarifRules(r, controls)

	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0}
	if !r.GeneratedAt.IsZero() {
		inv.EndTimeUTC = r.GeneratedAt.UTC().Format(time.RFC3339)
	}
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Message}}
		if e.Input != "" {
			n.Message.Text = inputLabel(e.Input, e.Line) + ": " + e.Message
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalFor(e.Input, e.Line)}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	for _, w := range r.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{Text: w}})
	}
	if r.Summary.Excluded > 0 {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "note",
			Message: sarifText{Text: "excluded " + plural(r.Summary.Excluded, "result") + " on AKS-managed or system objects or excluded namespaces"},
		})
	}
	for _, reason := range sortedKeys(r.Summary.Skipped) {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "note",
			Message: sarifText{Text: "skipped " + plural(r.Summary.Skipped[reason], "input") + ": " + reason},
		})
	}

	// Without --include-passed, a control that could not be assessed is not
	// a result (GitHub would open an alert for it) but it is never silent:
	// it is a note of the run naming the control, the resource and why.
	if !r.IncludePassed {
		for _, res := range r.Results {
			if res.Status != check.NotAssessed {
				continue
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level:          "note",
				Message:        sarifText{Text: res.Control + " not assessed on " + qualifiedName(res.Resource) + ": " + res.Message},
				AssociatedRule: &sarifRuleRef{ID: res.Control, Index: index[res.Control]},
			})
		}
	}

	log := sarifLog{
		Schema:  sarifSchemaURI,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           "aksguard",
				Version:        r.Tool.Version,
				InformationURI: sarifInfoURI,
				Rules:          rules,
			}},
			Invocations: []sarifInvocation{inv},
			Results:     []sarifResult{},
		}},
	}
	return log, index
}

// sarifKind maps a status to a SARIF result kind, and says whether the
// result is written at all (see the comment at the top of this file).
func sarifKind(st check.Status, includePassed bool) (string, bool) {
	switch st {
	case check.Fail:
		return "fail", true
	case check.Waived:
		return "fail", includePassed
	case check.Pass:
		return "pass", includePassed
	case check.NotApplicable:
		return "notApplicable", includePassed
	case check.NotAssessed:
		return "review", includePassed
	}
	return "", false
}

// sarifRules builds one rule per control, sorted by ID, and the index of
// each rule in that list.
func sarifRules(r *Report, controls []*check.Control) ([]sarifRule, map[string]int) {
	byID := map[string]sarifRule{}
	for _, c := range controls {
		if c == nil {
			continue
		}
		byID[c.ID] = sarifRuleFor(c)
	}
	for _, res := range r.Results {
		if _, ok := byID[res.Control]; ok {
			continue
		}
		title := res.Title
		if title == "" {
			title = res.Control
		}
		byID[res.Control] = sarifRuleFor(&check.Control{
			ID: res.Control, Title: title, Severity: res.Severity, Area: res.Area,
			Remediation: res.Remediation, References: res.References,
		})
	}
	ids := sortedKeys(byID)
	rules := make([]sarifRule, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = byID[id]
		index[id] = i
	}
	return rules, index
}

func sarifRuleFor(c *check.Control) sarifRule {
	full := strings.TrimSpace(c.Rationale)
	if c.FailsWhen != "" {
		if full != "" {
			full += " "
		}
		full += "Fails when: " + strings.TrimSpace(c.FailsWhen)
	}
	if full == "" {
		full = c.Title
	}

	var text, md strings.Builder
	if c.Remediation != "" {
		text.WriteString("Fix: " + c.Remediation)
		md.WriteString("**Fix:** " + c.Remediation)
	}
	if len(c.References) > 0 {
		if text.Len() > 0 {
			text.WriteString("\n\n")
			md.WriteString("\n\n")
		}
		text.WriteString("References:")
		md.WriteString("**References**\n")
		for _, ref := range c.References {
			text.WriteString("\n- " + ref)
			if isAbsURL(ref) {
				md.WriteString("\n- <" + ref + ">")
			} else {
				md.WriteString("\n- " + ref)
			}
		}
	}
	if text.Len() == 0 {
		text.WriteString(c.Title)
		md.WriteString(c.Title)
	}

	rule := sarifRule{
		ID:                   c.ID,
		Name:                 camelCase(c.Title),
		ShortDescription:     sarifText{Text: c.Title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifText{Text: text.String(), Markdown: md.String()},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(c.Severity)},
		Properties: sarifRuleProps{
			Tags:             []string{"security"},
			SecuritySeverity: securitySeverity(c.Severity),
			Precision:        "high",
		},
	}
	if c.Area != "" && c.Area != "security" {
		rule.Properties.Tags = []string{c.Area, "security"}
	}
	rule.Properties.Tags = append(rule.Properties.Tags, frameworkTags(c)...)
	if len(c.References) > 0 && isAbsURL(c.References[0]) {
		rule.HelpURI = c.References[0]
	}
	if rule.Name == "" {
		rule.Name = camelCase(c.ID)
	}
	return rule
}

func sarifResultFor(res check.Result, kind string, ruleIndex int) sarifResult {
	level := "none"
	if kind == "fail" {
		level = sarifLevel(res.Severity)
	}
	text := res.Message
	if text == "" {
		text = res.Title
	}
	if res.Remediation != "" {
		text += "\nFix: " + res.Remediation
	}
	out := sarifResult{
		RuleID:              res.Control,
		RuleIndex:           ruleIndex,
		Kind:                kind,
		Level:               level,
		Message:             sarifText{Text: text},
		PartialFingerprints: sarifFingerprints{V1: fingerprint(res)},
		Properties: sarifResultProps{
			Status:   res.Status,
			Severity: res.Severity.String(),
			Resource: res.Resource,
			Evidence: res.Evidence,
		},
	}
	if res.Source.File != "" {
		out.Locations = []sarifLocation{{
			PhysicalLocation: sarifPhysicalFor(res.Source.File, res.Source.Line),
			LogicalLocations: []sarifLogical{{
				Name:               res.Resource.Name,
				Kind:               "resource",
				FullyQualifiedName: qualifiedName(res.Resource),
			}},
		}}
	}
	out.BaselineState = sarifBaselineState(res.BaselineState)
	if res.Status == check.Waived {
		out.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: res.Message}}
	}
	return out
}

func sarifPhysicalFor(file string, line int) *sarifPhysical {
	uri, base := sarifURI(file)
	p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri, URIBaseID: base}}
	if line > 0 {
		p.Region = &sarifRegion{StartLine: line}
	}
	return p
}

// sarifURI turns an input path into a URI reference: relative to %SRCROOT%
// with forward slashes when it can be, else an absolute file URI. Standard
// input is "stdin", with no base.
func sarifURI(file string) (uri, base string) {
	if file == "-" {
		return "stdin", ""
	}
	p := filepath.Clean(file)
	if filepath.IsAbs(p) {
		rel, ok := underWorkDir(p)
		if !ok {
			s := filepath.ToSlash(p)
			if !strings.HasPrefix(s, "/") {
				s = "/" + s // C:/x → /C:/x
			}
			return (&url.URL{Scheme: "file", Path: s}).String(), ""
		}
		p = rel
	}
	return (&url.URL{Path: filepath.ToSlash(p)}).String(), sarifSrcRoot
}

func underWorkDir(abs string) (string, bool) {
	wd, err := workDir()
	if err != nil || wd == "" {
		return "", false
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// qualifiedName is the resource ID, else kind/namespace/name.
func qualifiedName(r check.Resource) string {
	if r.ID != "" {
		return r.ID
	}
	parts := []string{r.Kind}
	if r.Namespace != "" {
		parts = append(parts, r.Namespace)
	}
	return strings.Join(append(parts, r.Name), "/")
}

func sarifLevel(s check.Severity) string {
	switch s {
	case check.Critical, check.High:
		return "error"
	case check.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's numeric score: over 9.0 is critical, 7.0–8.9
// high, 4.0–6.9 medium, 0.1–3.9 low.
func securitySeverity(s check.Severity) string {
	switch s {
	case check.Critical:
		return "9.5"
	case check.High:
		return "8.0"
	case check.Medium:
		return "5.5"
	case check.Low:
		return "3.0"
	}
	return ""
}

// camelCase makes a rule name from a title: "Local accounts disabled" →
// "LocalAccountsDisabled"; acronyms keep their case.
func camelCase(title string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
