package upgrades_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

// The version controls are judged against the embedded dataset (dated
// 2026-11-22) on injected days; one case set overrides it with an
// `az aks get-versions` list and another with `az aks get-upgrades`.

var verNow = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func verField(v string) inventory.Field[string] { return inventory.Set(v, "properties.x", 3) }

func verUnknown() inventory.Field[string] {
	return inventory.Unresolved[string]("unresolved ARM expression [parameters('k8sVersion')]", "properties.kubernetesVersion", 7)
}

// verCluster is a cluster running cur (when not "") that asked for req.
func verCluster(cur, req string, opts ...func(*inventory.Cluster)) *inventory.Cluster {
	c := &inventory.Cluster{
		ID:   "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1",
		Name: "aks1", ResourceGroup: "rg1", Format: inventory.FormatAzCLI,
		Source: inventory.Source{File: "aks1.json", Line: 1}, PoolsKnown: true,
	}
	if cur != "" {
		c.CurrentKubernetesVersion = inventory.Set(cur, "currentKubernetesVersion", 10)
	}
	if req != "" {
		c.KubernetesVersion = inventory.Set(req, "kubernetesVersion", 9)
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func withLTS(tier, plan string) func(*inventory.Cluster) {
	return func(c *inventory.Cluster) {
		if tier != "" {
			c.SKUTier = verField(tier)
		}
		if plan != "" {
			c.SupportPlan = verField(plan)
		}
	}
}

// withVersions attaches an az aks get-versions list (as the source join does).
func withVersions(vl *inventory.VersionList) func(*inventory.Cluster) {
	return func(c *inventory.Cluster) {
		if c.UpgradeProfile == nil {
			c.UpgradeProfile = &inventory.UpgradeProfile{}
		}
		c.UpgradeProfile.Versions = vl
	}
}

// withUpgrades attaches az aks get-upgrades' control-plane upgrades.
func withUpgrades(vs ...string) func(*inventory.Cluster) {
	return func(c *inventory.Cluster) {
		if c.UpgradeProfile == nil {
			c.UpgradeProfile = &inventory.UpgradeProfile{}
		}
		c.UpgradeProfile.ControlPlane, c.UpgradeProfile.HaveControlPlane = vs, true
		c.UpgradeProfile.Source = inventory.Source{File: "upgrades.json"}
	}
}

// liveVersions is `az aks get-versions -l westeurope` in late 2026: 1.37 is
// GA, 1.34 gained 1.34.11, 1.33 and 1.32 are LTS-only.
func liveVersions() *inventory.VersionList {
	return &inventory.VersionList{
		Source: inventory.Source{File: "versions.json", Line: 1}, Location: "westeurope",
		Minors: []inventory.VersionMinor{
			{Version: "1.32", SupportPlans: []string{"AKSLongTermSupport"}, Patches: []string{"1.32.100"}},
			{Version: "1.33", SupportPlans: []string{"AKSLongTermSupport"}, Patches: []string{"1.33.13", "1.33.100", "1.33.101"}},
			{Version: "1.34", SupportPlans: []string{"KubernetesOfficial", "AKSLongTermSupport"}, Patches: []string{"1.34.9", "1.34.10", "1.34.11"}},
			{Version: "1.35", SupportPlans: []string{"KubernetesOfficial", "AKSLongTermSupport"}, Patches: []string{"1.35.8"}},
			{Version: "1.36", IsDefault: true, SupportPlans: []string{"KubernetesOfficial", "AKSLongTermSupport"}, Patches: []string{"1.36.4"}},
			{Version: "1.37", SupportPlans: []string{"KubernetesOfficial", "AKSLongTermSupport"}, Patches: []string{"1.37.1"}},
		},
	}
}

func runVer(t *testing.T, id string, c *inventory.Cluster, now time.Time, data ...*k8sversion.Dataset) check.Result {
	t.Helper()
	ctl, ok := check.Lookup(id)
	if !ok {
		t.Fatalf("%s is not registered", id)
	}
	ctx := &check.Context{Inv: &inventory.Inventory{Clusters: []*inventory.Cluster{c}}, Settings: check.DefaultSettings(), Now: now}
	if len(data) > 0 {
		ctx.Settings.VersionData = data[0]
	}
	rs := ctl.Run(ctx)
	if len(rs) != 1 {
		t.Fatalf("%s: %d results, want 1: %+v", id, len(rs), rs)
	}
	return rs[0]
}

func evidence(r check.Result) string {
	var b strings.Builder
	for _, e := range r.Evidence {
		b.WriteString(e.Path + " = " + e.Value + "\n")
	}
	return b.String()
}

type verCase struct {
	name    string
	c       *inventory.Cluster
	now     time.Time // zero: verNow
	want    check.Status
	msg     []string // substrings of the message
	ev      []string // substrings of the evidence
	fixWant string   // substring of the remediation ("" = not checked)
}

func runVerCases(t *testing.T, id string, cases []verCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = verNow
			}
			r := runVer(t, id, tc.c, now)
			if r.Status != tc.want {
				t.Fatalf("%s status = %s, want %s\nmessage: %s\nevidence:\n%s", id, r.Status, tc.want, r.Message, evidence(r))
			}
			for _, m := range tc.msg {
				if !strings.Contains(r.Message, m) {
					t.Errorf("message %q lacks %q", r.Message, m)
				}
			}
			evs := evidence(r)
			for _, e := range tc.ev {
				if !strings.Contains(evs, e) {
					t.Errorf("evidence lacks %q:\n%s", e, evs)
				}
			}
			if tc.fixWant != "" && !strings.Contains(r.Remediation, tc.fixWant) {
				t.Errorf("remediation %q lacks %q", r.Remediation, tc.fixWant)
			}
			if r.Status == check.Fail && r.Remediation == "" {
				t.Error("a failure without remediation")
			}
			if r.Status != check.Fail && r.Remediation != "" {
				t.Errorf("remediation on a %s result: %q", r.Status, r.Remediation)
			}
		})
	}
}

