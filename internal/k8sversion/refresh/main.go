// Command refresh rewrites internal/k8sversion/data/aks-versions.json from
// the public sources: the Kubernetes official CVE feed, the AKS
// supported-versions page (the markdown source of
// learn.microsoft.com/azure/aks/supported-kubernetes-versions), endoflife.date
// (cross-check only) and, optionally, an `az aks get-versions -o json` file
// for the latest patches. It needs the network unless -offline is given, and
// no test runs it. New CVEs read from the feed get confidence "parsed" and
// must be reviewed before the change is committed (the package tests reject
// any confidence other than high or medium). See docs/version-data.md.
//
//	go run ./internal/k8sversion/refresh [-out FILE] [-date YYYY-MM-DD] [-az-versions FILE] [-offline] [-dry-run]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/k8sversion"
)

const (
	feedURL     = "https://kubernetes.io/docs/reference/issues-security/official-cve-feed/index.json"
	aksDocURL   = "https://raw.githubusercontent.com/MicrosoftDocs/azure-aks-docs/main/articles/aks/supported-kubernetes-versions.md"
	eolURL      = "https://endoflife.date/api/azure-kubernetes-service.json"
	defaultPath = "internal/k8sversion/data/aks-versions.json"
)

func main() {
	out := flag.String("out", defaultPath, "dataset file to rewrite")
	dateFlag := flag.String("date", "", "dataset date YYYY-MM-DD (default: today, UTC)")
	azVersions := flag.String("az-versions", "", "`az aks get-versions -o json` output to take the latest patches from")
	offline := flag.Bool("offline", false, "fetch nothing; only apply -az-versions and -date")
	dry := flag.Bool("dry-run", false, "print the new dataset instead of writing it")
	flag.Parse()
	if err := run(*out, *dateFlag, *azVersions, *offline, *dry); err != nil {
		fmt.Fprintln(os.Stderr, "refresh:", err)
		os.Exit(1)
	}
}

