package report

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

func writeHTML(t testing.TB, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		includePassed bool
	}{
		{"report.html", false},
		{"report_all.html", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := writeHTML(t, testReport(tc.includePassed))
			if again := writeHTML(t, testReport(tc.includePassed)); again != out {
				t.Fatal("two writes of the same report differ")
			}
			golden(t, tc.name, []byte(out))
			checkPage(t, out)
		})
	}
}

// pageFacts are what a page's HTML holds, read by a real HTML parser.
type pageFacts struct {
	scripts   int      // <script> elements
	loads     []string // anything that would load: src, external href, <link>, CSS url()
	handlers  []string // on* attributes
	elements  map[string]int
	hiddenRes int // result elements hidden without JavaScript
	results   int // li.result elements
	text      string
}

func readPage(t testing.TB, page string) pageFacts {
	t.Helper()
	f := pageFacts{elements: map[string]int{}}
	z := html.NewTokenizer(strings.NewReader(page))
	var text strings.Builder
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			f.elements[tok.Data]++
			inStyle = tok.Data == "style"
			if tok.Data == "script" {
				f.scripts++
			}
			if tok.Data == "link" || tok.Data == "img" || tok.Data == "iframe" || tok.Data == "object" || tok.Data == "embed" {
				f.loads = append(f.loads, "<"+tok.Data+">")
			}
			isResult, hidden := false, false
			for _, a := range tok.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on"):
					f.handlers = append(f.handlers, a.Key)
				case a.Key == "src" || a.Key == "srcset" || a.Key == "action" || a.Key == "poster":
					f.loads = append(f.loads, a.Key+"="+a.Val)
				case a.Key == "href" && tok.Data != "a":
					f.loads = append(f.loads, tok.Data+" href="+a.Val)
				case a.Key == "class" && strings.Contains(" "+a.Val+" ", " result "):
					isResult = true
				case a.Key == "hidden":
					hidden = true
				}
			}
			if isResult {
				f.results++
				if hidden {
					f.hiddenRes++
				}
			}
		case html.EndTagToken:
			inStyle = false
		case html.TextToken:
			if inStyle && (strings.Contains(tok.Data, "url(") || strings.Contains(tok.Data, "@import")) {
				f.loads = append(f.loads, "CSS url()/@import")
			}
			text.WriteString(tok.Data)
		}
	}
	f.text = text.String()
	return f
}

// checkPage: one script (the page's own), nothing that loads, no inline
// handler, every result shown without JavaScript, the filter form hidden
// until the script shows it.
func checkPage(t *testing.T, page string) pageFacts {
	t.Helper()
	f := readPage(t, page)
	if f.scripts != 1 {
		t.Errorf("%d <script> elements, want the page's own only", f.scripts)
	}
	if len(f.loads) > 0 {
		t.Errorf("the page would load %q", f.loads)
	}
	if len(f.handlers) > 0 {
		t.Errorf("inline event handlers %q", f.handlers)
	}
	if f.hiddenRes > 0 {
		t.Errorf("%d results hidden without JavaScript", f.hiddenRes)
	}
	if !strings.Contains(page, `<form id="filters" hidden`) {
		t.Error("the filter form is not hidden without JavaScript")
	}
	return f
}