const dataset = "embedded aks-versions.json dated 2026-11-22"

func TestUPG001Version(t *testing.T) {
	tf := func(c *inventory.Cluster) {
		c.Format, c.TFAddress = inventory.FormatTFPlan, "azurerm_kubernetes_cluster.main"
	}
	runVerCases(t, "AKS-UPG-001", []verCase{
		{name: "supported", c: verCluster("1.34.9", "1.34"), want: check.Pass,
			msg: []string{"1.34.9 is supported", "until 2026-11-30"},
			ev:  []string{"currentKubernetesVersion = 1.34.9", "kubernetesVersion = 1.34", "versionData = " + dataset, "communitySupportWindow = on 2026-11-24: 1.34 (until 2026-11-30), 1.35 (until 2027-03-31), 1.36 (until 2027-06-30)"}},
		{name: "requested minor alias when the running version is unknown", c: verCluster("", "1.35", func(c *inventory.Cluster) { c.CurrentKubernetesVersion = verUnknown() }), want: check.Pass,
			ev: []string{"kubernetesVersion = 1.35", "unknown (unresolved"}},
		{name: "end of life", c: verCluster("1.32.7", ""), want: check.Fail,
			msg:     []string{"1.32.7 is not supported", "platform support ended with 1.36 GA"},
			fixWant: "az aks upgrade -g rg1 -n aks1 --kubernetes-version 1.34.10"},
		{name: "N-3 platform support counts as unsupported", c: verCluster("1.33.13", ""), want: check.Fail,
			msg: []string{"platform support (N-3, until 1.37 GA)"}, ev: []string{"sku.tier = not set (Free)", "properties.supportPlan = not set (KubernetesOfficial)"}},
		{name: "day after community end of life", c: verCluster("1.34.10", ""), now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), want: check.Fail,
			fixWant: "--kubernetes-version 1.35.7"},
		{name: "LTS with Premium tier", c: verCluster("1.33.13", "", withLTS("Premium", "AKSLongTermSupport")), want: check.Pass,
			msg: []string{"long-term support covers it until 2027-07-31"}, ev: []string{"longTermSupportWindow = 1.31, 1.32, 1.33, 1.34, 1.35, 1.36"}},
		{name: "LTS plan without Premium", c: verCluster("1.33.13", "", withLTS("Standard", "AKSLongTermSupport")), want: check.Fail,
			msg: []string{"no effect without sku.tier Premium"}},
		{name: "LTS ended", c: verCluster("1.31.101", "", withLTS("Premium", "AKSLongTermSupport")), now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), want: check.Fail,
			msg: []string{"long-term support for 1.31 ended on 2026-11-30"}, fixWant: "--kubernetes-version 1.32"},
		{name: "LTS LTS-patch in window", c: verCluster("1.31.101", "", withLTS("Premium", "AKSLongTermSupport")), want: check.Pass},
		{name: "tier unresolved and LTS would apply", c: verCluster("1.33.13", "", func(c *inventory.Cluster) {
			c.SKUTier = verUnknown()
			c.SupportPlan = verField("AKSLongTermSupport")
		}), want: check.NotAssessed, msg: []string{"long-term support would cover it"}},
		{name: "version unresolved", c: verCluster("", "", func(c *inventory.Cluster) { c.KubernetesVersion = verUnknown() }), want: check.NotAssessed,
			msg: []string{"cannot be determined"}, ev: []string{"unresolved ARM expression"}},
		{name: "version absent", c: verCluster("", ""), want: check.NotAssessed, msg: []string{"no Kubernetes version"}},
		{name: "unreadable version", c: verCluster("latest", ""), want: check.NotAssessed, msg: []string{"cannot be read"}},
		{name: "GA not confirmed by the dataset", c: verCluster("1.37.1", ""), want: check.NotAssessed, msg: []string{"without confirming"}},
		{name: "preview", c: verCluster("1.37.0", ""), now: time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), want: check.Fail,
			msg: []string{"not GA"}, fixWant: "cannot be downgraded"},
		{name: "upgrade profile names the target", c: verCluster("1.32.7", "", withUpgrades("1.33.13", "1.34.11")), want: check.Fail,
			fixWant: "--kubernetes-version 1.34.11"},
		{name: "terraform remediation", c: verCluster("1.32.7", "", tf), want: check.Fail,
			fixWant: `In azurerm_kubernetes_cluster.main set kubernetes_version = "1.34.10"`},
		{name: "stale data is flagged", c: verCluster("1.36.3", ""), now: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), want: check.Pass,
			msg: []string{"the version data is 191 days old"}},
	})
}

