package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aksguard/aksguard/internal/check"
)

func writeTable(t *testing.T, r *Report, color bool) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTable(&b, r, color); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const wantSummary = "7 failed (critical 2, high 2, medium 1, low 2), 2 passed, 1 not applicable, 1 not assessed, 1 waived across 2 clusters"

func TestTableGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		includePassed bool
	}{
		{"table.txt", false},
		{"table_all.txt", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := writeTable(t, testReport(tc.includePassed), false)
			golden(t, tc.name, []byte(out))
			if strings.Contains(out, "\x1b[") {
				t.Error("colour escapes with color=false")
			}
			for i, line := range strings.Split(out, "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line %d has trailing spaces: %q", i+1, line)
				}
				// Table rows and headers fit 120 columns; only the fix/msg
				// detail lines carry full, uncut text.
				detail := strings.HasPrefix(line, detailIndent+"fix:") || strings.HasPrefix(line, detailIndent+"msg:")
				if !detail && utf8.RuneCountInString(line) > tableWidth {
					t.Errorf("line %d is %d columns: %q", i+1, utf8.RuneCountInString(line), line)
				}
			}
		})
	}
}

func TestTableContent(t *testing.T) {
	out := writeTable(t, testReport(false), false)
	lines := strings.Split(out, "\n")
	index := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line starting %q in\n%s", prefix, out)
		return -1
	}

	// Groups: clusters by name, then other Azure resources, then Kubernetes.
	order := []int{
		index("cluster aks-dev (resource group rg-dev)"), index("cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)"),
		index("ContainerRegistry acrprod"), index("Kubernetes namespace payments"),
	}
	for i := 1; i < len(order); i++ {
		if order[i] <= order[i-1] {
			t.Errorf("groups out of order: %v\n%s", order, out)
		}
	}
	// Areas follow the catalog order (smallest control ID) within a group.
	prod := lines[index("cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)"):index("ContainerRegistry acrprod")]
	var areas []string
	for _, l := range prod {
		if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "    ") {
			areas = append(areas, strings.TrimSpace(l))
		}
	}
	if got := strings.Join(areas, "|"); got != areaAccess+"|Other|"+areaNetwork+"|"+areaNodes {
		t.Errorf("aks-prod areas = %s", got)
	}

	// The long Terraform finding: cut row, full message, fix and place.
	row := index("    FAIL    critical  AKS-ACC-001  aks-prod")
	if !strings.HasSuffix(lines[row], "…") {
		t.Errorf("long message not cut: %q", lines[row])
	}
	for i, want := range []string{
		"      msg: the API server is public and no authorized IP ranges are set, so it is reachable from any address on the internet",
		`      fix: In azurerm_kubernetes_cluster.prod set api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }, then terraform apply.`,
		"      at:  infra/main.tf:12",
	} {
		if lines[row+1+i] != want {
			t.Errorf("detail line %d\n got %q\nwant %q", i, lines[row+1+i], want)
		}
	}
	// stdin is named, a result with no file has no at: line, non-fail rows
	// have no fix: line.
	if !strings.Contains(out, "      at:  stdin:5\n") {
		t.Error("no at: line for the stdin finding")
	}
	noFile := index("    FAIL    high      AKS-ACC-005  aks-dev")
	if strings.HasPrefix(lines[noFile+2], "      at:") {
		t.Errorf("at: line for a finding with no file: %q", lines[noFile+2])
	}
	waived := index("    WAIVED")
	if strings.HasPrefix(lines[waived+1], "      fix:") {
		t.Error("fix: line under a waived row")
	}
	if !strings.Contains(out, "    NOT-ASSESSED  low       AKS-UPG-003  aks-prod/user") {
		t.Errorf("not-assessed row missing:\n%s", out)
	}
	if strings.Contains(out, "PASS") || strings.Contains(out, "N/A") || strings.Contains(out, "cluster-scoped") {
		t.Error("pass / not-applicable rows shown without IncludePassed")
	}

	// Summary, errors, skipped.
	tail := strings.Join(lines[index(wantSummary):], "\n")
	wantTail := wantSummary + "\n\nerrors:\n" +
		"  inputs/bad.json:3: invalid JSON: unexpected end of input; fix the file or regenerate it\n" +
		"  stdin: no standard input to read\n" +
		"\nwarnings:\n" +
		"  .aksguard.yaml:8: the waiver for AKS-NET-003 on \"*\" expired on 2026-01-31 and is no longer applied\n" +
		"excluded 3 results: AKS-managed or system object (3) (--include-system or includeSystem shows system objects)\n" +
		"skipped 3 inputs: not JSON (2), not an AKS document (1)\n"
	if tail != wantTail {
		t.Errorf("tail\n got %q\nwant %q", tail, wantTail)
	}
}

func TestTableIncludePassed(t *testing.T) {
	out := writeTable(t, testReport(true), false)
	for _, want := range []string{
		"    PASS    high      AKS-ACC-005  aks-prod  local accounts are disabled\n",
		"    N/A     medium    AKS-NET-002  aks-dev   the cluster uses kubenet with no pods to isolate\n",
		"Kubernetes cluster-scoped resources",
		"    PASS    low       AKS-K8S-002  ClusterRoleBinding/ops-admins  ops-admins binds a namespaced role\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Index(out, "Kubernetes cluster-scoped resources") > strings.Index(out, "Kubernetes namespace payments") {
		t.Error("cluster-scoped Kubernetes resources should come before the namespaces")
	}
}

