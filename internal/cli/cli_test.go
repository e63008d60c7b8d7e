package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// runCLI runs aksguard in-process and returns exit code, stdout, stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const today = "--today=2026-11-24"

type jsonReport struct {
	Tool        map[string]string `json:"tool"`
	GeneratedAt string            `json:"generatedAt"`
	Summary     struct {
		Pass, Fail, NotApplicable, NotAssessed, Waived int
		BySeverity                                     map[string]int `json:"bySeverity"`
		Clusters                                       int
	} `json:"summary"`
	Results []struct {
		Control, Title, Severity, Status, Message, Remediation string
		Resource                                               struct{ Kind, ID, Name, Namespace string }
		Evidence                                               []struct{ Path, Value string }
		Source                                                 struct {
			File string
			Line int
		}
		References []string
	} `json:"results"`
	Errors []struct {
		Input   string
		Line    int
		Message string
	} `json:"errors"`
}

func decode(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, s)
	}
	return r
}

func statuses(r jsonReport, resource string) map[string]string {
	m := map[string]string{}
	for _, res := range r.Results {
		if resource != "" && res.Resource.Name != resource {
			continue
		}
		if cur, ok := m[res.Control]; !ok || res.Status == "fail" || cur == "pass" {
			m[res.Control] = res.Status
		}
	}
	return m
}

func TestScanInsecureExample(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "-o", "json", today, "../../examples/insecure")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 (stderr %q)", code, stderr)
	}
	r := decode(t, out)
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if r.Tool["name"] != "aksguard" || r.GeneratedAt != "2026-11-24T00:00:00Z" {
		t.Errorf("tool/generatedAt: %v %s", r.Tool, r.GeneratedAt)
	}
	// The example holds one cluster as az JSON and as Terraform: one
	// cluster in the report, each cluster finding once.
	if r.Summary.Clusters != 1 {
		t.Errorf("clusters = %d, want 1 (the same cluster as az JSON and as Terraform)", r.Summary.Clusters)
	}
	// The audit controls report one finding per group of events (identity
	// and what was done): several findings of one control are not views
	// that disagree.
	perCluster := map[string]int{}
	for _, res := range r.Results {
		if res.Resource.Kind == "ManagedCluster" && !strings.HasPrefix(res.Control, "AKS-AUD-") {
			perCluster[res.Control]++
			if res.Resource.Name != "aks-shop-prod" {
				t.Errorf("%s on %+v", res.Control, res.Resource)
			}
		}
	}
	for control, n := range perCluster {
		if n != 1 {
			t.Errorf("%s: %d results on the cluster, want 1 (the inputs agree)", control, n)
		}
	}
	for _, res := range r.Results {
		if res.Status == "fail" && (res.Remediation == "" || res.Source.File == "" || len(res.References) == 0 || res.Title == "") {
			t.Errorf("incomplete fail result: %+v", res)
		}
	}
	st := statuses(r, "")
	for _, id := range []string{"AKS-ACC-001", "AKS-ACC-003", "AKS-ACC-004", "AKS-ACC-005", "AKS-NET-001", "AKS-NET-002", "AKS-NET-003", "AKS-NET-007",
		"AKS-UPG-001", "AKS-UPG-004", "AKS-UPG-005", "AKS-UPG-006", "AKS-UPG-010", "AKS-MON-001", "AKS-MON-003", "AKS-MON-005", "AKS-GOV-001", "AKS-IMG-003", "AKS-IMG-005",
		"AKS-SEC-002", "AKS-SEC-004", "AKS-IDN-002", "AKS-IDN-004", "AKS-NOD-001", "AKS-NOD-002", "AKS-NOD-003",
		// examples/insecure/audit/kube-audit.log, written by a real
		// kube-apiserver (AKS-AUD-007: the cluster has no authorized ranges).
		"AKS-AUD-001", "AKS-AUD-002", "AKS-AUD-003", "AKS-AUD-004", "AKS-AUD-005", "AKS-AUD-006", "AKS-AUD-008", "AKS-AUD-009", "AKS-AUD-010"} {
		if st[id] != "fail" {
			t.Errorf("%s = %q, want fail", id, st[id])
		}
	}
	if r.Summary.BySeverity["critical"] == 0 || r.Summary.Fail == 0 {
		t.Errorf("summary %+v", r.Summary)
	}
}

