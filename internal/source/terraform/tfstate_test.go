package terraform

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
)

func decodeState(t *testing.T, data []byte, file string) *inventory.Batch {
	t.Helper()
	root, err := jsontree.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !IsStateNode(root) {
		t.Fatalf("%s not recognised as a state file", file)
	}
	return DecodeStateJSON(data, root, file)
}

// TestDecodeStateSameAsShowJSON: testdata/state/terraform.tfstate is the
// raw form of testdata/plan/state.json (`terraform show -json` of the same
// state, converted by a script: one instance per address, sensitive_values
// as sensitive_attributes paths). Both give the same inventory, lines and
// file names aside.
func TestDecodeStateSameAsShowJSON(t *testing.T) {
	raw := decodeState(t, readFile(t, "testdata/state/terraform.tfstate"), "f")
	show := DecodePlanJSON(readFile(t, "testdata/plan/state.json"), "f")
	if len(raw.Errors) != 0 || len(raw.Clusters) != 1 {
		t.Fatalf("errors %v, %d clusters", raw.Errors, len(raw.Clusters))
	}
	lines := regexp.MustCompile(`"(?i:line)":\d+`)
	dump := func(b *inventory.Batch) string {
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return lines.ReplaceAllString(string(js), `"Line":0`)
	}
	if got, want := dump(raw), dump(show); got != want {
		t.Errorf("raw state and show -json differ:\n raw %s\nshow %s", got, want)
	}
	assertNoLeak(t, raw, "secret-kubeconfig-content")
}

// rawState wraps resources in a version 4 state.
func rawState(resources string) string {
	return `{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "l", "outputs": {},
"resources": [` + resources + `]}`
}

const stateCluster = `{"mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "main", %s
 "instances": [%s]}`

func clusterInst(extra string) string {
	return `{"schema_version": 2, %s "attributes": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks%s",
  "name": "aks", "resource_group_name": "rg", "local_account_disabled": false,
  "service_principal": [{"client_id": "sp-client-id-0000", "client_secret": "sp-secret-hunter2"}],
  "default_node_pool": [{"name": "system", "node_public_ip_enabled": true}]}, "sensitive_attributes": %s}`
}

