package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformSensitiveArgumentsNeverPrinted: a value passed to
// client_secret and admin_password from variables not declared sensitive
// (and used elsewhere too, and in an expression that fails) and a plan
// whose marks sit only in before_sensitive appear in no output format,
// report file or stderr; the clusters are still judged, and an input error
// beside them (a plan with a duplicate key) is reported without the value.
func TestTerraformSensitiveArgumentsNeverPrinted(t *testing.T) {
	const planted = "Pl4ntedTfS3cret"
	dir := t.TempDir()
	tf := filepath.Join(dir, "tf")
	must(t, os.MkdirAll(tf, 0o755))
	must(t, os.WriteFile(filepath.Join(tf, "main.tf"), []byte(`
variable "sp_secret" {}
variable "admin_pw" {
  default = "`+planted+`-pw"
}
locals {
  derived = "${var.sp_secret}-x"
}
resource "azurerm_kubernetes_cluster" "c" {
  name               = "c"
  sku_tier           = var.sp_secret
  support_plan       = local.derived
  kubernetes_version = tonumber(var.admin_pw)
  default_node_pool {
    name = "system"
  }
  service_principal {
    client_id     = "cid"
    client_secret = var.sp_secret
  }
  windows_profile {
    admin_username = "a"
    admin_password = var.admin_pw
  }
}
`), 0o644))
	must(t, os.WriteFile(filepath.Join(tf, "terraform.tfvars"), []byte(`sp_secret = "`+planted+`"`+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "plan.json"), []byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.p","mode":"managed","type":"azurerm_kubernetes_cluster","name":"p",
 "values":{"name":"p","sku_tier":"`+planted+`","service_principal":[{"client_id":"cid","client_secret":"`+planted+`"}]}}]}},
"resource_changes":[{"address":"azurerm_kubernetes_cluster.p","mode":"managed","type":"azurerm_kubernetes_cluster","name":"p",
 "change":{"actions":["update"],"after":{"name":"p","sku_tier":"`+planted+`"},"after_unknown":{},"before_sensitive":{"sku_tier":true},"after_sensitive":{}}}]}`), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "dup.json"), []byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.d","mode":"managed","type":"azurerm_kubernetes_cluster","name":"d",
 "values":{"name":"d","sku_tier":"Free",
 "sku_tier":"`+planted+`"}}]}}}`), 0o644))
	for _, format := range reportFormats {
		file := filepath.Join(t.TempDir(), "report")
		for _, extra := range [][]string{{"--include-passed"}, {"--include-passed", "--output-file", file}} {
			args := append([]string{"scan", "-o", format, today, dir}, extra...)
			code, out, errOut := runCLI(t, "", args...)
			if code != ExitError {
				t.Errorf("%s %v: exit %d, want %d (the duplicate key): %s", format, extra, code, ExitError, errOut)
			}
			report := out
			if len(extra) > 1 {
				data, err := os.ReadFile(file)
				must(t, err)
				report = string(data)
			}
			if strings.Contains(report+out+errOut, planted) {
				t.Errorf("%s %v: output holds the planted value", format, extra)
			}
			if all := report + errOut; !strings.Contains(all, "dup.json") || !strings.Contains(all, `\"sku_tier\" is given twice`) && !strings.Contains(all, `"sku_tier" is given twice`) && !strings.Contains(all, "&#34;sku_tier&#34; is given twice") {
				t.Errorf("%s %v: the report and stderr lack the duplicate key error: %s %s", format, extra, report, errOut)
			}
			if format == "json" && (!strings.Contains(report, "azurerm_kubernetes_cluster.c") || !strings.Contains(report, "azurerm_kubernetes_cluster.p")) {
				t.Errorf("%s %v: a cluster is not judged", format, extra)
			}
		}
	}
}

// TestTerraformOverBudget: a module whose locals ask for billions of
// values ends in an input error at the expression's file:line (exit 2),
// its cluster's settings fed by it are not assessed, and a cluster in
// another directory is still judged.
func TestTerraformOverBudget(t *testing.T) {
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad"), filepath.Join(dir, "good")
	must(t, os.MkdirAll(bad, 0o755))
	must(t, os.MkdirAll(good, 0o755))
	var doubling strings.Builder
	doubling.WriteString("locals {\n  l0 = \"0123456789abcdef\"\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&doubling, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("  grid = [for a in range(1000): [for b in range(1000): [for c in range(1000): a]]]\n}\n")
	cluster := func(name, disabled string) string {
		return `resource "azurerm_kubernetes_cluster" "` + name + `" {
  name                   = "` + name + `"
  local_account_disabled = ` + disabled + `
  default_node_pool {
    name = "system"
  }
}
`
	}
	must(t, os.WriteFile(filepath.Join(bad, "main.tf"), []byte(doubling.String()+cluster("bad", `length(local.grid) > 0 && length(local.l30) > 0`)), 0o644))
	must(t, os.WriteFile(filepath.Join(good, "main.tf"), []byte(cluster("good", "true")), 0o644))
	code, out, errOut := runCLI(t, "", "scan", "-o", "json", "--include-passed", "--control", "AKS-ACC-005", today, dir)
	if code != ExitError {
		t.Errorf("exit %d, want %d: %s", code, ExitError, errOut)
	}
	r := decode(t, out)
	if got := statuses(r, "good")["AKS-ACC-005"]; got != "pass" {
		t.Errorf("canary cluster: ACC-005 %q, want pass", got)
	}
	if got := statuses(r, "bad")["AKS-ACC-005"]; got != "not-assessed" {
		t.Errorf("cluster fed by the expression over budget: ACC-005 %q, want not-assessed", got)
	}
	for _, want := range []string{"main.tf:", "over the evaluation budget"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("output lacks %q: %s", want, errOut)
		}
	}
}
