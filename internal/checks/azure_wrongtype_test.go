package checks_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// insecureProps is the properties of a cluster that fails (or cannot
// pass) as many controls as possible: every path the ARM reader maps holds
// a value, so a mutation of any of them could turn a verdict.
const insecureProps = `{
  "kubernetesVersion": "1.27.1", "currentKubernetesVersion": "1.27.1",
  "enableRBAC": false, "disableLocalAccounts": false, "supportPlan": "KubernetesOfficial",
  "aadProfile": {"managed": false, "enableAzureRBAC": false, "adminGroupObjectIDs": []},
  "apiServerAccessProfile": {"enablePrivateCluster": false, "enablePrivateClusterPublicFQDN": true, "authorizedIPRanges": ["0.0.0.0/0"]},
  "networkProfile": {"networkPlugin": "kubenet", "networkPolicy": "none", "outboundType": "loadBalancer"},
  "addonProfiles": {
    "httpApplicationRouting": {"enabled": true}, "kubeDashboard": {"enabled": true},
    "azurepolicy": {"enabled": false}, "omsagent": {"enabled": false},
    "aciConnectorLinux": {"enabled": true},
    "azureKeyvaultSecretsProvider": {"enabled": true, "config": {"enableSecretRotation": "false"}}
  },
  "securityProfile": {
    "defender": {"securityMonitoring": {"enabled": false}}, "imageCleaner": {"enabled": false},
    "workloadIdentity": {"enabled": false}, "azureKeyVaultKms": {"enabled": false}
  },
  "oidcIssuerProfile": {"enabled": false}, "podIdentityProfile": {"enabled": true},
  "servicePrincipalProfile": {"clientId": "00000000-0000-0000-0000-000000000001"},
  "autoUpgradeProfile": {"upgradeChannel": "none", "nodeOSUpgradeChannel": "None"},
  "azureMonitorProfile": {"containerInsights": {"enabled": false}},
  "linuxProfile": {"adminUsername": "azureuser", "ssh": {"publicKeys": [{"keyData": "ssh-rsa AAAA"}]}},
  "diskEncryptionSetID": "",
  "agentPoolProfiles": [{"name": "system", "mode": "System", "osType": "Linux", "orchestratorVersion": "1.27.1",
    "currentOrchestratorVersion": "1.27.1", "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202301.01.0",
    "enableNodePublicIP": true, "enableEncryptionAtHost": false, "securityProfile": {"sshAccess": "LocalUser"}, "nodeTaints": []}],
  "dnsPrefix": "c"
}`

// wrongTypeBodies are the insecure cluster in each Azure input shape: REST
// body, az output (flattened) and an ARM template resource. Each is a
// function of the properties object.
var wrongTypeBodies = map[string]func(props map[string]any) any{
	"rest": func(p map[string]any) any {
		return map[string]any{"id": testClusterID, "name": "c", "location": "westeurope",
			"type": "Microsoft.ContainerService/managedClusters", "sku": map[string]any{"tier": "Free"},
			"identity": map[string]any{"type": "SystemAssigned"}, "properties": p}
	},
	"az": func(p map[string]any) any {
		out := map[string]any{"id": testClusterID, "name": "c", "location": "westeurope", "resourceGroup": "rg",
			"type": "Microsoft.ContainerService/ManagedClusters", "sku": map[string]any{"tier": "Free"}}
		for k, v := range p {
			out[k] = v
		}
		return out
	},
	"template": func(p map[string]any) any {
		return map[string]any{
			"$schema":        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
			"contentVersion": "1.0.0.0",
			"resources": []any{map[string]any{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2025-10-01",
				"name": "c", "location": "westeurope", "sku": map[string]any{"tier": "Free"}, "properties": p}},
		}
	},
}

// verdicts scans one body and returns the status of each control on the
// cluster and the input errors.
func verdicts(t *testing.T, body any) (map[string]check.Status, []string) {
	t.Helper()
	data, err := json.MarshalIndent(body, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	b := source.DecodeJSON(data, "c.json", source.Options{})
	inv := source.Load(nil, source.Options{Live: []*inventory.Batch{b}})
	got := map[string]check.Status{}
	for _, r := range engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today}) {
		if r.Resource.Kind == "" || r.Resource.Name == "" {
			continue
		}
		key := r.Control + " " + r.Resource.Name
		// A control with several results on one object: any pass counts.
		if prev, ok := got[key]; !ok || r.Status == check.Pass || prev != check.Pass && r.Status == check.Fail {
			got[key] = r.Status
		}
	}
	var errs []string
	for _, e := range inv.Errors {
		errs = append(errs, e.Error())
	}
	return got, errs
}

// wrongValues are values of every JSON kind; each path gets those of a
// kind other than its own.
var wrongValues = []any{"x", 7, true, nil, []any{}, []any{"x"}, map[string]any{}, map[string]any{"x": 1}}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, int:
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

