package checks_test

import (
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// TestAzAPIRemediation: a cluster read from an azapi_resource is fixed in
// its body, with the ARM property path, never with an azurerm argument.
func TestAzAPIRemediation(t *testing.T) {
	const addr = "azapi_resource.aks"
	tests := []struct {
		id     string
		mutate func(c *inventory.Cluster)
		want   string
	}{
		{"AKS-ACC-005", func(c *inventory.Cluster) { c.DisableLocalAccounts = k(false) },
			"In azapi_resource.aks set body.properties.disableLocalAccounts: true, then terraform apply."},
		{"AKS-IDN-004", func(c *inventory.Cluster) { c.WorkloadIdentity = k(false) },
			"In azapi_resource.aks set body.properties.oidcIssuerProfile.enabled: true and body.properties.securityProfile.workloadIdentity.enabled: true, then terraform apply."},
		{"AKS-NOD-003", func(c *inventory.Cluster) {
			for _, p := range c.AgentPools {
				p.EncryptionAtHost = k(false)
			}
			c.DiskEncryptionSet = inventory.Field[string]{}
		}, "In azapi_resource.aks set body.properties.agentPoolProfiles[].enableEncryptionAtHost: true, then terraform apply."},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := hardened()
			c.Format, c.TFAddress, c.AzAPIType, c.APIVersion = inventory.FormatTFHCL, addr, "Microsoft.ContainerService/managedClusters@2024-05-01", "2024-05-01"
			tt.mutate(c)
			var fails []string
			for _, r := range run(t, c, tt.id) {
				if r.Status == check.Fail {
					fails = append(fails, r.Remediation)
				}
			}
			if len(fails) == 0 {
				t.Fatalf("%s does not fail: %+v", tt.id, run(t, c, tt.id))
			}
			for _, got := range fails {
				if got != tt.want {
					t.Errorf("remediation\n got %q\nwant %q", got, tt.want)
				}
			}
		})
	}
}

// TestAzAPINodeOSDefault: an unset nodeOSUpgradeChannel follows the body's
// API version (NodeImage since 2023-06-01), not the azurerm default.
func TestAzAPINodeOSDefault(t *testing.T) {
	for _, tt := range []struct {
		api  string
		want check.Status
	}{{"2024-05-01", check.Pass}, {"2023-04-02-preview", check.NotAssessed}} {
		c := hardened()
		c.Format, c.TFAddress, c.AzAPIType, c.APIVersion = inventory.FormatTFHCL, "azapi_resource.aks", "Microsoft.ContainerService/managedClusters@"+tt.api, tt.api
		c.NodeOSUpgradeChannel = inventory.Field[string]{}
		c.UpgradeChannel = k("patch")
		rs := run(t, c, "AKS-UPG-005")
		if len(rs) == 0 || rs[0].Status != tt.want {
			t.Errorf("api %s: %+v, want %s", tt.api, rs, tt.want)
		}
	}
}