func TestScanHardenedExample(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "-o", "json", "--include-passed", today, "../../examples/hardened")
	r := decode(t, out)
	var fails []string
	for _, res := range r.Results {
		if res.Status == "fail" {
			fails = append(fails, res.Control+" "+res.Resource.Name+": "+res.Message)
		}
	}
	if code != ExitClean || len(fails) > 0 || len(r.Errors) > 0 {
		t.Fatalf("exit %d, stderr %q, fails:\n%s\nerrors %+v", code, stderr, strings.Join(fails, "\n"), r.Errors)
	}
	if r.Summary.Pass < 30 {
		t.Errorf("only %d passes", r.Summary.Pass)
	}
	// examples/hardened/audit/kube-audit.log: an ordinary day, judged.
	st := statuses(r, "")
	for _, id := range []string{"AKS-AUD-001", "AKS-AUD-002", "AKS-AUD-003", "AKS-AUD-004", "AKS-AUD-005", "AKS-AUD-006", "AKS-AUD-008", "AKS-AUD-009", "AKS-AUD-010"} {
		if st[id] != "pass" {
			t.Errorf("%s = %q, want pass", id, st[id])
		}
	}
}

func TestBadInputDoesNotStopTheScan(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, os.WriteFile(filepath.Join(dir, "good.json"), good, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{\n  \"name\": \"x\",\n  \"properties\": {\n    \"enableRBAC\": tru\n  }\n}\n"), 0o644))
	code, out, stderr := runCLI(t, "", "scan", "-o", "json", today, dir, filepath.Join(dir, "missing.json"))
	if code != ExitError {
		t.Fatalf("exit %d, want 2", code)
	}
	r := decode(t, out)
	if r.Summary.Clusters != 1 || len(r.Results) == 0 {
		t.Fatalf("the good file was not scanned: %+v", r.Summary)
	}
	var msgs []string
	for _, e := range r.Errors {
		msgs = append(msgs, e.Input+":"+strconv.Itoa(e.Line)+": "+e.Message)
	}
	sort.Strings(msgs)
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "broken.json:4: invalid JSON") || !strings.Contains(joined, "missing.json:0: no such file") {
		t.Errorf("errors do not name file and line:\n%s", joined)
	}
	if !strings.Contains(stderr, "broken.json:4:") {
		t.Errorf("stderr does not name the bad input: %q", stderr)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestScanStdinAndFailOn(t *testing.T) {
	data, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, err)
	code, out, _ := runCLI(t, string(data), "scan", "-o", "json", today, "-")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1", code)
	}
	r := decode(t, out)
	if r.Results[0].Source.File != "-" {
		t.Errorf("stdin source %q", r.Results[0].Source.File)
	}
	if code, _, _ := runCLI(t, string(data), "scan", "--fail-on", "none", today, "-"); code != ExitClean {
		t.Errorf("--fail-on none: exit %d", code)
	}
	if code, _, _ := runCLI(t, string(data), "scan", "--fail-on", "critical", "--control", "AKS-ACC-005", today, "-"); code != ExitClean {
		t.Errorf("high finding with --fail-on critical: exit %d", code)
	}
	if code, _, _ := runCLI(t, string(data), "scan", "--fail-on", "high", "--control", "aks-acc-005", today, "-"); code != ExitFindings {
		t.Errorf("high finding with --fail-on high: exit %d", code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"scan"},
		{"scan", "-o", "yaml", "x"},
		{"scan", "--fail-on", "severe", "x"},
		{"scan", "--bogus", "x"},
		{"scan", "--control", "AKS-NOPE-1", "x"},
		{"scan", "--today", "yesterday", "x"},
		{"explain", "AKS-NOPE-1"},
		{"frobnicate"},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code != ExitError || !strings.Contains(stderr, "aksguard:") {
			t.Errorf("%v: exit %d stderr %q, want 2 with a message", args, code, stderr)
		}
	}
	code, out, stderr := runCLI(t, "", "scan", t.TempDir())
	if code != ExitError || !strings.Contains(out+stderr, "found no AKS cluster") {
		t.Errorf("empty dir: exit %d stderr %q", code, stderr)
	}
}

func TestChecksExplainVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "checks", "-o", "json")
	if code != 0 {
		t.Fatalf("checks exit %d", code)
	}
	var list []map[string]any
	must(t, json.Unmarshal([]byte(out), &list))
	if len(list) < 40 {
		t.Errorf("only %d controls", len(list))
	}
	ids := map[string]bool{}
	for _, c := range list {
		ids[c["id"].(string)] = true
	}
	for _, id := range []string{"AKS-ACC-001", "AKS-UPG-001", "AKS-SEC-004", "AKS-IMG-003"} {
		if !ids[id] {
			t.Errorf("%s not listed", id)
		}
	}
	_, out, _ = runCLI(t, "", "checks")
	if !strings.Contains(out, "AKS-ACC-005") || !strings.Contains(out, "SEVERITY") {
		t.Errorf("checks table: %s", out)
	}
	code, out, _ = runCLI(t, "", "explain", "aks-acc-005")
	if code != 0 || !strings.Contains(out, "Local accounts disabled") || !strings.Contains(out, "Fails when") || !strings.Contains(out, "https://learn.microsoft.com") {
		t.Errorf("explain: %d %s", code, out)
	}
	_, out, _ = runCLI(t, "", "version")
	if !strings.HasPrefix(out, "aksguard ") {
		t.Errorf("version: %q", out)
	}
}

func TestOutputFormatsAndFile(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"sarif", "junit", "table", "json"} {
		path := filepath.Join(dir, "report."+format)
		code, out, _ := runCLI(t, "", "scan", "-o", format, "--output-file", path, today, "../../examples/insecure/aks-shop-prod.json")
		if code != ExitFindings || out != "" {
			t.Errorf("%s: exit %d, stdout %q", format, code, out)
		}
		data, err := os.ReadFile(path)
		must(t, err)
		want := map[string]string{"sarif": `"version": "2.1.0"`, "junit": "<testsuites", "table": "AKS-ACC-005", "json": `"control": "AKS-ACC-005"`}[format]
		if !strings.Contains(string(data), want) {
			t.Errorf("%s report lacks %q", format, want)
		}
		if format == "table" && strings.Contains(string(data), "\x1b[") {
			t.Error("colour written to a file")
		}
	}
}

// TestSecretValuesNeverPrinted: AKS-SEC-001 finds credentials by their
// format (issue #8) and no output format prints any of them.
func TestSecretValuesNeverPrinted(t *testing.T) {
	in := "../checks/testdata/workloads/secretvalues.yaml"
	planted := []string{"Pl4nt3d", "AKIAPLANTED", "UGxhbnRl", "BEGIN RSA", "eG94Yi0"}
	for _, format := range reportFormats {
		for _, extra := range [][]string{nil, {"--include-passed", "--include-system"}} {
			args := append([]string{"scan", "-o", format, today, in}, extra...)
			code, out, errOut := runCLI(t, "", args...)
			if code != ExitFindings {
				t.Errorf("%s: exit %d: %s", format, code, errOut)
			}
			for _, p := range planted {
				if strings.Contains(out+errOut, p) {
					t.Errorf("%s output holds the planted value %q", format, p)
				}
			}
			for _, kind := range []string{"a GitHub token", "a PEM private key"} {
				if format != "table" && format != "markdown" && !strings.Contains(out, kind) { // the table and the summary print no evidence
					t.Errorf("%s output does not name %q", format, kind)
				}
			}
		}
	}
}

