package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/k8sversion"
)

// ---- Kubernetes official CVE feed (JSON Feed 1.1) ----

type cveFeed struct {
	Meta struct {
		UpdatedAt string `json:"updated_at"`
	} `json:"_kubernetes_io"`
	Items []feedItem `json:"items"`
}

type feedItem struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Summary     string `json:"summary"`
	ContentText string `json:"content_text"`
	Status      string `json:"status"`
}

func parseFeed(b []byte) (*cveFeed, error) {
	var f cveFeed
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("CVE feed: %v", err)
	}
	return &f, nil
}

// Component classes.
var (
	controlPlane = map[string]bool{"kube-apiserver": true, "kube-controller-manager": true, "kube-scheduler": true, "cloud-controller-manager": true}
)

var (
	sectionRE = regexp.MustCompile(`(?im)^\s*(?:#+\s*|\*\*)?\s*(affected|fixed)\s+versions?\b`)
	headerRE  = regexp.MustCompile(`(?m)^\s*(#+\s|\*\*[^*]+\*\*\s*$)`)
	lineRE    = regexp.MustCompile(`(?i)\b(kube-apiserver|kube-controller-manager|kube-scheduler|cloud-controller-manager|kubelet|kube-proxy|kubernetes-csi-proxy|csi-proxy)\b[:\s]*(<=|<|≤)?\s*v?(\d+\.\d+\.\d+)(?:\s*(?:-|–|to)\s*v?(\d+\.\d+\.\d+))?`)
	bareFixRE = regexp.MustCompile(`\bv?(\d+\.\d+\.\d+)\b`)
)

// section returns the text under the first "Affected Versions" or "Fixed
// Versions" heading, up to the next heading.
func section(text, which string) string {
	for _, loc := range sectionRE.FindAllStringSubmatchIndex(text, -1) {
		if !strings.EqualFold(text[loc[2]:loc[3]], which) {
			continue
		}
		rest := text[loc[1]:]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[nl+1:]
		} else {
			return ""
		}
		if h := headerRE.FindStringIndex(rest); h != nil {
			rest = rest[:h[0]]
		}
		return rest
	}
	return ""
}

// candidate is what the refresh could read from one feed item.
type candidate struct {
	ID         string
	Components []string
	CVE        *k8sversion.CVE // nil when no control-plane range was read
	Node       bool            // only node-side components named
}

// parseItem reads the affected and fixed versions of a feed item's text.
// Ranges "A - B" and "<= B" end at the fixed version listed for B's minor,
// or B's next patch; "< B" ends at B.
func parseItem(it feedItem) candidate {
	c := candidate{ID: it.ID}
	affected := section(it.ContentText, "affected")
	fixedText := section(it.ContentText, "fixed")
	fixes := map[string]k8sversion.Version{} // minor -> fixed version
	for _, m := range bareFixRE.FindAllStringSubmatch(fixedText, -1) {
		if v, err := k8sversion.Parse(m[1]); err == nil {
			if old, ok := fixes[v.MinorString()]; !ok || v.Less(old) {
				fixes[v.MinorString()] = v
			}
		}
	}
	comps := map[string]bool{}
	var ranges []k8sversion.Range
	for _, m := range lineRE.FindAllStringSubmatch(affected, -1) {
		comp := strings.ToLower(m[1])
		comps[comp] = true
		if !controlPlane[comp] {
			continue
		}
		op, a, b := m[2], m[3], m[4]
		var r k8sversion.Range
		switch {
		case b != "":
			r = k8sversion.Range{Introduced: a, Fixed: fixAfter(b, fixes)}
		case op == "<":
			r = k8sversion.Range{Fixed: a}
		case op != "":
			r = k8sversion.Range{Fixed: fixAfter(a, fixes)}
		default: // a single affected version
			r = k8sversion.Range{Introduced: a, Fixed: fixAfter(a, fixes)}
		}
		ranges = append(ranges, r)
	}
	for k := range comps {
		c.Components = append(c.Components, k)
	}
	sort.Strings(c.Components)
	cp := false
	for _, k := range c.Components {
		cp = cp || controlPlane[k]
	}
	c.Node = len(c.Components) > 0 && !cp
	if len(ranges) == 0 {
		return c
	}
	sort.Slice(ranges, func(i, j int) bool {
		return k8sversion.MustParse(ranges[i].Fixed).Less(k8sversion.MustParse(ranges[j].Fixed))
	})
	comp := ""
	for _, k := range c.Components {
		if controlPlane[k] {
			comp = k
			break
		}
	}
	c.CVE = &k8sversion.CVE{
		ID:         it.ID,
		Summary:    strings.TrimSpace(it.Summary),
		Component:  comp,
		Affected:   ranges,
		URL:        it.URL,
		Confidence: "parsed",
		Notes:      "Read automatically from the official CVE feed by the refresh command; review the ranges and set confidence to high or medium.",
	}
	return c
}

