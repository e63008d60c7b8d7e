package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
)

func writeTable(t *testing.T, r *Report, o TableOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTableWith(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const wantSummary = "7 failed (critical 2, high 2, medium 1, low 2), 2 passed, 1 not applicable, 1 not assessed, 1 waived across 2 clusters"

// checkLayout: no trailing spaces, no escapes without colour, and at a width
// every line fits but one that holds a single word longer than the line
// (a path or name is never cut).
func checkLayout(t *testing.T, out string, width int) {
	t.Helper()
	if strings.Contains(out, "\x1b[") {
		t.Error("colour escapes with Color unset")
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d has trailing spaces: %q", i+1, line)
		}
		if width > 0 && utf8.RuneCountInString(line) > width {
			if words := strings.Fields(line); len(words) > 2 || (len(words) == 2 && len(words[0]) > blockLabel) {
				t.Errorf("line %d is %d columns, over %d: %q", i+1, utf8.RuneCountInString(line), width, line)
			}
		}
	}
}

func TestTableGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		width         int
		includePassed bool
	}{
		{"table.txt", 0, false},
		{"table_all.txt", 0, true},
		{"table_80.txt", 80, false},
		{"table_200.txt", 200, false},
		{"table_all_80.txt", 80, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := writeTable(t, testReport(tc.includePassed), TableOptions{Width: tc.width})
			golden(t, tc.name, []byte(out))
			checkLayout(t, out, tc.width)
		})
	}
}

// TestTableOrder: the summary first, then the failures by severity, each
// once, the waived, the not-assessed by reason, the problems, the totals.
func TestTableOrder(t *testing.T) {
	for _, width := range []int{0, 80, 200} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			out := writeTable(t, testReport(false), TableOptions{Width: width})
			var order []int
			for _, marker := range []string{
				"Summary: ", "Score: ", "\nFindings ",
				"\nCRITICAL  AKS-ACC-001  cluster aks-dev\n", "\nCRITICAL  AKS-ACC-001  cluster aks-prod\n",
				"\nHIGH  AKS-IMG-003  ContainerRegistry/acrprod\n", "\nHIGH  AKS-ACC-005  cluster aks-dev\n",
				"\nMEDIUM  AKS-K8S-001  Deployment/payments/checkout-api\n",
				"\nLOW  AKS-UPG-003  pool aks-prod/system\n", "\nLOW  AKS-EXP-001  pool aks-prod/user\n",
				"\nWaived ", "\nWAIVED medium  AKS-NET-002  cluster aks-prod\n",
				"\nNot assessed ", "\nErrors ", "\nWarnings ", "\nExcluded ", "\nSkipped ", "\n7 failed (critical 2, high 2, medium 1, low 2)",
			} {
				i := strings.Index(out, marker)
				if i < 0 {
					t.Fatalf("no %q in\n%s", marker, out)
				}
				if strings.Count(out, marker) != 1 {
					t.Errorf("%q %d times", marker, strings.Count(out, marker))
				}
				order = append(order, i)
			}
			for i := 1; i < len(order); i++ {
				if order[i] <= order[i-1] {
					t.Errorf("section %d out of order:\n%s", i, out)
				}
			}
			if width != 80 && !strings.HasSuffix(out, "\n"+wantSummary+"\n") {
				t.Errorf("the totals are not the last line:\n%s", out)
			}
			// Nothing passed or not applicable is listed without IncludePassed.
			for _, absent := range []string{"\nPASS", "\nN/A ", "ops-admins", "kubenet"} {
				if strings.Contains(out, absent) {
					t.Errorf("%q listed without IncludePassed", absent)
				}
			}
		})
	}
}

