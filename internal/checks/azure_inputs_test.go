package checks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

const testClusterID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"

// restBody is an ARM REST GET body of a hardened cluster; props replaces
// the whole properties value when set, extra is spliced into properties.
func restBody(props, extra string) string {
	if props == "" {
		props = `{
    "kubernetesVersion": "1.36.3", "currentKubernetesVersion": "1.36.3",
    "enableRBAC": true, "disableLocalAccounts": true,
    "aadProfile": {"managed": true, "enableAzureRBAC": true, "adminGroupObjectIDs": ["g"]},
    "apiServerAccessProfile": {"enablePrivateCluster": true},
    "networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium", "outboundType": "userDefinedRouting"},
    "autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"},
    "linuxProfile": {"adminUsername": "azureuser", "ssh": {"publicKeys": [{"keyData": "ssh-rsa AAAA"}]}},
    ` + extra + `
    "dnsPrefix": "c"
  }`
	}
	return `{
  "id": "` + testClusterID + `",
  "name": "c", "location": "westeurope",
  "type": "Microsoft.ContainerService/managedClusters",
  "properties": ` + props + `
}
`
}

// azShow is `az aks show -o json` (flattened, az casing) with extra keys.
func azShow(extra string) string {
	return `{
  "id": "` + testClusterID + `",
  "name": "c", "location": "westeurope", "resourceGroup": "rg",
  "type": "Microsoft.ContainerService/ManagedClusters",
  "kubernetesVersion": "1.36.3", "currentKubernetesVersion": "1.36.3",
  "apiServerAccessProfile": {"enablePrivateCluster": true},
  ` + extra + `
  "dnsPrefix": "c"
}
`
}

const linuxPoolDisabled = `{"name": "system", "mode": "System", "osType": "Linux", "enableEncryptionAtHost": true, "securityProfile": {"sshAccess": "Disabled"}}`

// scanInputs writes the files into a directory and scans it.
func scanInputs(t *testing.T, files map[string]string) (*inventory.Inventory, []check.Result) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inv := source.Load([]string{dir}, source.Options{})
	return inv, engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
}

type wantVerdict struct {
	control string
	status  check.Status
	msg     string // substring of the message or evidence of one of the control's results with that status ("" = any)
}