func fixAfter(last string, fixes map[string]k8sversion.Version) string {
	v := k8sversion.MustParse(last)
	if f, ok := fixes[v.MinorString()]; ok && v.Less(f) {
		return f.String()
	}
	v.Patch++
	return v.String()
}

// ---- AKS supported-versions page (markdown tables) ----

var monthRE = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b`)

// monthOf turns "Aug 2025" (or "August 2025*") into "2025-08".
func monthOf(cell string) (string, bool) {
	m := monthRE.FindStringSubmatch(cell)
	if m == nil {
		return "", false
	}
	t, err := time.Parse("Jan 2006", strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:3])+" "+m[2])
	if err != nil {
		return "", false
	}
	return t.Format("2006-01"), true
}

func endOfMonth(ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	return t.AddDate(0, 1, -1).Format("2006-01-02")
}

// calendarRow is one minor as the AKS page lists it.
type calendarRow struct {
	Minor, Upstream, GA, EOL, LTSEOL, Platform string
	Planned                                    bool
}

var minorCellRE = regexp.MustCompile(`^\s*(\d+\.\d+)\b`)

// parseCalendar reads every markdown table whose header has "K8s version"
// and merges rows by minor (the release calendar and the LTS table).
func parseCalendar(md string) map[string]*calendarRow {
	rows := map[string]*calendarRow{}
	var cols map[string]int
	for _, line := range strings.Split(md, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			cols = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cols == nil {
			if !strings.Contains(strings.ToLower(cells[0]), "version") {
				continue
			}
			cols = map[string]int{}
			for i, h := range cells {
				h = strings.ToLower(h)
				switch {
				case strings.Contains(h, "upstream"):
					cols["upstream"] = i
				case strings.Contains(h, "aks ga"):
					cols["ga"] = i
				case strings.Contains(h, "lts end"):
					cols["lts"] = i
				case strings.Contains(h, "end of life"):
					cols["eol"] = i
				case strings.Contains(h, "platform"):
					cols["platform"] = i
				}
			}
			continue
		}
		m := minorCellRE.FindStringSubmatch(cells[0])
		if m == nil {
			continue
		}
		r := rows[m[1]]
		if r == nil {
			r = &calendarRow{Minor: m[1]}
			rows[m[1]] = r
		}
		get := func(k string) string {
			if i, ok := cols[k]; ok && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		if v, ok := monthOf(get("upstream")); ok {
			r.Upstream = v
		}
		if g := get("ga"); g != "" {
			if v, ok := monthOf(g); ok {
				r.GA = v
				r.Planned = strings.Contains(strings.ToLower(g), "plan")
			}
		}
		if v, ok := monthOf(get("eol")); ok {
			r.EOL = endOfMonth(v)
		}
		if v, ok := monthOf(get("lts")); ok {
			r.LTSEOL = endOfMonth(v)
		}
		if p := get("platform"); p != "" {
			r.Platform = strings.TrimSpace(strings.ToLower(p[:1]) + p[1:])
		}
	}
	return rows
}

// ---- endoflife.date (cross-check only) ----

type eolCycle struct {
	Cycle       string          `json:"cycle"`
	ReleaseDate string          `json:"releaseDate"`
	EOL         json.RawMessage `json:"eol"`
	LTS         json.RawMessage `json:"lts"`
}

func parseEOLDate(b []byte) ([]eolCycle, error) {
	var cs []eolCycle
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("endoflife.date: %v", err)
	}
	return cs, nil
}

func rawString(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	var b bool
	if json.Unmarshal(r, &b) == nil {
		return strconv.FormatBool(b)
	}
	return ""
}