func TestDecodeStateCases(t *testing.T) {
	const m = "azurerm_kubernetes_cluster.main"
	inst := func(index, idSuffix, sens string) string {
		return strings.Replace(strings.Replace(strings.Replace(clusterInst(""), "%s", index, 1), "%s", idSuffix, 1), "%s", sens, 1)
	}
	cluster := func(module, insts string) string {
		return strings.Replace(strings.Replace(stateCluster, "%s", module, 1), "%s", insts, 1)
	}
	secretPath := `[[{"type": "get_attr", "value": "service_principal"}, {"type": "index", "value": {"value": 0, "type": "number"}}, {"type": "get_attr", "value": "client_secret"}]]`
	tests := []struct {
		name     string
		state    string
		addrs    []string          // cluster addresses
		fields   map[string]expect // on the first cluster
		errors   []string          // message fragments
		noLeak   []string
		pools    []string
		poolLine int
	}{
		{
			name:  "one cluster: known values as observed, a sensitive path not read",
			state: rawState(cluster("", inst("", "", secretPath))),
			addrs: []string{m},
			fields: map[string]expect{
				"DisableLocalAccounts":     known("DisableLocalAccounts", false, m+".local_account_disabled"),
				"ServicePrincipalClientID": known("ServicePrincipalClientID", "sp-client-id-0000", ""),
			},
			noLeak: []string{"sp-secret-hunter2"},
			pools:  []string{"system"},
		},
		{
			name:  "a sensitive argument the controls read is unknown",
			state: rawState(cluster("", inst("", "", `[[{"type": "get_attr", "value": "local_account_disabled"}]]`))),
			addrs: []string{m},
			fields: map[string]expect{
				"DisableLocalAccounts": unknown("DisableLocalAccounts", m+".local_account_disabled", "sensitive"),
			},
		},
		{
			name:  "sensitive_attributes in a form not understood: nothing is read",
			state: rawState(cluster("", inst("", "", `[{"path": "local_account_disabled"}]`))),
			addrs: []string{m},
			fields: map[string]expect{
				"DisableLocalAccounts":     unknown("DisableLocalAccounts", "", "sensitive"),
				"ServicePrincipalClientID": unknown("ServicePrincipalClientID", "", "sensitive"),
			},
			noLeak: []string{"sp-client-id-0000", "sp-secret-hunter2"},
		},
		{
			name: "count and for_each instances in a module are addressed as Terraform does; a deposed object is skipped",
			state: rawState(cluster(`"module": "module.aks[\"prod\"]",`, inst(`"index_key": 0,`, "0", "[]")+", "+inst(`"index_key": 1,`, "1", "[]")+", "+
				inst(`"index_key": 1, "deposed": "00abcdef",`, "old", "[]"))),
			addrs: []string{`module.aks["prod"].` + m + "[0]", `module.aks["prod"].` + m + "[1]"},
		},
		{
			name: "a pool joins its cluster by the id the state knows; data sources are not clusters",
			state: rawState(cluster("", inst("", "", "[]")) + `,
{"mode": "data", "type": "azurerm_kubernetes_cluster", "name": "existing", "instances": [{"attributes": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other", "local_account_disabled": true}}]},
{"mode": "managed", "type": "azurerm_kubernetes_cluster_node_pool", "name": "user", "instances": [
 {"index_key": "apps", "attributes": {"name": "apps", "kubernetes_cluster_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks", "node_public_ip_enabled": false}, "sensitive_attributes": []}]}`),
			addrs:    []string{m},
			pools:    []string{"system", "apps"},
			poolLine: 9,
		},
		{
			name:   "format 3 is refused with what to do",
			state:  `{"version": 3, "terraform_version": "0.11.14", "serial": 1, "modules": []}`,
			errors: []string{"state format version 3", "terraform show -json"},
		},
		{
			name:   "an instance in the flat legacy form is an error, not an empty cluster",
			state:  rawState(cluster("", `{"attributes_flat": {"name": "aks"}}`)),
			errors: []string{"azurerm_kubernetes_cluster.main has no attributes object"},
		},
		{
			name:   "a key given twice is refused (the plan reader's pre-pass)",
			state:  rawState(strings.Replace(cluster("", inst("", "", "[]")), `"local_account_disabled": false`, `"local_account_disabled": true, "local_account_disabled": false`, 1)),
			errors: []string{"local_account_disabled"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := decodeState(t, []byte(tt.state), "terraform.tfstate")
			if len(b.Errors) != min(len(tt.errors), 1) {
				t.Fatalf("errors %v, want %v", b.Errors, tt.errors)
			}
			for _, frag := range tt.errors {
				if !strings.Contains(b.Errors[0].Error(), frag) {
					t.Errorf("error %q lacks %q", b.Errors[0].Error(), frag)
				}
			}
			var addrs []string
			for _, c := range b.Clusters {
				addrs = append(addrs, c.TFAddress)
				if c.Format != inventory.FormatTFPlan || c.Source.File != "terraform.tfstate" || c.Source.Line == 0 {
					t.Errorf("format/source %s %+v", c.Format, c.Source)
				}
			}
			if !reflect.DeepEqual(addrs, tt.addrs) {
				t.Fatalf("clusters %v, want %v", addrs, tt.addrs)
			}
			for _, e := range tt.fields {
				checkFields(t, tt.addrs[0], b.Clusters[0], []expect{e})
			}
			if tt.pools != nil {
				if got := poolNames(b.Clusters[0]); !reflect.DeepEqual(got, tt.pools) {
					t.Errorf("pools %v, want %v", got, tt.pools)
				}
			}
			if tt.poolLine != 0 {
				if p := poolByName(t, b.Clusters[0], "apps"); p.Source.Line != tt.poolLine {
					t.Errorf("pool line %d, want %d", p.Source.Line, tt.poolLine)
				}
			}
			assertNoLeak(t, b, tt.noLeak...)
		})
	}
}