// TestAzureInputVerdicts runs reproducer inputs for issue #8 (empty or
// unreadable pool lists, malformed bodies, API-version dependent defaults,
// old API versions) through the real loader and engine.
func TestAzureInputVerdicts(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []wantVerdict
		// errs are substrings of the input errors expected, in order
		// ("file:line: message" as printed).
		errs []string
		// noPass lists controls that must not pass.
		noPass []string
	}{
		{
			name:  "empty pool list with an SSH key",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": [],`)},
			want: []wantVerdict{
				{"AKS-NOD-001", check.Fail, "lists no Linux pool that disables SSH"},
				{"AKS-NOD-002", check.NotAssessed, "lists no node pools"},
				{"AKS-NOD-003", check.NotAssessed, "properties.agentPoolProfiles is empty or missing"},
				{"AKS-NET-003", check.NotAssessed, "lists no node pools"},
				{"AKS-UPG-006", check.NotAssessed, "lists no node pools"},
				{"AKS-UPG-007", check.NotAssessed, "lists no node pools"},
			},
		},
		{
			name:  "pool list missing from az output, no SSH key",
			files: map[string]string{"c.json": azShow(`"enableRbac": true,`)},
			want: []wantVerdict{
				{"AKS-NOD-001", check.Pass, "no SSH public key"},
				{"AKS-NOD-003", check.NotAssessed, "agentPoolProfiles is empty or missing"},
				{"AKS-NET-003", check.NotAssessed, "lists no node pools"},
			},
		},
		{
			name:  "SSH key and only Windows pools listed",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": [{"name": "win", "mode": "User", "osType": "Windows", "enableEncryptionAtHost": true}],`)},
			want:  []wantVerdict{{"AKS-NOD-001", check.Fail, "none of them Linux"}},
		},
		{
			name:  "SSH key and every Linux pool disables SSH",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`],`)},
			want:  []wantVerdict{{"AKS-NOD-001", check.Pass, "every Linux pool disables SSH"}, {"AKS-NET-003", check.Pass, ""}},
		},
		{
			name:  "pool list is an object",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": {"name": "system"},`)},
			want: []wantVerdict{
				{"AKS-NET-003", check.NotAssessed, "properties.agentPoolProfiles is an object, not a list"},
				{"AKS-NOD-001", check.NotAssessed, "cannot be enumerated"},
				{"AKS-NOD-003", check.NotAssessed, "cannot be enumerated"},
			},
			errs: []string{"c.json:13: properties.agentPoolProfiles is an object, not a list"},
		},
		{
			name:  "a pool the reader cannot read",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`, "userpool"],`)},
			want: []wantVerdict{
				{"AKS-NET-003", check.NotAssessed, `properties.agentPoolProfiles[1] is a string ("userpool"), not an object`},
				{"AKS-NOD-003", check.NotAssessed, "cannot be enumerated"},
			},
			errs:   []string{"c.json:13: properties.agentPoolProfiles[1] is a string"},
			noPass: []string{"AKS-NET-003", "AKS-NOD-001", "AKS-NOD-002", "AKS-NOD-003", "AKS-UPG-006", "AKS-UPG-007"},
		},
		{
			name: "a standalone agent pool whose properties is not an object",
			files: map[string]string{
				"c.json": restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`],`),
				"agentpools.json": `{"value": [{"id": "` + testClusterID + `/agentPools/user", "name": "user",
  "type": "Microsoft.ContainerService/managedClusters/agentPools", "properties": "Succeeded"}]}`,
			},
			want: []wantVerdict{
				{"AKS-NET-003", check.NotAssessed, `properties is a string ("Succeeded"), not an object`},
				{"AKS-NOD-003", check.NotAssessed, ""},
			},
			errs:   []string{`agentpools.json:2: properties is a string ("Succeeded"), not an object`},
			noPass: []string{"AKS-NET-003", "AKS-NOD-003"},
		},
		{
			name:   "properties is a string",
			files:  map[string]string{"c.json": restBody(`"Succeeded"`, "")},
			want:   []wantVerdict{{"AKS-ACC-006", check.NotAssessed, ""}, {"AKS-NET-003", check.NotAssessed, ""}, {"AKS-NET-007", check.NotAssessed, ""}},
			errs:   []string{`c.json:5: properties is a string ("Succeeded"), not an object`},
			noPass: azureClusterControls(),
		},
		{
			name:   "properties is null",
			files:  map[string]string{"c.json": restBody(`null`, "")},
			want:   []wantVerdict{{"AKS-ACC-006", check.NotAssessed, ""}, {"AKS-ACC-001", check.NotAssessed, ""}},
			errs:   []string{"c.json:5: properties is null, not an object"},
			noPass: azureClusterControls(),
		},
		{
			name:  "a profile of the wrong type",
			files: map[string]string{"c.json": restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`], "securityProfile": ["defender"],`)},
			want: []wantVerdict{
				{"AKS-IMG-005", check.NotAssessed, "properties.securityProfile is an array, not an object"},
				{"AKS-ACC-001", check.Pass, ""},
			},
			errs: []string{"c.json:13: properties.securityProfile is an array, not an object"},
		},
		{
			name:  "a boolean of the wrong type",
			files: map[string]string{"c.json": strings.Replace(restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`],`), `"enableRBAC": true`, `"enableRBAC": "yes"`, 1)},
			want:  []wantVerdict{{"AKS-ACC-006", check.NotAssessed, `properties.enableRBAC is a string ("yes"), not a boolean`}},
			errs:  []string{"c.json:7: properties.enableRBAC is a string"},
		},
		{
			name:  "add-on map of the wrong type",
			files: map[string]string{"c.json": restBody("", `"addonProfiles": [], "agentPoolProfiles": [`+linuxPoolDisabled+`],`)},
			want:  []wantVerdict{{"AKS-NET-007", check.NotAssessed, "properties.addonProfiles is an array, not an object"}},
			errs:  []string{"c.json:13: properties.addonProfiles is an array"},
		},
		{
			name:  "a template expression that resolves to the wrong type",
			files: map[string]string{"t.json": armTemplate("2025-10-01", "", `"apiServerAccessProfile": "[parameters('range')]",`)},
			want:  []wantVerdict{{"AKS-ACC-001", check.NotAssessed, `properties.apiServerAccessProfile is a string ("203.0.113.0/24"), not an object`}},
			errs:  []string{`t.json:9: properties.apiServerAccessProfile is a string ("203.0.113.0/24"), not an object`},
		},
		{
			name:  "az output without enableRbac",
			files: map[string]string{"c.json": azShow(`"agentPoolProfiles": [` + linuxPoolDisabled + `],`)},
			want:  []wantVerdict{{"AKS-ACC-006", check.NotAssessed, "enableRBAC is not in this deployed cluster's body"}},
		},
		{
			name:  "REST body without enableRBAC",
			files: map[string]string{"c.json": strings.Replace(restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`],`), `"enableRBAC": true,`, "", 1)},
			want:  []wantVerdict{{"AKS-ACC-006", check.NotAssessed, "early clusters were created without Kubernetes RBAC"}},
		},
		{
			name:  "template without enableRBAC deploys with today's default",
			files: map[string]string{"t.json": armTemplate("2025-10-01", `"enableRBAC"`, "")},
			want:  []wantVerdict{{"AKS-ACC-006", check.Pass, "by default"}},
		},
		{
			name: "2019-06-01 REST body keeps authorized ranges at properties.apiServerAuthorizedIPRanges",
			files: map[string]string{"c.json": strings.Replace(restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`], "apiServerAuthorizedIPRanges": ["203.0.113.0/24"],`),
				`"apiServerAccessProfile": {"enablePrivateCluster": true},`, "", 1)},
			want: []wantVerdict{{"AKS-ACC-001", check.Pass, "restricted to 1 authorized range"}, {"AKS-ACC-002", check.Pass, ""}},
		},
		{
			name: "2019-06-01 REST body with an open range",
			files: map[string]string{"c.json": strings.Replace(restBody("", `"agentPoolProfiles": [`+linuxPoolDisabled+`], "apiServerAuthorizedIPRanges": ["0.0.0.0/0"],`),
				`"apiServerAccessProfile": {"enablePrivateCluster": true},`, "", 1)},
			want: []wantVerdict{{"AKS-ACC-001", check.Fail, "0.0.0.0/0 admits the whole internet"}},
		},
		{
			name:  "2019-04-01 template keeps authorized ranges at properties.apiServerAuthorizedIPRanges",
			files: map[string]string{"t.json": armTemplate("2019-04-01", "", `"apiServerAuthorizedIPRanges": ["[parameters('range')]"],`)},
			want:  []wantVerdict{{"AKS-ACC-001", check.Pass, "restricted to 1 authorized range"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, rs := scanInputs(t, tc.files)
			var errs []string
			for _, e := range inv.Errors {
				errs = append(errs, e.Error())
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("input errors %q, want %d like %q", errs, len(tc.errs), tc.errs)
			}
			for i, want := range tc.errs {
				if !strings.Contains(errs[i], want) || !strings.Contains(errs[i], "fix the input to hold") {
					t.Errorf("input error %q, want it to contain %q and say what to do", errs[i], want)
				}
			}
			for _, w := range tc.want {
				var got []string
				found := false
				for _, r := range rs {
					if r.Control != w.control {
						continue
					}
					text := r.Message
					for _, e := range r.Evidence {
						text += " | " + e.Path + ": " + e.Value
					}
					got = append(got, string(r.Status)+": "+text)
					if r.Status == w.status && strings.Contains(text, w.msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: want %s %q, got %q", w.control, w.status, w.msg, got)
				}
			}
			for _, id := range tc.noPass {
				for _, r := range rs {
					if r.Control == id && r.Status == check.Pass {
						t.Errorf("%s passes: %s", id, r.Message)
					}
				}
			}
		})
	}
}