func run(path, dateFlag, azVersions string, offline, dry bool) error {
	d, err := k8sversion.LoadFile(path)
	if err != nil {
		return err
	}
	today := time.Now().UTC().Format("2006-01-02")
	if dateFlag != "" {
		if _, err := time.Parse("2006-01-02", dateFlag); err != nil {
			return fmt.Errorf("-date %q: want YYYY-MM-DD", dateFlag)
		}
		today = dateFlag
	}
	var errs []error
	if !offline {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := refreshCVEs(ctx, d, today); err != nil {
			errs = append(errs, err)
		}
		if err := refreshCalendar(ctx, d, today); err != nil {
			errs = append(errs, err)
		}
		if err := crossCheckEOLDate(ctx, d); err != nil {
			fmt.Fprintln(os.Stderr, "warning:", err)
		}
	}
	if azVersions != "" {
		if err := refreshPatches(d, azVersions, today); err != nil {
			errs = append(errs, err)
		}
	} else {
		fmt.Fprintln(os.Stderr, "note: latest patches unchanged; pass -az-versions with `az aks get-versions -l <region> -o json` output to update them")
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	d.Date = today
	b, err := encode(d)
	if err != nil {
		return err
	}
	if _, err := k8sversion.ParseDataset(b, path+" (refreshed)"); err != nil {
		return fmt.Errorf("the refreshed dataset does not validate: %w", err)
	}
	if dry {
		_, err = os.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s dated %s; review the diff, then run go test ./internal/k8sversion/ ./internal/checks/\n", path, today)
	return nil
}

func encode(d *k8sversion.Dataset) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "aksguard-refresh (+https://github.com/aksguard/aksguard)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}

func setSnapshot(d *k8sversion.Dataset, urlPart, snapshot string) {
	for i := range d.Sources {
		if strings.Contains(d.Sources[i].URL, urlPart) {
			d.Sources[i].Snapshot = snapshot
			return
		}
	}
}

// refreshCVEs adds feed CVEs the dataset does not know yet: control-plane
// ones with parsed ranges (confidence "parsed", to review), node-side and
// unfixed ones to the excluded list; the rest are printed for manual work.
// Curated entries are never changed.
func refreshCVEs(ctx context.Context, d *k8sversion.Dataset, today string) error {
	b, err := fetch(ctx, feedURL)
	if err != nil {
		return err
	}
	feed, err := parseFeed(b)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range d.CVEs {
		known[c.ID] = true
	}
	for _, e := range d.Excluded {
		known[e.ID] = true
	}
	for _, it := range feed.Items {
		if it.ID == "" || known[it.ID] {
			continue
		}
		known[it.ID] = true
		c := parseItem(it)
		switch {
		case c.CVE != nil && (it.Status == "fixed" || it.Status == ""):
			d.CVEs = append(d.CVEs, *c.CVE)
			fmt.Fprintf(os.Stderr, "added %s (%s) with parsed ranges %v: REVIEW and set its confidence\n", it.ID, c.CVE.Component, c.CVE.Affected)
		case c.Node:
			d.Excluded = append(d.Excluded, k8sversion.ExcludedCVE{ID: it.ID, Reason: "node-side: " + strings.Join(c.Components, ", ") + " (from the feed)"})
			fmt.Fprintf(os.Stderr, "excluded %s: node-side %v\n", it.ID, c.Components)
		case it.Status == "open" || it.Status == "unfixed":
			d.Excluded = append(d.Excluded, k8sversion.ExcludedCVE{ID: it.ID, Reason: "no fixed version (feed status " + it.Status + ")"})
			fmt.Fprintf(os.Stderr, "excluded %s: status %s\n", it.ID, it.Status)
		default:
			fmt.Fprintf(os.Stderr, "MANUAL: %s %q: no version ranges could be read (%s)\n", it.ID, it.Summary, it.URL)
		}
	}
	slices.SortFunc(d.CVEs, func(a, b k8sversion.CVE) int { return strings.Compare(a.ID, b.ID) })
	setSnapshot(d, "official-cve-feed", "feed fetched "+today+" (updated_at "+feed.Meta.UpdatedAt+")")
	return nil
}

// refreshCalendar updates the minors from the AKS supported-versions page.
func refreshCalendar(ctx context.Context, d *k8sversion.Dataset, today string) error {
	b, err := fetch(ctx, aksDocURL)
	if err != nil {
		return err
	}
	rows := parseCalendar(string(b))
	if len(rows) == 0 {
		return errors.New("AKS supported-versions page: no calendar table found (the page layout changed?)")
	}
	for _, r := range rows {
		if findMinor(d, r.Minor) == nil {
			d.Minors = append(d.Minors, k8sversion.Minor{Version: r.Minor})
			fmt.Fprintf(os.Stderr, "added minor %s\n", r.Minor)
		}
	}
	month := today[:7]
	for _, r := range rows {
		m := findMinor(d, r.Minor)
		upd := func(field string, dst *string, v string) {
			if v != "" && *dst != v {
				fmt.Fprintf(os.Stderr, "%s %s: %q -> %q\n", r.Minor, field, *dst, v)
				*dst = v
			}
		}
		upd("upstreamRelease", &m.UpstreamRelease, r.Upstream)
		upd("aksGA", &m.AKSGA, r.GA)
		upd("communityEOL", &m.CommunityEOL, r.EOL)
		upd("platformSupport", &m.PlatformSupport, r.Platform)
		if r.LTSEOL != "" {
			upd("ltsEOL", &m.LTSEOL, r.LTSEOL)
			m.LTSEOLEstimated = false
		}
		if ga := r.GA; ga != "" && !r.Planned && ga < month && !m.GAConfirmed {
			m.GAConfirmed = true
			fmt.Fprintf(os.Stderr, "%s gaConfirmed -> true (GA %s listed without 'planned')\n", r.Minor, ga)
		}
	}
	setSnapshot(d, "supported-kubernetes-versions", "fetched "+today+" from "+aksDocURL)
	return nil
}

// crossCheckEOLDate prints where endoflife.date disagrees; it never writes.
func crossCheckEOLDate(ctx context.Context, d *k8sversion.Dataset) error {
	b, err := fetch(ctx, eolURL)
	if err != nil {
		return err
	}
	cycles, err := parseEOLDate(b)
	if err != nil {
		return err
	}
	for _, c := range cycles {
		m := findMinor(d, c.Cycle)
		if m == nil {
			fmt.Fprintf(os.Stderr, "endoflife.date lists %s, which the dataset does not have\n", c.Cycle)
			continue
		}
		eol := rawString(c.EOL)
		if eol != "" && eol != m.CommunityEOL && eol != m.LTSEOL {
			fmt.Fprintf(os.Stderr, "endoflife.date: %s eol %s vs dataset community %s / LTS %s (check by hand)\n", c.Cycle, eol, m.CommunityEOL, m.LTSEOL)
		}
	}
	return nil
}

// refreshPatches takes the newest patch per minor from az aks get-versions.
func refreshPatches(d *k8sversion.Dataset, file, today string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc struct {
		Values []struct {
			Version       string                     `json:"version"`
			PatchVersions map[string]json.RawMessage `json:"patchVersions"`
		} `json:"values"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Values) == 0 {
		return fmt.Errorf("%s: not az aks get-versions output (want {\"values\":[{\"version\",\"patchVersions\"}]}): %v", file, err)
	}
	for _, v := range doc.Values {
		m := findMinor(d, v.Version)
		if m == nil {
			fmt.Fprintf(os.Stderr, "%s: minor %s is not in the dataset; add it to the calendar first\n", file, v.Version)
			continue
		}
		var best k8sversion.Version
		for p := range v.PatchVersions {
			pv, err := k8sversion.Parse(p)
			if err == nil && pv.HasPatch && (!best.HasPatch || best.Less(pv)) {
				best = pv
			}
		}
		if best.HasPatch && best.String() != m.LatestPatch {
			fmt.Fprintf(os.Stderr, "%s latestPatch: %q -> %q\n", m.Version, m.LatestPatch, best)
			m.LatestPatch, m.LatestPatchAsOf = best.String(), today
		}
	}
	return nil
}

// findMinor finds a minor by its version string; unlike Dataset.Minor it
// also sees entries appended during the refresh.
func findMinor(d *k8sversion.Dataset, minor string) *k8sversion.Minor {
	want, err := k8sversion.Parse(minor)
	if err != nil {
		return nil
	}
	for i := range d.Minors {
		if v, err := k8sversion.Parse(d.Minors[i].Version); err == nil && v.SameMinor(want) {
			return &d.Minors[i]
		}
	}
	return nil
}
