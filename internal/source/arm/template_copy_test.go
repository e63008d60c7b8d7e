package arm

import (
	"runtime"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestDecodeTemplateCopyLoops: a resource copy loop gives one cluster (or
// pool) per copy with its own name and values; a property copy loop builds
// agentPoolProfiles; a count that is unknown is never zero copies.
func TestDecodeTemplateCopyLoops(t *testing.T) {
	f := loadFixture(t, "../copy/copy-loops.json")
	b := f.decode(nil)
	if len(b.Errors) != 0 {
		t.Fatalf("errors: %v", b.Errors)
	}
	byName := map[string]*inventory.Cluster{}
	var names []string
	for _, c := range b.Clusters {
		byName[c.Name] = c
		names = append(names, c.Name)
	}
	// aks-off's condition is false; count 0 gives no aks-none cluster; the
	// fleet's unknown count gives one cluster whose name keeps copyIndex().
	want := []string{"aks-prod", "aks-dev", "aks-unknown-pools", "aks-fleet{copyIndex()}"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("clusters %v, want %v", names, want)
	}
	prod, dev := byName["aks-prod"], byName["aks-dev"]
	loc := f.line(`"disableLocalAccounts": "[not(`)
	checkFields(t, []fieldCase{
		{"prod DisableLocalAccounts", view(prod.DisableLocalAccounts), known, false, "properties.disableLocalAccounts", loc, ""},
		{"dev DisableLocalAccounts", view(dev.DisableLocalAccounts), known, true, "properties.disableLocalAccounts", loc, ""},
		{"fleet DisableLocalAccounts", view(byName["aks-fleet{copyIndex()}"].DisableLocalAccounts), unknown, nil, "", 0,
			"the number of copies of loop 'fleet' is unknown (the number of copies is unknown: unresolved ARM expression [parameters('unknownCount')]"},
	})
	if prod.ID != "template:../copy/copy-loops.json#managedClusters/aks-prod" {
		t.Errorf("prod ID %q", prod.ID)
	}
	pools := func(c *inventory.Cluster) string {
		var s []string
		for _, p := range c.AgentPools {
			s = append(s, p.Name)
		}
		return strings.Join(s, ",")
	}
	if !prod.PoolsKnown || pools(prod) != "system,user" || !dev.PoolsKnown || pools(dev) != "sys" {
		t.Fatalf("pools: prod %q (%v), dev %q (%v)", pools(prod), prod.PoolsKnown, pools(dev), dev.PoolsKnown)
	}
	ip := f.line(`"enableNodePublicIP": "[parameters('clusters')`)
	checkFields(t, []fieldCase{
		{"prod/system public IP", view(prod.AgentPools[0].EnableNodePublicIP), known, true, "properties.agentPoolProfiles[0].enableNodePublicIP", ip, ""},
		{"prod/user public IP", view(prod.AgentPools[1].EnableNodePublicIP), known, false, "properties.agentPoolProfiles[1].enableNodePublicIP", ip, ""},
		{"dev/sys public IP", view(dev.AgentPools[0].EnableNodePublicIP), known, true, "", ip, ""},
	})
	if u := byName["aks-unknown-pools"]; u.PoolsKnown || !strings.Contains(u.PoolsUnknown, "the number of copies of loop 'agentPoolProfiles' is unknown") {
		t.Errorf("unknown pool count: known %v (%q)", u.PoolsKnown, u.PoolsUnknown)
	}

	// The agentPools resource loop: two pools of aks-prod.
	if len(b.Pools) != 2 {
		t.Fatalf("pools %+v", b.Pools)
	}
	for i, p := range b.Pools {
		if p.ClusterID != prod.ID || p.Pool.Name != []string{"extra0", "extra1"}[i] {
			t.Errorf("pool %d: %q of %q", i, p.Pool.Name, p.ClusterID)
		}
	}
}

// TestDecodeTemplateCopyHostile: counts Azure refuses are input errors
// naming the line, and the resource is read once with copyIndex()
// unresolved; loops inside loops stay within the evaluation budget.
func TestDecodeTemplateCopyHostile(t *testing.T) {
	f := loadFixture(t, "../copy/copy-hostile.json")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, work := decodeTemplate(f.root, f.name, nil, TemplateOptions{})
	runtime.ReadMemStats(&after)
	if work.steps > 2*maxSteps {
		t.Errorf("steps %d past the budget", work.steps)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAmplificationAlloc {
		t.Errorf("decoding allocated %d MB", alloc>>20)
	}
	wantErrs := []struct {
		marker, msg string
	}{
		{`"count": 1000000000`, `copy loop "huge": count is more than ARM's limit of 800 copies`},
		{`"count": -1`, `copy loop "negative": count is negative`},
		{`"count": "many"`, `property copy loop "agentPoolProfiles": count is not an integer`},
		{`{"name": "agentPoolProfiles", "count": 800`, `the template's copy loops yield more than 4096`},
	}
	for _, w := range wantErrs {
		found := false
		for _, e := range b.Errors {
			if e.Line == f.line(w.marker) && strings.Contains(e.Message, w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q at line %d: %v", w.msg, f.line(w.marker), b.Errors)
		}
	}
	names := map[string]*inventory.Cluster{}
	for _, c := range b.Clusters {
		names[c.Name] = c
	}
	for _, n := range []string{"huge{copyIndex()}", "negative{copyIndex()}", "pools-huge"} {
		if names[n] == nil {
			t.Errorf("cluster %q not read once: %d clusters", n, len(b.Clusters))
		}
	}
	if c := names["pools-huge"]; c != nil && c.PoolsKnown {
		t.Errorf("pools-huge: pools known")
	}
	// 800 clusters: every one is there, and none has pools known past the
	// budget without their values.
	nest := 0
	for _, c := range b.Clusters {
		if strings.HasPrefix(c.Name, "nest") {
			nest++
		}
	}
	if nest != 800 {
		t.Errorf("nested loop clusters: %d, want 800", nest)
	}
	t.Logf("steps %d, %d clusters, allocated %d MB", work.steps, len(b.Clusters), (after.TotalAlloc-before.TotalAlloc)>>20)
}

// TestDecodeTemplateConditions: a condition is evaluated per copy (false:
// not deployed); companion data whose condition cannot be evaluated never
// passes a control: a diagnostic setting sends nothing for certain, and a
// maintenance configuration is no window.
func TestDecodeTemplateConditions(t *testing.T) {
	f := loadFixture(t, "../copy/conditions.json")
	b := f.decode(nil)
	if len(b.Errors) != 0 || len(b.Clusters) != 1 {
		t.Fatalf("clusters %d, errors %v", len(b.Clusters), b.Errors)
	}
	if len(b.Pools) != 1 || b.Pools[0].Pool.Name != "zone1" {
		t.Errorf("pools %+v, want zone1 only (zone2's condition is false)", b.Pools)
	}
	if len(b.Diagnostics) != 2 {
		t.Fatalf("diagnostics %+v", b.Diagnostics)
	}
	// A loop of unknown count may deploy none.
	looped, maybe := b.Diagnostics[0].Setting, b.Diagnostics[1].Setting
	const why = "deployed only if its condition holds, which is unknown: unresolved ARM expression [parameters('enableDiagnostics')]"
	checkFields(t, []fieldCase{
		{"HasDestination", view(maybe.HasDestination), unknown, nil, "condition", f.line(`"condition": "[parameters('enableDiagnostics')]"`), why},
		{"HasDestination (loop)", view(looped.HasDestination), unknown, nil, "copy", f.line(`"name": "diagLoop"`),
			"deployed as many times as its copy loop says, which may be none: the number of copies is unknown: unresolved ARM expression [parameters('windows')]"},
	})
	for _, ds := range []inventory.DiagnosticSetting{looped, maybe} {
		for _, l := range ds.Logs {
			if l.Enabled.IsKnown() {
				t.Errorf("%s: log %s enabled is known", ds.Name, l.Category)
			}
		}
	}
	if len(b.Maintenance) != 1 || len(b.Maintenance[0].Data.Names) != 0 || b.Maintenance[0].Data.Authoritative {
		t.Errorf("maintenance %+v: a configuration that may not be deployed is no window", b.Maintenance)
	}
}
