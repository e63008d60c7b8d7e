package arm

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

const tdir = "testdata/templates"

// fixture is one testdata file: its text for locating lines, and its tree.
type fixture struct {
	t     *testing.T
	name  string
	lines []string
	root  *jsontree.Node
}

func loadFixture(t *testing.T, name string) *fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(tdir, name))
	if err != nil {
		t.Fatal(err)
	}
	root, err := jsontree.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, name: name, lines: strings.Split(string(data), "\n"), root: root}
}

// line returns the 1-based line holding marker, which must occur on exactly
// one line.
func (f *fixture) line(marker string) int {
	f.t.Helper()
	found := 0
	for i, l := range f.lines {
		if strings.Contains(l, marker) {
			if found != 0 {
				f.t.Fatalf("%s: marker %q is on lines %d and %d", f.name, marker, found, i+1)
			}
			found = i + 1
		}
	}
	if found == 0 {
		f.t.Fatalf("%s: marker %q not found", f.name, marker)
	}
	return found
}

func (f *fixture) decode(params map[string]*jsontree.Node) *inventory.Batch {
	f.t.Helper()
	if !IsTemplate(f.root) {
		f.t.Fatalf("%s is not recognised as a template", f.name)
	}
	return DecodeTemplate(f.root, f.name, params)
}

