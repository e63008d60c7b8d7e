package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aksguard/aksguard/internal/check"
)

const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// sarifSchema compiles the OASIS SARIF 2.1.0 schema (errata01, draft-04)
// from testdata; nothing is fetched.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func writeSARIF(t *testing.T, r *Report, controls []*check.Control) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIF(&b, r, controls); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return sch.Validate(inst)
}

func TestSARIFGoldenAndSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, tc := range []struct {
		name          string
		includePassed bool
		report        *Report
	}{
		{"sarif.json", false, testReport(false)},
		{"sarif_all.json", true, testReport(true)},
		{"sarif_empty.json", false, &Report{Tool: Tool{Name: "aksguard", Version: "dev"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := writeSARIF(t, tc.report, testControls())
			if err := validateSARIF(t, sch, out); err != nil {
				t.Fatalf("output does not validate against the SARIF 2.1.0 schema: %v\n%s", err, out)
			}
			golden(t, tc.name, out)
		})
	}
}

// TestSARIFSchemaRejects proves the validator is live: outputs broken in
// ways the schema forbids must fail validation.
func TestSARIFSchemaRejects(t *testing.T) {
	sch := sarifSchema(t)
	good := writeSARIF(t, testReport(true), testControls())
	for _, tc := range []struct{ name, from, to string }{
		{"bad level", `"level": "error"`, `"level": "fatal"`},
		{"bad kind", `"kind": "pass"`, `"kind": "passed"`},
		{"line 0", `"startLine": 12`, `"startLine": 0`},
		{"bad version", `"version": "2.1.0"`, `"version": "2.0.0"`},
		{"unknown result property", `"ruleIndex":`, `"ruleIdx":`},
		{"bad suppression kind", `"kind": "external"`, `"kind": "waiver"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(good, []byte(tc.from)) {
				t.Fatalf("fixture output lacks %s", tc.from)
			}
			bad := bytes.Replace(good, []byte(tc.from), []byte(tc.to), 1)
			if err := validateSARIF(t, sch, bad); err == nil {
				t.Errorf("schema accepted output with %s", tc.to)
			}
		})
	}
}

// Decoded shapes for content checks.
type sLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					Default          struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
						Precision        string   `json:"precision"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool   `json:"executionSuccessful"`
			EndTimeUTC          string `json:"endTimeUtc"`
			Notifications       []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []sResult `json:"results"`
	} `json:"runs"`
}

type sResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Kind      string `json:"kind"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		Physical *struct {
			Artifact struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		Logical []struct {
			Name, Kind, FullyQualifiedName string
		} `json:"logicalLocations"`
	} `json:"locations"`
	Fingerprints map[string]string `json:"partialFingerprints"`
	Suppressions []struct {
		Kind, Status, Justification string
	} `json:"suppressions"`
	Properties struct {
		Status   string         `json:"status"`
		Severity string         `json:"severity"`
		Resource check.Resource `json:"resource"`
		Evidence []check.Evidence
	} `json:"properties"`
}

func decodeSARIF(t *testing.T, out []byte) sLog {
	t.Helper()
	var l sLog
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(l.Runs))
	}
	return l
}

func TestSARIFDriverAndRules(t *testing.T) {
	l := decodeSARIF(t, writeSARIF(t, testReport(false), testControls()))
	if l.Version != "2.1.0" || l.Schema != sarifSchemaURI {
		t.Errorf("version %q schema %q", l.Version, l.Schema)
	}
	d := l.Runs[0].Tool.Driver
	if d.Name != "aksguard" || d.Version != "1.2.3" || d.InformationURI != "https://github.com/aksguard/aksguard" {
		t.Errorf("driver = %+v", d)
	}
	// Seven controls plus one built from the unregistered AKS-EXP-001 result, by ID.
	var ids []string
	for _, r := range d.Rules {
		ids = append(ids, r.ID)
	}
	want := "AKS-ACC-001 AKS-ACC-005 AKS-EXP-001 AKS-IMG-003 AKS-K8S-001 AKS-K8S-002 AKS-NET-002 AKS-UPG-003"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("rule IDs\n got %s\nwant %s", got, want)
	}

	acc := d.Rules[0]
	if acc.Name != "APIServerNotReachableFromTheWholeInternet" {
		t.Errorf("name = %q", acc.Name)
	}
	if acc.ShortDescription.Text != "API server not reachable from the whole internet" {
		t.Errorf("shortDescription = %q", acc.ShortDescription.Text)
	}
	if !strings.Contains(acc.FullDescription.Text, "exposed to every attacker") || !strings.Contains(acc.FullDescription.Text, "Fails when: the cluster is public") {
		t.Errorf("fullDescription = %q", acc.FullDescription.Text)
	}
	if !strings.Contains(acc.Help.Text, "Set authorized IP ranges") || !strings.Contains(acc.Help.Text, "CIS AKS 5.4.1") ||
		!strings.Contains(acc.Help.Markdown, "<https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges>") {
		t.Errorf("help = %+v", acc.Help)
	}
	if acc.HelpURI != "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges" {
		t.Errorf("helpUri = %q", acc.HelpURI)
	}
	if strings.Join(acc.Properties.Tags, ",") != areaAccess+",security,CIS-AKS-1.8:5.4.1,CIS-AKS-1.7:5.4.1" || acc.Properties.Precision != "high" {
		t.Errorf("properties = %+v", acc.Properties)
	}

	wantSev := map[string][2]string{
		"AKS-ACC-001": {"9.5", "error"}, "AKS-ACC-005": {"8.0", "error"},
		"AKS-NET-002": {"5.5", "warning"}, "AKS-UPG-003": {"3.0", "note"},
	}
	for _, r := range d.Rules {
		if w, ok := wantSev[r.ID]; ok && (r.Properties.SecuritySeverity != w[0] || r.Default.Level != w[1]) {
			t.Errorf("%s: security-severity %q level %q, want %v", r.ID, r.Properties.SecuritySeverity, r.Default.Level, w)
		}
		if r.ID == "AKS-NET-002" && r.HelpURI != "" {
			t.Errorf("AKS-NET-002 has no URL reference but helpUri = %q", r.HelpURI)
		}
		if r.ID == "AKS-EXP-001" && (r.Name != "ExperimentalPoolUsesEphemeralOSDisks" || strings.Join(r.Properties.Tags, ",") != "security") {
			t.Errorf("synthesised rule = %+v", r)
		}
	}

	inv := l.Runs[0].Invocations
	if len(inv) != 1 || inv[0].EndTimeUTC != "2025-03-01T12:30:00Z" || inv[0].ExecutionSuccessful {
		t.Errorf("invocations = %+v", inv)
	}
	var notes []string
	for _, n := range inv[0].Notifications {
		notes = append(notes, n.Level+": "+n.Message.Text)
	}
	wantNotes := "error: inputs/bad.json:3: invalid JSON: unexpected end of input; fix the file or regenerate it|" +
		"error: stdin: no standard input to read|" +
		"warning: .aksguard.yaml:8: the waiver for AKS-NET-003 on \"*\" expired on 2026-01-31 and is no longer applied|" +
		"note: excluded 3 results on AKS-managed or system objects or excluded namespaces|" +
		"note: skipped 2 inputs: not JSON|note: skipped 1 input: not an AKS document|" +
		// A not-assessed result is never silent: without --include-passed
		// it is a note naming the control, the resource and why.
		"note: AKS-UPG-003 not assessed on tf:azurerm_kubernetes_cluster.prod/agentPools/user: the pool's version cannot be determined from this input"
	if got := strings.Join(notes, "|"); got != wantNotes {
		t.Errorf("notifications\n got %s\nwant %s", got, wantNotes)
	}
}

func TestSARIFResultsDefault(t *testing.T) {
	l := decodeSARIF(t, writeSARIF(t, testReport(false), testControls()))
	rules := l.Runs[0].Tool.Driver.Rules
	res := l.Runs[0].Results
	// Only the seven fails; waived, pass, not-applicable, not-assessed are left out.
	if len(res) != 7 {
		t.Fatalf("want 7 results, got %d", len(res))
	}
	for _, r := range res {
		if r.Kind != "fail" || len(r.Suppressions) != 0 || r.Properties.Status != "fail" {
			t.Errorf("%s: kind %q status %q suppressions %v", r.RuleID, r.Kind, r.Properties.Status, r.Suppressions)
		}
		if rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", r.RuleID, r.RuleIndex, rules[r.RuleIndex].ID)
		}
		if len(r.Fingerprints["aksguard/v1"]) != 64 {
			t.Errorf("%s: fingerprint %q", r.RuleID, r.Fingerprints)
		}
	}

	byRes := map[string]sResult{}
	for _, r := range res {
		byRes[r.RuleID+" "+r.Properties.Resource.Name] = r
	}
	loc := func(key string) (uri, base string, line int, n int) {
		r, ok := byRes[key]
		if !ok {
			t.Fatalf("no result %s", key)
		}
		if len(r.Locations) == 0 {
			return "", "", 0, 0
		}
		p := r.Locations[0].Physical
		if p.Region != nil {
			line = p.Region.StartLine
		}
		return p.Artifact.URI, p.Artifact.URIBaseID, line, len(r.Locations)
	}
	for _, tc := range []struct {
		key, uri, base string
		line, n        int
	}{
		{"AKS-ACC-001 aks-prod", "infra/main.tf", "%SRCROOT%", 12, 1},
		{"AKS-ACC-001 aks-dev", "stdin", "", 5, 1},
		{"AKS-ACC-005 aks-dev", "", "", 0, 0}, // no file: no locations
		{"AKS-IMG-003 acrprod", "registries/acr.json", "%SRCROOT%", 0, 1},
		{"AKS-K8S-001 checkout-api", "k8s%20manifests/checkout.yaml", "%SRCROOT%", 31, 1},
		{"AKS-EXP-001 aks-prod/user", "file:///elsewhere/pools.json", "", 2, 1},
	} {
		uri, base, line, n := loc(tc.key)
		if uri != tc.uri || base != tc.base || line != tc.line || n != tc.n {
			t.Errorf("%s: uri %q base %q line %d locations %d; want %q %q %d %d", tc.key, uri, base, line, n, tc.uri, tc.base, tc.line, tc.n)
		}
	}

	prod := byRes["AKS-ACC-001 aks-prod"]
	if prod.Level != "error" || !strings.HasPrefix(prod.Message.Text, "the API server is public") ||
		!strings.Contains(prod.Message.Text, "\nFix: In azurerm_kubernetes_cluster.prod set") {
		t.Errorf("prod result: level %q message %q", prod.Level, prod.Message.Text)
	}
	lg := prod.Locations[0].Logical
	if len(lg) != 1 || lg[0].Name != "aks-prod" || lg[0].Kind != "resource" || lg[0].FullyQualifiedName != "tf:azurerm_kubernetes_cluster.prod" {
		t.Errorf("logical locations = %+v", lg)
	}
	if len(prod.Properties.Evidence) != 2 || prod.Properties.Evidence[1].Path != "private_cluster_enabled" || prod.Properties.Severity != "critical" {
		t.Errorf("properties = %+v", prod.Properties)
	}
	if lg := byRes["AKS-K8S-001 checkout-api"].Locations[0].Logical; lg[0].FullyQualifiedName != "Deployment/payments/checkout-api" {
		t.Errorf("pod fullyQualifiedName = %q", lg[0].FullyQualifiedName)
	}
	if byRes["AKS-UPG-003 aks-prod/system"].Level != "note" || byRes["AKS-K8S-001 checkout-api"].Level != "warning" {
		t.Error("levels do not follow the result severity")
	}
	if byRes["AKS-ACC-001 aks-prod"].Fingerprints["aksguard/v1"] == byRes["AKS-ACC-001 aks-dev"].Fingerprints["aksguard/v1"] {
		t.Error("two resources share a fingerprint")
	}
}

func TestSARIFResultsIncludePassed(t *testing.T) {
	l := decodeSARIF(t, writeSARIF(t, testReport(true), testControls()))
	res := l.Runs[0].Results
	if len(res) != 12 {
		t.Fatalf("want all 12 results, got %d", len(res))
	}
	kinds := map[string]string{}
	for _, r := range res {
		kinds[r.Properties.Status] += r.Kind + "/" + r.Level + " "
		if r.Properties.Status == "waived" {
			if len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "external" || r.Suppressions[0].Status != "accepted" ||
				!strings.Contains(r.Suppressions[0].Justification, "OPS-123") {
				t.Errorf("waived suppressions = %+v", r.Suppressions)
			}
		} else if len(r.Suppressions) != 0 {
			t.Errorf("%s %s has suppressions", r.RuleID, r.Properties.Status)
		}
	}
	want := map[string]string{
		"pass":           "pass/none pass/none ",
		"not-applicable": "notApplicable/none ",
		"not-assessed":   "review/none ",
		"waived":         "fail/warning ",
	}
	for st, w := range want {
		if kinds[st] != w {
			t.Errorf("%s → %q, want %q", st, kinds[st], w)
		}
	}
}

func TestSARIFDeterministic(t *testing.T) {
	a := writeSARIF(t, testReport(true), testControls())
	// Controls in another order give the same bytes: rules are sorted.
	cs := testControls()
	for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
		cs[i], cs[j] = cs[j], cs[i]
	}
	b := writeSARIF(t, testReport(true), cs)
	if !bytes.Equal(a, b) {
		t.Error("output depends on the order of the controls")
	}
	// The fingerprint ignores file and line, so it survives edits.
	r := testReport(false)
	before := fingerprint(r.Results[4])
	r.Results[4].Source = check.Location{File: "moved/main.tf", Line: 99}
	if fingerprint(r.Results[4]) != before {
		t.Error("fingerprint changes with the source location")
	}
}

func TestSARIFURI(t *testing.T) {
	for _, tc := range []struct{ in, uri, base string }{
		{"-", "stdin", ""},
		{"./infra/main.tf", "infra/main.tf", "%SRCROOT%"},
		{"infra//nested/../main.tf", "infra/main.tf", "%SRCROOT%"},
		{"/work/repo/a/b.json", "a/b.json", "%SRCROOT%"},
		{"/work/repository/b.json", "file:///work/repository/b.json", ""},
		{"/tmp/x y#1.json", "file:///tmp/x%20y%231.json", ""},
		{"dir/a:b.json", "dir/a:b.json", "%SRCROOT%"},
		{"a:b.json", "./a:b.json", "%SRCROOT%"},
	} {
		uri, base := sarifURI(tc.in)
		if uri != tc.uri || base != tc.base {
			t.Errorf("sarifURI(%q) = %q, %q; want %q, %q", tc.in, uri, base, tc.uri, tc.base)
		}
	}
}

func TestCamelCase(t *testing.T) {
	for in, want := range map[string]string{
		"Local accounts disabled":                             "LocalAccountsDisabled",
		"Microsoft Entra ID (AAD) integration":                "MicrosoftEntraIDAADIntegration",
		"Network policy engine enabled (Calico/Cilium/Azure)": "NetworkPolicyEngineEnabledCalicoCiliumAzure",
		"  ": "",
	} {
		if got := camelCase(in); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSARIFStreamMatchesEncoder checks that the streaming writer produces
// exactly what encoding/json writes for the whole log built in memory.
func TestSARIFStreamMatchesEncoder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		report *Report
	}{
		{"default", testReport(false)},
		{"include passed", testReport(true)},
		{"empty", &Report{Tool: Tool{Name: "aksguard", Version: "dev"}}},
		{"only passes, not listed", &Report{Results: []check.Result{{Control: "AKS-X", Status: check.Pass}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := writeSARIF(t, tc.report, testControls())
			log, index := sarifEnvelope(tc.report, testControls())
			for _, res := range tc.report.Results {
				if kind, ok := sarifKind(res.Status, tc.report.IncludePassed); ok {
					log.Runs[0].Results = append(log.Runs[0].Results, sarifResultFor(res, kind, index[res.Control]))
				}
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(log); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("streamed SARIF differs from encoding/json:\n%s\n---\n%s", got, want.Bytes())
			}
		})
	}
}