// TestUPG001VersionListOverridesDataset: az aks get-versions output wins
// over the embedded dataset for which minors are offered.
func TestUPG001VersionListOverridesDataset(t *testing.T) {
	live := withVersions(liveVersions())
	runVerCases(t, "AKS-UPG-001", []verCase{
		// The dataset cannot confirm 1.37 GA; the live list offers it.
		{name: "1.37 offered", c: verCluster("1.37.1", "", live), want: check.Pass,
			msg: []string{"az aks get-versions output (versions.json, location westeurope) offers 1.37 with community support"},
			ev:  []string{"versionData = az aks get-versions output (versions.json, location westeurope) for offered versions and patches; " + dataset + " for dates and CVEs", "communitySupportWindow = on 2026-11-24: 1.34 (until 2026-11-30), 1.35 (until 2027-03-31), 1.36 (until 2027-06-30), 1.37 (until 2027-10-31)"}},
		// The dataset says 1.34 is in community support; a list without it wins.
		{name: "minor no longer offered", c: verCluster("1.34.9", "", withVersions(&inventory.VersionList{Source: inventory.Source{File: "old.json"},
			Minors: []inventory.VersionMinor{{Version: "1.35", SupportPlans: []string{"KubernetesOfficial"}, Patches: []string{"1.35.8"}}, {Version: "1.36", Patches: []string{"1.36.4"}}}})),
			want: check.Fail, msg: []string{"az aks get-versions output (old.json) does not offer 1.34"}, fixWant: "--kubernetes-version 1.35.8"},
		{name: "LTS-only minor without LTS", c: verCluster("1.33.13", "", live), want: check.Fail, msg: []string{"only with AKSLongTermSupport"}, fixWant: "--kubernetes-version 1.34.11"},
		{name: "LTS-only minor with LTS", c: verCluster("1.33.101", "", live, withLTS("Premium", "AKSLongTermSupport")), want: check.Pass},
	})
}

