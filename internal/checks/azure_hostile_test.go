package checks_test

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

// canaryID is a second cluster, in a file of its own beside each bad input:
// it must still be judged.
const canaryID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/canary"

func canaryCluster() string {
	body := strings.Replace(azShow(`"enableRbac": true,`), testClusterID, canaryID, 1)
	return strings.Replace(body, `"name": "c"`, `"name": "canary"`, 1)
}

// judged reports whether any result is about the named cluster.
func judged(rs []check.Result, name string) bool {
	for _, r := range rs {
		if r.Resource.Name == name && r.Status != check.NotAssessed {
			return true
		}
	}
	return false
}

// TestDuplicateKeys: two keys of one object that the case-insensitive
// lookup cannot tell apart (the same key twice, or enableRBAC and
// enableRbac) with different values make the input an input error naming
// both lines, in every Azure reader; nothing from it is judged (az keeps the
// last, a first-match lookup the first: either could be a false pass), and
// the canary cluster in another file still is. The same value twice is
// accepted.
func TestDuplicateKeys(t *testing.T) {
	pools := `"agentPoolProfiles": [` + linuxPoolDisabled + `],`
	rbac := func(body, dup string) string {
		return strings.Replace(body, `"enableRBAC": true,`, `"enableRBAC": true,`+"\n"+dup, 1)
	}
	tests := []struct {
		name string
		body string
		err  string // substring of the one input error, "" for none
	}{
		{"az: the same key twice, disabled last",
			azShow("\"enableRbac\": true,\n\"enableRbac\": false,\n" + pools),
			`c.json:8: key "enableRbac" is given twice at the top level (lines 7 and 8) with different values`},
		{"az: case variants",
			azShow("\"enableRBAC\": true,\n\"enableRbac\": false,\n" + pools),
			`c.json:8: keys "enableRBAC" (line 7) and "enableRbac" (line 8) at the top level are the same key to Azure`},
		{"REST body: case variant below properties",
			rbac(restBody("", pools), `"EnableRbac": false,`),
			`c.json:8: keys "enableRBAC" (line 7) and "EnableRbac" (line 8) in properties are the same key`},
		{"REST body: properties twice",
			strings.Replace(restBody("", pools), `"type": "Microsoft`, `"properties": {"enableRBAC": false}, "type": "Microsoft`, 1),
			`key "properties" is given twice at the top level (lines 4 and 5)`},
		{"REST body: add-on spellings disagree",
			restBody("", pools+"\n"+`"addonProfiles": {"azurepolicy": {"enabled": true}, "azurePolicy": {"enabled": false}},`),
			`keys "azurepolicy" (line 14) and "azurePolicy" (line 14) in properties.addonProfiles`},
		{"REST body: a pool's key twice",
			restBody("", `"agentPoolProfiles": [{"name": "system", "mode": "System", "osType": "Linux", "enableNodePublicIP": false, "enableNodePublicIP": true}],`),
			`in properties.agentPoolProfiles[0] (lines 13 and 13)`},
		{"REST list",
			`{"value": [` + rbac(restBody("", pools), `"enableRbac": false,`) + `]}`,
			`in value[0].properties`},
		{"ARM template resource",
			armTemplate("2025-10-01", "", `"enableRbac": false, `),
			`keys "enableRbac" (line 9) and "enableRBAC" (line 9) in resources[0].properties`},
		{"ARM template: the resource type twice",
			strings.Replace(armTemplate("2025-10-01", "", ""), `"apiVersion"`, `"type": "Microsoft.Storage/storageAccounts", "apiVersion"`, 1),
			`key "type" is given twice in resources[0]`},
		{"a key with a line break, in a path",
			restBody("", pools+"\n"+`"extra": {"a\nb": {"x": 1, "X": 2}},`),
			`keys "x" (line 14) and "X" (line 14) in properties.extra.a?b are the same key`},
		{"the same value twice is accepted",
			azShow("\"enableRbac\": true,\n\"enableRBAC\": true,\n" + pools),
			""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, rs := scanInputs(t, map[string]string{"c.json": tc.body, "canary.json": canaryCluster()})
			if !judged(rs, "canary") {
				t.Error("the canary cluster in the other file was not judged")
			}
			var errs []string
			for _, e := range inv.Errors {
				errs = append(errs, e.Error())
			}
			if tc.err == "" {
				if len(errs) != 0 {
					t.Fatalf("input errors %q, want none", errs)
				}
				if !judged(rs, "c") {
					t.Error("the cluster was not judged")
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0], tc.err) || !strings.Contains(errs[0], "keep one of them") || strings.ContainsAny(errs[0], "\n\r") {
				t.Fatalf("input errors %q, want one containing %q and what to do", errs, tc.err)
			}
			for _, r := range rs {
				if r.Resource.Name == "c" && r.Status == check.Pass {
					t.Errorf("%s passes on c from an input with conflicting keys: %s", r.Control, r.Message)
				}
			}
		})
	}
}

