package report

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"
)

// The HTML report: one self-contained file (inline CSS and a small vanilla
// script, no external asset, a Content-Security-Policy that lets the page
// load nothing and run only its own style and script) rendered by
// html/template, so every value a result quotes from an input is escaped
// for where it lands. The view (html_view.go) is computed in a fixed order:
// the same report gives the same bytes.

//go:embed htmlassets/report.html.tmpl htmlassets/report.css htmlassets/report.js
var htmlAssets embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"plural": plural,
	"isURL":  func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
}).ParseFS(htmlAssets, "htmlassets/report.html.tmpl"))

// htmlPage is what the template executes on: the view, and the page's own
// style and script (constants of the binary, never input) with their
// hashes, which the page's Content-Security-Policy names as the only style
// and script it may run: were a value ever to slip past the escaping, a
// script it carried would not run.
type htmlPage struct {
	View    *htmlView
	CSS     template.CSS
	JS      template.JS
	CSSHash string
	JSHash  string
}

// cspHash is a CSP source expression for an inline element's text.
func cspHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// WriteHTML writes the report as one self-contained HTML page.
func WriteHTML(w io.Writer, r *Report) error {
	css, err := htmlAssets.ReadFile("htmlassets/report.css")
	if err != nil {
		return err
	}
	js, err := htmlAssets.ReadFile("htmlassets/report.js")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	page := htmlPage{View: buildHTMLView(r), CSS: template.CSS(css), JS: template.JS(js), CSSHash: cspHash(css), JSHash: cspHash(js)}
	if err := htmlTemplate.Execute(bw, page); err != nil {
		return err
	}
	return bw.Flush()
}