func TestTableColor(t *testing.T) {
	r := testReport(true)
	plain := writeTable(t, r, false)
	colored := writeTable(t, r, true)
	for _, want := range []string{
		ansiBoldRed + "FAIL" + ansiReset,
		ansiMagenta + "critical" + ansiReset,
		ansiGreen + "PASS" + ansiReset,
		ansiYellow + "NOT-ASSESSED" + ansiReset,
		ansiBlue + "WAIVED" + ansiReset,
		ansiBold + "cluster aks-prod (Terraform azurerm_kubernetes_cluster.prod)" + ansiReset,
		ansiGreen + "fix:" + ansiReset,
		ansiBoldRed + "7 failed" + ansiReset,
		ansiBoldRed + "errors:" + ansiReset,
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

func TestTableEmpty(t *testing.T) {
	r := &Report{Summary: Summarise(nil)}
	got := writeTable(t, r, false)
	want := "No results to show.\n\n0 failed (critical 0, high 0, medium 0, low 0), 0 passed, 0 not applicable, 0 not assessed, 0 waived across 0 clusters\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	r.Summary.Clusters = 1
	r.Summary.Pass = 4
	if got := writeTable(t, r, false); !strings.Contains(got, "4 passed, 0 not applicable, 0 not assessed, 0 waived across 1 cluster\n") {
		t.Errorf("singular cluster: %q", got)
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		end  string
		midl string
	}{
		{"short", 10, "short", "short"},
		{"exactly-ten", 11, "exactly-ten", "exactly-ten"},
		{"aks-very-long-cluster-name/system", 16, "aks-very-long-c…", "aks-ver…e/system"},
		{"héllo wörld ünïcode", 8, "héllo w…", "hél…code"},
		{"word boundary", 6, "word…", "wo…ary"},
	} {
		if got := truncateEnd(tc.in, tc.n); got != tc.end {
			t.Errorf("truncateEnd(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.end)
		}
		if got := truncateMiddle(tc.in, tc.n); got != tc.midl {
			t.Errorf("truncateMiddle(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.midl)
		}
		if utf8.RuneCountInString(truncateEnd(tc.in, tc.n)) > tc.n || utf8.RuneCountInString(truncateMiddle(tc.in, tc.n)) > tc.n {
			t.Errorf("%q cut to more than %d", tc.in, tc.n)
		}
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
	r.Errors[0].Message = "bad\x1b[31m"
	out := writeTable(t, r, false)
	if strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("control characters reached the output:\n%q", out)
	}
	if !strings.Contains(out, "line one line two \uFFFD]0;pwned\uFFFD") {
		t.Errorf("message not kept on one line:\n%s", out)
	}
}

// TestTableFoldsMissingInput: the controls the engine could not run for
// lack of an input are one line per missing input and cluster, not one row
// per control; other not-assessed results keep their rows.
func TestTableFoldsMissingInput(t *testing.T) {
	cl := check.Resource{Kind: "ManagedCluster", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod", Name: "prod"}
	noKube := "no Kubernetes input for this cluster: scan manifests or --kube"
	r := &Report{Results: []check.Result{
		{Control: "AKS-WKL-001", Area: "Workload security", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: noKube, MissingInput: true},
		{Control: "AKS-RBA-003", Area: "Kubernetes RBAC", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: noKube, MissingInput: true},
		{Control: "AKS-MON-002", Area: "Monitoring", Severity: check.High, Status: check.NotAssessed, Resource: cl, Message: "no diagnostic settings given"},
	}}
	r.Summary = Summarise(r.Results)
	out := writeTable(t, r, false)
	for _, want := range []string{
		"Not assessed for lack of input",
		"NOT-ASSESSED  2 controls: " + noKube,
		"controls: AKS-RBA-003, AKS-WKL-001",
		"AKS-MON-002",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, noKube); n != 1 {
		t.Errorf("the missing input is printed %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "0 failed (critical 0, high 0, medium 0, low 0), 0 passed, 0 not applicable, 3 not assessed") {
		t.Errorf("summary does not count the folded results:\n%s", out)
	}
}

// TestTableKubeResultsWithTheirCluster: a Kubernetes control's result on a
// cluster of the scan (kind Cluster with the cluster's ID) is listed under
// that cluster, not as a separate group; one on Kubernetes input of no
// cluster (no ID) keeps its own group.
func TestTableKubeResultsWithTheirCluster(t *testing.T) {
	id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod"
	for _, tc := range []struct {
		name   string
		res    check.Resource
		groups []string
	}{
		{"cluster of the scan", check.Resource{Kind: "Cluster", ID: id, Name: "prod"}, []string{"cluster prod (resource group rg)"}},
		{"no cluster", check.Resource{Kind: "Cluster", Name: "kubernetes"}, []string{"cluster prod (resource group rg)", "Cluster kubernetes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Results: []check.Result{
				{Control: "AKS-ACC-001", Area: "API server", Severity: check.High, Status: check.Fail, Resource: check.Resource{Kind: "ManagedCluster", ID: id, Name: "prod"}, Message: "public"},
				{Control: "AKS-DSH-001", Area: "Dashboard", Severity: check.High, Status: check.Fail, Resource: tc.res, Message: "dashboard deployed"},
			}}
			r.Summary = Summarise(r.Results)
			var titles []string
			for _, line := range strings.Split(writeTable(t, r, false), "\n") {
				if line != "" && !strings.HasPrefix(line, " ") && !strings.Contains(line, "failed (") {
					titles = append(titles, line)
				}
			}
			if strings.Join(titles, "|") != strings.Join(tc.groups, "|") {
				t.Errorf("groups %q, want %q", titles, tc.groups)
			}
		})
	}
}
