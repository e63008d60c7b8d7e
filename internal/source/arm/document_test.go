package arm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

func decodeFile(t *testing.T, name string) *inventory.Batch {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/companions", name))
	if err != nil {
		t.Fatal(err)
	}
	root, err := jsontree.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return Decode(root, name)
}

func TestDecodeCompanions(t *testing.T) {
	const cid = "/subscriptions/s1/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1"
	t.Run("az aks get-upgrades", func(t *testing.T) {
		b := decodeFile(t, "az-get-upgrades.json")
		if len(b.UpgradeProfiles) != 1 || b.UpgradeProfiles[0].ClusterID != cid || strings.Join(b.UpgradeProfiles[0].ControlPlane, ",") != "1.35.7,1.34.10" {
			t.Fatalf("%+v", b.UpgradeProfiles)
		}
	})
	t.Run("REST upgrade profile without upgrades", func(t *testing.T) {
		b := decodeFile(t, "rest-upgrade-no-upgrades.json")
		if len(b.UpgradeProfiles) != 1 || len(b.UpgradeProfiles[0].ControlPlane) != 0 || len(b.PoolUpgrades) != 1 || b.PoolUpgrades[0].Pool != "nodepool1" {
			t.Fatalf("%+v %+v", b.UpgradeProfiles, b.PoolUpgrades)
		}
	})
	t.Run("az aks nodepool get-upgrades", func(t *testing.T) {
		b := decodeFile(t, "az-nodepool-get-upgrades.json")
		if len(b.PoolUpgrades) != 1 {
			t.Fatalf("%+v", b)
		}
		pu := b.PoolUpgrades[0]
		if pu.ClusterID != cid || pu.Pool != "nodepool1" || pu.Profile.LatestNodeImageVersion != "AKSUbuntu-2204gen2containerd-202611.03.0" {
			t.Fatalf("%+v", pu)
		}
	})
	t.Run("az aks get-versions", func(t *testing.T) {
		b := decodeFile(t, "az-get-versions.json")
		if len(b.Versions) != 1 || len(b.Versions[0].Minors) != 2 {
			t.Fatalf("%+v", b.Versions)
		}
		m := b.Versions[0].Minors[0]
		if m.Version != "1.35" || strings.Join(m.Patches, ",") != "1.35.6,1.35.7" || len(m.SupportPlans) != 2 {
			t.Fatalf("%+v", m)
		}
	})
	t.Run("az ad app show", func(t *testing.T) {
		b := decodeFile(t, "az-ad-app-show.json")
		if len(b.Credentials) != 1 || b.Credentials[0].AppID != "8d3f0c1a-2b4e-4f6a-9c7d-1e2f3a4b5c6d" || len(b.Credentials[0].Credentials) != 1 ||
			b.Credentials[0].Credentials[0].EndDateTime != "2026-12-10T00:00:00Z" {
			t.Fatalf("%+v", b.Credentials)
		}
	})
	t.Run("az ad app credential list", func(t *testing.T) {
		b := decodeFile(t, "az-ad-app-credential-list.json")
		if len(b.Credentials) != 1 || b.Credentials[0].AppID != "" || len(b.Credentials[0].Credentials) != 1 {
			t.Fatalf("%+v", b.Credentials)
		}
	})
	t.Run("REST diagnostic settings list", func(t *testing.T) {
		b := decodeFile(t, "rest-diagnostic-settings.json")
		if len(b.Diagnostics) != 1 {
			t.Fatalf("%+v", b)
		}
		d := b.Diagnostics[0]
		if !strings.EqualFold(d.TargetID, cid) || !d.Setting.HasDestination.Val || len(d.Setting.Logs) != 2 {
			t.Fatalf("%+v", d)
		}
		if l := d.Setting.Logs[1]; l.CategoryGroup != "allLogs" || l.Enabled.Val || !l.Enabled.IsKnown() {
			t.Errorf("log entry %+v", l)
		}
		// The workspace the live audit-log read queries.
		if d.Setting.Workspace != "/subscriptions/s1/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law" {
			t.Errorf("workspace %q", d.Setting.Workspace)
		}
	})
	t.Run("unrelated JSON is skipped", func(t *testing.T) {
		b := decodeFile(t, "unrelated.json")
		if b.Skipped == "" || !b.Empty() {
			t.Fatalf("%+v", b)
		}
	})
}