// TestRenderErrorsNeverQuoteSecrets: a Helm tpl error quotes the rendered
// values block and a kustomize secretGenerator literal without `=` is
// quoted by kustomize (issue #9); the render layer redacts both, so no
// planted value reaches stderr, any report format or --output-file, and
// the input errors still name the chart and the kustomization (exit 2).
func TestRenderErrorsNeverQuoteSecrets(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"chart/Chart.yaml": "apiVersion: v2\nname: leaky\nversion: 0.1.0\n",
		"chart/values.yaml": `db:
  password: Pl4ntedHelmPassw0rd
config: |
  user: admin
  password: Pl4ntedBlockPassw0rd
  connection: Server=db;Pl4ntedConnSecret
  {{ .Values.nope.deeper }}
`,
		"chart/templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  cfg: {{ tpl .Values.config . | quote }}\n",
		"failing/Chart.yaml":       "apiVersion: v2\nname: failing\nversion: 0.1.0\n",
		"failing/values.yaml":      "apiKey: Pl4ntedFailKey\n",
		"failing/templates/x.yaml": `{{ fail (printf "bad key %s" .Values.apiKey) }}`,
		"kust/kustomization.yaml":  "secretGenerator:\n- name: s\n  literals:\n  - Pl4ntedKustomizeLiteral\n  - token=Pl4ntedKustToken\n",
		"canary.yaml":              "apiVersion: v1\nkind: Pod\nmetadata: {name: canary}\nspec: {containers: [{name: c, image: nginx}]}\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(data), 0o644))
	}
	planted := []string{"Pl4ntedHelmPassw0rd", "Pl4ntedBlockPassw0rd", "Pl4ntedConnSecret", "Pl4ntedFailKey", "Pl4ntedKustomizeLiteral", "Pl4ntedKustToken"}
	for _, format := range reportFormats {
		outFile := filepath.Join(t.TempDir(), "report")
		for _, extra := range [][]string{nil, {"--output-file", outFile}} {
			args := append([]string{"scan", "-o", format, "--include-passed", today, dir}, extra...)
			code, out, errOut := runCLI(t, "", args...)
			if code != ExitError {
				t.Errorf("%s %v: exit %d, want %d", format, extra, code, ExitError)
			}
			all := out + errOut
			if extra != nil {
				b, err := os.ReadFile(outFile)
				must(t, err)
				all += string(b)
			}
			for _, p := range planted {
				if strings.Contains(all, p) {
					t.Errorf("%s %v: output holds the planted value %q", format, extra, p)
				}
			}
			for _, want := range []string{filepath.Join(dir, "chart"), filepath.Join(dir, "failing"), filepath.Join(dir, "kust"), "canary"} {
				if !strings.Contains(strings.ReplaceAll(all, `\\`, `\`), want) {
					t.Errorf("%s %v: output does not name %s", format, extra, want)
				}
			}
		}
	}
}

// TestKubeconfigCredentialsNeverPrinted: a kubeconfig file is judged by
// AKS-IDN-006/007 (issue #8) and its token, client key and exec secret
// appear in no output format.
func TestKubeconfigCredentialsNeverPrinted(t *testing.T) {
	in := "../checks/testdata/kubeconfig"
	planted := []string{"planted-kubeconfig-token", "PLANTEDKUBECONFIGKEY", "UExBTlRFREtVQkVDT05GSUdLRVk", "LS0tLS1CRUdJTiBFQyBQUklWQVRF", "planted-exec-secret"}
	for _, format := range reportFormats {
		code, out, errOut := runCLI(t, "", "scan", "-o", format, "--include-passed", today, in)
		if code != 0 { // the findings are medium, below the default --fail-on
			t.Errorf("%s: exit %d: %s", format, code, errOut)
		}
		for _, p := range planted {
			if strings.Contains(out+errOut, p) {
				t.Errorf("%s output holds the planted credential %q", format, p)
			}
		}
		for _, want := range []string{"AKS-IDN-006", "AKS-IDN-007", "system:masters"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q", format, want)
			}
		}
	}
}

func TestTemplateParametersAndTerraformVars(t *testing.T) {
	tpl := "../source/arm/testdata/templates/hardened.json"
	_, out, _ := runCLI(t, "", "scan", "-o", "json", "--include-passed", today, tpl)
	base := statuses(decode(t, out), "")
	_, out, _ = runCLI(t, "", "scan", "-o", "json", "--include-passed", today, "--parameters", "../source/arm/testdata/templates/hardened.parameters.json", tpl)
	r := decode(t, out)
	withParams := statuses(r, "")
	// The parameters file makes the cluster public (privateCluster false).
	if base["AKS-ACC-003"] != "pass" || withParams["AKS-ACC-003"] != "fail" {
		t.Errorf("ACC-003 defaults %q, with parameters %q", base["AKS-ACC-003"], withParams["AKS-ACC-003"])
	}
	if code, _, stderr := runCLI(t, "", "scan", "--parameters", "nope.json", tpl); code != ExitError || !strings.Contains(stderr, "nope.json") {
		t.Errorf("missing parameters file: exit %d %q", code, stderr)
	}

	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
variable "private" {
  type    = bool
  default = true
}
resource "azurerm_kubernetes_cluster" "c" {
  name                    = "c"
  private_cluster_enabled = var.private
  default_node_pool {
    name = "system"
  }
  identity {
    type = "SystemAssigned"
  }
}
`), 0o644))
	_, out, _ = runCLI(t, "", "scan", "-o", "json", "--include-passed", "--control", "AKS-ACC-003", today, dir)
	if st := statuses(decode(t, out), "")["AKS-ACC-003"]; st != "pass" {
		t.Errorf("variable default: ACC-003 %q", st)
	}
	_, out, _ = runCLI(t, "", "scan", "-o", "json", "--include-passed", "--control", "AKS-ACC-003", "--var", "private=false", today, dir)
	if st := statuses(decode(t, out), "")["AKS-ACC-003"]; st != "fail" {
		t.Errorf("--var private=false: ACC-003 %q", st)
	}
}

// TestJSONContractKeys pins the documented JSON contract (docs/json-report.md).
func TestJSONContractKeys(t *testing.T) {
	_, out, _ := runCLI(t, "", "scan", "-o", "json", today, "../../examples/insecure/aks-shop-prod.json")
	var raw map[string]json.RawMessage
	must(t, json.Unmarshal([]byte(out), &raw))
	keys := func(m map[string]json.RawMessage) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	if got := keys(raw); got != "errors,generatedAt,results,summary,tool" {
		t.Errorf("top-level keys %s", got)
	}
	var summary map[string]json.RawMessage
	must(t, json.Unmarshal(raw["summary"], &summary))
	if got := keys(summary); got != "bySeverity,clusters,excluded,fail,notApplicable,notAssessed,pass,waived" {
		t.Errorf("summary keys %s", got)
	}
	var results []map[string]json.RawMessage
	must(t, json.Unmarshal(raw["results"], &results))
	allowed := map[string]bool{"control": true, "title": true, "severity": true, "status": true, "resource": true, "message": true,
		"evidence": true, "source": true, "remediation": true, "references": true}
	for _, r := range results {
		for k := range r {
			if !allowed[k] {
				t.Errorf("undocumented result key %q", k)
			}
		}
		for _, k := range []string{"control", "title", "severity", "status", "resource", "message", "source"} {
			if _, ok := r[k]; !ok {
				t.Errorf("result lacks %q", k)
			}
		}
	}
}

func TestConfigWaiversAndInit(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "aksguard.yaml")
	must(t, os.WriteFile(cfg, []byte(`severity:
  AKS-ACC-001: low
waivers:
  - control: AKS-ACC-005
    resource: ManagedCluster/aks-shop-*
    reason: break-glass access until the Entra ID rollout (CHG-42)
    expires: 2027-01-31
  - control: AKS-NET-003
    reason: expired exception
    expires: 2026-01-31
`), 0o644))
	cluster := "../../examples/insecure/aks-shop-prod.json"
	code, out, stderr := runCLI(t, "", "scan", "-o", "json", "--config", cfg, "--control", "AKS-ACC-005,AKS-ACC-001,AKS-NET-003", today, cluster)
	r := decode(t, out)
	st := statuses(r, "")
	if st["AKS-ACC-005"] != "waived" || st["AKS-NET-003"] != "fail" || r.Summary.Waived != 1 {
		t.Errorf("statuses %v summary %+v", st, r.Summary)
	}
	for _, res := range r.Results {
		if res.Control == "AKS-ACC-001" && res.Severity != "low" {
			t.Errorf("severity override not applied: %s", res.Severity)
		}
	}
	if !strings.Contains(stderr, "aksguard.yaml:8: the waiver for AKS-NET-003") {
		t.Errorf("expired waiver not reported: %q", stderr)
	}
	if code != ExitFindings { // AKS-NET-003 (high) still fails
		t.Errorf("exit %d", code)
	}
	// With the only high findings waived or lowered, --fail-on high passes.
	code, _, _ = runCLI(t, "", "scan", "--config", cfg, "--control", "AKS-ACC-005,AKS-ACC-001", today, cluster)
	if code != ExitClean {
		t.Errorf("waived and lowered findings still fail the run: exit %d", code)
	}

	bad := filepath.Join(dir, "bad.yaml")
	must(t, os.WriteFile(bad, []byte("waivers:\n  - control: AKS-ACC-005\n    expires: 2027-01-01\n"), 0o644))
	code, _, stderr = runCLI(t, "", "scan", "--config", bad, cluster)
	if code != ExitError || !strings.Contains(stderr, "bad.yaml:2: waiver for AKS-ACC-005 has no reason") {
		t.Errorf("bad config: exit %d %q", code, stderr)
	}

	starter := filepath.Join(dir, ".aksguard.yaml")
	if code, out, _ := runCLI(t, "", "init", "--file", starter); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("init: %d %s", code, out)
	}
	if code, _, stderr := runCLI(t, "", "init", "--file", starter); code != ExitError || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over an existing file: %d %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--config", starter, "--fail-on", "none", today, cluster); code != ExitClean {
		t.Errorf("scan with the starter config: %d %q", code, stderr)
	}
}