// mutations returns, for every path below v (keys and list indexes), a
// copy of v with that path replaced by each value of another kind.
func mutations(v any, path string, set func(any) any, out *[]mutation) {
	for _, w := range wrongValues {
		if kindOf(w) != kindOf(v) && path != "" {
			*out = append(*out, mutation{path: path, value: w, body: set(w)})
		}
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			mutations(x[k], strings.TrimPrefix(path+"."+k, "."), func(w any) any {
				c := make(map[string]any, len(x))
				for kk, vv := range x {
					c[kk] = vv
				}
				c[k] = w
				return set(c)
			}, out)
		}
	case []any:
		for i := range x {
			mutations(x[i], fmt.Sprintf("%s[%d]", path, i), func(w any) any {
				c := append([]any(nil), x...)
				c[i] = w
				return set(c)
			}, out)
		}
	}
}

type mutation struct {
	path  string
	value any
	body  any // the properties object
}

// TestWrongTypesNeverPass: a value of the wrong JSON type on any path of
// a cluster's properties (generated over every path of a cluster that sets
// everything the reader maps, with every other JSON kind, in REST, az and
// template form) never makes a control pass that failed or was not
// assessed; a null does so only where leaving the key out does too (az
// prints unset profiles as null, and a template's null is no value). A
// profile, list or add-on of the wrong type is an input error.
func TestWrongTypesNeverPass(t *testing.T) {
	if testing.Short() {
		t.Skip("scans about 2,000 generated bodies")
	}
	var props map[string]any
	if err := json.Unmarshal([]byte(insecureProps), &props); err != nil {
		t.Fatal(err)
	}
	var muts []mutation
	mutations(props, "", func(w any) any { return w }, &muts)
	containers := map[string]bool{}
	for _, format := range []string{"rest", "az", "template"} {
		wrap := wrongTypeBodies[format]
		base, baseErrs := verdicts(t, wrap(props))
		if len(baseErrs) > 0 {
			t.Fatalf("%s: the base body has input errors: %q", format, baseErrs)
		}
		for _, m := range muts {
			p, ok := m.body.(map[string]any)
			if !ok {
				continue
			}
			got, errs := verdicts(t, wrap(p))
			var absent map[string]check.Status
			for key, st := range got {
				if st != check.Pass || base[key] == check.Pass {
					continue
				}
				if m.value == nil {
					if absent == nil {
						absent, _ = verdicts(t, wrap(deletePath(props, m.path)))
					}
					if absent[key] == check.Pass {
						continue
					}
				}
				t.Errorf("%s: %s = %s: %s passes (%s without it), input errors %q", format, m.path, kindOf(m.value), key, base[key], errs)
			}
			// Objects and lists the reader maps must never be read as
			// absent when they hold a scalar.
			if kindOf(m.value) != "null" && isProfile(m.path) {
				containers[m.path] = true
				if len(errs) == 0 {
					t.Errorf("%s: %s = %s (%s): no input error", format, m.path, kindOf(m.value), jsonText(m.value))
				}
			}
		}
	}
	for _, p := range []string{"agentPoolProfiles", "addonProfiles", "networkProfile", "apiServerAccessProfile", "aadProfile", "securityProfile", "agentPoolProfiles[0]"} {
		if !containers[p] {
			t.Errorf("%s was not mutated", p)
		}
	}
}

// isProfile reports whether a path is one of the objects or lists the
// reader maps (a profile, an add-on, the pool list or a pool).
func isProfile(path string) bool {
	last := path[strings.LastIndexAny(path, ".]")+1:]
	return strings.HasSuffix(last, "Profile") || strings.HasSuffix(last, "Profiles") ||
		strings.HasPrefix(path, "addonProfiles.") && strings.Count(path, ".") == 1 ||
		strings.HasSuffix(path, "agentPoolProfiles[0]")
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// deletePath returns a copy of props without the key at a path (dotted
// keys and [i] list indexes); a list item itself is left as it is.
func deletePath(props map[string]any, path string) map[string]any {
	data, _ := json.Marshal(props)
	var c map[string]any
	_ = json.Unmarshal(data, &c)
	var steps []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			i := strings.IndexByte(part, '[')
			switch {
			case i < 0:
				steps = append(steps, part)
				part = ""
			case i > 0:
				steps = append(steps, part[:i])
				part = part[i:]
			default:
				j := strings.IndexByte(part, ']')
				steps = append(steps, part[:j+1])
				part = part[j+1:]
			}
		}
	}
	var cur any = c
	for i, k := range steps {
		last := i == len(steps)-1
		switch x := cur.(type) {
		case map[string]any:
			if last {
				delete(x, k)
				return c
			}
			cur = x[k]
		case []any:
			var n int
			if _, err := fmt.Sscanf(k, "[%d]", &n); err != nil || n >= len(x) || last {
				return c
			}
			cur = x[n]
		default:
			return c
		}
	}
	return c
}
