package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestDecodeHCLDirModules(t *testing.T) {
	const main = "azurerm_kubernetes_cluster.main"
	aksFile := filepath.Join("testdata/hcl/modules/aks", "main.tf")
	rootFile := filepath.Join("testdata/hcl/modules/root", "main.tf")
	tests := []struct {
		addr   string
		name   string
		file   string
		line   int
		fields []expect
		pools  []string
		calls  string // the module calls, when checked
	}{
		{
			// name from another module's output, local_account_disabled
			// from a local, sku from an object with optional() defaults
			// whose tier is a local that reads another module's output.
			addr: "module.aks." + main, name: "shop-from-net", file: aksFile, line: 32,
			fields: []expect{
				known("DisableLocalAccounts", true, "module.aks."+main+".local_account_disabled"),
				known("SKUTier", "Standard", ""),
			},
			pools: []string{"system", "batch"}, // batch joins through module.aks.cluster_id
		},
		{
			addr: `module.fleet["prod"].` + main, name: "fleet-prod", file: aksFile, line: 32,
			fields: []expect{known("DisableLocalAccounts", true, ""), known("SKUTier", "Free", "")},
			pools:  []string{"system"},
			calls:  `module.fleet["prod"]@` + rootFile + ":28",
		},
		{
			addr: `module.fleet["dev"].` + main, name: "fleet-dev", file: aksFile, line: 32,
			fields: []expect{known("DisableLocalAccounts", false, `module.fleet["dev"].`+main+".local_account_disabled")},
			pools:  []string{"system"},
		},
		{addr: "module.counted[0]." + main, name: "counted-0", file: aksFile, line: 32, fields: []expect{known("DisableLocalAccounts", false, "")}, pools: []string{"system"}},
		{addr: "module.counted[1]." + main, name: "counted-1", file: aksFile, line: 32, pools: []string{"system"}},
		{
			addr: "module.unknown." + main, name: "unknown", file: aksFile, line: 32,
			fields: []expect{unknown("DisableLocalAccounts", "module.unknown."+main+".local_account_disabled",
				"var.local_account_disabled is set by module.unknown ("+filepath.Join("testdata/hcl/modules/root", "main.tf")+":48) to `data.azurerm_client_config.current.object_id != \"\"`: data.azurerm_client_config.current.object_id is read from Azure at plan time")},
			pools: []string{"system"},
		},
		{
			// count not known offline: read once, and what count.index
			// feeds says why.
			addr: "module.maybe." + main, name: "maybe", file: aksFile, line: 32,
			fields: []expect{unknown("DisableLocalAccounts", "module.maybe."+main+".local_account_disabled",
				"var.local_account_disabled is set by module.maybe ("+rootFile+":86) to `count.index == 0`: count `var.enabled ? 1 : 0`: var.enabled has no default")},
			pools: []string{"system"},
		},
		{
			addr: "module.wrapped.module.inner." + main, name: "shop-inner", file: aksFile, line: 32,
			fields: []expect{known("DisableLocalAccounts", true, "")},
			pools:  []string{"system"},
			calls:  "module.wrapped@" + rootFile + ":54 module.wrapped.module.inner@" + filepath.Join("testdata/hcl/modules/wrapper", "main.tf") + ":6",
		},
		{
			addr: "module.remote.azurerm_kubernetes_cluster.this", name: "aks-remote",
			file: filepath.Join("testdata/hcl/modules/root", ".terraform/modules/remote/main.tf"), line: 2,
			fields: []expect{known("DisableLocalAccounts", true, "module.remote.azurerm_kubernetes_cluster.this.local_account_disabled")},
			pools:  []string{"system"},
		},
	}
	b := DecodeHCLDir("testdata/hcl/modules/root", nil, nil)
	if len(b.Errors) != 0 {
		t.Fatalf("errors %v", b.Errors)
	}
	// The diagnostic setting joins through module.aks.cluster_id.
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].TargetID != "tf:module.aks."+main {
		t.Errorf("diagnostics %+v, want one on module.aks.%s", b.Diagnostics, main)
	}
	var got []string
	for _, c := range b.Clusters {
		got = append(got, c.TFAddress)
	}
	sort.Strings(got)
	var want []string
	for _, tt := range tests {
		want = append(want, tt.addr)
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("clusters\n%s\nwant (module.off has count = 0)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			c := clusterByAddress(t, b, tt.addr)
			if c.ID != "tf:"+tt.addr || c.Name != tt.name {
				t.Errorf("id/name = %q %q, want %q %q", c.ID, c.Name, "tf:"+tt.addr, tt.name)
			}
			if c.Source.File != tt.file || c.Source.Line != tt.line {
				t.Errorf("source %+v, want %s:%d (inside the module)", c.Source, tt.file, tt.line)
			}
			checkFields(t, tt.addr, c, tt.fields)
			if tt.calls != "" {
				var calls []string
				for _, mc := range c.ModuleCalls {
					calls = append(calls, fmt.Sprintf("%s@%s:%d", mc.Address, mc.Source.File, mc.Source.Line))
				}
				if got := strings.Join(calls, " "); got != tt.calls {
					t.Errorf("module calls %q, want %q", got, tt.calls)
				}
				for _, p := range c.AgentPools {
					if len(p.ModuleCalls) != len(c.ModuleCalls) {
						t.Errorf("pool %s: module calls %v", p.Name, p.ModuleCalls)
					}
				}
			}
			if p := poolNames(c); strings.Join(p, ",") != strings.Join(tt.pools, ",") {
				t.Errorf("pools %v, want %v", p, tt.pools)
			}
		})
	}
}