// TestErrorsOnceAndExitCodes: every error is printed once (in the table on
// standard output, or on standard error when the report goes elsewhere); a
// bad path is not followed by "found no AKS cluster"; companion data without
// its cluster is a warning and does not make the scan exit 2 when the rest
// was scanned.
func TestErrorsOnceAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	pools := filepath.Join(dir, "pools")
	must(t, os.MkdirAll(pools, 0o755))
	must(t, os.WriteFile(filepath.Join(pools, "pools.json"), []byte(`[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other/agentPools/np1","name":"np1","osType":"Linux","mode":"User","count":1}]`), 0o644))
	cluster, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, err)
	withCluster := filepath.Join(dir, "repo")
	must(t, os.MkdirAll(filepath.Join(withCluster, "pools"), 0o755))
	must(t, os.WriteFile(filepath.Join(withCluster, "aks.json"), cluster, 0o644))
	must(t, os.WriteFile(filepath.Join(withCluster, "pools", "pools.json"), []byte(`[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other/agentPools/np1","name":"np1","osType":"Linux","mode":"User","count":1}]`), 0o644))
	acr := filepath.Join(dir, "acr")
	must(t, os.MkdirAll(acr, 0o755))
	acrData, err := os.ReadFile("../../examples/insecure/acr-shopprodacr.json")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(acr, "acr.json"), acrData, 0o644))
	missing := filepath.Join(dir, "nope")

	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		once      []string // each appears exactly once in stdout+stderr
		absent    []string
		inStderr  []string
		notStderr []string
	}{
		{name: "bad path, table", args: []string{"scan", missing}, code: ExitError,
			once: []string{"no such file or directory"}, absent: []string{"found no AKS cluster"}, notStderr: []string{"no such file"}},
		{name: "bad path, json", args: []string{"scan", "-o", "json", missing}, code: ExitError,
			once: []string{"no such file or directory"}, absent: []string{"found no AKS cluster"}, inStderr: []string{"aksguard: error:", "no such file"}},
		{name: "empty dir, table", args: []string{"scan", t.TempDir()}, code: ExitError, once: []string{"found no AKS cluster"}},
		{name: "cluster with an orphan node pool folder", args: []string{"scan", "--fail-on", "none", withCluster}, code: ExitClean,
			once: []string{"agent pool np1 belongs to cluster"}},
		{name: "orphan node pool, json: warning on stderr", args: []string{"scan", "-o", "json", "--fail-on", "none", withCluster}, code: ExitClean,
			once: []string{"agent pool np1 belongs to cluster"}, inStderr: []string{"aksguard: warning:"}},
		{name: "only node pools: nothing scannable", args: []string{"scan", pools}, code: ExitError,
			once: []string{"agent pool np1 belongs to cluster", "found no AKS cluster"}},
		{name: "only a registry", args: []string{"scan", acr}, code: ExitClean},
		{name: "registry and a bad path", args: []string{"scan", acr, missing}, code: ExitError, once: []string{"no such file"}, absent: []string{"found no AKS cluster"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", append([]string{tc.args[0], today}, tc.args[1:]...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, stderr)
			}
			// A table on stdout lists the problems itself; a JSON report
			// carries them for machines and stderr tells the human, once.
			all := out + stderr
			if slices.Contains(tc.args, "-o") {
				all = stderr
			}
			for _, s := range tc.once {
				if n := strings.Count(all, s); n != 1 {
					t.Errorf("%q appears %d times, want once:\n%s", s, n, all)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(all, s) {
					t.Errorf("%q should not appear:\n%s", s, all)
				}
			}
			for _, s := range tc.inStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q: %s", s, stderr)
				}
			}
			for _, s := range tc.notStderr {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr repeats %q: %s", s, stderr)
				}
			}
		})
	}
}