func loadParams(t *testing.T, name string) map[string]*jsontree.Node {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(tdir, name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadParameters(data, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fv is a field of any type, for table-driven checks.
type fv struct {
	Val   any
	State inventory.State
	Why   string
	Path  string
	Line  int
}

func view[T any](f inventory.Field[T]) fv {
	return fv{Val: f.Val, State: f.State, Why: f.Why, Path: f.Path, Line: f.Line}
}

type fieldCase struct {
	name  string
	got   fv
	state inventory.State
	val   any    // compared when Known
	path  string // "" = not checked
	line  int    // 0 = not checked
	why   string // substring of Why when Unknown
}

func checkFields(t *testing.T, cases []fieldCase) {
	t.Helper()
	for _, c := range cases {
		g := c.got
		if g.State != c.state {
			t.Errorf("%s: state %d, want %d (%+v)", c.name, g.State, c.state, g)
			continue
		}
		if c.state == inventory.Known && !reflect.DeepEqual(g.Val, c.val) {
			t.Errorf("%s: value %#v, want %#v", c.name, g.Val, c.val)
		}
		if c.path != "" && g.Path != c.path {
			t.Errorf("%s: path %q, want %q", c.name, g.Path, c.path)
		}
		if c.line != 0 && g.Line != c.line {
			t.Errorf("%s: line %d, want %d", c.name, g.Line, c.line)
		}
		if c.state == inventory.Unknown && (g.Why == "" || !strings.Contains(g.Why, c.why)) {
			t.Errorf("%s: reason %q, want one containing %q", c.name, g.Why, c.why)
		}
		if c.state != inventory.Unknown && g.Why != "" {
			t.Errorf("%s: unexpected reason %q", c.name, g.Why)
		}
	}
}

const (
	absent  = inventory.Absent
	known   = inventory.Known
	unknown = inventory.Unknown
)

func TestIsTemplate(t *testing.T) {
	cases := []struct {
		name string
		json string
		want bool
	}{
		{"schema", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, true},
		{"subscription schema", `{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}`, true},
		{"resources without schema", `{"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-09-01", "name": "a"}]}`, true},
		{"export wrapper", `{"template": {"resources": [{"type": "x/y", "apiVersion": "1"}]}, "error": null}`, true},
		{"symbolic names", `{"languageVersion": "2.0", "resources": {"aks": {"type": "x/y", "apiVersion": "1"}}}`, true},
		{"parameters file", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`, false},
		{"az aks show", `{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/a", "type": "Microsoft.ContainerService/ManagedClusters", "agentPoolProfiles": []}`, false},
		{"terraform state", `{"format_version": "1.0", "resources": [{"mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "a", "instances": []}]}`, false},
		{"empty resources", `{"resources": []}`, false},
		{"symbolic without languageVersion", `{"resources": {"aks": {"type": "x/y", "apiVersion": "1"}}}`, false},
		{"array", `[{"type": "x/y", "apiVersion": "1"}]`, false},
	}
	for _, tc := range cases {
		root, err := jsontree.Parse([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if got := IsTemplate(root); got != tc.want {
			t.Errorf("%s: IsTemplate = %v, want %v", tc.name, got, tc.want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(tdir, "*.json"))
	copies, _ := filepath.Glob("testdata/copy/*.json") // copy loops, conditions, hostile counts
	for _, file := range append(files, copies...) {
		data, _ := os.ReadFile(file)
		root, err := jsontree.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		isParams := strings.HasSuffix(file, ".parameters.json")
		if IsTemplate(root) == isParams || IsParametersFile(root) != isParams {
			t.Errorf("%s: IsTemplate %v, IsParametersFile %v", file, IsTemplate(root), IsParametersFile(root))
		}
	}
}

func TestDecodeTemplateInsecure(t *testing.T) {
	f := loadFixture(t, "insecure.json")
	b := f.decode(nil)
	if len(b.Clusters) != 1 || len(b.Errors) != 0 || b.Skipped != "" {
		t.Fatalf("clusters %d, errors %v, skipped %q", len(b.Clusters), b.Errors, b.Skipped)
	}
	c := b.Clusters[0]
	const id = "template:insecure.json#managedClusters/aks-shop-dev"
	if c.ID != id || c.Name != "aks-shop-dev" || c.Format != inventory.FormatARMTemplate || c.Location != "" {
		t.Errorf("cluster %q %q %q location %q", c.ID, c.Name, c.Format, c.Location)
	}
	if c.Source != (inventory.Source{File: "insecure.json", Line: f.line(`"type": "Microsoft.ContainerService/managedClusters",`) - 1}) {
		t.Errorf("source %+v", c.Source)
	}
	checkFields(t, []fieldCase{
		{"KubernetesVersion", view(c.KubernetesVersion), known, "1.29.9", "properties.kubernetesVersion", f.line(`"kubernetesVersion": "[parameters('kubernetesVersion')]"`), ""},
		{"SKUTier", view(c.SKUTier), known, "Free", "sku.tier", f.line(`"tier": "Free"`), ""},
		{"PrivateCluster", view(c.PrivateCluster), known, false, "properties.apiServerAccessProfile.enablePrivateCluster", f.line(`"enablePrivateCluster": false`), ""},
		{"AuthorizedIPRanges", view(c.AuthorizedIPRanges), absent, nil, "properties.apiServerAccessProfile.authorizedIPRanges", 0, ""},
		{"AADProfile", view(c.AADProfile), absent, nil, "properties.aadProfile", 0, ""},
		{"AADManaged", view(c.AADManaged), absent, nil, "properties.aadProfile.managed", 0, ""},
		{"DisableLocalAccounts", view(c.DisableLocalAccounts), known, false, "properties.disableLocalAccounts", f.line(`"disableLocalAccounts": false`), ""},
		{"EnableRBAC", view(c.EnableRBAC), known, true, "properties.enableRBAC", f.line(`"enableRBAC": true`), ""},
		{"IdentityType", view(c.IdentityType), known, "SystemAssigned", "identity.type", f.line(`"type": "SystemAssigned"`), ""},
		{"ServicePrincipalClientID", view(c.ServicePrincipalClientID), known, "msi", "properties.servicePrincipalProfile.clientId", 0, ""},
		{"NetworkPlugin", view(c.NetworkPlugin), known, "kubenet", "properties.networkProfile.networkPlugin", f.line(`"networkPlugin": "[variables('networkPlugin')]"`), ""},
		{"NetworkPolicy", view(c.NetworkPolicy), absent, nil, "properties.networkProfile.networkPolicy", 0, ""},
		{"OutboundType", view(c.OutboundType), known, "loadBalancer", "properties.networkProfile.outboundType", 0, ""},
		{"WorkloadIdentity", view(c.WorkloadIdentity), absent, nil, "properties.securityProfile.workloadIdentity.enabled", 0, ""},
		{"OIDCIssuer", view(c.OIDCIssuer), known, false, "properties.oidcIssuerProfile.enabled", 0, ""},
		{"Defender", view(c.Defender), absent, nil, "properties.securityProfile.defender.securityMonitoring.enabled", 0, ""},
		{"ImageCleaner", view(c.ImageCleaner), absent, nil, "", 0, ""},
		{"KMS", view(c.KMS), absent, nil, "", 0, ""},
		{"UpgradeChannel", view(c.UpgradeChannel), known, "none", "properties.autoUpgradeProfile.upgradeChannel", f.line(`"upgradeChannel": "none"`), ""},
		{"NodeOSUpgradeChannel", view(c.NodeOSUpgradeChannel), known, "None", "", 0, ""},
		{"SSHPublicKeys", view(c.SSHPublicKeys), known, 1, "properties.linuxProfile.ssh.publicKeys", f.line(`"publicKeys": [`), ""},
		{"addon azurepolicy", view(c.AddonEnabled("azurePolicy")), known, false, "properties.addonProfiles.azurepolicy.enabled", 0, ""},
		{"addon keyvault", view(c.AddonEnabled("azurekeyvaultsecretsprovider")), known, false, "", 0, ""},
		{"addon omsagent", view(c.AddonEnabled("omsagent")), known, false, "", 0, ""},
		{"addon httpApplicationRouting", view(c.AddonEnabled("httpApplicationRouting")), known, true, "", f.line(`"enabled": true,`), ""},
	})
	if !c.PoolsKnown || len(c.AgentPools) != 1 {
		t.Fatalf("pools known %v, %d pools", c.PoolsKnown, len(c.AgentPools))
	}
	p := c.AgentPools[0]
	checkFields(t, []fieldCase{
		{"profile name", fv{Val: p.Name, State: known}, known, "nodepool1", "", 0, ""},
		{"profile EnableNodePublicIP", view(p.EnableNodePublicIP), known, true, "", f.line(`"enableNodePublicIP": "[variables('nodePoolDefaults').enableNodePublicIP]"`), ""},
		{"profile OSType", view(p.OSType), known, "Linux", "", f.line(`"osType": "[variables('nodePoolDefaults')['osType']]"`), ""},
		{"profile SSHAccess", view(p.SSHAccess), absent, nil, "", 0, ""},
	})

	// The agentPools resources: the exported copy of nodepool1 and userpool.
	if len(b.Pools) != 2 {
		t.Fatalf("%d pool resources", len(b.Pools))
	}
	for i, want := range []string{"nodepool1", "userpool"} {
		pf := b.Pools[i]
		if pf.ClusterID != id || pf.Pool.Name != want {
			t.Errorf("pool %d: %q in %q", i, pf.Pool.Name, pf.ClusterID)
		}
		checkFields(t, []fieldCase{{want + " EnableNodePublicIP", view(pf.Pool.EnableNodePublicIP), known, true, "properties.enableNodePublicIP", 0, ""}})
	}
	checkFields(t, []fieldCase{
		{"nodepool1 SSHAccess", view(b.Pools[0].Pool.SSHAccess), known, "LocalUser", "properties.securityProfile.sshAccess", f.line(`"sshAccess": "LocalUser"`), ""},
		{"userpool Mode", view(b.Pools[1].Pool.Mode), known, "User", "properties.mode", f.line(`"mode": "User"`), ""},
		{"userpool NodeTaints", view(b.Pools[1].Pool.NodeTaints), known, []string{"workload=shop:NoSchedule"}, "properties.nodeTaints", 0, ""},
	})
	if b.Pools[1].Pool.Source.Line != f.line(`'/userpool')]"`)-3 {
		t.Errorf("userpool source line %d", b.Pools[1].Pool.Source.Line)
	}

	// The diagnostic setting: scope by concat(), kube-audit missing.
	if len(b.Diagnostics) != 1 {
		t.Fatalf("%d diagnostic settings", len(b.Diagnostics))
	}
	d := b.Diagnostics[0]
	if d.TargetID != id || d.Setting.Name != "send-to-log-shop-dev" {
		t.Errorf("diagnostic setting %q → %q", d.Setting.Name, d.TargetID)
	}
	checkFields(t, []fieldCase{{"HasDestination", view(d.Setting.HasDestination), known, true, "properties.workspaceId", f.line(`"workspaceId": "[parameters('workspaces_log_shop_dev_externalid')]"`), ""}})
	var cats []string
	for _, l := range d.Setting.Logs {
		cats = append(cats, l.Category+"="+map[bool]string{true: "on", false: "off"}[l.Enabled.Val])
	}
	if got := strings.Join(cats, ","); got != "kube-apiserver=on,kube-controller-manager=on,kube-scheduler=on,cluster-autoscaler=on,kube-audit-admin=off,guard=on" {
		t.Errorf("logs %s", got)
	}

	if len(b.Maintenance) != 1 || b.Maintenance[0].ClusterID != id || !reflect.DeepEqual(b.Maintenance[0].Data.Names, []string{"default"}) || b.Maintenance[0].Data.Authoritative {
		t.Errorf("maintenance %+v", b.Maintenance)
	}

	if len(b.Registries) != 1 {
		t.Fatalf("%d registries", len(b.Registries))
	}
	r := b.Registries[0]
	if r.Name != "acrshopdev" || r.ID != "template:insecure.json#registries/acrshopdev" {
		t.Errorf("registry %q %q", r.Name, r.ID)
	}
	checkFields(t, []fieldCase{
		{"AdminUserEnabled", view(r.AdminUserEnabled), known, true, "properties.adminUserEnabled", f.line(`"adminUserEnabled": true`), ""},
		{"PublicNetworkAccess", view(r.PublicNetworkAccess), known, "Enabled", "properties.publicNetworkAccess", 0, ""},
		{"PrivateEndpoints", view(r.PrivateEndpoints), absent, nil, "properties.privateEndpointConnections", 0, ""},
	})
}

func TestDecodeTemplateHardened(t *testing.T) {
	f := loadFixture(t, "hardened.json")
	b := f.decode(nil)
	if len(b.Clusters) != 1 || len(b.Errors) != 0 {
		t.Fatalf("clusters %d, errors %v", len(b.Clusters), b.Errors)
	}
	c := b.Clusters[0]
	const id = "template:hardened.json#managedClusters/aks-payments-prod"
	if c.ID != id || c.Name != "aks-payments-prod" {
		t.Errorf("cluster %q %q", c.ID, c.Name)
	}
	checkFields(t, []fieldCase{
		{"SKUTier", view(c.SKUTier), known, "Standard", "sku.tier", f.line(`"tier": "[if(variables('isProd'), 'Standard', 'Free')]"`), ""},
		{"PrivateCluster", view(c.PrivateCluster), known, true, "properties.apiServerAccessProfile.enablePrivateCluster", f.line(`"enablePrivateCluster": "[parameters('privateCluster')]"`), ""},
		{"PrivateClusterPublicFQDN", view(c.PrivateClusterPublicFQDN), known, false, "", 0, ""},
		{"AADProfile", view(c.AADProfile), known, true, "properties.aadProfile", f.line(`"aadProfile": {`), ""},
		{"AADManaged", view(c.AADManaged), known, true, "properties.aadProfile.managed", 0, ""},
		{"AdminGroupObjectIDs", view(c.AdminGroupObjectIDs), known, []string{"6f1f3a5e-8c2b-4d3e-9f10-2a3b4c5d6e7f", "0c4a5b6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d"}, "properties.aadProfile.adminGroupObjectIDs", f.line(`"adminGroupObjectIDs": "[parameters('adminGroupObjectIds')]"`), ""},
		{"AzureRBAC", view(c.AzureRBAC), known, true, "properties.aadProfile.enableAzureRBAC", 0, ""},
		{"DisableLocalAccounts", view(c.DisableLocalAccounts), known, true, "properties.disableLocalAccounts", f.line(`"disableLocalAccounts": "[variables('isProd')]"`), ""},
		{"EnableRBAC", view(c.EnableRBAC), known, true, "", 0, ""},
		{"IdentityType", view(c.IdentityType), known, "UserAssigned", "", 0, ""},
		{"NetworkPlugin", view(c.NetworkPlugin), known, "azure", "", 0, ""},
		{"NetworkPolicy", view(c.NetworkPolicy), known, "azure", "properties.networkProfile.networkPolicy", f.line(`"networkPolicy": "azure"`), ""},
		{"OutboundType", view(c.OutboundType), known, "userDefinedRouting", "", 0, ""},
		{"WorkloadIdentity", view(c.WorkloadIdentity), known, true, "properties.securityProfile.workloadIdentity.enabled", 0, ""},
		{"OIDCIssuer", view(c.OIDCIssuer), known, true, "", 0, ""},
		{"Defender", view(c.Defender), known, true, "properties.securityProfile.defender.securityMonitoring.enabled", f.line(`"enabled": "[parameters('security').defender]"`), ""},
		{"ImageCleaner", view(c.ImageCleaner), known, true, "properties.securityProfile.imageCleaner.enabled", 0, ""},
		{"KMS", view(c.KMS), known, true, "properties.securityProfile.azureKeyVaultKms.enabled", 0, ""},
		{"UpgradeChannel", view(c.UpgradeChannel), known, "stable", "", f.line(`"upgradeChannel": "[if(variables('isProd'), 'stable', 'rapid')]"`), ""},
		{"NodeOSUpgradeChannel", view(c.NodeOSUpgradeChannel), known, "SecurityPatch", "", 0, ""},
		{"SSHPublicKeys", view(c.SSHPublicKeys), absent, nil, "properties.linuxProfile.ssh.publicKeys", 0, ""},
		{"addon azurepolicy", view(c.AddonEnabled("azurepolicy")), known, true, "", 0, ""},
		{"addon keyvault", view(c.AddonEnabled("azureKeyvaultSecretsProvider")), known, true, "", 0, ""},
		{"keyvault rotation", view(c.Addon("azureKeyvaultSecretsProvider").Config["enablesecretrotation"]), known, "True", "properties.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation", f.line(`"enableSecretRotation": "[string(true())]"`), ""},
		{"omsagent workspace", view(c.Addon("omsagent").Config["loganalyticsworkspaceresourceid"]), known, "Microsoft.OperationalInsights/workspaces/log-payments-prod", "", 0, ""},
	})
	// The system pool is built by union(variables(...), createObject(...)).
	if len(c.AgentPools) != 1 {
		t.Fatalf("%d pool profiles", len(c.AgentPools))
	}
	sys := c.AgentPools[0]
	poolLine := f.line(`"[union(variables('commonPool')`)
	if sys.Name != "system" || sys.Source.Line != poolLine {
		t.Errorf("system pool %q at %d", sys.Name, sys.Source.Line)
	}
	checkFields(t, []fieldCase{
		{"system Mode", view(sys.Mode), known, "System", "properties.agentPoolProfiles[0].mode", poolLine, ""},
		{"system NodeTaints", view(sys.NodeTaints), known, []string{"CriticalAddonsOnly=true:NoSchedule"}, "", poolLine, ""},
		// Members that come from the variable keep the variable's lines.
		{"system EnableNodePublicIP", view(sys.EnableNodePublicIP), known, false, "", f.line(`"commonPool": {`) + 3, ""},
		{"system SSHAccess", view(sys.SSHAccess), known, "Disabled", "properties.agentPoolProfiles[0].securityProfile.sshAccess", 0, ""},
		{"system EncryptionAtHost", view(sys.EncryptionAtHost), known, true, "", 0, ""},
	})
	// A nested agentPools child resource.
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != id || b.Pools[0].Pool.Name != "apps" {
		t.Fatalf("pool resources %+v", b.Pools)
	}
	apps := b.Pools[0].Pool
	checkFields(t, []fieldCase{
		{"apps SSHAccess", view(apps.SSHAccess), known, "Disabled", "properties.securityProfile.sshAccess", 0, ""},
		{"apps OSType", view(apps.OSType), known, "Linux", "properties.osType", f.line(`"osType": "[variables('commonPool').osType]"`), ""},
		{"apps EnableNodePublicIP", view(apps.EnableNodePublicIP), known, false, "", 0, ""},
	})
	// Diagnostic setting scoped by resourceId(), allLogs to a workspace.
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != id {
		t.Fatalf("diagnostics %+v", b.Diagnostics)
	}
	ds := b.Diagnostics[0].Setting
	if ds.Name != "aks-to-law" || len(ds.Logs) != 1 || ds.Logs[0].CategoryGroup != "allLogs" || !ds.Logs[0].Enabled.Val {
		t.Errorf("setting %+v", ds)
	}
	checkFields(t, []fieldCase{{"HasDestination", view(ds.HasDestination), known, true, "properties.workspaceId", f.line(`"workspaceId": "[variables('workspaceId')]"`), ""}})
	// Nested maintenance configurations.
	if len(b.Maintenance) != 1 || b.Maintenance[0].ClusterID != id || b.Maintenance[0].Data.Authoritative ||
		!reflect.DeepEqual(b.Maintenance[0].Data.Names, []string{"aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"}) {
		t.Errorf("maintenance %+v", b.Maintenance)
	}
	// A registry with a private endpoint declared in the same template.
	if len(b.Registries) != 1 {
		t.Fatalf("%d registries", len(b.Registries))
	}
	r := b.Registries[0]
	checkFields(t, []fieldCase{
		{"AdminUserEnabled", view(r.AdminUserEnabled), known, false, "", 0, ""},
		{"PublicNetworkAccess", view(r.PublicNetworkAccess), known, "Disabled", "", 0, ""},
		{"PrivateEndpoints", view(r.PrivateEndpoints), known, 1, "Microsoft.Network/privateEndpoints/pe-acrpaymentsprod.properties.privateLinkServiceConnections[0].properties.privateLinkServiceId",
			f.line(`"privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', parameters('acrName'))]"`), ""},
	})
}

// A parameters file overrides defaults: the values change, the lines stay
// those of the template, and the children follow the renamed cluster.
func TestDecodeTemplateParameterOverride(t *testing.T) {
	f := loadFixture(t, "hardened.json")
	params := loadParams(t, "hardened.parameters.json")
	if v, ok := params["registryPassword"]; !ok || v != nil {
		t.Fatalf("a Key Vault reference must be recorded as nil, got %v %v", v, ok)
	}
	b := f.decode(params)
	c := b.Clusters[0]
	const id = "template:hardened.json#managedClusters/aks-payments-dev"
	if c.ID != id || c.Name != "aks-payments-dev" {
		t.Fatalf("cluster %q %q", c.ID, c.Name)
	}
	checkFields(t, []fieldCase{
		{"PrivateCluster", view(c.PrivateCluster), known, false, "properties.apiServerAccessProfile.enablePrivateCluster", f.line(`"enablePrivateCluster": "[parameters('privateCluster')]"`), ""},
		{"AdminGroupObjectIDs", view(c.AdminGroupObjectIDs), known, []string{"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"}, "", f.line(`"adminGroupObjectIDs": "[parameters('adminGroupObjectIds')]"`), ""},
		{"DisableLocalAccounts", view(c.DisableLocalAccounts), known, false, "", 0, ""},
		{"Defender", view(c.Defender), known, false, "", f.line(`"enabled": "[parameters('security').defender]"`), ""},
		{"SKUTier", view(c.SKUTier), known, "Free", "", 0, ""},
		{"UpgradeChannel", view(c.UpgradeChannel), known, "rapid", "", 0, ""},
		{"KubernetesVersion", view(c.KubernetesVersion), known, "1.31.2", "", 0, ""},
	})
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != id || len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != id ||
		len(b.Maintenance) != 1 || b.Maintenance[0].ClusterID != id {
		t.Errorf("children do not follow the cluster: pools %+v diagnostics %+v maintenance %+v", b.Pools, b.Diagnostics, b.Maintenance)
	}
}

func TestDecodeTemplateUnresolvable(t *testing.T) {
	f := loadFixture(t, "unresolvable.json")
	params := loadParams(t, "unresolvable.parameters.json")
	b := f.decode(params)
	if len(b.Clusters) != 2 || len(b.Errors) != 0 {
		t.Fatalf("clusters %d, errors %v", len(b.Clusters), b.Errors)
	}
	// No secure value, given or default, reaches anything the batch holds.
	js, _ := json.Marshal(b)
	for _, secret := range []string{"TOP-SECRET", "d2a7c0f4-default-not-shown"} {
		if strings.Contains(string(js), secret) {
			t.Errorf("batch holds secure value %q", secret)
		}
	}

	c := b.Clusters[0]
	// The name has no default and was not given: a placeholder keeps the
	// children joined.
	const id = "template:unresolvable.json#managedClusters/{parameters('clusterName')}"
	if c.ID != id || c.Name != "{parameters('clusterName')}" {
		t.Errorf("cluster %q %q", c.ID, c.Name)
	}
	checkFields(t, []fieldCase{
		{"PrivateCluster", view(c.PrivateCluster), unknown, nil, "properties.apiServerAccessProfile.enablePrivateCluster", f.line(`"enablePrivateCluster": "[reference(`),
			"unresolved ARM expression [reference(parameters('dnsZoneId'), '2020-06-01').properties.enabled]: reference() is known only when the template is deployed"},
		{"KubernetesVersion", view(c.KubernetesVersion), unknown, nil, "properties.kubernetesVersion", f.line(`"kubernetesVersion": "[resourceGroup()`), "resourceGroup() is known only"},
		{"AdminGroupObjectIDs", view(c.AdminGroupObjectIDs), unknown, nil, "properties.aadProfile.adminGroupObjectIDs", f.line(`"adminGroupObjectIDs": "[parameters('adminGroupIds')]"`),
			"parameter 'adminGroupIds' has no default value and none was given"},
		{"AADManaged", view(c.AADManaged), known, true, "", 0, ""},
		{"AuthorizedIPRanges", view(c.AuthorizedIPRanges), unknown, nil, "properties.apiServerAccessProfile.authorizedIPRanges", 0, "parameter 'officeRange' is not declared"},
		{"ServicePrincipalClientID", view(c.ServicePrincipalClientID), unknown, nil, "properties.servicePrincipalProfile.clientId", 0, "parameter 'spClientId' is secure (securestring)"},
		{"NetworkPolicy", view(c.NetworkPolicy), unknown, nil, "properties.networkProfile.networkPolicy", 0, "refers to itself"},
		{"NetworkPlugin", view(c.NetworkPlugin), known, "azure", "", 0, ""},
		{"OutboundType (escaped literal)", view(c.OutboundType), known, "[literally-bracketed]", "", 0, ""},
		{"EnableRBAC", view(c.EnableRBAC), known, true, "", 0, ""},
		{"WorkloadIdentity", view(c.WorkloadIdentity), unknown, nil, "properties.securityProfile", f.line(`"securityProfile": "[variables('notDefined')]"`), "variable 'notDefined' is not defined"},
		{"Defender", view(c.Defender), unknown, nil, "", 0, "variable 'notDefined' is not defined"},
		{"azurepolicy", view(c.AddonEnabled("azurepolicy")), unknown, nil, "", 0, "uniqueString() is known only"},
	})
	// agentPoolProfiles is a variable built by a variable copy loop.
	if !c.PoolsKnown || len(c.AgentPools) != 2 || c.AgentPools[0].Name != "pool0" || c.AgentPools[1].Name != "pool1" {
		t.Errorf("pools known %v (%q): %d pools", c.PoolsKnown, c.PoolsUnknown, len(c.AgentPools))
	}
	// properties itself unresolved: every setting is Unknown, none Absent.
	r := b.Clusters[1]
	if r.Name != "aks-rendered" || r.PoolsKnown {
		t.Errorf("rendered cluster %q pools known %v", r.Name, r.PoolsKnown)
	}
	for _, fc := range []fieldCase{
		{"PrivateCluster", view(r.PrivateCluster), unknown, nil, "properties", 0, "reference() is known only"},
		{"EnableRBAC", view(r.EnableRBAC), unknown, nil, "properties", 0, "reference() is known only"},
		{"NetworkPolicy", view(r.NetworkPolicy), unknown, nil, "properties", 0, "reference() is known only"},
		{"AADProfile", view(r.AADProfile), unknown, nil, "properties", 0, "reference() is known only"},
		{"SSHPublicKeys", view(r.SSHPublicKeys), unknown, nil, "properties", 0, "reference() is known only"},
		{"azurepolicy", view(r.AddonEnabled("azurepolicy")), unknown, nil, "properties", 0, "reference() is known only"},
	} {
		checkFields(t, []fieldCase{fc})
	}
	rv := reflect.ValueOf(*r)
	for i := 0; i < rv.NumField(); i++ {
		if rv.Field(i).Kind() != reflect.Struct {
			continue
		}
		st := rv.Field(i).FieldByName("State")
		if !st.IsValid() || rv.Type().Field(i).Name == "CreatedAt" {
			continue // not a field, or outside properties
		}
		top := map[string]bool{"SKUTier": true, "IdentityType": true}
		if want := unknown; !top[rv.Type().Field(i).Name] && inventory.State(st.Uint()) != want {
			t.Errorf("rendered cluster %s: state %d, want Unknown", rv.Type().Field(i).Name, st.Uint())
		}
	}
	// The pool resource joins the placeholder-named cluster; its unresolved
	// field is Unknown, its literal one Known.
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != id || b.Pools[0].Pool.Name != "spot" {
		t.Fatalf("pools %+v", b.Pools)
	}
	checkFields(t, []fieldCase{
		{"spot EnableNodePublicIP", view(b.Pools[0].Pool.EnableNodePublicIP), unknown, nil, "properties.enableNodePublicIP", f.line(`"enableNodePublicIP": "[parameters('spotPublicIP')]"`), "parameter 'spotPublicIP' is not declared"},
		{"spot Mode", view(b.Pools[0].Pool.Mode), known, "User", "", 0, ""},
	})
	// A diagnostic setting whose properties are unresolved: unknown
	// destination and logs, never "no destination".
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != id {
		t.Fatalf("diagnostics %+v", b.Diagnostics)
	}
	ds := b.Diagnostics[0].Setting
	checkFields(t, []fieldCase{
		{"HasDestination", view(ds.HasDestination), unknown, nil, "properties", 0, "reference() is known only"},
	})
	if len(ds.Logs) != 1 || ds.Logs[0].Category != "*" || !ds.Logs[0].Enabled.IsUnknown() {
		t.Errorf("logs %+v", ds.Logs)
	}
	if len(b.Maintenance) != 1 || b.Maintenance[0].ClusterID != id || !reflect.DeepEqual(b.Maintenance[0].Data.Names, []string{"aksManagedNodeOSUpgradeSchedule"}) {
		t.Errorf("maintenance %+v", b.Maintenance)
	}
}

func TestDecodeTemplateWrappedNested(t *testing.T) {
	f := loadFixture(t, "wrapped-nested.json")
	b := f.decode(nil)
	var names []string
	for _, c := range b.Clusters {
		names = append(names, c.ID)
	}
	// The wrapper's parameters apply; aks-never has a false condition; the
	// inner-scope deployment gets its parameter from the outer scope.
	want := []string{"template:wrapped-nested.json#managedClusters/aks-from-wrapper", "template:wrapped-nested.json#managedClusters/aks-from-wrapper-inner"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("clusters %v, want %v", names, want)
	}
	checkFields(t, []fieldCase{
		{"outer EnableRBAC", view(b.Clusters[0].EnableRBAC), known, false, "properties.enableRBAC", f.line(`"enableRBAC": false,`), ""},
		{"inner DisableLocalAccounts", view(b.Clusters[1].DisableLocalAccounts), known, true, "", f.line(`"disableLocalAccounts": true`), ""},
	})
	// The old nested providers/diagnosticSettings form; the storage-account
	// setting is not about a cluster and is left out.
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != want[0] || b.Diagnostics[0].Setting.Name != "aks-legacy-diag" {
		t.Fatalf("diagnostics %+v", b.Diagnostics)
	}
	ds := b.Diagnostics[0].Setting
	checkFields(t, []fieldCase{{"HasDestination", view(ds.HasDestination), known, true, "properties.storageAccountId", 0, ""}})
	if len(ds.Logs) != 1 || ds.Logs[0].Category != "kube-audit" {
		t.Errorf("logs %+v", ds.Logs)
	}
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != want[1] || b.Pools[0].Pool.Name != "inner1" {
		t.Errorf("pools %+v", b.Pools)
	}
	// A parameters file overrides the wrapper's values.
	over, _ := jsontree.Parse([]byte(`"aks-from-file"`))
	b = f.decode(map[string]*jsontree.Node{"clusterName": over})
	if b.Clusters[0].Name != "aks-from-file" || b.Clusters[1].Name != "aks-from-file-inner" {
		t.Errorf("override: %q %q", b.Clusters[0].Name, b.Clusters[1].Name)
	}
}

func TestDecodeTemplateSymbolic(t *testing.T) {
	f := loadFixture(t, "symbolic.json")
	b := f.decode(nil)
	const id = "template:symbolic.json#managedClusters/aks-{uniqueString(resourceGroup().id)}"
	if len(b.Clusters) != 1 || b.Clusters[0].ID != id {
		t.Fatalf("clusters %+v", b.Clusters)
	}
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != id || b.Pools[0].Pool.Name != "user" {
		t.Errorf("pools %+v", b.Pools)
	}
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != id || b.Diagnostics[0].Setting.Logs[0].CategoryGroup != "audit" {
		t.Errorf("diagnostics %+v", b.Diagnostics)
	}
	if len(b.Registries) != 0 {
		t.Errorf("an existing registry is a reference, not a resource of the template: %+v", b.Registries)
	}
}

func TestDecodeTemplateJoinsAndScopes(t *testing.T) {
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {"n": {"type": "string", "defaultValue": "AKS1"}},
  "resources": [
    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[parameters('n')]", "properties": {}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "full-id",
     "scope": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1", "properties": {"logs": []}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "other-cluster",
     "scope": "[resourceId('Microsoft.ContainerService/managedClusters', 'aks2')]", "properties": {}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "pool-scope",
     "scope": "[resourceId('Microsoft.ContainerService/managedClusters/agentPools', 'aks1', 'p')]", "properties": {}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "broken-scope",
     "scope": "[concat('Microsoft.ContainerService/managedClusters/', ]", "properties": {}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "no-scope", "properties": {}},
    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "1", "name": "[concat(parameters('n'), '/p1')]", "properties": "[createObject('mode', 'User')]"},
    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "1", "name": "aks2/p2"},
    {"type": "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "apiVersion": "1", "name": "[concat(parameters('n'), '/', parameters('undeclared'))]"},
    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[parameters('undeclared')]", "properties": {},
     "resources": [{"type": "maintenanceConfigurations", "apiVersion": "1", "name": "default"}, {"type": "agentPools", "apiVersion": "1", "name": "np"}]}
  ]}`
	root, err := jsontree.Parse([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodeTemplate(root, "j.json", nil)
	const id = "template:j.json#managedClusters/AKS1"
	var got []string
	for _, d := range b.Diagnostics {
		got = append(got, d.Setting.Name+"→"+d.TargetID)
	}
	want := []string{
		"full-id→" + id, // names compare case-insensitively
		"other-cluster→template:j.json#managedClusters/aks2",
		// Unevaluable, names a cluster; the template has two, so it is not
		// guessed (with one cluster it would join that one).
		"broken-scope→template:j.json#managedClusters/[concat('Microsoft.ContainerService/managedClusters/', ]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
	if len(b.Pools) < 2 || b.Pools[0].ClusterID != id || b.Pools[1].ClusterID != "template:j.json#managedClusters/aks2" {
		t.Fatalf("pools %+v", b.Pools)
	}
	checkFields(t, []fieldCase{{"p1 Mode", view(b.Pools[0].Pool.Mode), known, "User", "properties.mode", 0, ""}})
	if p2 := b.Pools[1].Pool; p2.Name != "p2" || p2.Mode.State != absent {
		t.Errorf("pool without properties: %+v", p2)
	}
	// The configuration's name does not evaluate (even with placeholders
	// the undeclared parameter fails), so no name is recorded for it.
	// A nested child of a cluster whose name does not evaluate keeps its own
	// name and joins through its parent.
	broken := "template:j.json#managedClusters/[parameters('undeclared')]"
	if len(b.Maintenance) != 2 || len(b.Maintenance[0].Data.Names) != 0 ||
		b.Maintenance[1].ClusterID != broken || !reflect.DeepEqual(b.Maintenance[1].Data.Names, []string{"default"}) {
		t.Errorf("maintenance %+v", b.Maintenance)
	}
	if len(b.Pools) != 3 || b.Pools[2].ClusterID != broken || b.Pools[2].Pool.Name != "np" {
		t.Errorf("pools %+v", b.Pools)
	}
}

// With one cluster in the template, a child whose cluster cannot be
// evaluated joins it.
func TestDecodeTemplateSingleClusterFallback(t *testing.T) {
	root, err := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [
    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "aks", "properties": {}},
    {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "d", "scope": "[concat('Microsoft.ContainerService/managedClusters/', ]", "properties": {}},
    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "1", "name": "[concat(parameters('undeclared'), '/p')]"}
  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodeTemplate(root, "one.json", nil)
	const id = "template:one.json#managedClusters/aks"
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != id || len(b.Pools) != 1 || b.Pools[0].ClusterID != id {
		t.Errorf("diagnostics %+v pools %+v", b.Diagnostics, b.Pools)
	}
}

func TestDecodeTemplateSkipped(t *testing.T) {
	root, _ := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		"resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st"}]}`))
	if b := DecodeTemplate(root, "st.json", nil); b.Skipped == "" || !b.Empty() {
		t.Errorf("a template without AKS resources must be skipped: %+v", b)
	}
}

func TestLoadParameters(t *testing.T) {
	cases := []struct {
		name string
		data string
		want map[string]string // name → JSON of the value ("nil" for a reference)
		line int
		err  string
	}{
		{name: "deployment parameters file", data: `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "a": {"value": "x"},
    "b": {"value": {"k": [1, true]}},
    "c": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v"}, "secretName": "s"}}
  }
}`, want: map[string]string{"a": `"x"`, "b": `{"k":[1,true]}`, "c": "nil"}},
		{name: "bare object", data: `{"a": {"value": 3}}`, want: map[string]string{"a": `3`}},
		{name: "empty", data: `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`, want: map[string]string{}},
		{name: "not JSON", data: "using 'main.bicep'\nparam a = 1\n", line: 1, err: "not JSON"},
		{name: "syntax error", data: "{\n  \"parameters\": {\n    \"a\": {\"value\": 1,}\n  }\n}", line: 3, err: "invalid JSON"},
		{name: "array", data: `[1]`, line: 1, err: "top level must be an object"},
		{name: "parameters not an object", data: "{\n\"parameters\": [1]\n}", line: 2, err: `"parameters" must be an object`},
		{name: "bare value", data: "{\"parameters\": {\n  \"a\": \"x\"\n}}", line: 2, err: `parameter "a": write {"value": ...}`},
		{name: "neither value nor reference", data: "{\"parameters\": {\n  \"a\": {\"val\": 1}\n}}", line: 2, err: `parameter "a" has neither`},
		{name: "a template", data: `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, line: 1, err: "this is an ARM template"},
		{name: "a parameter given twice", data: "{\"parameters\": {\n  \"privateCluster\": {\"value\": true},\n  \"privateCluster\": {\"value\": false}\n}}", line: 3,
			err: `key "privateCluster" is given twice in parameters (lines 2 and 3) with different values`},
		{name: "parameter spellings that fold together", data: "{\"parameters\": {\n  \"privateCluster\": {\"value\": true},\n  \"PrivateCluster\": {\"value\": false}\n}}", line: 3,
			err: `keys "privateCluster" (line 2) and "PrivateCluster" (line 3) in parameters are the same key to Azure`},
		{name: "the same parameter twice with one value", data: `{"parameters": {"a": {"value": 1}, "A": {"value": 1}}}`, want: map[string]string{"a": `1`, "A": `1`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadParameters([]byte(tc.data), "p.json")
			if tc.err != "" {
				var ie inventory.InputError
				if !errors.As(err, &ie) || ie.Input != "p.json" || ie.Line != tc.line || !strings.Contains(ie.Message, tc.err) {
					t.Fatalf("error %v, want p.json:%d: …%s…", err, tc.line, tc.err)
				}
				if !strings.HasPrefix(err.Error(), "p.json:") {
					t.Errorf("error %q does not start with the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d parameters, want %d", len(got), len(tc.want))
			}
			for k, w := range tc.want {
				v, ok := got[k]
				if !ok {
					t.Fatalf("missing %q", k)
				}
				s := "nil"
				if v != nil {
					js, _ := json.Marshal(v.Interface())
					s = string(js)
				}
				if s != w {
					t.Errorf("%s = %s, want %s", k, s, w)
				}
			}
		})
	}
}

func FuzzDecodeTemplate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(tdir, "*.json"))
	copies, _ := filepath.Glob("testdata/copy/*.json") // copy loops, conditions, hostile counts
	for _, file := range append(files, copies...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"variables": {"a": "[variables('b')]", "b": "[variables('a')]"}, "resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[variables('a')]", "properties": "[variables('b')]"}]}`))
	f.Add([]byte(`{"resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "1", "name": "d", "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "template": {"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[parameters('x')]"}]}}}]}`))
	// Deep nesting: deployments and child resources past
	// maxTemplateNesting, an expression past maxExprDepth, variables
	// chained past maxEvalDepth, and duplicate keys.
	f.Add([]byte(nestedTemplate(maxTemplateNesting+2, false)))
	f.Add([]byte(nestedTemplate(maxTemplateNesting+2, true)))
	f.Add([]byte(`{"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "c", "properties": {"enableRBAC": "[` +
		strings.Repeat("not(", maxExprDepth+2) + "true()" + strings.Repeat(")", maxExprDepth+2) + `]"}}]}`))
	chain := []string{`"v0": true`}
	for i := 1; i <= maxEvalDepth+2; i++ {
		chain = append(chain, fmt.Sprintf(`"v%d": "[variables('v%d')]"`, i, i-1))
	}
	f.Add([]byte(`{"variables": {` + strings.Join(chain, ", ") + fmt.Sprintf(`}, "resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "c", "properties": {"enableRBAC": "[variables('v%d')]"}}]}`, maxEvalDepth+2)))
	f.Add([]byte(`{"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "c", "properties": {"enableRBAC": true, "enableRbac": false}}]}`))
	f.Add([]byte(`{"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[string(copyIndex('x', 1))]", "copy": {"name": "x", "count": 3}, "properties": {"copy": [{"name": "agentPoolProfiles", "count": "[copyIndex()]", "input": {"name": "[copyIndex('agentPoolProfiles')]"}}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := jsontree.Parse(data)
		if err != nil {
			return
		}
		IsTemplate(root)
		IsParametersFile(root)
		b := DecodeTemplate(root, "fuzz.json", nil)
		for _, c := range b.Clusters {
			for _, fc := range []fv{view(c.PrivateCluster), view(c.EnableRBAC), view(c.NetworkPolicy), view(c.AdminGroupObjectIDs), view(c.SSHPublicKeys)} {
				if fc.State == unknown && fc.Why == "" {
					t.Fatalf("an Unknown field without a reason: %+v", fc)
				}
			}
		}
		if _, err := LoadParameters(data, "fuzz.json"); err != nil {
			var ie inventory.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("LoadParameters error is not an InputError: %v", err)
			}
		}
	})
}

// maxAmplificationAlloc bounds what decoding the amplification template may
// allocate in all (the template itself is about 2 MB; decoding it allocates
// about 15 MB).
const maxAmplificationAlloc = 256 << 20

// Large values built once and used many times must not multiply work or
// memory: every amplification path is charged to the file's budget.
func TestDecodeTemplateAmplification(t *testing.T) {
	var vars []string
	vars = append(vars, `"v0": "0123456789abcdef"`)
	for i := 1; i <= 16; i++ { // v16 is 1 MiB
		vars = append(vars, fmt.Sprintf(`"v%d": "[concat(variables('v%d'), variables('v%d'))]"`, i, i-1, i-1))
	}
	members := make([]string, 20000)
	for i := range members {
		members[i] = fmt.Sprintf(`"k%d": %d`, i, i)
	}
	vars = append(vars, `"wide": {`+strings.Join(members, ",")+`}`)
	vars = append(vars, `"bigs": "[createArray(`+strings.TrimSuffix(strings.Repeat("variables('v16'),", 500), ",")+`)]"`)

	var res []string
	for i := 0; i < 3000; i++ {
		switch i % 6 {
		case 0:
			res = append(res, `{"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "1", "name": "d", "scope": "[variables('v16')]", "properties": {}}`)
		case 1:
			res = append(res, `{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "1", "name": "[variables('v16')]", "properties": {"adminUserEnabled": "[equals(variables('v16'), variables('v16'))]"}}`)
		case 2:
			res = append(res, `{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "c", "properties": "[variables('wide')]"}`)
		case 3:
			res = append(res, `{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "1", "name": "r", "properties": {"publicNetworkAccess": "[string(variables('bigs'))]", "adminUserEnabled": "[contains(union(variables('bigs'), variables('bigs')), 'x')]"}}`)
		case 4:
			res = append(res, `{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "1", "name": "r", "properties": {"publicNetworkAccess": "[toLower(format('{0}{0}', variables('v15')))]"}}`)
		default:
			res = append(res, `{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "[variables('v16')]", "properties": {}, "resources": [{"type": "agentPools", "apiVersion": "1", "name": "p", "resources": [{"type": "x", "apiVersion": "1", "name": "y"}]}]}`)
		}
	}
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "variables": {` +
		strings.Join(vars, ",") + `}, "resources": [` + strings.Join(res, ",") + `]}`
	root, err := jsontree.Parse([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	// The bound is the work the evaluator is charged and the memory it
	// allocates, not a clock: both are properties of the code, the same on
	// an idle and on a saturated machine.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, sh := decodeTemplate(root, "big.json", nil, TemplateOptions{})
	runtime.ReadMemStats(&after)
	if sh == nil {
		t.Fatal("the template was not decoded as a template")
	}
	if sh.steps > 2*maxSteps {
		t.Errorf("evaluation steps charged: %d, want the budget (%d) to stop it", sh.steps, maxSteps)
	}
	if sh.bytes > maxBytes {
		t.Errorf("string bytes built: %d, over the budget of %d", sh.bytes, maxBytes)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAmplificationAlloc {
		t.Errorf("decoding allocated %d MB, want at most %d MB", alloc>>20, maxAmplificationAlloc>>20)
	}
	t.Logf("steps %d, string bytes %d, allocated %d MB", sh.steps, sh.bytes, (after.TotalAlloc-before.TotalAlloc)>>20)
	for _, c := range b.Clusters {
		if len(c.ID) > maxNameLen+100 || len(c.Name) > maxNameLen {
			t.Fatalf("a %d-byte cluster name was kept", len(c.Name))
		}
	}
	for _, r := range b.Registries {
		if len(r.ID) > maxNameLen+100 {
			t.Fatalf("a %d-byte registry name was kept", len(r.Name))
		}
	}
}

// nestedTemplate nests n deployments (inline templates) or, with child,
// n levels of child resources, with a cluster at the bottom, beside a
// cluster at the top level.
func nestedTemplate(n int, child bool) string {
	const cluster = `{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "%s", "properties": {"enableRBAC": true}}`
	inner := fmt.Sprintf(cluster, "deep")
	for i := 0; i < n; i++ {
		if child {
			inner = `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "1", "name": "v", "resources": [` + "\n" + inner + `]}`
		} else {
			inner = `{"type": "Microsoft.Resources/deployments", "apiVersion": "1", "name": "d", "properties": {"template": {"resources": [` + "\n" + inner + `]}}}`
		}
	}
	return `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [` +
		fmt.Sprintf(cluster, "top") + ",\n" + inner + `]}`
}

// Resources nested past maxTemplateNesting are not read; that is an input
// error naming the line, not a silent skip (a cluster there would vanish).
// The cluster at the top level is still read.
func TestTemplateNestingLimit(t *testing.T) {
	for _, child := range []bool{false, true} {
		for _, n := range []int{maxTemplateNesting - 1, maxTemplateNesting + 1, 90} {
			root, err := jsontree.Parse([]byte(nestedTemplate(n, child)))
			if err != nil {
				t.Fatal(err)
			}
			b := DecodeTemplate(root, "t.json", nil)
			var names []string
			for _, c := range b.Clusters {
				names = append(names, c.Name)
			}
			if n < maxTemplateNesting {
				if len(b.Errors) != 0 || len(names) != 2 {
					t.Errorf("child %v, %d levels: clusters %q, errors %v", child, n, names, b.Errors)
				}
				continue
			}
			if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Message, "more than 32 levels deep") || b.Errors[0].Line != maxTemplateNesting+2 {
				t.Errorf("child %v, %d levels: errors %v, want one at line %d naming the limit", child, n, b.Errors, maxTemplateNesting+2)
			}
			if len(names) != 1 || names[0] != "top" {
				t.Errorf("child %v, %d levels: clusters %q, want the top-level one", child, n, names)
			}
		}
	}
}

// Variables and parameters whose names only strings.ToLower takes for one
// another (U+0130 lower-cases to "i") are two: the value cached for one is
// never handed out for the other.
func TestLookalikeVariableNames(t *testing.T) {
	root, err := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
"parameters": {"pi": {"type": "bool", "defaultValue": true}, "p\u0130": {"type": "bool", "defaultValue": false}},
"variables": {"rbaci": true, "rbac\u0130": false},
"resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01", "name": "c", "properties": {
  "apiServerAccessProfile": {"enablePrivateCluster": "[variables('rbaci')]", "enablePrivateClusterPublicFQDN": "[parameters('pi')]"},
  "enableRBAC": "[variables('rbac\u0130')]", "disableLocalAccounts": "[parameters('p\u0130')]"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodeTemplate(root, "t.json", nil)
	if len(b.Clusters) != 1 || len(b.Errors) != 0 {
		t.Fatalf("clusters %d, errors %v", len(b.Clusters), b.Errors)
	}
	c := b.Clusters[0]
	if !c.PrivateCluster.IsKnown() || !c.PrivateCluster.Val || !c.PrivateClusterPublicFQDN.Val {
		t.Errorf("private cluster %+v, public FQDN %+v", c.PrivateCluster, c.PrivateClusterPublicFQDN)
	}
	if !c.EnableRBAC.IsKnown() || c.EnableRBAC.Val {
		t.Errorf("enableRBAC %+v, want false from variables('rbac\u0130')", c.EnableRBAC)
	}
	if !c.DisableLocalAccounts.IsKnown() || c.DisableLocalAccounts.Val {
		t.Errorf("disableLocalAccounts %+v, want false from parameters('p\u0130')", c.DisableLocalAccounts)
	}
}

// Two nested deployments deploying the same cluster name (the AVM tests'
// module loops deploy one cluster twice to prove idempotency) are one
// cluster in Azure: the second is read as a view of the first, and the
// template's only-cluster fallback still sees one cluster.
func TestDecodeTemplateDeployedTwice(t *testing.T) {
	nested := func(name string) string {
		return `{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "` + name + `", "properties": {"mode": "Incremental",
      "template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [
        {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "1", "name": "aks", "properties": {"disableLocalAccounts": true}}]}}}`
	}
	root, err := jsontree.Parse([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [
    ` + nested("init") + `, ` + nested("idem") + `,
    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "apiVersion": "1", "name": "[concat(parameters('undeclared'), '/p')]"}
  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	b := DecodeTemplate(root, "twice.json", nil)
	const id = "template:twice.json#managedClusters/aks"
	if len(b.Clusters) != 2 || b.Clusters[0].ID != id || b.Clusters[0].Primary != nil || b.Clusters[1].Primary != b.Clusters[0] || b.Clusters[1].ID == id {
		t.Fatalf("clusters: want the second a view of the first, got %d: %+v", len(b.Clusters), b.Clusters)
	}
	if len(b.Pools) != 1 || b.Pools[0].ClusterID != id {
		t.Errorf("pools %+v: want the only cluster's", b.Pools)
	}
}