// azureClusterControls are the controls judged from the cluster body alone.
func azureClusterControls() []string {
	var out []string
	for _, c := range check.All() {
		if len(c.Inputs) == 1 && c.Inputs[0] == check.AZ {
			out = append(out, c.ID)
		}
	}
	return out
}

// armTemplate is a template with one public cluster resource of the given
// apiVersion; drop names a property to leave out, extra is spliced into
// properties.
func armTemplate(apiVersion, drop, extra string) string {
	props := []string{
		`"kubernetesVersion": "1.36.3"`, `"enableRBAC": true`, `"dnsPrefix": "c"`,
		`"agentPoolProfiles": [{"name": "system", "mode": "System", "osType": "Linux", "count": 1}]`,
	}
	var kept []string
	for _, p := range props {
		if drop == "" || !strings.HasPrefix(p, drop) {
			kept = append(kept, p)
		}
	}
	return `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"range": {"type": "string", "defaultValue": "203.0.113.0/24"}},
  "resources": [{
    "type": "Microsoft.ContainerService/managedClusters",
    "apiVersion": "` + apiVersion + `",
    "name": "c", "location": "westeurope",
    "properties": {` + extra + strings.Join(kept, ", ") + `}
  }]
}
`
}

// nodesYAML lists Nodes of pool "system" with the node image label.
func nodesYAML(images ...string) string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	for i, img := range images {
		b.WriteString("- apiVersion: v1\n  kind: Node\n  metadata:\n    name: aks-system-" + string(rune('0'+i)) + "\n    labels:\n")
		b.WriteString("      kubernetes.azure.com/agentpool: system\n      kubernetes.io/os: linux\n")
		if img != "" {
			b.WriteString("      kubernetes.azure.com/node-image-version: " + img + "\n")
		}
	}
	return b.String()
}