// A variable of a module without a default that the call does not set
// is unknown, naming the call.
func TestDecodeHCLDirModuleVariableNotSet(t *testing.T) {
	b := DecodeHCLDir("testdata/hcl/modargs", nil, nil)
	c := clusterByAddress(t, b, "module.aks.azurerm_kubernetes_cluster.main")
	want := "var.kubernetes_version has no default and module.aks (" + filepath.Join("testdata/hcl/modargs", "main.tf") + ":2) does not set it"
	if c.ResourceGroup != "" || !strings.Contains(c.Name, "module.aks") {
		t.Errorf("name %q, resource group %q: want both unknown", c.Name, c.ResourceGroup)
	}
	checkFields(t, "aks", c, []expect{known("SKUTier", "Free", ""), unknown("KubernetesVersion", "module.aks.azurerm_kubernetes_cluster.main.kubernetes_version", want)})
}

// Modules nested deeper than the bound are an error at the call past it.
func TestDecodeHCLDirModuleNesting(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i <= maxModuleNesting+1; i++ {
		d := filepath.Join(dir, strings.Repeat("m/", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		src := `module "m" {
  source = "./m"
}
`
		if i == maxModuleNesting+1 {
			src = `resource "azurerm_kubernetes_cluster" "deep" {}` + "\n"
		}
		if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := DecodeHCLDir(dir, nil, nil)
	if len(b.Clusters) != 0 || len(b.Errors) != 1 {
		t.Fatalf("clusters %d, errors %v; want the nesting error alone", len(b.Clusters), b.Errors)
	}
	e := b.Errors[0]
	want := strings.TrimSuffix(strings.Repeat("module.m.", maxModuleNesting+1), ".") + ": modules nest deeper than 16 calls"
	if !strings.HasPrefix(e.Message, want) || e.Line != 1 {
		t.Errorf("error %+v, want %q at line 1", e, want)
	}
}

// A module graph that cannot be read is an input error at the call that
// names which call, which source and what to do; the scan goes on.
func TestDecodeHCLDirModuleErrors(t *testing.T) {
	tests := []struct {
		dir  string
		want []string // file:line: message parts, in order
	}{
		{"modcycle/a", []string{
			filepath.Join("testdata/hcl/modcycle/b", "main.tf") + `:1: module.b.module.a: its source "../a" is a module already being read on this path (a cycle)`,
		}},
		{"modself", []string{
			filepath.Join("testdata/hcl/modself", "main.tf") + `:1: module.me: its source "./" is a module already being read on this path (a cycle)`,
			filepath.Join("testdata/hcl/modself", "main.tf") + `:5: module.missing: its source "./nowhere" is no directory here`,
			filepath.Join("testdata/hcl/modself", "main.tf") + `:9: module.git: its source "git::https://example.com/aks.git?ref=v1" is not available locally (no .terraform/modules/modules.json); run ` + "`terraform init`",
		}},
		{"modargs", []string{
			filepath.Join("testdata/hcl/modargs", "main.tf") + `:4: module.aks (` + filepath.Join("testdata/hcl/modargs", "main.tf") + `:2) sets nmae, which the module (` + filepath.Join("testdata/hcl/modules/aks") + `) does not declare as a variable; Terraform refuses the call (Unsupported argument): fix the argument's name`,
		}},
		{"modcount", []string{
			filepath.Join("testdata/hcl/modcount", "main.tf") + `:1: module.many: more than 256 module instances in this configuration; not followed`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			b := DecodeHCLDir(filepath.Join("testdata/hcl", tt.dir), nil, nil)
			if len(b.Errors) != len(tt.want) {
				t.Fatalf("errors %v, want %d", b.Errors, len(tt.want))
			}
			for i, e := range b.Errors {
				if !strings.HasPrefix(e.Error(), tt.want[i]) || !strings.Contains(e.Message, "not assessed") && !strings.Contains(e.Message, "fix") {
					t.Errorf("error\n %q\nwant prefix\n %q and what is not assessed", e.Error(), tt.want[i])
				}
			}
		})
	}
}

// TestModuleJSONAndOverride: a called module is read like a root module:
// its *.tf.json files and its override files too (an override there
// turning local accounts back on is what Terraform would deploy).
func TestModuleJSONAndOverride(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": "module \"aks\" {\n  source = \"./aks\"\n}\n",
		"aks/main.tf.json": `{"resource": {"azurerm_kubernetes_cluster": {"main": {
  "name": "from-json", "location": "westeurope", "resource_group_name": "rg", "dns_prefix": "j",
  "local_account_disabled": true,
  "default_node_pool": {"name": "sys", "node_count": 1, "vm_size": "Standard_D4s_v5"}}}}}`,
		"aks/override.tf": "resource \"azurerm_kubernetes_cluster\" \"main\" {\n  local_account_disabled = false\n}\n",
	}
	for p, data := range files {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := DecodeHCLDir(dir, nil, nil)
	if len(b.Errors) != 0 || len(b.Clusters) != 1 {
		t.Fatalf("errors %v, %d clusters: want one cluster", b.Errors, len(b.Clusters))
	}
	c := b.Clusters[0]
	if c.TFAddress != "module.aks.azurerm_kubernetes_cluster.main" || c.Name != "from-json" {
		t.Errorf("cluster %q %q, want the module's JSON cluster", c.TFAddress, c.Name)
	}
	if !c.DisableLocalAccounts.IsKnown() || c.DisableLocalAccounts.Val {
		t.Errorf("local_account_disabled %+v, want false from the module's override file", c.DisableLocalAccounts)
	}
}
