package terraform

import (
	"strings"
	"testing"
)

// TestDeepNestingIsAnInputError: HCL nested 60,000 levels deep (120 kB)
// overflowed the parser's stack and killed the process. Each form that
// reaches a recursive HCL parser (a .tf file, a .tfvars file, JSON tfvars,
// a --var value) is now refused before parsing, naming the file and line,
// and the cluster beside it is still read.
func TestDeepNestingIsAnInputError(t *testing.T) {
	deep := "locals {\n  x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n}\n"
	deepVars := "v = " + strings.Repeat("{a = ", 60000) + "1" + strings.Repeat("}", 60000) + "\n"
	deepJSON := `{"v": ` + strings.Repeat(`[`, 60000) + strings.Repeat(`]`, 60000) + `}`
	canary := `resource "azurerm_kubernetes_cluster" "canary" {
  name                = "canary"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "canary"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }
  identity { type = "SystemAssigned" }
}
`
	tests := []struct {
		name, file, src, wantMsg string
		line                     int
	}{
		{"tf", "deep.tf", deep, "this file was skipped", 2},
		{"tfvars", "terraform.tfvars", deepVars, "the variables in this file were not used", 1},
		{"json tfvars", "x.auto.tfvars.json", deepJSON, "the variables in this file were not used", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := DecodeHCLDir("", map[string][]byte{tc.file: []byte(tc.src), "main.tf": []byte(canary)},
				map[string]string{"big": strings.Repeat("[", 60000)})
			if len(b.Errors) != 1 {
				t.Fatalf("errors %v, want one", b.Errors)
			}
			e := b.Errors[0]
			if e.Input != tc.file || e.Line != tc.line || !strings.Contains(e.Message, "nest more than 500 levels") || !strings.Contains(e.Message, tc.wantMsg) {
				t.Errorf("error %+v", e)
			}
			if len(b.Clusters) != 1 || b.Clusters[0].Name != "canary" {
				t.Errorf("the canary cluster beside the deep file was not read: %d clusters", len(b.Clusters))
			}
		})
	}
}