// TestUPG007NodeImageLabel: the node image is also read from the Nodes'
// kubernetes.azure.com/node-image-version label, for pools whose Azure input
// does not state it (templates) and for a Kubernetes-only scan.
func TestUPG007NodeImageLabel(t *testing.T) {
	const fresh, stale = "AKSUbuntu-2204gen2containerd-202611.10.0", "AKSUbuntu-2204gen2containerd-202608.01.0"
	tests := []struct {
		name  string
		files map[string]string
		want  wantVerdict
	}{
		{"template pool, fresh Node image", map[string]string{"t.json": armTemplate("2025-10-01", "", ""), "nodes.yaml": nodesYAML(fresh)},
			wantVerdict{"AKS-UPG-007", check.Pass, "Node/aks-system-0 metadata.labels[kubernetes.azure.com/node-image-version]: " + fresh}},
		{"template pool, one Node left on an old image", map[string]string{"t.json": armTemplate("2025-10-01", "", ""), "nodes.yaml": nodesYAML(fresh, stale)},
			wantVerdict{"AKS-UPG-007", check.Fail, "node image built 2026-08-01 is 115 days old"}},
		{"template pool, Nodes without the label", map[string]string{"t.json": armTemplate("2025-10-01", "", ""), "nodes.yaml": nodesYAML("")},
			wantVerdict{"AKS-UPG-007", check.NotAssessed, "no Node of pool system in the Kubernetes input carries"}},
		{"Kubernetes input only, stale", map[string]string{"nodes.yaml": nodesYAML(stale)},
			wantVerdict{"AKS-UPG-007", check.Fail, "pool system: node image built 2026-08-01"}},
		{"Kubernetes input only, stale: the fix names the pool, not the scope", map[string]string{"nodes.yaml": nodesYAML(stale)},
			wantVerdict{"AKS-UPG-007", check.Fail, "fix: az aks nodepool upgrade -g <resource-group> --cluster-name <cluster> -n <pool> --node-image-only, for pool system"}},
		{"Kubernetes input only, fresh", map[string]string{"nodes.yaml": nodesYAML(fresh)},
			wantVerdict{"AKS-UPG-007", check.Pass, "pool system: node image built 2026-11-10"}},
		{"Kubernetes input only, no label", map[string]string{"nodes.yaml": nodesYAML("")},
			wantVerdict{"AKS-UPG-007", check.NotAssessed, "no Node in the Kubernetes input carries"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, rs := scanInputs(t, tc.files)
			if len(inv.Errors) > 0 {
				t.Fatalf("input errors %v", inv.Errors)
			}
			var got []string
			for _, r := range rs {
				if r.Control != tc.want.control {
					continue
				}
				text := r.Message
				for _, e := range r.Evidence {
					text += " | " + e.Path + ": " + e.Value
				}
				text += " | fix: " + r.Remediation
				got = append(got, string(r.Status)+": "+text)
				if r.Status == tc.want.status && strings.Contains(text, tc.want.msg) {
					return
				}
			}
			t.Errorf("want %s %q, got %q", tc.want.status, tc.want.msg, got)
		})
	}
}
