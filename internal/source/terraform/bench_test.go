package terraform

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// genPlan is a plan of n clusters, each with a node pool and a diagnostic
// setting that refer to it, in planned_values, resource_changes and the
// configuration, as terraform show -json writes it (compact).
func genPlan(n int) []byte {
	var resources, changes, config []any
	for i := range n {
		c := fmt.Sprintf("azurerm_kubernetes_cluster.c%d", i)
		p := fmt.Sprintf("azurerm_kubernetes_cluster_node_pool.p%d", i)
		d := fmt.Sprintf("azurerm_monitor_diagnostic_setting.d%d", i)
		cv := map[string]any{"name": fmt.Sprintf("c%d", i), "location": "westeurope", "resource_group_name": "rg",
			"sku_tier": "Standard", "local_account_disabled": true, "role_based_access_control_enabled": true,
			"default_node_pool": []any{map[string]any{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 3}},
			"network_profile":   []any{map[string]any{"network_plugin": "azure", "network_policy": "cilium"}}}
		pv := map[string]any{"name": "user", "vm_size": "Standard_D4s_v5", "node_count": 2}
		dv := map[string]any{"name": "diag", "log_analytics_workspace_id": "/subscriptions/x/workspaces/w",
			"enabled_log": []any{map[string]any{"category": "kube-audit"}}}
		for _, r := range []struct {
			addr, typ string
			v         map[string]any
			ref       string
		}{{c, typeCluster, cv, ""}, {p, typePool, pv, argPoolCluster}, {d, typeDiag, dv, argDiagTarget}} {
			name := r.addr[strings.IndexByte(r.addr, '.')+1:]
			resources = append(resources, map[string]any{"address": r.addr, "mode": "managed", "type": r.typ, "name": name, "values": r.v})
			changes = append(changes, map[string]any{"address": r.addr, "mode": "managed", "type": r.typ, "name": name,
				"change": map[string]any{"actions": []string{"create"}, "after": r.v, "after_unknown": map[string]any{"id": true, r.ref: true}}})
			cr := map[string]any{"address": r.addr, "mode": "managed", "type": r.typ, "name": name, "expressions": map[string]any{}}
			if r.ref != "" {
				cr["expressions"] = map[string]any{r.ref: map[string]any{"references": []string{c + ".id", c}}}
			}
			config = append(config, cr)
		}
	}
	data, err := json.Marshal(map[string]any{"format_version": "1.2",
		"planned_values":   map[string]any{"root_module": map[string]any{"resources": resources}},
		"resource_changes": changes,
		"configuration":    map[string]any{"root_module": map[string]any{"resources": config}}})
	if err != nil {
		panic(err)
	}
	return data
}

// genHCL is a module of n clusters, each with a node pool and a diagnostic
// setting that refer to it, and a local per cluster.
func genHCL(n int) map[string][]byte {
	var b strings.Builder
	b.WriteString("variable \"location\" {\n  default = \"westeurope\"\n}\n")
	for i := range n {
		fmt.Fprintf(&b, `locals {
  name%[1]d = "c%[1]d-${var.location}"
}

resource "azurerm_kubernetes_cluster" "c%[1]d" {
  name                   = local.name%[1]d
  location               = var.location
  resource_group_name    = "rg"
  sku_tier               = "Standard"
  local_account_disabled = true
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }
  network_profile {
    network_plugin = "azure"
    network_policy = "cilium"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "p%[1]d" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.c%[1]d.id
  vm_size               = "Standard_D4s_v5"
}

resource "azurerm_monitor_diagnostic_setting" "d%[1]d" {
  name                       = "diag"
  target_resource_id         = azurerm_kubernetes_cluster.c%[1]d.id
  log_analytics_workspace_id = "/subscriptions/x/workspaces/w"
  enabled_log {
    category = "kube-audit"
  }
}
`, i)
	}
	return map[string][]byte{"main.tf": []byte(b.String())}
}

// BenchmarkDecodePlanJSON and BenchmarkDecodeHCLDir: a plan and a module of
// 1,000 and 5,000 clusters. Reading them must scale linearly
// (docs/performance.md).
func BenchmarkDecodePlanJSON(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		data := genPlan(n)
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if got := len(DecodePlanJSON(data, "plan.json").Clusters); got != n {
					b.Fatalf("%d clusters, want %d", got, n)
				}
			}
		})
	}
}

func BenchmarkDecodeHCLDir(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		files := genHCL(n)
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(files["main.tf"])))
			for b.Loop() {
				bt := DecodeHCLDir("m", files, nil)
				if len(bt.Clusters) != n || len(bt.Errors) != 0 {
					b.Fatalf("%d clusters, %d errors, want %d and none", len(bt.Clusters), len(bt.Errors), n)
				}
			}
		})
	}
}