func TestUPG002Version(t *testing.T) {
	runVerCases(t, "AKS-UPG-002", []verCase{
		{name: "latest patch", c: verCluster("1.34.10", ""), want: check.Pass, msg: []string{"the latest 1.34 patch"},
			ev: []string{"versionData = " + dataset + ", patch list as of 2026-09-04", "latestPatch = 1.34.10"}},
		{name: "older patch", c: verCluster("1.34.2", ""), want: check.Fail, msg: []string{"runs 1.34.2 but 1.34.10 is the latest 1.34 patch"},
			fixWant: "az aks upgrade -g rg1 -n aks1 --kubernetes-version 1.34.10"},
		{name: "newer than the data", c: verCluster("1.35.9", ""), want: check.Pass, msg: []string{"newer than the latest 1.35 patch the data knows (1.35.7)"}},
		{name: "minor no longer offered", c: verCluster("1.32.7", ""), want: check.NotApplicable, msg: []string{"AKS-UPG-001 reports it"}},
		{name: "alias of a minor no longer offered, patch channel", c: verCluster("", "1.30", func(c *inventory.Cluster) { c.UpgradeChannel = verField("patch") }),
			want: check.NotApplicable, msg: []string{"minor 1.30 is no longer offered", "AKS-UPG-001 reports it"}},
		{name: "alias of a minor no longer offered, no channel", c: verCluster("", "1.32"), want: check.NotApplicable, msg: []string{"minor 1.32 is no longer offered"}},
		{name: "alias of a minor no longer offered live, patch channel", c: verCluster("", "1.32", withVersions(liveVersions()), func(c *inventory.Cluster) { c.UpgradeChannel = verField("patch") }),
			want: check.NotApplicable, msg: []string{"AKS-UPG-001 reports it"}},
		{name: "version unresolved", c: verCluster("", "", func(c *inventory.Cluster) { c.CurrentKubernetesVersion = verUnknown() }), want: check.NotAssessed},
		{name: "alias without auto-upgrade", c: verCluster("", "1.34"), want: check.NotAssessed, msg: []string{"minor alias 1.34", "no currentKubernetesVersion"}},
		{name: "alias with patch channel", c: verCluster("", "1.34", func(c *inventory.Cluster) { c.UpgradeChannel = verField("patch") }), want: check.Pass,
			msg: []string{"keeps the control plane on the latest 1.34 patch"}},
		{name: "latest patch unknown", c: verCluster("1.37.1", ""), want: check.NotAssessed, msg: []string{"latest 1.37 patch is not known"}},
		{name: "LTS without live data", c: verCluster("1.33.13", "", withLTS("Premium", "AKSLongTermSupport")), want: check.NotAssessed,
			msg: []string{"long-term support, whose patches"}},
		{name: "upgrade profile offers a newer patch", c: verCluster("1.34.10", "", withUpgrades("1.34.12", "1.35.8")), want: check.Fail,
			msg: []string{"az aks get-upgrades output (upgrades.json) offers the newer patch 1.34.12"}, fixWant: "--kubernetes-version 1.34.12"},
		{name: "upgrade profile offers only a new minor", c: verCluster("1.34.10", "", withUpgrades("1.35.8")), want: check.Pass,
			msg: []string{"offers no newer 1.34 patch"}},
	})
}

func TestUPG002VersionListOverridesDataset(t *testing.T) {
	live := withVersions(liveVersions())
	runVerCases(t, "AKS-UPG-002", []verCase{
		// The dataset's latest 1.34 patch is 1.34.10; the live list has 1.34.11.
		{name: "newer live patch", c: verCluster("1.34.10", "", live), want: check.Fail,
			msg: []string{"1.34.11 is the latest 1.34 patch"}, ev: []string{"versionData = az aks get-versions output (versions.json, location westeurope)"},
			fixWant: "--kubernetes-version 1.34.11"},
		{name: "LTS patch from the live list", c: verCluster("1.33.13", "", live, withLTS("Premium", "AKSLongTermSupport")), want: check.Fail,
			fixWant: "--kubernetes-version 1.33.101"},
		{name: "LTS-only minor without LTS is not applicable", c: verCluster("1.33.13", "", live), want: check.NotApplicable},
	})
}