func TestHTMLContent(t *testing.T) {
	r := testReport(false)
	missing := result(prod, "AKS-K8S-001", "Containers do not run privileged", areaWork, check.Medium, check.NotAssessed,
		"no Kubernetes input for this cluster: scan manifests or --kube; needs a live connection", "", 0)
	missing.MissingInput = true
	r.Results = append(r.Results, missing)
	page := writeHTML(t, r)
	f := checkPage(t, page)
	// 7 failed, 1 waived, 2 not assessed shown (one under two reasons).
	if f.results != 11 {
		t.Errorf("%d result elements, want 11", f.results)
	}
	for _, want := range []string{
		"AKS-ACC-001", "aks-prod", "infra/main.tf:12", "api_server_access_profile.authorized_ip_ranges", "not set (any address)",
		`In azurerm_kubernetes_cluster.prod set api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }, then terraform apply.`,
		"Not assessed, and why", "the pool's version cannot be determined from this input",
		"no Kubernetes input for this cluster: scan manifests or --kube", "needs a live connection",
		"inputs/bad.json:3: invalid JSON", "stdin: no standard input to read",
		"expired on 2026-01-31", "skipped 3 inputs", "excluded 3 results",
		"aks-prod (Terraform azurerm_kubernetes_cluster.prod)", "aks-dev (resource group rg-dev)",
	} {
		if !strings.Contains(f.text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	if strings.Contains(f.text, "local accounts are disabled") {
		t.Error("a pass is listed without --include-passed")
	}
	all := readPage(t, writeHTML(t, testReport(true)))
	if !strings.Contains(all.text, "local accounts are disabled") || !strings.Contains(all.text, "the cluster uses kubenet") {
		t.Error("--include-passed does not list passes and not-applicable results")
	}
	// Two clusters in the results: the per-cluster summary lists them.
	if !strings.Contains(page, `<table class="clusters">`) {
		t.Error("no per-cluster summary for two clusters")
	}

	fleet := testReport(false)
	fleet.Clusters = []ClusterSummary{{ID: dev.ID, Name: "aks-dev", Fail: map[string]int{"critical": 1, "high": 1}, NotAssessed: 2},
		{ID: "/subscriptions/0000/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x", Name: "aks-x", Error: "forbidden: needs Reader"}}
	ft := readPage(t, writeHTML(t, fleet)).text
	for _, want := range []string{"rg-dev", "aks-x", "forbidden: needs Reader"} {
		if !strings.Contains(ft, want) {
			t.Errorf("fleet summary lacks %q", want)
		}
	}
}

const hostile = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`

// hostileReport quotes hostile in every field a result, an input error and
// a warning carry.
func hostileReport() *Report {
	res := check.Resource{Kind: "Deployment", Namespace: hostile, Name: hostile, ID: hostile}
	r := result(res, hostile, hostile, hostile, check.High, check.Fail, hostile, hostile, 3)
	r.Evidence = []check.Evidence{{Path: hostile, Value: hostile}}
	r.Remediation = hostile
	r.References = []string{"javascript:alert(1)", hostile, "https://example.com/\"><script>alert(1)</script>"}
	na := result(check.Resource{Kind: "ManagedCluster", Name: hostile, ID: "tf:" + hostile}, "AKS-X-1", hostile, hostile, check.Low, check.NotAssessed, hostile, hostile, 1)
	results := []check.Result{r, na}
	s := Summarise(results)
	s.Skipped = map[string]int{hostile: 1}
	s.Excluded, s.ExcludedBy = 1, map[string]int{hostile: 1}
	s.Kubernetes = &KubeSummary{Server: hostile, Context: hostile, Version: hostile, Objects: map[string]int{"Pod": 1}, Unread: map[string]string{hostile: hostile}}
	return &Report{Tool: Tool{Name: "aksguard", Version: hostile}, Summary: s, Results: results,
		Clusters: []ClusterSummary{{ID: hostile, Name: hostile, Error: hostile}},
		Errors:   []inventory.InputError{{Input: hostile, Line: 2, Message: hostile}}, Warnings: []string{hostile}}
}

// TestHTMLInputIsInert: a resource named <script>alert(1)</script> (and every
// other field quoting input) is text on the page, never markup.
func TestHTMLInputIsInert(t *testing.T) {
	page := writeHTML(t, hostileReport())
	f := checkPage(t, page)
	if f.elements["img"] > 0 {
		t.Error("an <img> element from input")
	}
	if n := strings.Count(f.text, "<script>alert(1)</script>"); n < 10 {
		t.Errorf("the hostile name appears as text %d times, want it in every field", n)
	}
	if strings.Contains(page, `href="javascript:`) {
		t.Error("a javascript: link")
	}
}

func FuzzHTMLInert(f *testing.F) {
	for _, s := range []string{hostile, "a&b", `"`, "</style>", "</script><script>", "\x00\x1b[31m", "javascript:x", "https://x/<y>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res := check.Resource{Kind: "Deployment", Namespace: s, Name: s}
		r := result(res, s, s, s, check.High, check.Fail, s, s, 1)
		r.Evidence = []check.Evidence{{Path: s, Value: s}}
		r.Remediation, r.References = s, []string{s}
		rep := &Report{Tool: Tool{Name: s, Version: s}, Summary: Summarise([]check.Result{r}), Results: []check.Result{r}, Warnings: []string{s}}
		var b bytes.Buffer
		if err := WriteHTML(&b, rep); err != nil {
			t.Fatal(err)
		}
		p := readPage(t, b.String())
		if p.scripts != 1 || len(p.loads) > 0 || len(p.handlers) > 0 || p.results != 1 {
			t.Fatalf("input %q: %d scripts, loads %q, handlers %q, %d results", s, p.scripts, p.loads, p.handlers, p.results)
		}
	})
}
