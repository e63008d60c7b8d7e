package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name      string `xml:"name,attr"`
		Tests     int    `xml:"tests,attr"`
		Failures  int    `xml:"failures,attr"`
		Errors    int    `xml:"errors,attr"`
		Skipped   int    `xml:"skipped,attr"`
		Timestamp string `xml:"timestamp,attr"`
		Cases     []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func writeJUnit(t *testing.T, r *Report) ([]byte, jSuites) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var s jSuites
	if err := xml.Unmarshal(b.Bytes(), &s); err != nil {
		t.Fatalf("output does not parse back: %v\n%s", err, b.Bytes())
	}
	return b.Bytes(), s
}

func TestJUnit(t *testing.T) {
	for _, tc := range []struct {
		name                                     string
		includePassed                            bool
		suites, tests, failures, skipped, errors int
	}{
		// Default: 7 fails, waived and not-assessed skipped, 2 input errors; AKS-K8S-002 has only a pass, so no suite.
		{"junit.xml", false, 8, 11, 7, 2, 2},
		// With passes: 2 passes and 1 not-applicable more, and the AKS-K8S-002 suite.
		{"junit_all.xml", true, 9, 14, 7, 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, s := writeJUnit(t, testReport(tc.includePassed))
			golden(t, tc.name, out)
			if !bytes.HasPrefix(out, []byte(xml.Header)) {
				t.Error("no XML header")
			}
			if len(s.Suites) != tc.suites || s.Tests != tc.tests || s.Failures != tc.failures || s.Skipped != tc.skipped || s.Errors != tc.errors {
				t.Errorf("suites %d tests %d failures %d skipped %d errors %d; want %d %d %d %d %d",
					len(s.Suites), s.Tests, s.Failures, s.Skipped, s.Errors, tc.suites, tc.tests, tc.failures, tc.skipped, tc.errors)
			}
			// Every count matches the elements it counts.
			var tests, failures, skipped, errors int
			for _, su := range s.Suites {
				var f, sk, e int
				for _, c := range su.Cases {
					if c.Failure != nil {
						f++
					}
					if c.Skipped != nil {
						sk++
					}
					if c.Error != nil {
						e++
					}
				}
				if su.Tests != len(su.Cases) || su.Failures != f || su.Skipped != sk || su.Errors != e {
					t.Errorf("suite %q counts tests %d failures %d skipped %d errors %d; elements %d %d %d %d",
						su.Name, su.Tests, su.Failures, su.Skipped, su.Errors, len(su.Cases), f, sk, e)
				}
				if su.Timestamp != "2025-03-01T12:30:00" {
					t.Errorf("suite %q timestamp %q", su.Name, su.Timestamp)
				}
				tests += su.Tests
				failures += f
				skipped += sk
				errors += e
			}
			if s.Tests != tests || s.Failures != failures || s.Skipped != skipped || s.Errors != errors {
				t.Error("testsuites totals are not the sum of the suites")
			}
		})
	}
}

