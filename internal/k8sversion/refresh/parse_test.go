package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aksguard/aksguard/internal/k8sversion"
)

// These tests use inline copies of the sources' formats; nothing here
// touches the network.

func TestRefreshParseItem(t *testing.T) {
	it := feedItem{
		ID: "CVE-2025-5187", URL: "https://github.com/kubernetes/kubernetes/issues/133471", Status: "fixed",
		Summary: "Nodes can delete themselves by adding an OwnerReference",
		ContentText: "CVSS Rating: Medium\r\n\r\n### Am I vulnerable?\r\n\r\n#### Affected Versions\r\n\r\n" +
			"- kube-apiserver: v1.33.0 - v1.33.3\r\n- kube-apiserver: v1.32.0 - v1.32.7\r\n- kube-apiserver: <= v1.31.11\r\n\r\n" +
			"### How do I mitigate this vulnerability?\r\n\r\nUpgrade.\r\n\r\n#### Fixed Versions\r\n\r\n" +
			"- kube-apiserver: v1.33.4\r\n- kube-apiserver: v1.32.8\r\n- kube-apiserver: v1.31.12\r\n\r\n#### Detection\r\n",
	}
	c := parseItem(it)
	if c.CVE == nil || c.Node {
		t.Fatalf("parseItem = %+v", c)
	}
	want := []k8sversion.Range{{Fixed: "1.31.12"}, {Introduced: "1.32.0", Fixed: "1.32.8"}, {Introduced: "1.33.0", Fixed: "1.33.4"}}
	if !reflect.DeepEqual(c.CVE.Affected, want) || c.CVE.Component != "kube-apiserver" || c.CVE.Confidence != "parsed" {
		t.Errorf("parsed %+v", c.CVE)
	}

	node := parseItem(feedItem{ID: "CVE-2025-0426", Status: "fixed", ContentText: "#### Affected Versions\n- kubelet v1.32.0 to v1.32.1\n- kubelet <= v1.30.9\n#### Fixed Versions\n- kubelet v1.32.2\n"})
	if node.CVE != nil || !node.Node || !reflect.DeepEqual(node.Components, []string{"kubelet"}) {
		t.Errorf("node-side item parsed as %+v", node)
	}

	// "< vX" ends at X; a range without a listed fix ends at the next patch.
	lt := parseItem(feedItem{ID: "CVE-X", Status: "fixed", ContentText: "**Affected Versions**\nkube-controller-manager < v1.30.4\nkube-controller-manager v1.31.0 - v1.31.1\n"})
	if lt.CVE == nil || !reflect.DeepEqual(lt.CVE.Affected, []k8sversion.Range{{Fixed: "1.30.4"}, {Introduced: "1.31.0", Fixed: "1.31.2"}}) {
		t.Errorf("parsed %+v", lt.CVE)
	}
	if none := parseItem(feedItem{ID: "CVE-Y", ContentText: "no structured text"}); none.CVE != nil || none.Node {
		t.Errorf("free text parsed as %+v", none)
	}
}

func TestRefreshParseCalendar(t *testing.T) {
	md := "intro\n\n|  K8s version | Upstream release  | AKS preview  | AKS GA  | End of life | Platform support |\n" +
		"|--------------|-------------------|--------------|---------|-------------|-----------------------|\n" +
		"| 1.34 | Aug 2025 | Sep 2025 | Nov 2025 | Nov 2026 | Until 1.38 GA |\n" +
		"| 1.37 | Aug 2026 | Sep 2026 | Oct 2026 (planned) | Oct 2027 | Until 1.41 GA |\n\nLTS\n\n" +
		"|  K8s version | Upstream release  | AKS preview  | AKS GA  | End of life | LTS End of life |\n|---|---|---|---|---|---|\n" +
		"| 1.34 | Aug 2025 | Sep 2025 | Nov 2025 | Nov 2026 | November 2027 |\n"
	rows := parseCalendar(md)
	want := map[string]*calendarRow{
		"1.34": {Minor: "1.34", Upstream: "2025-08", GA: "2025-11", EOL: "2026-11-30", LTSEOL: "2027-11-30", Platform: "until 1.38 GA"},
		"1.37": {Minor: "1.37", Upstream: "2026-08", GA: "2026-10", EOL: "2027-10-31", Platform: "until 1.41 GA", Planned: true},
	}
	if !reflect.DeepEqual(rows, want) {
		for k, v := range rows {
			t.Logf("%s: %+v", k, *v)
		}
		t.Errorf("parseCalendar mismatch")
	}
}

func TestRefreshOfflinePatches(t *testing.T) {
	src, err := os.ReadFile("../data/aks-versions.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "aks-versions.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	az := filepath.Join(dir, "versions.json")
	if err := os.WriteFile(az, []byte(`{"values":[{"version":"1.34","patchVersions":{"1.34.10":{},"1.34.12":{}}},{"version":"1.99","patchVersions":{"1.99.1":{}}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(path, "2026-12-01", az, true, false); err != nil {
		t.Fatal(err)
	}
	d, err := k8sversion.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Date != "2026-12-01" {
		t.Errorf("date = %s", d.Date)
	}
	if p, _, _ := d.LatestPatch("1.34"); p != "1.34.12" {
		t.Errorf("latest 1.34 = %s", p)
	}
	if m, _ := d.Minor("1.34"); m.LatestPatchAsOf != "2026-12-01" {
		t.Errorf("as of = %s", m.LatestPatchAsOf)
	}
	if p, _, _ := d.LatestPatch("1.35"); p != "1.35.7" {
		t.Errorf("latest 1.35 changed to %s", p)
	}
}
