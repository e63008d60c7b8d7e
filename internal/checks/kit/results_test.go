package kit

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

func TestRenderBicep(t *testing.T) {
	aks := func() *inventory.Cluster {
		return &inventory.Cluster{Name: "aks", ResourceGroup: "rg", Format: inventory.FormatBicep,
			BicepAddress: "resource aks", BicepFile: "infra/main.bicep",
			Source: inventory.Source{File: "infra/modules/aks.bicep", Line: 12}}
	}
	system := &inventory.AgentPool{Name: "system"}
	userPool := &inventory.AgentPool{Name: "user", BicepAddress: "resource userPool"}
	cases := []struct {
		name    string
		fix     Fix
		cluster func(*inventory.Cluster)
		pool    *inventory.AgentPool
		want    string
	}{
		{"setting", Fix{AZ: "az aks update -g {rg} -n {name} --disable-local-accounts", ARM: "properties.disableLocalAccounts: true"}, nil, nil,
			"In infra/main.bicep, resource aks: set properties.disableLocalAccounts: true, then redeploy."},
		{"through a module", Fix{ARM: "properties.enableRBAC: true"},
			func(c *inventory.Cluster) { c.BicepAddress = "module aks > resource managedCluster" }, nil,
			"In infra/main.bicep, module aks > resource managedCluster: set properties.enableRBAC: true, then redeploy."},
		{"file from the source", Fix{ARM: "properties.enableRBAC: true"},
			func(c *inventory.Cluster) { c.BicepFile = "" }, nil,
			"In infra/modules/aks.bicep, resource aks: set properties.enableRBAC: true, then redeploy."},
		{"no address", Fix{ARM: "properties.enableRBAC: true"},
			func(c *inventory.Cluster) { c.BicepAddress, c.BicepFile, c.Source.File = "", "", "" }, nil,
			"In the Bicep file, the Microsoft.ContainerService/managedClusters resource: set properties.enableRBAC: true, then redeploy."},
		{"instruction", Fix{ARM: "remove properties.servicePrincipalProfile"}, nil, nil,
			"In infra/main.bicep, resource aks: remove properties.servicePrincipalProfile, then redeploy."},
		{"separate resource", Fix{ARM: "a Microsoft.Insights/diagnosticSettings resource scoped to the cluster"}, nil, nil,
			"In infra/main.bicep, add a Microsoft.Insights/diagnosticSettings resource scoped to the cluster, then redeploy."},
		{"command", Fix{AZ: "az aks rotate-certs -g {rg} -n {name}", ARM: "run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)"}, nil, nil,
			"Run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)."},
		{"pool in agentPoolProfiles", Fix{ARM: "properties.agentPoolProfiles[].enableNodePublicIP: false", TFPool: true}, nil, system,
			`In infra/main.bicep, resource aks: set enableNodePublicIP: false in the properties.agentPoolProfiles entry named "system", then redeploy.`},
		{"pool with the cluster's address", Fix{ARM: "properties.agentPoolProfiles[].enableNodePublicIP: false"}, nil,
			&inventory.AgentPool{Name: "system", BicepAddress: "resource aks"},
			`In infra/main.bicep, resource aks: set enableNodePublicIP: false in the properties.agentPoolProfiles entry named "system", then redeploy.`},
		{"pool resource", Fix{ARM: `properties.agentPoolProfiles[].securityProfile.sshAccess: "Disabled"`}, nil, userPool,
			`In infra/main.bicep, resource userPool: set properties.securityProfile.sshAccess: "Disabled", then redeploy.`},
		{"pool fix without a pool", Fix{ARM: "properties.agentPoolProfiles[].enableEncryptionAtHost: true"}, nil, nil,
			"In infra/main.bicep, resource aks: set properties.agentPoolProfiles[].enableEncryptionAtHost: true, then redeploy."},
		{"az only", Fix{AZ: "az aks upgrade -g {rg} -n {name}"}, nil, nil,
			"az aks upgrade -g rg -n aks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := aks()
			if tc.cluster != nil {
				tc.cluster(c)
			}
			if got := tc.fix.Render(c, tc.pool); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestRenderTemplateCommand: an ARM fix that is a command is not rendered
// as a setting ("set run …").
func TestRenderTemplateCommand(t *testing.T) {
	c := &inventory.Cluster{Name: "aks", Format: inventory.FormatARMTemplate}
	f := Fix{ARM: "run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)"}
	want := "In the template run az aks rotate-certs -g <resource-group> -n <cluster> (no template property rotates certificates)."
	if got := f.Render(c, nil); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
