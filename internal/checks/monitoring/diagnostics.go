package monitoring

import (
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

// logControl is a diagnostic-settings control for some log categories (and
// the category groups that include them).
func logControl(id, title string, sev check.Severity, rationale, what string, cats, groups []string) *check.Control {
	return &check.Control{
		ID: id, Title: title, Severity: sev, Area: kit.AreaMonitoring,
		Inputs:    []check.Input{check.AZX},
		Rationale: rationale,
		FailsWhen: fmt.Sprintf("No diagnostic setting on the cluster enables %s (or category group %s) with a destination; entries with enabled false do not count. Not assessed without diagnostic-settings data.",
			what, strings.Join(groups, " or ")),
		Remediation: fmt.Sprintf("Add a diagnostic setting that sends %s to a Log Analytics workspace (resource-specific tables).", what),
		References:  []string{"https://learn.microsoft.com/azure/aks/monitor-aks", "https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs"},
		Run: kit.PerCluster(kit.Fix{
			AZ:  fmt.Sprintf(`az monitor diagnostic-settings create --name aks-control-plane --resource {id} --workspace <workspace-id> --export-to-resource-specific true --logs '[{"category":"%s","enabled":true}]'`, cats[0]),
			TF:  fmt.Sprintf(`an azurerm_monitor_diagnostic_setting with target_resource_id = {tf}.id and enabled_log { category = "%s" }`, cats[0]),
			ARM: fmt.Sprintf(`a Microsoft.Insights/diagnosticSettings resource scoped to the cluster with logs [{category: "%s", enabled: true}] and a workspaceId`, cats[0]),
		}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
			evalLogs(c, o, what, cats, groups)
		}),
	}
}

func evalLogs(c *inventory.Cluster, o *kit.Out, what string, cats, groups []string) {
	d := c.Diagnostics
	if d == nil {
		o.Unknown(kit.Absent(c, inventory.CompanionDiagnostics, "diagnostic-settings data",
			fmt.Sprintf("scan `az monitor diagnostic-settings list --resource %s -o json` with the cluster", kit.ArmIDOr(c.ID, "<cluster-resource-id>"))))
		return
	}
	var seen []kit.Evidence
	var unknown []kit.Evidence
	for _, s := range d.Settings {
		for _, l := range s.Logs {
			match := kit.EqFold(l.Category, cats...) || kit.EqFold(l.CategoryGroup, groups...) || l.Category == "*"
			if !match {
				continue
			}
			name := l.Category
			if name == "" {
				name = "categoryGroup " + l.CategoryGroup
			}
			e := kit.FactAt("diagnosticSettings/"+s.Name, name+" enabled="+kit.Render(l.Enabled.Or(true)), inventory.Source{File: s.Source.File, Line: l.Line})
			switch {
			case l.Enabled.IsUnknown() || s.HasDestination.IsUnknown():
				unknown = append(unknown, e)
			case l.Enabled.Or(true) && s.HasDestination.Val:
				o.Pass(fmt.Sprintf("%s sent by diagnostic setting %q", name, s.Name), e)
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
		o.Unknown(what+" may be collected, but a setting's value cannot be determined from this input", unknown...)
		return
	}
	settings := kit.FactAt("diagnosticSettings", fmt.Sprintf("%d setting(s) on the cluster", len(d.Settings)), d.Source)
	o.Fail(fmt.Sprintf("no diagnostic setting collects %s", what), append([]kit.Evidence{settings}, seen...)...)
}
