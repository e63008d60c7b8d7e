package bicep

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// writeFiles writes a case's files (path → text, "main.bicep" first read)
// into a temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// decodeCase compiles root (a file of dir) and reads it.
func decodeCase(t *testing.T, dir, root string) *inventory.Batch {
	t.Helper()
	path := filepath.Join(dir, root)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Decode(path, src, ReadFile, nil)
	return b
}

// summary renders what a batch read, one line per fact, with file names
// relative to the case's directory.
func summary(dir string, b *inventory.Batch) []string {
	rel := func(p string) string {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(r)
	}
	bf := func(f inventory.Field[bool]) string {
		switch f.State {
		case inventory.Known:
			return fmt.Sprintf("%v@%d", f.Val, f.Line)
		case inventory.Unknown:
			return "unknown"
		}
		return "absent"
	}
	var out []string
	for _, c := range b.Clusters {
		out = append(out, fmt.Sprintf("cluster %s %s:%d [%s] local-accounts-disabled=%s private=%s",
			c.Name, rel(c.Source.File), c.Source.Line, c.BicepAddress, bf(c.DisableLocalAccounts), bf(c.PrivateCluster)))
		for _, p := range c.AgentPools {
			out = append(out, fmt.Sprintf("  profile %s public-ip=%s", p.Name, bf(p.EnableNodePublicIP)))
		}
	}
	for _, p := range b.Pools {
		out = append(out, fmt.Sprintf("pool %s %s:%d [%s] public-ip=%s", p.Pool.Name, rel(p.Pool.Source.File), p.Pool.Source.Line, p.Pool.BicepAddress, bf(p.Pool.EnableNodePublicIP)))
	}
	for _, d := range b.Diagnostics {
		out = append(out, fmt.Sprintf("diagnostic %s %s:%d", d.Setting.Name, rel(d.Setting.Source.File), d.Setting.Source.Line))
	}
	for _, m := range b.Maintenance {
		out = append(out, fmt.Sprintf("maintenance %s", strings.Join(m.Data.Names, ",")))
	}
	for _, e := range b.Errors {
		out = append(out, fmt.Sprintf("error %s:%d: %s", rel(e.Input), e.Line, e.Message))
	}
	sort.Strings(out)
	return out
}

const aksType = "'Microsoft.ContainerService/managedClusters@2024-09-01'"