func TestDecodeEmptyLists(t *testing.T) {
	for _, tt := range []struct {
		file  string
		check func(b *inventory.Batch) bool
	}{
		{"diagnostic-settings.json", func(b *inventory.Batch) bool { return len(b.UnjoinedDiagnostics) == 1 }},
		{"maintenance.json", func(b *inventory.Batch) bool { return len(b.Maintenance) == 1 && b.Maintenance[0].Data.Authoritative }},
		{"things.json", func(b *inventory.Batch) bool { return b.Skipped != "" }},
	} {
		root, _ := jsontree.Parse([]byte("[]"))
		if b := Decode(root, tt.file); !tt.check(b) {
			t.Errorf("%s: %+v", tt.file, b)
		}
	}
}

func TestDecodeAzList(t *testing.T) {
	data, err := os.ReadFile("../../checks/testdata/fixtures/rest-api-specs/02_ManagedClustersGet.200.json")
	if err != nil {
		t.Fatal(err)
	}
	list := "[" + string(data) + "," + string(data) + "]"
	root, err := jsontree.Parse([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	if b := Decode(root, "list.json"); len(b.Clusters) != 2 {
		t.Fatalf("az aks list: %d clusters", len(b.Clusters))
	}
	root, _ = jsontree.Parse([]byte(`{"value": ` + list + `, "nextLink": null}`))
	if b := Decode(root, "list.json"); len(b.Clusters) != 2 {
		t.Fatalf("REST list: %d clusters", len(b.Clusters))
	}
}

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/companions/*.json")
	exports, _ := filepath.Glob("testdata/exports/*.json") // resources[] nested in a cluster
	files = append(files, exports...)
	files = append(files, "../../checks/testdata/fixtures/azure-cli-recordings/c03_test_aks_api_server_authorized_ip_ranges.PUT201.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"type":"Microsoft.ContainerService/managedClusters","properties":{"agentPoolProfiles":[null,1,{"name":2}],"addonProfiles":{"x":null}}}`))
	f.Add([]byte(`{"id":"/subscriptions/s/providers/Microsoft.Security/pricings/Containers","name":"Containers","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}`))
	f.Add([]byte(`{"value":[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c/agentPools/p/","properties":{}}]}`))
	f.Add([]byte(`{"type":"Microsoft.ContainerService/managedClusters","properties":{"enableRBAC":true,"enableRbac":false,"addonProfiles":{"azurepolicy":{"enabled":true},"azurePolicy":{"enabled":true}}}}`))
	// Deep nesting: a cluster whose properties nest as deep as the parser
	// allows, and a list of lists.
	f.Add([]byte(`{"type":"Microsoft.ContainerService/managedClusters","properties":{"networkProfile":` + strings.Repeat(`{"networkProfile":`, 500) + `1` + strings.Repeat(`}`, 501) + `}}`))
	f.Add([]byte(strings.Repeat(`[`, 510) + strings.Repeat(`]`, 510)))
	f.Add([]byte(strings.Repeat(`{"type":"Microsoft.ContainerService/managedClusters","properties":{"agentPoolProfiles":[],"kubernetesVersion":"1"},"resources":[`, 12) + strings.Repeat(`]}`, 12)))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := jsontree.Parse(data)
		if err != nil {
			return
		}
		b := Decode(root, "fuzz.json")
		if len(jsontree.Conflicts(root, 1)) > 0 && (len(b.Clusters) > 0 || len(b.Errors) == 0) {
			t.Fatalf("a document with conflicting keys was read: %d clusters, errors %v", len(b.Clusters), b.Errors)
		}
		for _, c := range b.Clusters {
			_ = c.AddonEnabled("omsagent")
		}
	})
}

func FuzzLoadParameters(f *testing.F) {
	for _, p := range []string{"testdata/templates/hardened.parameters.json", "testdata/templates/unresolvable.parameters.json"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"x": {"value": [1, {"a": null}]}, "s": {"reference": {"keyVault": {"id": "kv"}, "secretName": "s"}}}`))
	f.Add([]byte(`{"parameters": {"x": {"value": 1}, "X": {"value": 2}}}`))
	f.Add([]byte(`{"parameters": {"x": {"value": ` + strings.Repeat(`[`, 505) + strings.Repeat(`]`, 505) + `}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		params, err := LoadParameters(data, "fuzz.parameters.json")
		if err != nil && !strings.Contains(err.Error(), "fuzz.parameters.json") {
			t.Fatalf("error does not name the file: %v", err)
		}
		_ = params
	})
}

func TestDecodePricingAndTypelessChildren(t *testing.T) {
	root, err := jsontree.Parse([]byte(`{"id":"/subscriptions/S1/providers/Microsoft.Security/pricings/Containers","name":"Containers","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b := Decode(root, "pricing.json")
	if len(b.Pricings) != 1 || b.Pricings[0].Subscription != "S1" || b.Pricings[0].Plan != "Containers" || b.Pricings[0].Tier.Val != "Standard" || b.Pricings[0].Tier.Path != "properties.pricingTier" {
		t.Fatalf("pricing %+v", b.Pricings)
	}
	// az security pricing show prints it flattened.
	root, _ = jsontree.Parse([]byte(`{"id":"/subscriptions/S1/providers/Microsoft.Security/pricings/Containers","name":"Containers","pricingTier":"Free","type":"Microsoft.Security/pricings"}`))
	if b := Decode(root, "p.json"); len(b.Pricings) != 1 || b.Pricings[0].Tier.Val != "Free" {
		t.Fatalf("az pricing %+v", b.Pricings)
	}
	// The REST examples of agent pool and maintenance configuration lists
	// carry no type: the ID says what they are.
	cid := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"
	root, _ = jsontree.Parse([]byte(`{"value":[{"name":"p1","id":"` + cid + `/agentPools/p1","properties":{"osType":"Linux"}}]}`))
	if b := Decode(root, "pools.json"); len(b.Pools) != 1 || b.Pools[0].ClusterID != cid || b.Pools[0].Pool.Name != "p1" {
		t.Fatalf("pools %+v", b.Pools)
	}
	root, _ = jsontree.Parse([]byte(`{"value":[{"name":"default","id":"` + cid + `/maintenanceConfigurations/default","properties":{}}]}`))
	if b := Decode(root, "m.json"); len(b.Maintenance) != 1 || !b.Maintenance[0].Data.Authoritative || b.Maintenance[0].Data.Names[0] != "default" {
		t.Fatalf("maintenance %+v", b.Maintenance)
	}
	for id, want := range map[string]string{
		cid + "/agentPools/p1/upgradeProfiles/default":             "microsoft.containerservice/managedclusters/agentpools/upgradeprofiles",
		cid + "/providers/Microsoft.Insights/diagnosticSettings/x": "",
		cid:                 "",
		cid + "/agentPools": "",
	} {
		if got := childTypeOf(id); got != want {
			t.Errorf("childTypeOf(%s) = %q, want %q", id, got, want)
		}
	}
}

// A wrong-type error quotes a short string only when it cannot be a
// secret: never below a key that names one, never a value secretscan
// recognises, never a long one.
func TestWrongTypeErrorsQuoteNoSecret(t *testing.T) {
	tests := []struct {
		props, quoted, hidden string
	}{
		{`"enableRBAC": "yes"`, `properties.enableRBAC is a string ("yes")`, ""},
		{`"servicePrincipalProfile": "hunter2-not-shown"`, "properties.servicePrincipalProfile is a string (value not shown)", "hunter2"},
		{`"enableRBAC": "AKIAIOSFODNN7EXAMPLE"`, "properties.enableRBAC is a string (value not shown)", "AKIA"},
		{`"enableRBAC": "` + strings.Repeat("s3cr3t", 10) + `"`, "properties.enableRBAC is a string (value not shown)", "s3cr3t"},
		{`"securityProfile": {"azureKeyVaultKms": "hunter2"}`, "properties.securityProfile.azureKeyVaultKms is a string (value not shown)", "hunter2"},
	}
	for _, tt := range tests {
		root, err := jsontree.Parse([]byte(`{"type": "Microsoft.ContainerService/managedClusters", "properties": {` + tt.props + `}}`))
		if err != nil {
			t.Fatal(err)
		}
		_, errs := ParseCluster(root, "c.json", inventory.FormatARM, nil)
		if len(errs) != 1 || !strings.Contains(errs[0].Message, tt.quoted) || tt.hidden != "" && strings.Contains(errs[0].Message, tt.hidden) {
			t.Errorf("%s: errors %v, want %q without %q", tt.props, errs, tt.quoted, tt.hidden)
		}
	}
}
