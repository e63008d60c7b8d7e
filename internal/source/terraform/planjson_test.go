package terraform

import (
	"strings"
	"testing"
)

// TestPlanShape: keys given twice with different values (exactly, or in
// another case where the decoder folds them) and nesting past the bound
// are input errors naming the lines, never a silent last-wins; harmless
// repeats and case variants of user keys still decode.
func TestPlanShape(t *testing.T) {
	plan := func(values string) string {
		return `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
 "values":` + values + `}]}}}`
	}
	deep := strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000)
	tests := []struct {
		name string
		json string
		line int    // of the error; 0: no error
		msg  string // in the error
	}{
		{name: "duplicate key, different values", json: plan(`{"name":"c",
  "local_account_disabled":true,
  "local_account_disabled":false}`), line: 5, msg: `key "local_account_disabled" is given twice, at lines 4 and 5`},
		{name: "duplicate nested block", json: plan(`{"name":"c","api_server_access_profile":[{"authorized_ip_ranges":["10.0.0.0/8"]}],
  "api_server_access_profile":[]}`), line: 4, msg: "lines 3 and 4"},
		{name: "plan key in another case", json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[]}},
"Planned_Values":{"root_module":{}}}`, line: 2, msg: `keys "planned_values" and "Planned_Values" differ only in case`},
		{name: "duplicate key, same value", json: plan(`{"name":"c","sku_tier":"Free","sku_tier":"Free"}`)},
		{name: "user keys differing in case", json: plan(`{"name":"c","tags":{"Env":"a","env":"b"}}`)},
		{name: "user keys that are also plan keys, differing in case", json: plan(`{"name":"c","tags":{"Name":"a","name":"b","Values":"x","values":"y"}}`)},
		{name: "resource field in another case", json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"azurerm_kubernetes_cluster.c","mode":"managed","type":"azurerm_kubernetes_cluster","name":"c",
 "Values":{"name":"c"},"values":{"name":"d"}}]}}}`, line: 3, msg: `keys "Values" and "values" differ only in case`},
		{name: "expression field in another case", json: `{"format_version":"1.2","planned_values":{"root_module":{"resources":[]}},
"configuration":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.c","expressions":{
 "local_account_disabled":{"constant_value":false,
 "Constant_Value":true}}}]}}}`, line: 4, msg: `keys "constant_value" and "Constant_Value" differ only in case`},
		{name: "nested too deep", json: plan(`{"name":"c","tags":` + deep + `}`), line: 3, msg: "nests more than 512 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := DecodePlanJSON([]byte(tt.json), "plan.json")
			if tt.line == 0 {
				if len(b.Errors) != 0 {
					t.Fatalf("errors %v, want none", b.Errors)
				}
				clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
				return
			}
			if len(b.Errors) != 1 || len(b.Clusters) != 0 {
				t.Fatalf("errors %v, clusters %d: want one error and no cluster", b.Errors, len(b.Clusters))
			}
			e := b.Errors[0]
			if e.Input != "plan.json" || e.Line != tt.line || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %v, want plan.json:%d saying %q", e, tt.line, tt.msg)
			}
		})
	}
}
