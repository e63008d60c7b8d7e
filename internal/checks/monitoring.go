package checks

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

const areaMonitoring = "Monitoring and threat protection"

func init() {
	check.Register(&check.Control{
		ID: "AKS-MON-001", Title: "Container monitoring", Severity: check.Medium, Area: areaMonitoring,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Container logs are the first evidence in an incident; without collection they are lost when pods restart.",
		FailsWhen:   "Neither the monitoring add-on (omsagent) nor azureMonitorProfile.containerInsights is enabled (Prometheus metrics alone do not count).",
		Remediation: "Enable Container Insights with a Log Analytics workspace.",
		References:  []string{"https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview", "https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable"},
		Run: perCluster(fix{
			AZ:  "az aks enable-addons -g {rg} -n {name} -a monitoring --workspace-resource-id <log-analytics-workspace-id>",
			TF:  "oms_agent { log_analytics_workspace_id = <workspace id> msi_auth_for_monitoring_enabled = true }",
			ARM: "properties.addonProfiles.omsagent: {enabled: true, config: {logAnalyticsWorkspaceResourceID: <workspace id>}}",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			oms, ci := addonField(c, "omsagent"), c.ContainerInsights
			switch {
			case oms.Or(false):
				o.pass("the monitoring add-on collects container logs", ev(oms, ""))
			case ci.Or(false):
				o.pass("Container Insights (azureMonitorProfile) collects container logs", ev(ci, ""))
			case oms.IsUnknown() || ci.IsUnknown():
				o.unresolved("whether container logs are collected", ev(oms, ""), ev(ci, ""))
			default:
				o.fail("container logs are not collected", ev(oms, "add-on not enabled"), ev(ci, "not enabled"))
			}
		}),
	})
	logControl("AKS-MON-002", "API server logs collected", check.High,
		"API server logs show errors, throttling and admission decisions needed to investigate incidents.",
		"kube-apiserver", []string{"kube-apiserver"}, []string{"allLogs"})
	logControl("AKS-MON-003", "Audit logs collected", check.High,
		"The Kubernetes audit log records who did what in the cluster; without it, an intrusion leaves no trail.",
		"kube-audit or kube-audit-admin", []string{"kube-audit", "kube-audit-admin"}, []string{"audit", "allLogs"})
	logControl("AKS-MON-004", "Controller manager logs collected", check.Low,
		"Controller manager logs explain what the control plane did to workloads, nodes and service accounts.",
		"kube-controller-manager", []string{"kube-controller-manager"}, []string{"allLogs"})
	check.Register(&check.Control{
		ID: "AKS-MON-005", Title: "Defender for Containers", Severity: check.Medium, Area: areaMonitoring,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Defender's sensor detects runtime threats (crypto miners, reverse shells, suspicious API calls) and scans images for vulnerabilities.",
		FailsWhen:   "The Defender profile is not enabled on the cluster (securityProfile.defender.securityMonitoring.enabled), or it is enabled but the subscription's Defender for Containers plan (Microsoft.Security/pricings/Containers, when given or read live) is Free. Not assessed when the profile is enabled and a live scan could not read the plan.",
		Remediation: "Enable the Defender profile (and the Defender for Containers plan on the subscription).",
		References:  []string{"https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction", "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --enable-defender",
			TF:  "microsoft_defender { log_analytics_workspace_id = <workspace id> }",
			ARM: "properties.securityProfile.defender: {logAnalyticsWorkspaceResourceId: <workspace id>, securityMonitoring: {enabled: true}}",
		}, evalMON005),
	})
}