func TestJUnitContent(t *testing.T) {
	_, s := writeJUnit(t, testReport(true))
	var names []string
	for _, su := range s.Suites {
		names = append(names, su.Name)
	}
	wantNames := []string{
		"AKS-ACC-001 API server not reachable from the whole internet",
		"AKS-ACC-005 Local accounts disabled",
		"AKS-EXP-001 Experimental: pool uses ephemeral OS disks",
		"AKS-IMG-003 Container registry is private",
		"AKS-K8S-001 Containers do not run privileged",
		"AKS-K8S-002 No binding to cluster-admin",
		"AKS-NET-002 Network policy engine enabled (Calico/Cilium/Azure)",
		"AKS-UPG-003 Node pools run a supported Kubernetes version",
		"input errors",
	}
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Fatalf("suites:\n%s", strings.Join(names, "\n"))
	}

	acc := s.Suites[0]
	if len(acc.Cases) != 2 || acc.Cases[0].Name != "aks-dev" || acc.Cases[1].Name != "aks-prod" || acc.Cases[0].Classname != "AKS-ACC-001" {
		t.Fatalf("AKS-ACC-001 cases = %+v", acc.Cases)
	}
	stdin := acc.Cases[0]
	if stdin.File != "stdin" || stdin.Line != 5 || stdin.Failure == nil || stdin.Failure.Type != "critical" ||
		!strings.Contains(stdin.Failure.Body, "at: stdin:5") {
		t.Errorf("stdin case = %+v", stdin)
	}
	tf := acc.Cases[1].Failure
	for _, want := range []string{
		"the API server is public and no authorized IP ranges are set",
		"resource: aks-prod",
		"  api_server_access_profile.authorized_ip_ranges = not set (any address)",
		`fix: In azurerm_kubernetes_cluster.prod set api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }`,
		"at: infra/main.tf:12",
	} {
		if !strings.Contains(tf.Body, want) {
			t.Errorf("failure body lacks %q:\n%s", want, tf.Body)
		}
	}
	if tf.Message != "the API server is public and no authorized IP ranges are set, so it is reachable from any address on the internet" {
		t.Errorf("failure message = %q", tf.Message)
	}

	skips := map[string]string{}
	for _, su := range s.Suites {
		for _, c := range su.Cases {
			if c.Skipped != nil {
				skips[c.Classname+" "+c.Name] = c.Skipped.Message
			}
			if c.Failure == nil && c.Skipped == nil && c.Error == nil && c.Classname != "AKS-ACC-005" && c.Classname != "AKS-K8S-002" {
				t.Errorf("%s %s is neither failed, skipped nor a pass", c.Classname, c.Name)
			}
		}
	}
	for k, want := range map[string]string{
		"AKS-NET-002 aks-prod":      "waived: waived until 2025-06-30: migration to Cilium tracked in OPS-123 (approved by alice)",
		"AKS-NET-002 aks-dev":       "not applicable: the cluster uses kubenet with no pods to isolate",
		"AKS-UPG-003 aks-prod/user": "not assessed: the pool's version cannot be determined from this input",
	} {
		if skips[k] != want {
			t.Errorf("%s skipped message %q, want %q", k, skips[k], want)
		}
	}

	k8s := s.Suites[4].Cases[0]
	if k8s.Name != "Deployment/payments/checkout-api" || k8s.File != "k8s manifests/checkout.yaml" {
		t.Errorf("kubernetes case = %+v", k8s)
	}
	inputs := s.Suites[8].Cases
	if len(inputs) != 2 || inputs[0].Name != "inputs/bad.json:3" || inputs[1].Name != "stdin" || inputs[0].Error == nil ||
		!strings.HasPrefix(inputs[0].Error.Message, "invalid JSON") {
		t.Errorf("input error cases = %+v", inputs)
	}
}

func TestJUnitEmpty(t *testing.T) {
	out, s := writeJUnit(t, &Report{})
	if s.Tests != 0 || len(s.Suites) != 0 || s.Name != "aksguard" {
		t.Errorf("empty report gives %+v", s)
	}
	if !strings.Contains(string(out), `<testsuites name="aksguard" tests="0" failures="0" errors="0" skipped="0"></testsuites>`) {
		t.Errorf("empty report:\n%s", out)
	}
}

func TestJUnitEscapes(t *testing.T) {
	r := testReport(false)
	r.Results[1].Message = `a <b> & "c" ]]> d`
	r.Results[1].Remediation = "run \x1b[1mthis\x1b[0m"
	out, s := writeJUnit(t, r)
	f := s.Suites[0].Cases[0].Failure
	if f.Message != `a <b> & "c" ]]> d` {
		t.Errorf("message did not round-trip: %q\n%s", f.Message, out)
	}
	if !strings.HasPrefix(f.Body, `a <b> & "c" ]]> d`+"\nresource: aks-dev\n") {
		t.Errorf("CDATA body did not round-trip: %q\n%s", f.Body, out)
	}
	if !strings.Contains(f.Body, "fix: run \uFFFD[1mthis\uFFFD[0m\n") {
		t.Errorf("control characters not replaced: %q", f.Body)
	}
}