// TestTableBlock: one finding in full at 80 columns: the resource whole,
// the message, file:line, every field = value and the fix, wrapped at word
// boundaries; a waived result has no fix; a result without a file no "at".
func TestTableBlock(t *testing.T) {
	out := writeTable(t, testReport(false), TableOptions{Width: 80})
	for _, want := range []string{
		"CRITICAL  AKS-ACC-001  cluster aks-prod\n" +
			"  the API server is public and no authorized IP ranges are set, so it is\n" +
			"  reachable from any address on the internet\n" +
			"  at    infra/main.tf:12\n" +
			"  seen  api_server_access_profile.authorized_ip_ranges = not set (any address)\n" +
			"        private_cluster_enabled = false\n" +
			"  fix   In azurerm_kubernetes_cluster.prod set api_server_access_profile {\n" +
			"        authorized_ip_ranges = [\"203.0.113.0/24\"] }, then terraform apply.\n",
		"HIGH  AKS-ACC-005  cluster aks-dev\n  local accounts are enabled\n  fix   az aks update",
		"CRITICAL  AKS-ACC-001  cluster aks-dev\n  the API server is public with no authorized IP ranges\n  at    stdin:5\n",
		"WAIVED medium  AKS-NET-002  cluster aks-prod\n  waived until 2025-06-30: migration to Cilium tracked in OPS-123 (approved by\n  alice)\n  at    infra/main.tf:20\n\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no\n%s\nin\n%s", want, out)
		}
	}
}

// TestTableLongResource: a resource longer than the line is never cut: it
// goes whole on a line of its own.
func TestTableLongResource(t *testing.T) {
	long := "Deployment/" + strings.Repeat("n", 30) + "/" + strings.Repeat("a-very-long-name-", 5) + "end"
	r := &Report{Results: []check.Result{{Control: "AKS-WKL-001", Severity: check.High, Status: check.Fail,
		Resource: check.Resource{Kind: "Deployment", Namespace: strings.Repeat("n", 30), Name: strings.Repeat("a-very-long-name-", 5) + "end"},
		Message:  "runs privileged"}}}
	r.Summary = Summarise(r.Results)
	for _, width := range []int{40, 80} {
		out := writeTable(t, r, TableOptions{Width: width})
		if !strings.Contains(out, "HIGH  AKS-WKL-001\n  "+long+"\n  runs privileged\n") {
			t.Errorf("width %d: resource not whole on its own line:\n%s", width, out)
		}
	}
	if out := writeTable(t, r, TableOptions{Width: 200}); !strings.Contains(out, "HIGH  AKS-WKL-001  "+long+"\n") {
		t.Errorf("width 200: resource not beside the control:\n%s", out)
	}
}