// TestEveryControlInEveryReport: on an Azure-only and a manifests-only scan,
// every catalog control appears in the JSON and JUnit reports (with
// --include-passed; SARIF writes non-failures only then, by design; the
// controls that could not run as not-assessed naming the missing input),
// and the table folds those into one line per missing input.
func TestEveryControlInEveryReport(t *testing.T) {
	_, checksOut, _ := runCLI(t, "", "checks", "-o", "json")
	var catalog []struct{ ID string }
	must(t, json.Unmarshal([]byte(checksOut), &catalog))
	for _, tc := range []struct {
		name, path, missing string
	}{
		{"Azure only", "../../examples/insecure/aks-shop-prod.json", "no Kubernetes input for this cluster: scan manifests or --kube"},
		{"manifests only", "../../examples/insecure/k8s", "no Azure input for this cluster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Passed and not-applicable results are shown with --include-passed;
			// not-assessed ones always are.
			_, out, _ := runCLI(t, "", "scan", "--no-config", "--include-passed", "-o", "json", today, tc.path)
			r := decode(t, out)
			seen := map[string]bool{}
			for _, res := range r.Results {
				seen[res.Control] = true
			}
			_, junit, _ := runCLI(t, "", "scan", "--no-config", "--include-passed", "-o", "junit", today, tc.path)
			for _, c := range catalog {
				if !seen[c.ID] {
					t.Errorf("JSON: %s does not appear", c.ID)
				}
				if !strings.Contains(junit, c.ID) {
					t.Errorf("JUnit: %s does not appear", c.ID)
				}
			}
			if !strings.Contains(out, tc.missing) {
				t.Errorf("JSON does not name the missing input %q", tc.missing)
			}
			_, table, _ := runCLI(t, "", "scan", "--no-config", today, tc.path)
			if n := strings.Count(table, tc.missing); n != 1 {
				t.Errorf("table names the missing input %d times, want once (folded)", n)
			}
		})
	}
}

