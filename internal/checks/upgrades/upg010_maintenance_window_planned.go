package upgrades

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg010 = &check.Control{
	ID: "AKS-UPG-010", Title: "Maintenance window planned", Severity: check.Low, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZX},
	Rationale:   "Without a planned maintenance window, auto-upgrades and node image upgrades start whenever AKS chooses, including business hours.",
	FailsWhen:   "Authoritative data (a maintenance-configuration listing) shows none of default, aksManagedAutoUpgradeSchedule or aksManagedNodeOSUpgradeSchedule; Terraform maintenance_window* blocks count. Otherwise not assessed.",
	Remediation: "Add a maintenance configuration for auto-upgrades and node OS upgrades.",
	References:  []string{"https://learn.microsoft.com/azure/aks/planned-maintenance"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"e1352e44-d34d-4e4d-a22e-451a15f759a1", // Deploy Planned Maintenance to schedule and control upgrades for your Azure Kubernetes Service (AKS) cluster
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks maintenanceconfiguration add -g {rg} --cluster-name {name} -n aksManagedAutoUpgradeSchedule --schedule-type Weekly --day-of-week Saturday --interval-weeks 1 --start-time 00:00 --duration 8",
		TF:  `maintenance_window_auto_upgrade { frequency = "Weekly" interval = 1 day_of_week = "Saturday" start_time = "00:00" duration = 8 }`,
		ARM: "a Microsoft.ContainerService/managedClusters/maintenanceConfigurations resource named aksManagedAutoUpgradeSchedule",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		m := c.MaintenanceConfigs
		if m == nil {
			o.Unknown(kit.Absent(c, inventory.CompanionMaintenance, "maintenance-configuration data",
				fmt.Sprintf("scan `az aks maintenanceconfiguration list -g %s --cluster-name %s -o json` with the cluster",
					kit.OrPlaceholder(c.ResourceGroup, "<rg>"), kit.OrPlaceholder(c.Name, "<cluster>"))))
			return
		}
		var found []string
		for _, n := range m.Names {
			if kit.EqFold(n, "default", "aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule") {
				found = append(found, n)
			}
		}
		e := kit.FactAt("maintenanceConfigurations", kit.Render(m.Names), m.Source)
		switch {
		case len(found) > 0:
			o.Pass("maintenance window planned: "+strings.Join(found, ", "), e)
		case m.Authoritative:
			o.Fail("no maintenance window is configured", e)
		default:
			o.Unknown("the input lists no maintenance window but is not a complete listing", e)
		}
	}),
}
