package checks_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// fixTextProblems are the defects a rendered fix must not have: a template
// placeholder left unfilled ({tf}, {rg}, …), a resource ID aksguard made up
// for a template or Terraform cluster (az would not accept it), and a verb
// doubled by the rendering ("set remove …", "set an …").
var fixTextProblems = []struct {
	what string
	re   *regexp.Regexp
}{
	{"unresolved placeholder", regexp.MustCompile(`\{[a-z]+\}`)},
	{"synthetic resource ID", regexp.MustCompile(`(^|\s)(template|tf):\S`)},
	{"doubled verb", regexp.MustCompile(`(?i)\bset (remove|add|enable|disable|set|use|delete|create|run|deploy|upgrade|replace|an?|the)\b`)},
}

// TestEveryRenderedFixIsComplete renders every failing result of every
// control in every input form of the verdict matrix and checks its fix text:
// present, with no unfilled placeholder and no doubled verb.
func TestEveryRenderedFixIsComplete(t *testing.T) {
	fails := 0
	for _, form := range formNames {
		for _, v := range variants {
			inv := source.Load(formPaths(t, form, v), source.Options{})
			rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
			for _, r := range rs {
				if r.Status != check.Fail {
					continue
				}
				fails++
				where := form + "/" + v + " " + r.Control + " " + r.Resource.Name
				if r.Remediation == "" {
					t.Errorf("%s: empty fix", where)
					continue
				}
				for _, p := range fixTextProblems {
					if m := p.re.FindString(r.Remediation); m != "" {
						t.Errorf("%s: %s %q in fix %q", where, p.what, m, r.Remediation)
					}
				}
			}
		}
	}
	if fails == 0 {
		t.Fatal("no failing result rendered: the verdict-matrix inputs did not load")
	}
}

// TestFixTextProblemsDetect keeps the detector honest: it flags the defects
// it is meant to and accepts ordinary fix texts.
func TestFixTextProblemsDetect(t *testing.T) {
	for _, tc := range []struct {
		fix  string
		want bool
	}{
		{"In azurerm_kubernetes_cluster.main set an azurerm_monitor_diagnostic_setting with target_resource_id = {tf}.id, then terraform apply.", true},
		{"In azurerm_kubernetes_cluster.main set remove linux_profile { ssh_key }, then terraform apply.", true},
		{"az aks update -g {rg} -n aks", true},
		{"In the template set a Microsoft.Insights/diagnosticSettings resource.", true},
		{"az monitor diagnostic-settings create --resource template:t.json#managedClusters/aks", true},
		{"In azurerm_kubernetes_cluster.main set local_account_disabled = true, then terraform apply.", false},
		{"az aks update -g rg -n aks --enable-defender", false},
		{`In the template set properties.securityProfile.sshAccess: "Disabled".`, false},
	} {
		got := false
		for _, p := range fixTextProblems {
			got = got || p.re.MatchString(tc.fix)
		}
		if got != tc.want {
			t.Errorf("%q: flagged %v, want %v", tc.fix, got, tc.want)
		}
	}
}

// TestEveryBicepFixIsComplete renders every failing result of the verdict
// matrix's template clusters as if read from Bicep (the same ARM body, so
// the same verdicts) and checks the fixes name the Bicep file and
// declaration, in Bicep's vocabulary, with no defect: one pool in its own
// agentPools resource, the others in the cluster's agentPoolProfiles.
func TestEveryBicepFixIsComplete(t *testing.T) {
	fails, pools := 0, 0
	for _, v := range variants {
		inv := source.Load(formPaths(t, "template", v), source.Options{})
		for _, c := range inv.Clusters {
			c.Format, c.BicepFile, c.BicepAddress = inventory.FormatBicep, "main.bicep", "resource aks"
			if len(c.AgentPools) > 1 {
				c.AgentPools[1].BicepAddress = "resource userPool"
			}
		}
		for _, r := range engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today}) {
			if r.Status != check.Fail {
				continue
			}
			fails++
			where := "template-as-bicep/" + v + " " + r.Control + " " + r.Resource.Name
			fix := r.Remediation
			switch {
			case fix == "":
				t.Errorf("%s: empty fix", where)
				continue
			case strings.Contains(fix, "template") && !strings.Contains(fix, "no template property"):
				t.Errorf("%s: fix in the template's vocabulary: %q", where, fix)
			case strings.HasPrefix(fix, "In ") && !strings.HasPrefix(fix, "In main.bicep, "):
				t.Errorf("%s: fix does not name the Bicep file: %q", where, fix)
			}
			if strings.Contains(fix, "agentPoolProfiles entry named") || strings.Contains(fix, "resource userPool") {
				pools++
			}
			for _, p := range fixTextProblems {
				if m := p.re.FindString(fix); m != "" {
					t.Errorf("%s: %s %q in fix %q", where, p.what, m, fix)
				}
			}
		}
	}
	if fails == 0 || pools == 0 {
		t.Fatalf("%d failing results, %d on pools: the template inputs did not load", fails, pools)
	}
}