// TestCompile: each construct of the language compiles to a template that
// the ARM template reader reads with the values, lines, files and
// addresses of the Bicep source.
func TestCompile(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string // lines of summary; an "error" line matches by prefix
	}{
		{"parameters, variables, interpolation, operators", map[string]string{"main.bicep": `
param name string = 'aks1'
param allowLocal bool = false
param cfg object = { network: { private: true } }
var prefix = '${name}-x'
resource aks ` + aksType + ` = {
  name: prefix
  location: 'westeurope'
  properties: {
    disableLocalAccounts: !allowLocal
    apiServerAccessProfile: {
      enablePrivateCluster: cfg.?network.?private ?? false
    }
    agentPoolProfiles: [
      {
        name: 'sys'
        enableNodePublicIP: length(name) > 10 ? true : false
      }
    ]
  }
}
`}, []string{
			"cluster aks1-x main.bicep:6 [resource aks] local-accounts-disabled=true@10 private=true@12",
			"  profile sys public-ip=false@17",
		}},
		{"nested child resource, parent property, existing", map[string]string{"main.bicep": `
resource aks ` + aksType + ` = {
  name: 'c1'
  properties: {}
  resource pool1 'agentPools' = {
    name: 'p1'
    properties: { enableNodePublicIP: true }
  }
}
resource pool2 'Microsoft.ContainerService/managedClusters/agentPools@2024-09-01' = {
  parent: aks
  name: 'p2'
  properties: { enableNodePublicIP: false }
}
resource other ` + aksType + ` existing = {
  name: 'elsewhere'
}
resource diag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: aks
  name: 'd1'
  properties: { workspaceId: 'w', logs: [ { categoryGroup: 'allLogs', enabled: true } ] }
}
`}, []string{
			"cluster c1 main.bicep:2 [resource aks] local-accounts-disabled=absent private=absent",
			"diagnostic d1 main.bicep:18",
			"pool p1 main.bicep:5 [resource aks::pool1] public-ip=true@7",
			"pool p2 main.bicep:10 [resource pool2] public-ip=false@13",
		}},
		{"resource loop, condition, filtered loop", map[string]string{"main.bicep": `
param names array = [ 'a', 'b', 'c' ]
param deploy bool = false
resource many ` + aksType + ` = [for (n, i) in names: if (n != 'b') {
  name: 'aks-${n}-${i}'
  properties: { disableLocalAccounts: i == 0 }
}]
resource never ` + aksType + ` = if (deploy) {
  name: 'never'
  properties: {}
  resource neverPool 'agentPools' = {
    name: 'p'
    properties: {}
  }
}
`}, []string{
			"cluster aks-a-0 main.bicep:4 [resource many] local-accounts-disabled=true@6 private=absent",
			"cluster aks-c-2 main.bicep:4 [resource many] local-accounts-disabled=false@6 private=absent",
		}},
		{"property loop, lambdas, user-defined function", map[string]string{"main.bicep": `
param pools array = [ { name: 'p1', pub: true }, { name: 'p2' } ]
func poolName(p object) string => toLower(p.name)
resource aks ` + aksType + ` = {
  name: 'c1'
  properties: {
    agentPoolProfiles: [for p in pools: {
      name: poolName(p)
      enableNodePublicIP: p.?pub ?? false
    }]
    disableLocalAccounts: length(filter(pools, x => x.?pub ?? false)) == 1
  }
}
`}, []string{
			"cluster c1 main.bicep:4 [resource aks] local-accounts-disabled=true@11 private=absent",
			"  profile p1 public-ip=true@9",
			"  profile p2 public-ip=false@9",
		}},
		{"local modules: params, loops, chains, outputs", map[string]string{
			"main.bicep": `
param env string = 'prod'
module net 'modules/net.bicep' = {
  name: 'net'
}
module aks 'modules/aks.bicep' = [for i in range(0, 2): {
  name: 'aks${i}'
  params: {
    clusterName: 'aks-${env}-${i}'
    subnet: net.outputs.subnetId
    private: i == 1
  }
}]
`,
			"modules/net.bicep": `
output subnetId string = 'sub'
`,
			"modules/aks.bicep": `
param clusterName string
param subnet string
param private bool
module inner 'inner/cluster.bicep' = {
  name: 'inner'
  params: { n: clusterName, p: private, s: subnet }
}
`,
			"modules/inner/cluster.bicep": `
param n string
param p bool
param s string
resource aks ` + aksType + ` = {
  name: n
  properties: {
    apiServerAccessProfile: { enablePrivateCluster: p }
    agentPoolProfiles: [ { name: 'sys', vnetSubnetID: s } ]
  }
}
`}, []string{
			"  profile sys public-ip=absent",
			"  profile sys public-ip=absent",
			"cluster aks-prod-0 modules/inner/cluster.bicep:5 [module aks > module inner > resource aks] local-accounts-disabled=absent private=false@8",
			"cluster aks-prod-1 modules/inner/cluster.bicep:5 [module aks > module inner > resource aks] local-accounts-disabled=absent private=true@8",
		}},
		{"registry module, missing module, module cycle", map[string]string{
			"main.bicep": `
param withAcr bool = false
module fromRegistry 'br/public:avm/res/container-service/managed-cluster:0.9.0' = {
  name: 'reg'
}
module notDeployed 'br:example.azurecr.io/x:1' = if (withAcr) {
  name: 'acr'
}
module missing './nope.bicep' = {
  name: 'nope'
}
module a 'a.bicep' = {
  name: 'a'
}
`,
			"a.bicep": `
module b 'b.bicep' = {
  name: 'b'
}
`,
			"b.bicep": `
module a 'a.bicep' = {
  name: 'a'
}
`}, []string{
			`error b.bicep:2: module a ("a.bicep") not read: it calls itself through a.bicep > b.bicep > a.bicep (a module cycle`,
			`error main.bicep:3: registry module "br/public:avm/res/container-service/managed-cluster:0.9.0" not read`,
			`error main.bicep:9: module missing ("./nope.bicep") not read: it cannot be read`,
		}},
		{"imports, loadTextContent, JSON module", map[string]string{
			"main.bicep": `
import { defaults, pick } from 'shared.bicep'
import * as lib from 'shared.bicep'
var motd = loadTextContent('motd.txt')
resource aks ` + aksType + ` = {
  name: pick(motd)
  properties: {
    disableLocalAccounts: defaults.local
    apiServerAccessProfile: { enablePrivateCluster: lib.defaults.private }
  }
}
module legacy 'legacy.json' = {
  name: 'legacy'
  params: { clusterName: 'from-json' }
}
`,
			"shared.bicep": `
@export()
var defaults = { local: true, private: true }
@export()
func pick(s string) string => trim(s)
`,
			"motd.txt": "  aks-motd\n",
			"legacy.json": `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "clusterName": { "type": "string" } },
  "resources": [ { "type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-09-01",
    "name": "[parameters('clusterName')]", "properties": { "disableLocalAccounts": false } } ]
}`}, []string{
			"cluster aks-motd main.bicep:5 [resource aks] local-accounts-disabled=true@8 private=true@9",
			"cluster from-json legacy.json:4 [module legacy > resources[0]] local-accounts-disabled=false@5 private=absent",
		}},
		{".bicepparam: literal and computed values, undeclared parameter", map[string]string{
			"main.bicep": `
param name string = 'default'
param profile object = {}
param settings object = {}
resource aks ` + aksType + ` = {
  name: name
  properties: {
    disableLocalAccounts: settings.?local ?? false
    apiServerAccessProfile: profile
  }
}
`,
			"prod.bicepparam": `
using 'main.bicep'
var env = 'prod'
param name = 'aks-${env}'
param profile = {
  enablePrivateCluster: env == 'prod'
}
param settings = { local: env == 'prod' }
param nope = 1
`}, []string{
			// A computed object's members point at the parameter's
			// declaration in main.bicep, not at .bicepparam lines.
			"cluster aks-prod main.bicep:5 [resource aks] local-accounts-disabled=true@8 private=true@3",
			"error prod.bicepparam:9: parameter nope is not declared in main.bicep",
		}},
		{"syntax error", map[string]string{"main.bicep": "resource aks " + aksType + " = {\n  name: 'x'\n"}, []string{
			"error main.bicep:3: Bicep syntax:",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			root := "main.bicep"
			for f := range tc.files {
				if IsParams(f) {
					root = f
				}
			}
			got := summary(dir, decodeCase(t, dir, root))
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			ok := len(got) == len(want)
			for i := 0; ok && i < len(got); i++ {
				if strings.HasPrefix(want[i], "error ") {
					ok = strings.HasPrefix(got[i], want[i])
				} else {
					ok = got[i] == want[i]
				}
			}
			if !ok {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestCompileRegistryCopy: a registry module given a local copy
// (Options.RegistryModules, --bicep-module) is compiled from it, by exact
// reference or for every tag of its path; other registry modules are
// still reported.
func TestCompileRegistryCopy(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.bicep": `
module a 'br/public:avm/res/aks:1.0.0' = {
  name: 'a'
  params: { n: 'exact' }
}
module b 'br:example.azurecr.io/mods/aks:2.0.0' = {
  name: 'b'
  params: { n: 'any-tag' }
}
module c 'br/public:avm/res/other:1.0.0' = {
  name: 'c'
}
`,
		"copies/aks/main.bicep": "param n string\nresource aks " + aksType + " = {\n  name: n\n  properties: { disableLocalAccounts: true }\n}\n",
	})
	path := filepath.Join(dir, "main.bicep")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DecodeWith(path, src, Options{RegistryModules: map[string]string{
		"br/public:avm/res/aks:1.0.0":    filepath.Join(dir, "copies/aks"),
		"br:example.azurecr.io/mods/aks": filepath.Join(dir, "copies/aks/main.bicep"),
		"br/public:avm/res/other:9.9.9":  filepath.Join(dir, "copies/aks"),
	}})
	got := strings.Join(summary(dir, b), "\n")
	want := strings.Join([]string{
		"cluster any-tag copies/aks/main.bicep:2 [module b > resource aks] local-accounts-disabled=true@4 private=absent",
		"cluster exact copies/aks/main.bicep:2 [module a > resource aks] local-accounts-disabled=true@4 private=absent",
		`error main.bicep:10: registry module "br/public:avm/res/other:1.0.0" not read`,
	}, "\n")
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestCompileSecureNeverRead: a @secure() parameter's value (default,
// .bicepparam or module parameter) never reaches what is read: the fields
// that use it are unknown, and no error or reason quotes it.
func TestCompileSecureNeverRead(t *testing.T) {
	const secret = "hunter2-bicep-secret"
	dir := writeFiles(t, map[string]string{
		"main.bicep": `
@secure()
param token string = '` + secret + `'
module m 'm.bicep' = {
  name: 'm'
  params: { key: token }
}
resource aks ` + aksType + ` = {
  name: 'c1'
  properties: {
    dnsPrefix: token
    servicePrincipalProfile: { clientId: 'x', secret: token }
    aadProfile: { serverAppSecret: '${token}' }
  }
}
`,
		"m.bicep": "@secure()\nparam key string\nresource aks " + aksType + " = {\n  name: 'c2'\n  properties: { dnsPrefix: key }\n}\n",
	})
	b := decodeCase(t, dir, "main.bicep")
	if len(b.Clusters) != 2 {
		t.Fatalf("%d clusters", len(b.Clusters))
	}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret) {
		t.Errorf("the secure parameter's value is in what was read")
	}
}

// TestLoadContentInRepo: in a repository (a folder holding .git),
// loadTextContent reads files inside it — also above the Bicep file — and
// refuses a path or a symbolic link leading outside it.
func TestLoadContentInRepo(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.txt": "outside"})
	dir := writeFiles(t, map[string]string{
		".git/HEAD":       "ref: refs/heads/main\n",
		"shared/name.txt": "from-repo",
		"infra/main.bicep": "resource aks " + aksType + " = {\n  name: loadTextContent('../shared/name.txt')\n  properties: {\n" +
			"    dnsPrefix: loadTextContent('" + filepath.ToSlash(filepath.Join("..", "..", filepath.Base(outside), "secret.txt")) + "')\n" +
			"    nodeResourceGroup: loadTextContent('link.txt')\n  }\n}\n",
	})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "infra", "link.txt")); err != nil {
		t.Skip(err)
	}
	b := decodeCase(t, dir, "infra/main.bicep")
	if len(b.Clusters) != 1 || b.Clusters[0].Name != "from-repo" {
		t.Fatalf("clusters %v", b.Clusters)
	}
	n := 0
	for _, e := range b.Errors {
		if strings.Contains(e.Message, "outside the repository") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("errors %v, want two reads outside the repository refused", b.Errors)
	}
}