func TestTableIncludePassed(t *testing.T) {
	out := writeTable(t, testReport(true), TableOptions{})
	for _, want := range []string{
		"\nPassed (2)\n\nPASS high  AKS-ACC-005  cluster aks-prod\n  local accounts are disabled\n  at    infra/main.tf:15\n",
		"\nPASS low  AKS-K8S-002  ClusterRoleBinding/ops-admins\n",
		"\nNot applicable (1)\n\nN/A medium  AKS-NET-002  cluster aks-dev\n  the cluster uses kubenet with no pods to isolate\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// TestTableSummaryRows: a row per cluster, one for the Azure resources
// outside them and one for the Kubernetes objects, then all; the score is
// passed ÷ (passed + failed + waived), rounded down, "-" with nothing
// assessed; titles beside the counts when they fit, else above them.
func TestTableSummaryRows(t *testing.T) {
	wide := writeTable(t, testReport(false), TableOptions{Width: 200})
	for _, want := range []string{
		"Score: 20%, 2 of 10 assessed results pass",
		"                                                              CRITICAL  HIGH  MEDIUM  LOW  WAIVED  NOT ASSESSED  PASSED  N/A  SCORE\n" +
			"cluster aks-dev (resource group rg-dev)                              1     1       0    0       0             0       0    1     0%\n" +
			"cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)         1     0       0    2       1             1       1    0    20%\n" +
			"Azure resources outside the clusters                                 0     1       0    0       0             0       0    0     0%\n" +
			"Kubernetes objects                                                   0     0       1    0       0             0       1    0    50%\n" +
			"all                                                                  2     2       1    2       1             1       2    1    20%\n",
	} {
		if !strings.Contains(wide, want) {
			t.Errorf("no\n%s\nin\n%s", want, wide)
		}
	}
	narrow := writeTable(t, testReport(false), TableOptions{Width: 80})
	if want := "cluster aks-dev (resource group rg-dev)\n           1     1       0    0       0             0       0    1     0%\n"; !strings.Contains(narrow, want) {
		t.Errorf("no\n%s\nin\n%s", want, narrow)
	}

	// Too narrow for the columns: the counts in words, wrapped.
	if out := writeTable(t, testReport(false), TableOptions{Width: 50}); !strings.Contains(out, "cluster aks-dev (resource group rg-dev)\n"+
		"  critical 1, high 1, medium 0, low 0, waived 0,\n"+
		"  not assessed 0, passed 0, n/a 1, score 0%\n") {
		t.Errorf("narrow summary:\n%s", out)
	} else {
		checkLayout(t, out, 50)
	}

	// Counted passes (the engine's CountedBy) join their rows; a report
	// whose counts do not add up shows "-" rather than a score it cannot
	// know.
	r := &Report{Results: []check.Result{{Control: "AKS-ACC-001", Severity: check.High, Status: check.Fail, Resource: prod}}}
	r.Summary = Summarise(r.Results)
	r.Summary.Pass = 3
	r.CountedBy = map[string]Counted{SummaryRow(prod): {Pass: 3}}
	if out := writeTable(t, r, TableOptions{Width: 200}); !strings.Contains(out, "       0     1       0    0       0             0       3    0    75%\n") {
		t.Errorf("counted passes not in the cluster's row:\n%s", out)
	}
	r.CountedBy = nil
	out := writeTable(t, r, TableOptions{Width: 200})
	if !strings.Contains(out, "       0     1       0    0       0             0       -    -      -\n") || !strings.Contains(out, "unknown") {
		t.Errorf("unreconciled rows not shown as unknown:\n%s", out)
	}
	if !strings.Contains(out, "Score: 75%, 3 of 4 assessed results pass") {
		t.Errorf("overall score:\n%s", out)
	}
	nothing := &Report{Results: []check.Result{{Control: "AKS-ACC-001", Severity: check.High, Status: check.NotAssessed, Resource: prod, Message: "no input"}}}
	nothing.Summary = Summarise(nothing.Results)
	if out := writeTable(t, nothing, TableOptions{}); !strings.Contains(out, "Score: - (no result was assessed") {
		t.Errorf("a scan with nothing assessed has a score:\n%s", out)
	}
}

func TestTableColor(t *testing.T) {
	r := testReport(true)
	for _, width := range []int{0, 80} {
		plain := writeTable(t, r, TableOptions{Width: width})
		colored := writeTable(t, r, TableOptions{Width: width, Color: true})
		for _, want := range []string{
			ansiMagenta + "CRITICAL" + ansiReset,
			ansiGreen + "PASS high" + ansiReset,
			ansiBlue + "WAIVED medium" + ansiReset,
			ansiGreen + "fix" + ansiReset,
			ansiBoldRed + "7 failed" + ansiReset,
			ansiBoldRed + "Errors" + ansiReset,
		} {
			if !strings.Contains(colored, want) {
				t.Errorf("coloured output lacks %q", want)
			}
		}
		// Colour changes nothing but the escapes: the layout is the same.
		if stripANSI(colored) != plain {
			t.Errorf("colour changed the layout:\n%s\n---\n%s", stripANSI(colored), plain)
		}
	}
}

func TestTableEmpty(t *testing.T) {
	r := &Report{Summary: Summarise(nil)}
	got := writeTable(t, r, TableOptions{})
	want := "Summary: 0 failed (critical 0, high 0, medium 0, low 0), 0 passed, 0 not applicable, 0 not assessed, 0 waived across 0 clusters\n" +
		"Score: - (no result was assessed: nothing passed or failed)\n\nNo results to show.\n\n" +
		"0 failed (critical 0, high 0, medium 0, low 0), 0 passed, 0 not applicable, 0 not assessed, 0 waived across 0 clusters\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		width int
		label string
		text  string
		want  string
	}{
		{"fixed", 0, "fix", "one two three four five six", "  fix   one two three four five six\n"},
		{"fits", 40, "fix", "one two three", "  fix   one two three\n"},
		{"wraps at words", 20, "fix", "one two three four five six", "  fix   one two\n        three four\n        five six\n"},
		{"exact fit", 21, "fix", "one two three four five six", "  fix   one two three\n        four five six\n"},
		{"long word whole", 20, "at", "a/very/long/path/that/does/not/fit.yaml:12 next", "  at    a/very/long/path/that/does/not/fit.yaml:12\n        next\n"},
		{"unicode counts runes", 20, "", "ééééé ééééé ééééé ééééé", "        ééééé ééééé\n        ééééé ééééé\n"},
		{"runs of spaces", 0, "", "a  b", "        a  b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			l := &lineWriter{w: bufioWriter(&b), width: tc.width}
			l.item(blockIndent, tc.label, "", blockLabel, tc.text)
			l.w.Flush()
			if b.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tc.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":           "plain text",
		"a\tb\n  c\r\n":        "a b c",
		"red \x1b[31mX\x1b[0m": "red \uFFFD[31mX\uFFFD[0m",
		"bell\a and \u0085":    "bell\uFFFD and",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTableSanitises: text from input files cannot break the layout or
// send escape sequences to the terminal.
func TestTableSanitises(t *testing.T) {
	r := testReport(false)
	r.Results[1].Message = "line one\nline two \x1b]0;pwned\a"
	r.Results[1].Resource.Name = "aks-dev\x1b[2J"
	r.Results[4].Evidence[0].Value = "v\x1b[31m"
	r.Errors[0].Message = "bad\x1b[31m"
	for _, width := range []int{0, 80} {
		out := writeTable(t, r, TableOptions{Width: width})
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("control characters reached the output:\n%q", out)
		}
		if !strings.Contains(out, "line one line two \uFFFD]0;pwned\uFFFD") {
			t.Errorf("message not kept on one line:\n%s", out)
		}
	}
}

// TestTableFoldsNotAssessed: not-assessed results are listed by reason, each
// resource with its controls, a control lacking several inputs under each;
// every not-assessed result is named once per reason.
func TestTableFoldsNotAssessed(t *testing.T) {
	cl := check.Resource{Kind: "ManagedCluster", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod", Name: "prod"}
	noKube := "no Kubernetes input for this cluster: scan manifests or --kube"
	noLog := "no audit log"
	r := &Report{Results: []check.Result{
		{Control: "AKS-WKL-001", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: noKube, MissingInput: true},
		{Control: "AKS-RBA-003", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: noKube + "; " + noLog, MissingInput: true},
		{Control: "AKS-MON-002", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: "no diagnostic settings given"},
		{Control: "AKS-UPG-003", Severity: check.Low, Status: check.NotAssessed, Resource: prodUsr, Message: "no diagnostic settings given"},
	}}
	r.Summary = Summarise(r.Results)
	out := writeTable(t, r, TableOptions{Width: 80})
	want := "Not assessed (4 results, by reason: never counted as passed)\n\n" +
		"2× " + noKube + "\n  cluster prod: AKS-RBA-003, AKS-WKL-001\n\n" +
		"2× no diagnostic settings given\n  cluster prod: AKS-MON-002\n  pool aks-prod/user: AKS-UPG-003\n\n" +
		"1× " + noLog + "\n  cluster prod: AKS-RBA-003\n"
	if !strings.Contains(out, want) {
		t.Errorf("no\n%s\nin\n%s", want, out)
	}
	if n := strings.Count(out, noKube); n != 1 {
		t.Errorf("the missing input is printed %d times, want once:\n%s", n, out)
	}
}

// TestTableKubeRead: a live read's server and the collections it could not
// read.
func TestTableKubeRead(t *testing.T) {
	r := &Report{Summary: Summarise(nil)}
	r.Summary.Kubernetes = &KubeSummary{Server: "https://aks.example:443", Context: "prod", Version: "v1.33.2",
		Objects: map[string]int{"pods": 3, "nodes": 2}, Unread: map[string]string{"secrets": "forbidden: list secrets needs the list verb"}}
	out := writeTable(t, r, TableOptions{Width: 80})
	want := "Kubernetes API: context prod (https://aks.example:443), v1.33.2, 5 objects read\n" +
		"Incomplete read: the controls that need these are not-assessed\n" +
		"  secrets: forbidden: list secrets needs the list verb\n"
	if !strings.Contains(out, want) {
		t.Errorf("no\n%s\nin\n%s", want, out)
	}
}

// TestTableFleet: a fleet scan says how many clusters it read and lists
// the ones it could not, with why, wrapped; the clusters read have their
// rows in the summary, not twice.
func TestTableFleet(t *testing.T) {
	r := &Report{Summary: Summarise(nil), Clusters: []ClusterSummary{
		{ID: dev.ID, Name: "aks-dev", Fail: map[string]int{"critical": 1, "high": 2}, NotAssessed: 3},
		{ID: "/subscriptions/0000/resourceGroups/rg-b/providers/Microsoft.ContainerService/managedClusters/aks-b", Name: "aks-b",
			Fail: map[string]int{}, Error: "forbidden: the identity needs Microsoft.ContainerService/managedClusters/read on the cluster or its resource group"},
	}}
	out := writeTable(t, r, TableOptions{Width: 80})
	want := "Clusters: 2 clusters in the fleet, 1 read (their rows are above)\n" +
		"Not read: 1 cluster (not judged: no result of theirs is in this report)\n" +
		"  cluster aks-b (resource group rg-b)\n" +
		"  error forbidden: the identity needs\n" +
		"        Microsoft.ContainerService/managedClusters/read on the cluster or its\n" +
		"        resource group\n"
	if !strings.Contains(out, want) {
		t.Errorf("no\n%s\nin\n%s", want, out)
	}
	if strings.Contains(out, "aks-dev") {
		t.Errorf("a cluster read is listed again:\n%s", out)
	}
}

// TestSummaryRowOf: a Kubernetes result on a cluster of the scan counts in
// the cluster's row; on Kubernetes input of no cluster, on objects (custom
// cluster-scoped kinds too) in the Kubernetes row; an Azure resource
// outside the clusters in the Azure row.
func TestSummaryRowOf(t *testing.T) {
	for _, tc := range []struct {
		res   check.Resource
		title string
	}{
		{prod, "cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)"},
		{prodSys, "cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)"},
		{check.Resource{Kind: "Cluster", ID: dev.ID, Name: "aks-dev"}, "cluster aks-dev (resource group rg-dev)"},
		{check.Resource{Kind: "Cluster", Name: "kubernetes"}, "Kubernetes objects"},
		{acr, "Azure resources outside the clusters"},
		{pod, "Kubernetes objects"},
		{crb, "Kubernetes objects"},
		{check.Resource{Kind: "K8sRequiredLabels", Name: "must-have-owner"}, "Kubernetes objects"},
	} {
		rank, key, title := summaryRowOf(tc.res)
		if title != tc.title {
			t.Errorf("%+v: row %q, want %q", tc.res, title, tc.title)
		}
		// SummaryRow (the engine's key for counted passes, built
		// without the title) names the row summaryRowOf places it in.
		want := strconv.Itoa(rank)
		if rank == rowCluster {
			want += "\x00" + key
		}
		if got := SummaryRow(tc.res); got != want {
			t.Errorf("%+v: SummaryRow %q, want %q", tc.res, got, want)
		}
	}
	if SummaryRow(prod) != SummaryRow(prodSys) || SummaryRow(prod) == SummaryRow(dev) {
		t.Error("a pool's row is not its cluster's, or two clusters share a row")
	}
}