// TestAddonLookalikeNames: an add-on name that only a lower-casing map
// would take for another (U+0130, capital I with dot, lower-cases to "i"
// but is no case variant of it) must not stand in for the real add-on.
func TestAddonLookalikeNames(t *testing.T) {
	pools := `"agentPoolProfiles": [` + linuxPoolDisabled + `],`
	for _, addons := range []string{
		`"addonProfiles": {"azurepolicy": {"enabled": false}, "azurepolİcy": {"enabled": true}},`,
		`"addonProfiles": {"azurepolİcy": {"enabled": true}},`,
	} {
		_, rs := scanInputs(t, map[string]string{"c.json": restBody("", pools+addons), "canary.json": canaryCluster()})
		if !judged(rs, "canary") {
			t.Error("the canary cluster in the other file was not judged")
		}
		found := false
		for _, r := range rs {
			if r.Control == "AKS-GOV-001" && r.Resource.Name == "c" {
				found = true
				if r.Status == check.Pass {
					t.Errorf("%s: AKS-GOV-001 passes: %s", addons, r.Message)
				}
			}
		}
		if !found {
			t.Errorf("%s: no AKS-GOV-001 result", addons)
		}
	}
}

// TestDeepAzureJSON: JSON nested 100,000 levels deep and a template whose
// resources nest past the template limit are input errors naming the file,
// the line and the limit; the canary cluster in another file is judged.
func TestDeepAzureJSON(t *testing.T) {
	deepResources := `{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "hidden", "properties": {"enableRBAC": false}}`
	for i := 0; i < 40; i++ {
		deepResources = `{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d",` + "\n" + `"properties": {"template": {"resources": [` + deepResources + `]}}}`
	}
	tests := []struct {
		name, body, err string
	}{
		{"JSON 100,000 levels deep",
			`{"type": "Microsoft.ContainerService/managedClusters",` + "\n" + `"properties": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
			"deep.json:2: invalid JSON: JSON nested too deeply: more than 512 levels"},
		{"template resources 40 levels deep",
			`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [` + deepResources + `]}`,
			"deep.json:34: resources nested more than 32 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, rs := scanInputs(t, map[string]string{"deep.json": tc.body, "canary.json": canaryCluster()})
			if !judged(rs, "canary") {
				t.Error("the canary cluster in the other file was not judged")
			}
			if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Error(), tc.err) {
				t.Fatalf("input errors %v, want one containing %q", inv.Errors, tc.err)
			}
			for _, r := range rs {
				if r.Resource.Name == "hidden" {
					t.Errorf("%s judged the cluster below the limit: %s", r.Control, r.Status)
				}
			}
		})
	}
}

// TestCompanionWrongTypes: a value of the wrong JSON type in companion data
// (a registry, a diagnostic setting, the Defender plan) is an input error
// naming the line, never a pass; the canary cluster is still judged.
func TestCompanionWrongTypes(t *testing.T) {
	registry := func(props string) string {
		return `{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr", "name": "acr",
"type": "Microsoft.ContainerRegistry/registries", "properties": {"loginServer": "acr.azurecr.io", ` + props + `}}`
	}
	diag := func(logs string) string {
		return `{"value": [{"id": "` + testClusterID + `/providers/Microsoft.Insights/diagnosticSettings/d", "name": "d",
"type": "Microsoft.Insights/diagnosticSettings", "properties": {"workspaceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w",
"logs": ` + logs + `}}]}`
	}
	tests := []struct {
		name, file, body, err string
		noPass                []string
	}{
		{"registry admin user of the wrong type", "acr.json",
			registry(`"adminUserEnabled": "yes", "publicNetworkAccess": "Disabled", "privateEndpointConnections": [{"id": "pe"}]`),
			`properties.adminUserEnabled is a string ("yes"), not a boolean`, []string{"AKS-IMG-003"}},
		{"registry private endpoints not a list", "acr.json",
			registry(`"adminUserEnabled": false, "publicNetworkAccess": "Disabled", "privateEndpointConnections": {"id": "pe"}`),
			`properties.privateEndpointConnections is an object, not a list`, []string{"AKS-IMG-003"}},
		{"diagnostic logs not a list", "diagnostic-settings.json",
			diag(`{"categoryGroup": "allLogs", "enabled": true}`),
			`properties.logs is an object, not a list`, nil},
		{"a diagnostic log entry not an object", "diagnostic-settings.json",
			diag(`["kube-audit"]`),
			`properties.logs[0] is a string ("kube-audit"), not an object`, nil},
		{"Defender tier of the wrong type", "pricing.json",
			`{"id": "/subscriptions/s/providers/Microsoft.Security/pricings/Containers", "name": "Containers", "type": "Microsoft.Security/pricings", "properties": {"pricingTier": 7}}`,
			`properties.pricingTier is a number ("7"), not a string`, []string{"AKS-MON-005"}},
	}
	pools := `"agentPoolProfiles": [` + linuxPoolDisabled + `],`
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, rs := scanInputs(t, map[string]string{"c.json": restBody("", pools), tc.file: tc.body, "canary.json": canaryCluster()})
			if !judged(rs, "canary") {
				t.Error("the canary cluster in the other file was not judged")
			}
			if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Error(), tc.file+":") || !strings.Contains(inv.Errors[0].Error(), "fix the input to hold") {
				t.Fatalf("input errors %v, want one naming %s:line and what to do", inv.Errors, tc.file)
			}
			if !strings.Contains(inv.Errors[0].Error(), tc.err) {
				t.Errorf("input error %v, want %q", inv.Errors[0], tc.err)
			}
			noPass := tc.noPass
			if strings.HasPrefix(tc.file, "diag") {
				noPass = []string{"AKS-MON-002", "AKS-MON-003", "AKS-MON-004"}
			}
			for _, r := range rs {
				for _, id := range noPass {
					if r.Control == id && r.Resource.Name != "canary" && r.Status == check.Pass {
						t.Errorf("%s passes on %s: %s", id, r.Resource.Name, r.Message)
					}
				}
			}
		})
	}
}
