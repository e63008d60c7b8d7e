package examples

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
)

// chromiumPath finds Debian's chromium (hack/testtools.sh installs it for
// `make test`). Missing, the browser test fails under CI=true and skips,
// saying why, elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium not found: apt-get install -y chromium (make test installs it through hack/testtools.sh)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startChromium starts a headless Chromium with a fresh profile and the
// flags that keep it from reaching the network by itself, and records
// every request its page sends.
func startChromium(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	// A bound on a stuck browser, not an assertion on speed.
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancelTimeout() })

	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(requests)
	}
}

// resultAttrs are the data-* attributes of each li.result element of the
// page, read by a real HTML parser: what the filters are expected to match.
func resultAttrs(t *testing.T, page []byte) []map[string]string {
	t.Helper()
	var out []map[string]string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken {
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
		}
		if tok.Data == "li" && slices.Contains(strings.Fields(attrs["class"]), "result") {
			out = append(out, attrs)
		}
	}
}

func matching(rows []map[string]string, filter map[string]string) int {
	n := 0
	for _, r := range rows {
		ok := true
		for k, v := range filter {
			if r["data-"+k] != v {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// TestHTMLReportInChromium loads the HTML report of examples/insecure in
// headless Chromium from a file:// URL: the content, the filters, no
// network request, and screenshots at desktop and phone widths
// (docs/images/report-desktop.png, report-phone.png, rewritten by -update).
func TestHTMLReportInChromium(t *testing.T) {
	rep := scanExample(t, "insecure", false)
	var page bytes.Buffer
	if err := report.WriteHTML(&page, rep); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: file}).String()
	rows := resultAttrs(t, page.Bytes())

	ctx, requests := startChromium(t)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return n
	}
	visible := func() int { return eval(`document.querySelectorAll("li.result:not([hidden])").length`) }
	shownText := func() string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("shown")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The filter bar shows once the page's script ran, and a card has its
	// border once its style applied: the Content-Security-Policy, which
	// names their hashes, let both run.
	run("load the report", chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.ID("filters")))
	if eval(`parseInt(getComputedStyle(document.querySelector(".card")).borderLeftWidth)`) != 6 {
		t.Error("the page's style did not apply")
	}

	// Content: every finding, a known control and a known fix, as text.
	fails := 0
	for _, r := range rep.Results {
		if r.Status == check.Fail {
			fails++
		}
	}
	if fails == 0 {
		t.Fatal("examples/insecure has no findings")
	}
	if got := eval(`document.querySelectorAll('ol.results > li[data-status="fail"]').length`); got != fails {
		t.Errorf("%d findings on the page, want %d", got, fails)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("%d\nfailed", fails), "AKS-ACC-001", "API server not reachable from the whole internet",
		"az aks update -g rg-shop-prod -n aks-shop-prod --api-server-authorized-ip-ranges <admin-CIDR>[,<CIDR>...]",
		"examples/insecure/aks-shop-prod.json:102", "Not assessed, and why",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if all := visible(); all != len(rows) || shownText() != fmt.Sprintf("%d of %d shown", len(rows), len(rows)) {
		t.Errorf("before filtering: %d of %d results visible, counter %q", all, len(rows), shownText())
	}

	// Filters: each selection shows exactly the results whose attributes
	// match, combined; "Show all" (a real click) shows everything again.
	sel := func(name, value string) {
		t.Helper()
		run("select "+name+"="+value,
			chromedp.SetValue(chromedp.CSS(`select[name="`+name+`"]`), value),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('select[name="`+name+`"]').dispatchEvent(new Event("change", {bubbles: true}))`))
	}
	critical := 0
	for _, r := range rep.Results {
		if r.Status == check.Fail && r.Severity == check.Critical {
			critical++
		}
	}
	filter := map[string]string{}
	for _, step := range []struct{ name, value string }{
		{"severity", "critical"},
		{"cluster", "Kubernetes objects"},
		{"area", "RBAC"},
		{"severity", ""},
		{"status", "not-assessed"},
	} {
		sel(step.name, step.value)
		if step.value == "" {
			delete(filter, step.name)
		} else {
			filter[step.name] = step.value
		}
		want := matching(rows, filter)
		if got := visible(); got != want || shownText() != fmt.Sprintf("%d of %d shown", want, len(rows)) {
			t.Errorf("filter %v: %d results visible (counter %q), want %d", filter, got, shownText(), want)
		}
		if step.name == "severity" && step.value == "critical" && want != critical {
			t.Errorf("severity critical matches %d results, the report has %d critical findings", want, critical)
		}
	}
	if matching(rows, map[string]string{"severity": "critical", "cluster": "Kubernetes objects"}) == 0 {
		t.Error("the filter steps never narrow to a non-empty set: pick other values")
	}
	sel("status", "")
	sel("area", "")
	sel("cluster", "")
	sel("status", "not-assessed")
	if got := eval(`[...document.querySelectorAll(".reason")].filter(e => !e.hidden).length`); got == 0 {
		t.Error("no not-assessed reason visible under status not-assessed")
	}
	run("click Show all", chromedp.Click(chromedp.CSS(`#filters button[type="reset"]`)), chromedp.WaitVisible(chromedp.CSS("li.result")))
	if got := visible(); got != len(rows) {
		t.Errorf("after Show all: %d of %d results visible", got, len(rows))
	}

	// Screenshots of the first screen at desktop and phone widths.
	for _, shot := range []struct {
		name          string
		width, height int64
	}{
		{"report-desktop.png", 1280, 900},
		{"report-phone.png", 390, 844},
	} {
		run("viewport "+shot.name, chromedp.EmulateViewport(shot.width, shot.height), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		img, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("%s: %v", shot.name, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || int64(cfg.Width) != shot.width {
			t.Fatalf("%s: not a %d-wide PNG: %v, %d", shot.name, shot.width, err, cfg.Width)
		}
		if eval(`document.documentElement.scrollWidth`) > int(shot.width) {
			t.Errorf("%s: the page scrolls sideways at %d pixels", shot.name, shot.width)
		}
		if *update {
			if err := os.WriteFile(filepath.Join("docs", "images", shot.name), img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Without JavaScript every result shows and the filter bar stays hidden.
	noScript := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}
	run("reload without JavaScript", noScript, chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.CSS("li.result")))
	if got := visible(); got != len(rows) {
		t.Errorf("without JavaScript: %d of %d results visible", got, len(rows))
	}
	if eval(`document.getElementById("filters").hidden ? 1 : 0`) != 1 {
		t.Error("without JavaScript the filter bar shows, and its selects would do nothing")
	}

	// The page made no request but for itself.
	for _, u := range requests() {
		if u != pageURL {
			t.Errorf("the page requested %s", u)
		}
	}
	if !slices.Contains(requests(), pageURL) {
		t.Errorf("no request for the page itself recorded (%q): the network listener saw nothing", requests())
	}
}
