package terraform

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

const planted = "Pl4nted-Sp-S3cret"

// TestProviderSensitiveArguments: a value passed to an argument the azurerm
// provider marks sensitive never leaves the reader, although the variable
// is not declared sensitive, wherever else it is used (directly, through a
// local, in an error); in plans, a value marked in before_sensitive or
// planned_values' sensitive_values, or an unmarked client_secret, is not
// read either.
func TestProviderSensitiveArguments(t *testing.T) {
	hcl := `
variable "sp_secret" {
  default = "` + planted + `"
}
variable "admin_pw" {}
locals {
  derived = "${var.sp_secret}-suffix"
  pw      = var.admin_pw
}
resource "azurerm_kubernetes_cluster" "c" {
  name                = "c"
  sku_tier            = var.sp_secret
  support_plan        = local.derived
  kubernetes_version  = tonumber(var.sp_secret)
  node_os_upgrade_channel = local.pw
  service_principal {
    client_id     = "cid"
    client_secret = var.sp_secret
  }
  windows_profile {
    admin_username = "a"
    admin_password = local.pw
  }
}
resource "azurerm_kubernetes_cluster" "canary" {
  name     = "canary"
  sku_tier = "Standard"
}
`
	tests := []struct {
		name string
		b    func() *inventory.Batch
		exps map[string][]expect // by cluster address
	}{
		{name: "HCL", b: func() *inventory.Batch {
			return DecodeHCLDir("d", map[string][]byte{"main.tf": []byte(hcl)}, map[string]string{"admin_pw": planted + "-pw"})
		}, exps: map[string][]expect{
			"azurerm_kubernetes_cluster.c": {
				unknown("SKUTier", "", "sensitive"), unknown("SupportPlan", "", "sensitive"),
				unknown("KubernetesVersion", "", ""), unknown("NodeOSUpgradeChannel", "", "sensitive"),
				known("ServicePrincipalClientID", "cid", ""),
			},
			"azurerm_kubernetes_cluster.canary": {known("SKUTier", "Standard", "")},
		}},
		{name: "plan: before_sensitive, sensitive_values, unmarked client_secret", b: func() *inventory.Batch {
			return DecodePlanJSON([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
 "values":{"name":"c","sku_tier":"`+planted+`","support_plan":"`+planted+`","service_principal":[{"client_id":"cid","client_secret":"`+planted+`"}],"kube_config_raw":"`+planted+`"},
 "sensitive_values":{"support_plan":true}},
{"address":"azurerm_kubernetes_cluster.canary","mode":"managed","type":"azurerm_kubernetes_cluster","name":"canary","values":{"name":"canary","sku_tier":"Standard"}}]}},
"resource_changes":[{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
 "change":{"actions":["update"],"before":{"sku_tier":"`+planted+`"},"after":{"name":"c","sku_tier":"`+planted+`"},
  "after_unknown":{},"before_sensitive":{"sku_tier":true},"after_sensitive":{}}}]}`), "plan.json")
		}, exps: map[string][]expect{
			"azurerm_kubernetes_cluster.c": {
				unknown("SKUTier", "", "sensitive"), unknown("SupportPlan", "", "sensitive"),
				known("ServicePrincipalClientID", "cid", ""),
			},
			"azurerm_kubernetes_cluster.canary": {known("SKUTier", "Standard", "")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b()
			for addr, exps := range tt.exps {
				checkFields(t, addr, clusterByAddress(t, b, addr), exps)
			}
			assertNoLeak(t, b, planted)
		})
	}
}
