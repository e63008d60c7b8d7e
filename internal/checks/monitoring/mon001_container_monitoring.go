package monitoring

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var mon001 = &check.Control{
	ID: "AKS-MON-001", Title: "Container monitoring", Severity: check.Medium, Area: kit.AreaMonitoring,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Container logs are the first evidence in an incident; without collection they are lost when pods restart.",
	FailsWhen:   "Neither the monitoring add-on (omsagent) nor azureMonitorProfile.containerInsights is enabled (Prometheus metrics alone do not count).",
	Remediation: "Enable Container Insights with a Log Analytics workspace.",
	References:  []string{"https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview", "https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable"},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks enable-addons -g {rg} -n {name} -a monitoring --workspace-resource-id <log-analytics-workspace-id>",
		TF:  "oms_agent { log_analytics_workspace_id = <workspace id> msi_auth_for_monitoring_enabled = true }",
		ARM: "properties.addonProfiles.omsagent: {enabled: true, config: {logAnalyticsWorkspaceResourceID: <workspace id>}}",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		oms, ci := kit.AddonField(c, "omsagent"), c.ContainerInsights
		switch {
		case oms.Or(false):
			o.Pass("the monitoring add-on collects container logs", kit.Ev(oms, ""))
		case ci.Or(false):
			o.Pass("Container Insights (azureMonitorProfile) collects container logs", kit.Ev(ci, ""))
		case oms.IsUnknown() || ci.IsUnknown():
			o.Unresolved("whether container logs are collected", kit.Ev(oms, ""), kit.Ev(ci, ""))
		default:
			o.Fail("container logs are not collected", kit.Ev(oms, "add-on not enabled"), kit.Ev(ci, "not enabled"))
		}
	}),
}
