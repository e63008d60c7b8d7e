package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

var templateDir = filepath.Join("arm", "testdata", "templates")

// Templates load through the decoder list and their companion resources
// join to their cluster through the template-local IDs.
func TestLoadTemplates(t *testing.T) {
	inv := Load([]string{filepath.Join(templateDir, "insecure.json"), filepath.Join(templateDir, "hardened.json")}, Options{})
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %v", inv.Errors)
	}
	if len(inv.Clusters) != 2 {
		t.Fatalf("%d clusters", len(inv.Clusters))
	}
	insecure, hardened := inv.Clusters[0], inv.Clusters[1]
	if insecure.Name != "aks-shop-dev" || hardened.Name != "aks-payments-prod" {
		t.Fatalf("clusters %q %q", insecure.Name, hardened.Name)
	}
	pools := func(c *inventory.Cluster) string {
		var out []string
		for _, p := range c.AgentPools {
			out = append(out, p.Name+":"+p.SSHAccess.Or("-"))
		}
		return strings.Join(out, ",")
	}
	// nodepool1 is replaced by its agentPools resource (which has sshAccess),
	// userpool is added.
	if got := pools(insecure); got != "nodepool1:LocalUser,userpool:-" {
		t.Errorf("insecure pools %s", got)
	}
	if got := pools(hardened); got != "system:Disabled,apps:Disabled" {
		t.Errorf("hardened pools %s", got)
	}
	if insecure.Diagnostics == nil || len(insecure.Diagnostics.Settings) != 1 || insecure.Diagnostics.Settings[0].Name != "send-to-log-shop-dev" {
		t.Errorf("insecure diagnostics %+v", insecure.Diagnostics)
	}
	if hardened.Diagnostics == nil || len(hardened.Diagnostics.Settings) != 1 {
		t.Errorf("hardened diagnostics %+v", hardened.Diagnostics)
	}
	if m := insecure.MaintenanceConfigs; m == nil || m.Authoritative || strings.Join(m.Names, ",") != "default" {
		t.Errorf("insecure maintenance %+v", m)
	}
	if m := hardened.MaintenanceConfigs; m == nil || m.Authoritative || strings.Join(m.Names, ",") != "aksManagedAutoUpgradeSchedule,aksManagedNodeOSUpgradeSchedule" {
		t.Errorf("hardened maintenance %+v", m)
	}
	if len(inv.Registries) != 2 {
		t.Errorf("%d registries", len(inv.Registries))
	}
}

func TestLoadTemplateWithParameters(t *testing.T) {
	file := filepath.Join(templateDir, "hardened.parameters.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	params, err := LoadTemplateParameters(data, file)
	if err != nil {
		t.Fatal(err)
	}
	inv := Load([]string{filepath.Join(templateDir, "hardened.json")}, Options{TemplateParameters: params})
	if len(inv.Errors) != 0 || len(inv.Clusters) != 1 {
		t.Fatalf("errors %v, %d clusters", inv.Errors, len(inv.Clusters))
	}
	c := inv.Clusters[0]
	if c.Name != "aks-payments-dev" || c.PrivateCluster.Or(true) || len(c.AgentPools) != 2 || c.Diagnostics == nil || c.MaintenanceConfigs == nil {
		t.Errorf("cluster %q private %+v pools %d diagnostics %v maintenance %v", c.Name, c.PrivateCluster, len(c.AgentPools), c.Diagnostics, c.MaintenanceConfigs)
	}
}

// Walking the directory: parameters files are skipped with a reason, every
// template is read, and nothing fails to join.
func TestLoadTemplateDirectory(t *testing.T) {
	inv := Load([]string{templateDir}, Options{})
	if len(inv.Errors) != 0 {
		t.Errorf("errors: %v", inv.Errors)
	}
	n := 0
	for reason, count := range inv.Skipped {
		if strings.Contains(reason, "parameters file") {
			n += count
		}
	}
	if n != 2 {
		t.Errorf("skipped %v, want the 2 parameters files", inv.Skipped)
	}
	if len(inv.Clusters) != 7 {
		t.Errorf("%d clusters, want 7", len(inv.Clusters))
	}
}