// TestScanBicep: `aksguard scan` on a Bicep file and on a folder whose
// main.bicep calls a local module reads the one cluster (the module file is
// not a second cluster), with evidence in the module file and a fix in
// Bicep; a .bicepparam file and --parameters give its parameters values.
func TestScanBicep(t *testing.T) {
	acc003 := func(args ...string) (string, jsonReport) {
		t.Helper()
		_, out, stderr := runCLI(t, "", append([]string{"scan", "-o", "json", "--include-passed", "--control", "AKS-ACC-003", today}, args...)...)
		r := decode(t, out)
		if len(r.Errors) != 0 {
			t.Errorf("%v: input errors %v (%s)", args, r.Errors, stderr)
		}
		if r.Summary.Clusters != 1 || len(r.Results) != 1 {
			t.Fatalf("%v: %d clusters, %d results, want 1 and 1", args, r.Summary.Clusters, len(r.Results))
		}
		return r.Results[0].Status, r
	}
	for _, in := range [][]string{{"testdata/bicep/main.bicep"}, {"testdata/bicep/main.bicep", "testdata/bicep/modules"}} {
		st, r := acc003(in...)
		res := r.Results[0]
		if st != "pass" || res.Resource.Name != "aks-bicep" {
			t.Errorf("%v: ACC-003 %s on %q, want pass on aks-bicep", in, st, res.Resource.Name)
		}
		if res.Source.File != filepath.Join("testdata/bicep/modules/aks.bicep") || res.Source.Line == 0 {
			t.Errorf("%v: evidence at %s:%d, want the module file", in, res.Source.File, res.Source.Line)
		}
	}
	if st, r := acc003("testdata/bicep/public.bicepparam"); st != "fail" || r.Results[0].Resource.Name != "aks-bicep-public" {
		t.Errorf(".bicepparam: ACC-003 %s on %q, want fail on aks-bicep-public", st, r.Results[0].Resource.Name)
	} else if !strings.Contains(r.Results[0].Remediation, "main.bicep, module aks > resource cluster") || !strings.Contains(r.Results[0].Remediation, "enablePrivateCluster") {
		t.Errorf(".bicepparam: fix %q, want the Bicep address and property", r.Results[0].Remediation)
	}
	if st, _ := acc003("--parameters", "testdata/bicep/public.parameters.json", "testdata/bicep/main.bicep"); st != "fail" {
		t.Errorf("--parameters: ACC-003 %s, want fail", st)
	}
	// The folder: main.bicep and public.bicepparam are deployments; the
	// module and main.bicep (used by the .bicepparam) are not clusters of
	// their own.
	_, out, _ := runCLI(t, "", "scan", "-o", "json", "--include-passed", "--control", "AKS-ACC-003", today, "testdata/bicep")
	r := decode(t, out)
	var names []string
	for _, res := range r.Results {
		names = append(names, res.Resource.Name+"="+res.Status)
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "aks-bicep-public=fail" || len(r.Errors) != 0 {
		t.Errorf("folder: %s, errors %v; want aks-bicep-public=fail only", got, r.Errors)
	}
	// A registry module is an input error at its call, unless
	// --bicep-module gives its local copy.
	code, out, _ := runCLI(t, "", "scan", "-o", "json", "--control", "AKS-ACC-003", today, "testdata/bicep-registry/main.bicep")
	if r := decode(t, out); code != ExitError || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "registry module") || r.Errors[0].Line != 3 {
		t.Errorf("registry module: exit %d, errors %v", code, r.Errors)
	}
	st, r := acc003("--bicep-module", "br/public:avm/res/container-service/managed-cluster=testdata/bicep/modules/aks.bicep", "testdata/bicep-registry/main.bicep")
	if st != "fail" || r.Results[0].Resource.Name != "aks-from-registry" {
		t.Errorf("--bicep-module: ACC-003 %s on %q", st, r.Results[0].Resource.Name)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--bicep-module", "br/public:x", "testdata/bicep-registry/main.bicep"); code != ExitError || !strings.Contains(stderr, "want REF=DIR") {
		t.Errorf("--bicep-module without =DIR: exit %d %q", code, stderr)
	}
}