// evalMON005 judges the cluster's Defender profile and, when the scan holds
// it, the subscription's Defender for Containers plan: the sensor raises no
// alerts while the plan is off.
func evalMON005(_ *check.Context, c *inventory.Cluster, o *out) {
	d := c.Defender
	why := c.UnreadReason(inventory.CompanionDefender)
	if !d.Or(false) || (c.DefenderPricing == nil && why == "") {
		o.judgeBool(boolRule{field: d, want: true, def: false, defNote: "not enabled",
			passMsg: "the Defender profile is enabled", failMsg: "the Defender profile is not enabled", what: "whether Defender is enabled"})
		return
	}
	if c.DefenderPricing == nil {
		o.unknown("the Defender profile is enabled, but the subscription's Defender for Containers plan was not read: "+why, ev(d, ""))
		return
	}
	tier := c.DefenderPricing.Tier
	plan := factAt("pricings/Containers."+orPlaceholder(tier.Path, "pricingTier"), tier.Or("not set"), inventory.Source{File: c.DefenderPricing.Source.File, Line: tier.Line})
	switch {
	case tier.IsKnown() && eqFold(tier.Val, "Standard"):
		o.pass("the Defender profile is enabled and the subscription's Defender for Containers plan is on (Standard)", ev(d, ""), plan)
	case tier.IsKnown():
		o.fix = fix{
			AZ:  "az security pricing create -n Containers --tier standard --subscription " + orPlaceholder(c.Subscription, "<subscription>"),
			TF:  `an azurerm_security_center_subscription_pricing with resource_type = "Containers" and tier = "Standard"`,
			ARM: "a Microsoft.Security/pricings resource named Containers with properties.pricingTier: Standard (subscription scope)",
		}
		o.fail("the Defender profile is enabled but the subscription's Defender for Containers plan is "+tier.Val+" (off): the sensor raises no alerts", ev(d, ""), plan)
	default:
		o.unknown("the Defender profile is enabled, but the subscription's Defender for Containers plan cannot be read from this input", ev(d, ""), plan)
	}
}

// logControl registers a diagnostic-settings control for some log
// categories (and the category groups that include them).
func logControl(id, title string, sev check.Severity, rationale, what string, cats, groups []string) {
	check.Register(&check.Control{
		ID: id, Title: title, Severity: sev, Area: areaMonitoring,
		Inputs:    []check.Input{check.AZX},
		Rationale: rationale,
		FailsWhen: fmt.Sprintf("No diagnostic setting on the cluster enables %s (or category group %s) with a destination; entries with enabled false do not count. Not assessed without diagnostic-settings data.",
			what, strings.Join(groups, " or ")),
		Remediation: fmt.Sprintf("Add a diagnostic setting that sends %s to a Log Analytics workspace (resource-specific tables).", what),
		References:  []string{"https://learn.microsoft.com/azure/aks/monitor-aks", "https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs"},
		Run: perCluster(fix{
			AZ:  fmt.Sprintf(`az monitor diagnostic-settings create --name aks-control-plane --resource {id} --workspace <workspace-id> --export-to-resource-specific true --logs '[{"category":"%s","enabled":true}]'`, cats[0]),
			TF:  fmt.Sprintf(`an azurerm_monitor_diagnostic_setting with target_resource_id = {tf}.id and enabled_log { category = "%s" }`, cats[0]),
			ARM: fmt.Sprintf(`a Microsoft.Insights/diagnosticSettings resource scoped to the cluster with logs [{category: "%s", enabled: true}] and a workspaceId`, cats[0]),
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			evalLogs(c, o, what, cats, groups)
		}),
	})
}

func evalLogs(c *inventory.Cluster, o *out, what string, cats, groups []string) {
	d := c.Diagnostics
	if d == nil {
		o.unknown(absent(c, inventory.CompanionDiagnostics, "diagnostic-settings data",
			fmt.Sprintf("scan `az monitor diagnostic-settings list --resource %s -o json` with the cluster", orPlaceholder(c.ID, "<cluster-id>"))))
		return
	}
	var seen []evidence
	var unknown []evidence
	for _, s := range d.Settings {
		for _, l := range s.Logs {
			match := eqFold(l.Category, cats...) || eqFold(l.CategoryGroup, groups...) || l.Category == "*"
			if !match {
				continue
			}
			name := l.Category
			if name == "" {
				name = "categoryGroup " + l.CategoryGroup
			}
			e := factAt("diagnosticSettings/"+s.Name, name+" enabled="+render(l.Enabled.Or(true)), inventory.Source{File: s.Source.File, Line: l.Line})
			switch {
			case l.Enabled.IsUnknown() || s.HasDestination.IsUnknown():
				unknown = append(unknown, e)
			case l.Enabled.Or(true) && s.HasDestination.Val:
				o.pass(fmt.Sprintf("%s sent by diagnostic setting %q", name, s.Name), e)
				return
			default:
				if !s.HasDestination.Val {
					e.Value += " (no destination)"
				}
				seen = append(seen, e)
			}
		}
	}
	if len(unknown) > 0 {
		o.unknown(what+" may be collected, but a setting's value cannot be determined from this input", unknown...)
		return
	}
	settings := factAt("diagnosticSettings", fmt.Sprintf("%d setting(s) on the cluster", len(d.Settings)), d.Source)
	o.fail(fmt.Sprintf("no diagnostic setting collects %s", what), append([]evidence{settings}, seen...)...)
}