func TestUPG003Version(t *testing.T) {
	runVerCases(t, "AKS-UPG-003", []verCase{
		{name: "no known CVE", c: verCluster("1.34.10", ""), want: check.Pass, msg: []string{"no Kubernetes control-plane CVE in the data affects 1.34.10"},
			ev: []string{"cveData = " + dataset + " (6 Kubernetes control-plane CVEs)"}},
		{name: "affected", c: verCluster("1.33.3", ""), want: check.Fail,
			msg:     []string{"affected by CVE-2025-13281, CVE-2025-5187", "releases.aks.azure.com"},
			ev:      []string{"CVE-2025-5187 = kube-apiserver: Nodes can delete themselves", "fixed in 1.33.4", "CVE-2025-13281 = kube-controller-manager", "fixed in 1.33.6", "data confidence medium"},
			fixWant: "--kubernetes-version 1.33.13"},
		{name: "fix only in a later minor", c: verCluster("1.30.14", ""), want: check.Fail,
			ev: []string{"fixed in 1.31.12", "fixed in 1.32.10"}, fixWant: "--kubernetes-version 1.32.10"},
		{name: "fixed patch", c: verCluster("1.34.2", ""), want: check.Pass},
		{name: "LTS patch not covered", c: verCluster("1.31.100", "", withLTS("Premium", "AKSLongTermSupport")), want: check.NotAssessed,
			msg: []string{"long-term-support patch", "CVE-2025-13281"}},
		{name: "LTS patch whose fixes are all upstream", c: verCluster("1.33.100", "", withLTS("Premium", "AKSLongTermSupport")), want: check.Pass},
		{name: "alias only", c: verCluster("", "1.34"), want: check.NotAssessed, msg: []string{"needs the running patch"}},
		{name: "version unresolved", c: verCluster("", "", func(c *inventory.Cluster) { c.KubernetesVersion = verUnknown() }), want: check.NotAssessed},
		{name: "version absent", c: verCluster("", ""), want: check.NotAssessed},
	})
}

// TestUPG003VersionListOverridesDataset: CVEs come from the dataset, the
// upgrade target from the live list's latest patch.
func TestUPG003VersionListOverridesDataset(t *testing.T) {
	runVerCases(t, "AKS-UPG-003", []verCase{
		{name: "target from the live list", c: verCluster("1.34.1", "", withVersions(liveVersions())), want: check.Fail,
			msg: []string{"CVE-2025-13281"}, fixWant: "--kubernetes-version 1.34.11"},
	})
}

func TestVersionControlsRegistered(t *testing.T) {
	for _, id := range []string{"AKS-UPG-001", "AKS-UPG-002", "AKS-UPG-003"} {
		c, ok := check.Lookup(id)
		if !ok {
			t.Fatalf("%s not registered", id)
		}
		if c.Area != "Upgrades and nodes" || c.Rationale == "" || len(c.Inputs) == 0 {
			t.Errorf("%s: incomplete registration %+v", id, c)
		}
		if !slices.Contains(c.References, "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions") {
			t.Errorf("%s: references %v", id, c.References)
		}
	}
	if c, _ := check.Lookup("AKS-UPG-003"); !slices.Contains(c.References, "https://kubernetes.io/docs/reference/issues-security/official-cve-feed/") {
		t.Error("AKS-UPG-003 does not cite the CVE feed")
	}
	if c, _ := check.Lookup("AKS-UPG-001"); !slices.Contains(c.References, "https://learn.microsoft.com/azure/aks/long-term-support") {
		t.Error("AKS-UPG-001 does not cite long-term support")
	}
}

// TestVersionDataOverride: a dataset file given by the user (e.g. written by
// the refresh command) replaces the embedded one, and results name it.
func TestVersionDataOverride(t *testing.T) {
	b, err := os.ReadFile("../../k8sversion/data/aks-versions.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "refreshed.json")
	b = []byte(strings.Replace(string(b), `"date": "2026-11-22"`, `"date": "2026-11-23"`, 1))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := k8sversion.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := runVer(t, "AKS-UPG-001", verCluster("1.35.1", ""), verNow, d)
	if r.Status != check.Pass || !strings.Contains(evidence(r), "versionData = "+path+" dated 2026-11-23") {
		t.Errorf("override: %s\n%s", r.Status, evidence(r))
	}
}
